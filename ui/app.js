// SPSE Authenticator UI. Everything secret stays in Rust: the UI gets ids, issuer, account,
// parameters, codes and seconds left, and asks Rust to copy, import, add and remove.
import { t, errorText, setLanguage, translatePage, language } from "./i18n.js";

// Looked up on every call (not captured at load), so the end-to-end leak test can record every
// IPC call and result by wrapping `window.__TAURI__.core.invoke`.
const invoke = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);
const listen = (event, handler) => window.__TAURI__.event.listen(event, handler);

const $ = (id) => document.getElementById(id);
const list = $("list");
const search = $("search");
const rows = new Map(); // id -> {li, parts}
let codes = []; // latest CodeInfo[] from Rust
let firstShown = false;
let busy = false;

// ---------- helpers ----------

/** "123456" -> "123 456", "12345678" -> "1234 5678", 7 digits "123 4567", 10 "12345 67890"? -> groups of 3/4. */
export function groupCode(code) {
  const n = code.length;
  if (n === 6) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (n === 8) return `${code.slice(0, 4)} ${code.slice(4)}`;
  if (n === 7) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (n === 9) return `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`;
  if (n === 10) return `${code.slice(0, 5)} ${code.slice(5)}`;
  return code;
}

function label(a) {
  return a.issuer ? `${a.issuer} ${a.account}` : a.account;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---------- toasts ----------

function toast(text, { error = false, detail = "", action = null, seconds = 4 } = {}) {
  const box = el("div", { class: error ? "toast error" : "toast" });
  const msg = el("span", { class: "msg" }, text);
  if (detail) msg.append(el("span", { class: "detail" }, detail));
  box.append(msg);
  let timer;
  const close = () => {
    clearTimeout(timer);
    box.remove();
  };
  if (action) {
    const b = el("button", { type: "button", class: "toast-action" }, action.label);
    b.addEventListener("click", () => {
      close();
      action.run();
    });
    box.append(b);
  }
  $("toasts").append(box);
  timer = setTimeout(close, seconds * 1000);
  return box;
}

function showError(err) {
  if (err && err.kind === "app_locked") return showLock();
  const detail = err && err.message ? t("error_details", { msg: err.message }) : "";
  toast(errorText(err), { error: true, detail, seconds: 8 });
}

// ---------- dialogs ----------

/** Shows the confirmation dialog; resolves true when the user confirms. */
function confirmDialog({ title, body, ok, cancel = t("cancel"), items = [] }) {
  const d = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-body").textContent = body;
  $("confirm-ok").textContent = ok;
  $("confirm-cancel").textContent = cancel;
  const ul = $("confirm-list");
  ul.replaceChildren(...items);
  ul.hidden = items.length === 0;
  d.returnValue = "";
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.showModal();
    $("confirm-cancel").focus();
  });
}

function outcomeItem(o) {
  const li = el("li", {}, el("strong", {}, o.account.issuer || "—"), " ", o.account.account, " ");
  li.append(el("span", { class: "st" }, `(${t("status_" + o.status)})`));
  for (const w of o.warnings || []) {
    const text =
      w.kind === "weak_secret"
        ? t("warn_weak_secret", { bits: w.bits })
        : t("warn_missing_batch_parts", { i: w.batch_index + 1, n: w.batch_size });
    li.append(" ", el("span", { class: "warn" }, `⚠ ${text}`));
  }
  return li;
}

// ---------- enrolment ----------

/** Runs an import; `onError(e)` may handle an error itself (returns true), else it is shown. */
async function runImport(promise, onError = null) {
  if (busy) return;
  busy = true;
  document.body.setAttribute("aria-busy", "true");
  try {
    const preview = await promise;
    if (preview) await handlePreview(preview);
  } catch (e) {
    if (!(onError && onError(e))) showError(e);
  } finally {
    busy = false;
    document.body.removeAttribute("aria-busy");
  }
}

