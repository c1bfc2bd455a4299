// The page's first two questions to Rust — the language and the bootstrap (the accounts and the
// first rows' codes) — asked as soon as this module has loaded. It imports nothing and index.html
// loads it `async`, so it runs while the page's other modules are still loading (main.js runs
// only once its whole import graph has), and the answers are on their way by then: api.js
// (`uiLanguage`, `bootstrap`) takes each answer once instead of asking again.
//
// Invariants: no imports (checked by tests/ui/preload.test.mjs); only commands without arguments
// that are answered while the app is locked too; a rejection is kept for api.js, never thrown
// here (no "unhandled rejection").

const ask = (cmd) => {
  const answer = window.__TAURI__.core.invoke(cmd);
  answer.catch(() => {});
  return answer;
};

window.__spseEarly = { ui_language: ask("ui_language"), bootstrap: ask("bootstrap") };