async function handlePreview(p) {
  const fresh = p.outcomes.filter((o) => o.status !== "unchanged");
  if (fresh.length === 0) {
    for (const o of p.outcomes) toast(t("unchanged", { label: label(o.account) }));
    return;
  }
  let replace = false;
  if (p.needs_replace) {
    const ok = await confirmDialog({
      title: t("replace_title"),
      body: t("replace_body"),
      ok: t("replace_ok"),
      items: p.outcomes.map(outcomeItem),
    });
    if (!ok) return;
    replace = true;
  } else if (p.outcomes.length > 1) {
    const ok = await confirmDialog({
      title: t("add_many_title"),
      body: t("add_many_body", { n: p.outcomes.length }),
      ok: t("add_all"),
      items: p.outcomes.map(outcomeItem),
    });
    if (!ok) return;
  }
  const done = await invoke("commit_add", { token: p.token, replace });
  const added = done.filter((o) => o.status === "added");
  const replaced = done.filter((o) => o.status === "replaced");
  if (added.length === 1) toast(t("added_one", { label: label(added[0].account) }));
  else if (added.length > 1) toast(t("added_many", { n: added.length }));
  for (const o of replaced) toast(t("replaced_one", { label: label(o.account) }));
  for (const o of done) {
    for (const w of o.warnings || []) {
      if (w.kind === "weak_secret") toast(`${label(o.account)}: ${t("warn_weak_secret", { bits: w.bits })}`, { seconds: 8 });
      else toast(`${label(o.account)}: ${t("warn_missing_batch_parts", { i: w.batch_index + 1, n: w.batch_size })}`, { seconds: 10 });
    }
  }
  await refresh();
  const focusId = (added[0] || replaced[0])?.account.id;
  if (focusId) rows.get(focusId)?.copy.focus();
}

const pasteFromClipboard = () => runImport(invoke("import_clipboard"));
const openFile = () => runImport(invoke("open_file", { title: t("open_dialog_title"), filter: "QR" }));

// "Scan screen": Rust hides the window, captures the screen and shows the window again.
function scanError(e) {
  if (e && e.kind === "no_qr_found") {
    const d = $("scan-none");
    d.returnValue = "";
    d.addEventListener(
      "close",
      () => {
        const routes = { open: openFile, paste: pasteFromClipboard, retry: scanScreen };
        routes[d.returnValue]?.();
      },
      { once: true },
    );
    d.showModal();
    $("scan-none-retry").focus();
    return true;
  }
  if (e && e.kind === "capture_failed") {
    // The core's message names the missing permission and where to grant it.
    toast(errorText(e), { error: true, detail: e.message || "", seconds: 20 });
    return true;
  }
  return false;
}
const scanScreen = () => runImport(invoke("scan_screen"), scanError);

// ---------- manual entry ----------

const BASE32 = /^[A-Za-z2-7\s=-]+$/;

function openManual() {
  const f = $("manual-form");
  f.reset();
  for (const p of f.querySelectorAll(".field-error")) p.textContent = "";
  $("manual").showModal();
  f.elements.issuer.focus();
}

function setFieldError(name, text) {
  const p = $("err-" + name);
  if (p) p.textContent = text;
  const input = $("manual-form").elements[name];
  if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  if (text && input) {
    if (["algorithm", "digits", "period", "counter"].includes(name)) input.closest("details").open = true;
    input.focus();
  }
}

async function submitManual(ev) {
  ev.preventDefault();
  const f = ev.target.elements;
  for (const n of ["account", "secret", "algorithm", "digits", "period", "counter"]) setFieldError(n, "");
  const entry = {
    issuer: f.issuer.value.trim(),
    account: f.account.value.trim(),
    secret: f.secret.value.trim(),
    otp_type: f.otp_type.value,
    algorithm: f.algorithm.value,
    digits: Number(f.digits.value),
    period: Number(f.period.value),
    counter: Number(f.counter.value),
  };
  const checks = [
    ["account", !entry.account, "v_account_required"],
    ["secret", !entry.secret, "v_secret_required"],
    ["secret", entry.secret && !BASE32.test(entry.secret), "v_secret_chars"],
    ["digits", !Number.isInteger(entry.digits) || entry.digits < 6 || entry.digits > 10, "v_digits"],
    ["period", !Number.isInteger(entry.period) || entry.period < 1 || entry.period > 86400, "v_period"],
    ["counter", !Number.isInteger(entry.counter) || entry.counter < 0, "v_counter"],
  ];
  const bad = checks.find(([, fails]) => fails);
  if (bad) return setFieldError(bad[0], t(bad[2]));
  try {
    const preview = await invoke("import_manual", { entry });
    f.secret.value = "";
    $("manual").close();
    await runImport(Promise.resolve(preview));
  } catch (e) {
    const field = { invalid_secret: "secret", unsupported_algorithm: "algorithm", invalid_parameter: "digits", invalid_input: "account" }[e.kind];
    if (field) setFieldError(field, errorText(e));
    else showError(e);
  }
}

// ---------- deletion ----------

async function deleteAccount(a) {
  const ok = await confirmDialog({
    title: t("confirm_delete_title"),
    body: t("confirm_delete_body", { issuer: a.issuer || "—", account: a.account }),
    ok: t("confirm_delete_ok"),
  });
  if (!ok) return;
  try {
    const r = await invoke("remove_account", { id: a.id });
    await refresh();
    toast(t("deleted", { label: label(r.account) }), {
      seconds: r.undo_seconds,
      action: {
        label: t("undo"),
        run: async () => {
          try {
            const back = await invoke("undo_remove", { token: r.token });
            await refresh();
            toast(t("restored", { label: label(back) }));
            rows.get(back.id)?.copy.focus();
          } catch (e) {
            showError(e);
          }
        },
      },
    });
    list.querySelector(".copy")?.focus() || search.focus();
  } catch (e) {
    showError(e);
  }
}

// ---------- copying ----------

async function copy(id, next = false) {
  try {
    await invoke("copy_code", { id, next });
    toast(t(next ? "copied_next" : "copied"));
  } catch (e) {
    showError(e);
  }
}

async function hotpNext(id) {
  try {
    await invoke("next_hotp", { id });
    await refresh();
  } catch (e) {
    showError(e);
  }
}

// ---------- rendering ----------

// One row per account, kept small (a vendor may hold dozens): the ring is one element drawn by
// CSS, the HOTP button and the next-code line are created only when needed, and the list has one
// listener per event for all rows.
function makeRow(c) {
  const li = el("li", { class: "row", "data-id": c.id });
  const issuer = el("span", { class: "issuer" });
  const account = el("span", { class: "account" });
  const code = el("span", { class: "code" });
  const copyBtn = el("button", { type: "button", class: "copy" }, el("span", { class: "who" }, issuer, el("br"), account), code);
  const ring = el("span", { class: "ring", "aria-hidden": "true" });
  const secs = el("span", { class: "secs" });
  const timer = el("span", { class: "timer" }, ring, secs);
  const del = el("button", { type: "button", class: "del" });
  const side = el("div", { class: "side" }, timer, del);
  li.append(copyBtn, side);
  return { li, copy: copyBtn, code, issuer, account, ring, secs, timer, side, del, hotp: null, extra: null, info: c };
}

function hotpButton(r) {
  if (!r.hotp) {
    r.hotp = el("button", { type: "button", class: "small-btn hotp" });
    r.side.insertBefore(r.hotp, r.del);
  }
  return r.hotp;
}

function extraLine(r) {
  if (!r.extra) {
    r.next = el("span", { class: "next" });
    r.copyNext = el("button", { type: "button", class: "small-btn copy-next" });
    r.extra = el("div", { class: "extra" }, r.next, r.copyNext);
    r.li.append(r.extra);
  }
  return r.extra;
}

/** The row (see `makeRow`) an event inside the list belongs to. */
function rowOf(ev) {
  const li = ev.target.closest?.(".row");
  return li ? rows.get(li.dataset.id) : null;
}

list.addEventListener("click", (ev) => {
  const r = rowOf(ev);
  const btn = ev.target.closest("button");
  if (!r || !btn) return;
  if (btn === r.copy) copy(r.info.id);
  else if (btn === r.del) deleteAccount(r.info);
  else if (btn === r.hotp) hotpNext(r.info.id);
  else if (btn === r.copyNext) copy(r.info.id, true);
});
list.addEventListener("keydown", (ev) => {
  const r = rowOf(ev);
  if (!r) return;
  if (ev.key === "Delete") {
    ev.preventDefault();
    deleteAccount(r.info);
  } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    ev.preventDefault();
    const all = [...list.querySelectorAll(".row:not([hidden]) .copy")];
    const i = all.indexOf(r.copy);
    all[Math.max(0, Math.min(all.length - 1, i + (ev.key === "ArrowDown" ? 1 : -1)))]?.focus();
  }
});
list.addEventListener("contextmenu", (ev) => {
  const r = rowOf(ev);
  if (!r) return;
  ev.preventDefault();
  deleteAccount(r.info);
});

/** Sets a text or an attribute only when it changes (the list is refreshed every second). */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}
function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

function updateRow(r, c) {
  r.info = c;
  const lbl = label(c);
  const code = groupCode(c.code);
  setText(r.issuer, c.issuer || "—");
  setText(r.account, c.account);
  setText(r.code, code);
  setAttr(r.copy, "aria-label", `${t("copy_code_for", { label: lbl })}: ${code}`);
  setText(r.del, t("delete"));
  setAttr(r.del, "aria-label", t("delete_for", { label: lbl }));
  const isTotp = c.type === "totp";
  setHidden(r.timer, !isTotp);
  if (!isTotp) {
    const b = hotpButton(r);
    setText(b, t("hotp_next"));
    setAttr(b, "aria-label", t("hotp_next_for", { label: lbl }));
  } else if (r.hotp) {
    setHidden(r.hotp, true);
  }
  const expiring = isTotp && c.seconds_left <= 5;
  if (r.li.classList.contains("expiring") !== expiring) r.li.classList.toggle("expiring", expiring);
  if (expiring && c.next_code) {
    setHidden(extraLine(r), false);
    setText(r.next, t("next_code", { code: groupCode(c.next_code) }));
    setText(r.copyNext, t("copy_next"));
    setAttr(r.copyNext, "aria-label", t("copy_next_for", { label: lbl }));
  } else if (r.extra) {
    setHidden(r.extra, true);
  }
  if (isTotp) {
    setText(r.secs, t("seconds_left", { s: c.seconds_left }));
    setAttr(r.timer, "title", t("seconds_left_long", { s: c.seconds_left }));
    const left = (c.seconds_left / c.period).toFixed(3);
    if (r.ring.style.getPropertyValue("--left") !== left) r.ring.style.setProperty("--left", left);
  }
}

function render() {
  const seen = new Set();
  const q = search.value.trim().toLowerCase();
  let visible = 0;
  codes.forEach((c, i) => {
    seen.add(c.id);
    let r = rows.get(c.id);
    if (!r) {
      r = makeRow(c);
      rows.set(c.id, r);
    }
    updateRow(r, c);
    if (list.children[i] !== r.li) list.insertBefore(r.li, list.children[i] || null);
    const match = !q || `${c.issuer} ${c.account}`.toLowerCase().includes(q);
    setHidden(r.li, !match);
    if (match) visible++;
  });
  for (const [id, r] of rows) {
    if (!seen.has(id)) {
      r.li.remove();
      rows.delete(id);
    }
  }
  $("empty").hidden = codes.length > 0;
  const nm = $("nomatch");
  nm.hidden = !(codes.length > 0 && visible === 0);
  if (!nm.hidden) nm.textContent = t("no_match", { q: search.value.trim() });
  if (!firstShown && codes.length > 0) {
    firstShown = true;
    requestAnimationFrame(() => invoke("first_codes_shown").catch(() => {}));
  }
}

async function refresh() {
  try {
    codes = await invoke("codes");
    render();
    updateBanner();
  } catch (e) {
    if (e && e.kind === "app_locked") showLock();
    else fatal(e);
  }
}

let ticking = false;
let tickGen = 0; // a stopped loop's pending timer must not start a second loop
function tick(gen) {
  if (!ticking || gen !== tickGen) return;
  refresh().finally(() => {
    // Align to the next second boundary so countdowns change together with the codes.
    setTimeout(() => tick(gen), 1000 - (Date.now() % 1000) + 15);
  });
}

// ---------- start, fatal screen, language ----------

let boot = null;

/** Shows exactly one of the full-window screens (`fatal`, `unlock`, `lockscreen`) or the app. */
function showScreen(id) {
  for (const s of ["starting", "fatal", "unlock", "lockscreen", "app"]) $(s).hidden = s !== id;
}

/** Removes every account row (and its code) from the DOM. */
function clearRows() {
  codes = [];
  for (const r of rows.values()) r.li.remove();
  rows.clear();
  list.replaceChildren();
}

function fatal(err) {
  ticking = false;
  clearRows();
  showScreen("fatal");
  $("fatal-text").textContent = errorText(err);
  $("fatal-folder").textContent = boot ? t("error_folder", { dir: boot.data_dir }) : "";
  $("fatal-details").textContent = err && err.message ? t("error_details", { msg: err.message }) : "";
  $("fatal-backup").hidden = true;
  $("fatal-retry").focus();
  if (err && err.kind === "vault_damaged") offerNewestBackup();
}

/** Damaged vault: offers the newest automatic backup that opens (the damaged file becomes a backup too). */
async function offerNewestBackup() {
  let items = [];
  try {
    items = await invoke("backups");
  } catch {
    return; // the error screen already says what to do
  }
  const good = items.find((b) => b.accounts != null);
  if (!good) return;
  const when = fmtWhen(good.created);
  const accounts = t(good.accounts === 1 ? "backup_accounts_one" : "backup_accounts", { n: good.accounts });
  $("fatal-backup-text").textContent = t("damaged_backup_offer", { when, accounts });
  $("fatal-backup").hidden = false;
  $("fatal-backup-restore").onclick = async () => {
    const ok = await confirmDialog({
      title: t("restore_title"),
      body: t("restore_body", { when, accounts }),
      ok: t("restore_ok"),
    });
    if (!ok) return;
    try {
      await invoke("restore_backup", { id: good.id });
      toast(t("backup_restored"));
      await start();
    } catch (e) {
      showError(e);
    }
  };
  $("fatal-backup-restore").focus();
}

async function start() {
  // Opening the vault asks the system keyring, which may first show its own unlock prompt: say
  // so if it takes more than a moment, instead of leaving the window blank.
  let slow;
  try {
    setLanguage(await invoke("ui_language"));
    translatePage();
    slow = setTimeout(() => ($("starting-text").hidden = false), 700);
    boot = await invoke("bootstrap");
  } catch (e) {
    return fatal(e);
  } finally {
    clearTimeout(slow);
  }
  setLanguage(boot.language);
  translatePage();
  translateLockOptions();
  $("lang").value = boot.language_choice || "system";
  $("btn-scan").hidden = !boot.can_scan_screen;
  lockMinutes = boot.lock_minutes || 0;
  if (boot.locked) return showLock();
  if ("Err" in boot.accounts) {
    const v = boot.vault && boot.vault.Ok;
    if (v && v.exists && !v.ready && v.has_recovery_password) return showUnlock(v);
    return fatal(boot.accounts.Err);
  }
  showScreen("app");
  if (!ticking) {
    ticking = true;
    tick(++tickGen);
  }
  resetIdle();
  search.focus();
}

// ---------- recovery password at start (keyring key missing) ----------

let unlockVault = null; // VaultStatus while the password screen is shown

function showUnlock(v) {
  ticking = false;
  clearRows();
  unlockVault = v;
  showScreen("unlock");
  $("unlock-text").textContent = t(v.keyring === "no_entry" ? "unlock_text_missing" : "unlock_text_unavailable");
  $("unlock-folder").textContent = boot ? t("error_folder", { dir: boot.data_dir }) : "";
  $("unlock-error").textContent = "";
  $("unlock-password").value = "";
  $("unlock-password").focus();
}

/** Runs `fn` with the form's button disabled and a busy text (Argon2id takes about half a second). */
async function busyForm(button, busyKey, fn) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = t(busyKey);
  document.body.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.textContent = label;
    document.body.removeAttribute("aria-busy");
  }
}

/**
 * Sends the password typed in `prefix`-password to Rust with `cmd` (the OK button busy meanwhile);
 * on error shows it under the field and resolves `null`, else clears the field and resolves the
 * command's result.
 */
async function sendPassword(prefix, cmd) {
  const input = $(`${prefix}-password`);
  const err = $(`${prefix}-error`);
  err.textContent = "";
  if (!input.value) {
    err.textContent = t("v_pw_required");
    input.focus();
    return null;
  }
  let result;
  try {
    result = await busyForm($(`${prefix}-ok`), "unlock_busy", () => invoke(cmd, { password: input.value }));
  } catch (e) {
    input.setAttribute("aria-invalid", "true");
    err.textContent = errorText(e);
    input.select();
    input.focus();
    return null;
  }
  input.value = "";
  input.removeAttribute("aria-invalid");
  return result ?? {};
}

async function submitUnlock(ev) {
  ev.preventDefault();
  const result = await sendPassword("unlock", "unlock_vault");
  if (!result) return;
  await start();
  if (result.offer_keyring) {
    const ok = await confirmDialog({
      title: t("keyring_offer_title"),
      body: t("keyring_offer_body"),
      ok: t("keyring_offer_ok"),
      cancel: t("keyring_offer_no"),
    });
    if (ok) {
      try {
        await invoke("restore_keyring_key");
        toast(t("keyring_restored"));
      } catch (e) {
        showError(e);
      }
    }
  }
}

// ---------- app lock ----------

let lockMinutes = 0;
let idleTimer = null;

function showLock() {
  ticking = false;
  clearTimeout(idleTimer);
  clearRows();
  for (const d of document.querySelectorAll("dialog[open]")) d.close();
  $("toasts").replaceChildren();
  showScreen("lockscreen");
  $("lock-error").textContent = "";
  $("lock-password").value = "";
  $("lock-password").focus();
}

async function lockNow() {
  try {
    await invoke("lock_app");
    showLock();
  } catch (e) {
    showError(e);
  }
}

function resetIdle() {
  clearTimeout(idleTimer);
  if (lockMinutes > 0 && !$("app").hidden) idleTimer = setTimeout(lockNow, lockMinutes * 60 * 1000);
}
for (const type of ["keydown", "mousedown", "mousemove", "pointerdown", "wheel", "touchstart"]) {
  document.addEventListener(type, resetIdle, { passive: true, capture: true });
}

async function submitLock(ev) {
  ev.preventDefault();
  if (!(await sendPassword("lock", "unlock_app"))) return;
  await start();
}

// ---------- banner: recommend a recovery password ----------

let bannerDismissed = false;
let safety = null; // latest SafetyInfo

async function loadSafety() {
  try {
    safety = await invoke("safety_info");
  } catch (e) {
    safety = null;
    if (e && e.kind === "app_locked") showLock();
  }
  return safety;
}

let bannerChecked = -1;
function updateBanner() {
  // Re-asked when the number of accounts changes (e.g. right after the first one is added).
  if (codes.length === bannerChecked) return;
  bannerChecked = codes.length;
  if (codes.length === 0) {
    $("banner").hidden = true;
    return;
  }
  loadSafety().then((s) => {
    $("banner").hidden = bannerDismissed || !s || s.has_recovery_password || !s.has_accounts;
  });
}

// ---------- settings ----------

function translateLockOptions() {
  for (const o of $("lock-minutes").options) {
    if (o.value !== "0") o.textContent = t("lock_minutes", { n: o.value });
  }
}

function fmtSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function fmtWhen(unix) {
  return new Date(unix * 1000).toLocaleString(language() === "id" ? "id-ID" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "medium",
  });
}

async function renderSettings() {
  const s = await loadSafety();
  if (!s) return;
  $("recovery-state").textContent = t(
    s.has_recovery_password ? "recovery_state_set" : s.has_accounts ? "recovery_state_unset" : "recovery_state_empty",
  );
  $("recovery-set").hidden = s.has_recovery_password;
  $("recovery-set").disabled = !s.has_accounts;
  $("recovery-change").hidden = !s.has_recovery_password;
  $("recovery-remove").hidden = !s.has_recovery_password;
  // Opened with the password and the key not put back: say so, and offer it here too.
  const keyringMissing = s.has_accounts && !s.keyring_has_key;
  $("keyring-state").hidden = !keyringMissing;
  $("keyring-restore").hidden = !keyringMissing;
  $("lock-minutes").value = String(s.lock_minutes || 0);
  $("lock-minutes").disabled = !s.has_recovery_password;
  $("lock-now").disabled = !s.has_recovery_password;
  $("lock-hint").textContent = t(s.has_recovery_password ? "lock_hint" : "lock_hint_none");
  $("banner").hidden = bannerDismissed || s.has_recovery_password || !s.has_accounts;
  await renderBackups();
}

async function renderBackups() {
  let items = [];
  try {
    items = await invoke("backups");
  } catch (e) {
    return showError(e);
  }
  const ul = $("backup-list");
  ul.replaceChildren(
    ...items.map((b) => {
      const when = fmtWhen(b.created);
      const accounts = b.accounts == null ? t("backup_accounts_unknown") : t(b.accounts === 1 ? "backup_accounts_one" : "backup_accounts", { n: b.accounts });
      const btn = el("button", { type: "button", class: "small-btn restore", "aria-label": t("backup_restore_for", { when }) }, t("backup_restore"));
      btn.addEventListener("click", () => restoreBackup(b, when, accounts));
      return el(
        "li",
        { class: "backup", "data-id": b.id },
        el("span", { class: "when" }, when),
        el("span", { class: "muted" }, `${accounts} · ${fmtSize(b.size)}`),
        btn,
      );
    }),
  );
  $("backup-none").hidden = items.length > 0;
}

async function restoreBackup(b, when, accounts) {
  $("settings").close();
  const ok = await confirmDialog({
    title: t("restore_title"),
    body: t("restore_body", { when, accounts }),
    ok: t("restore_ok"),
  });
  if (ok) {
    try {
      await invoke("restore_backup", { id: b.id });
      bannerChecked = -1;
      await refresh();
      toast(t("backup_restored"));
    } catch (e) {
      showError(e);
    }
  }
  await openSettings();
}

/** Settings → About: asked once (name, version and data folder do not change while the app runs). */
let about = null;
async function renderAbout() {
  try {
    about ??= await invoke("about");
  } catch (e) {
    return showError(e);
  }
  $("about-name").textContent = about.name;
  $("about-version").textContent = about.version;
  $("about-data-dir").textContent = about.data_dir;
}

async function openSettings({ recoveryForm = false } = {}) {
  const d = $("settings");
  $("recovery-form").hidden = true;
  await Promise.all([renderSettings(), renderAbout()]);
  if (!$("app").hidden && !d.open) d.showModal();
  if (recoveryForm) showRecoveryForm();
  else $("settings-close").focus();
}

function showRecoveryForm() {
  const f = $("recovery-form");
  f.reset();
  f.hidden = false;
  $("recovery-error").textContent = "";
  $("recovery-new").focus();
}

async function submitRecovery(ev) {
  ev.preventDefault();
  const pw = $("recovery-new");
  const again = $("recovery-confirm");
  const err = $("recovery-error");
  err.textContent = "";
  const MIN = 8; // recovery::MIN_PASSWORD_CHARS (the core checks it too)
  if ([...pw.value].length < MIN || !pw.value.trim()) {
    err.textContent = t("v_pw_short", { n: MIN });
    return pw.focus();
  }
  if (pw.value !== again.value) {
    err.textContent = t("v_pw_mismatch");
    return again.focus();
  }
  try {
    await busyForm($("recovery-save"), "recovery_saving", () => invoke("set_recovery_password", { password: pw.value }));
  } catch (e) {
    err.textContent = e && e.kind === "invalid_input" ? t("v_pw_short", { n: MIN }) : errorText(e);
    if (e && e.kind === "app_locked") showLock();
    return;
  }
  $("recovery-form").reset();
  $("recovery-form").hidden = true;
  toast(t("recovery_saved"));
  await renderSettings();
  $("settings-close").focus();
}

async function removeRecovery() {
  $("settings").close();
  const ok = await confirmDialog({
    title: t("remove_pw_title"),
    body: t("remove_pw_body"),
    ok: t("remove_pw_ok"),
  });
  if (ok) {
    try {
      await invoke("remove_recovery_password").catch((e) => {
        // The core refuses while the keyring does not hold the key (nothing could open the vault).
        throw e && e.kind === "vault_key_missing" ? { ...e, kind: "remove_pw_refused" } : e;
      });
      await invoke("set_lock_minutes", { minutes: null });
      lockMinutes = 0;
      resetIdle();
      toast(t("recovery_removed"));
    } catch (e) {
      showError(e);
    }
  }
  await openSettings();
}

$("btn-settings").addEventListener("click", () => openSettings());
$("settings-close").addEventListener("click", () => $("settings").close());
$("recovery-set").addEventListener("click", showRecoveryForm);
$("recovery-change").addEventListener("click", showRecoveryForm);
$("recovery-remove").addEventListener("click", removeRecovery);
$("keyring-restore").addEventListener("click", async () => {
  try {
    await invoke("restore_keyring_key");
    toast(t("keyring_restored"));
  } catch (e) {
    showError(e);
  }
  await renderSettings();
});
$("recovery-cancel").addEventListener("click", () => ($("recovery-form").hidden = true));
$("recovery-form").addEventListener("submit", submitRecovery);
$("lock-now").addEventListener("click", () => {
  $("settings").close();
  lockNow();
});
$("lock-minutes").addEventListener("change", async (ev) => {
  const n = Number(ev.target.value);
  try {
    lockMinutes = (await invoke("set_lock_minutes", { minutes: n > 0 ? n : null })) || 0;
    resetIdle();
  } catch (e) {
    showError(e);
  }
});
$("banner-set").addEventListener("click", () => openSettings({ recoveryForm: true }));
$("banner-close").addEventListener("click", () => {
  bannerDismissed = true;
  $("banner").hidden = true;
});
$("unlock-form").addEventListener("submit", submitUnlock);
$("lock-form").addEventListener("submit", submitLock);

$("lang").addEventListener("change", async (ev) => {
  const choice = ev.target.value === "system" ? null : ev.target.value;
  try {
    const lang = await invoke("set_language", { language: choice });
    setLanguage(lang);
    translatePage();
    translateLockOptions();
    render();
    await renderSettings();
  } catch (e) {
    showError(e);
  }
});

$("fatal-retry").addEventListener("click", start);
$("btn-open").addEventListener("click", openFile);
$("btn-paste").addEventListener("click", pasteFromClipboard);
$("btn-manual").addEventListener("click", openManual);
$("btn-scan").addEventListener("click", scanScreen);
$("manual-form").addEventListener("submit", submitManual);
$("manual-cancel").addEventListener("click", () => $("manual").close());
search.addEventListener("input", render);
search.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") {
    search.value = "";
    render();
  } else if (ev.key === "ArrowDown" || ev.key === "Enter") {
    const first = list.querySelector(".row:not([hidden]) .copy");
    if (first) {
      ev.preventDefault();
      if (ev.key === "Enter") first.click();
      else first.focus();
    }
  }
});

document.addEventListener("keydown", (ev) => {
  const inDialog = !!document.querySelector("dialog[open]");
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (inDialog || $("app").hidden) return;
  if (ctrl && ev.key.toLowerCase() === "l") {
    ev.preventDefault();
    lockNow();
  } else if (ctrl && ev.key.toLowerCase() === "f") {
    ev.preventDefault();
    search.focus();
    search.select();
  } else if (ctrl && ev.shiftKey && ev.key.toLowerCase() === "s") {
    ev.preventDefault();
    scanScreen();
  } else if (ctrl && ev.key.toLowerCase() === "v") {
    ev.preventDefault();
    pasteFromClipboard();
  } else if (ctrl && ev.key.toLowerCase() === "o") {
    ev.preventDefault();
    openFile();
  } else if (!ctrl && !ev.altKey && ev.key.length === 1 && ev.key !== " " &&
             !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)) {
    // Just typing filters the list.
    ev.preventDefault();
    search.focus();
    search.value += ev.key;
    render();
  }
});

// Files dropped on the window are read in Rust; we get the preview (or the error).
listen("import-dropped", (ev) => {
  $("drop").hidden = true;
  if (ev.payload.error) showError(ev.payload.error);
  else runImport(Promise.resolve(ev.payload.ok));
});
listen("tauri://drag-enter", () => ($("drop").hidden = false));
listen("tauri://drag-leave", () => ($("drop").hidden = true));
listen("tauri://drag-drop", () => ($("drop").hidden = true));

start();
