// Localisation: `t(key, vars)` looks a string up in the current language's table (i18n/en.js,
// i18n/id.js: same keys, checked by tests/ui), filling `{name}` placeholders. Errors are
// localised by their stable `kind` (`err_<kind>`), never by parsing the English message.
// Importing this module touches no DOM (tests/ui imports it under Node); the current language
// lives in the state object.

import en from "./i18n/en.js";
import id from "./i18n/id.js";
import { KIND } from "./api.js";
import { state } from "./state.js";

/** The string tables, by language. */
export const TABLES = Object.freeze({ en, id });

const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** Selects the language (`id` or `en`; anything else is English). Call `translatePage` after. */
export function setLanguage(lang) {
  state.language = has(TABLES, lang) ? lang : "en";
}

/** The current language. */
export function language() {
  return state.language;
}

/** The string `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = TABLES[state.language][key] ?? TABLES.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** The table key of error kind `kind`'s text: `err_<kind>`, or `err_unknown` when there is none. */
export function errorKey(kind) {
  const key = `err_${kind}`;
  return typeof kind === "string" && has(TABLES.en, key) ? key : "err_unknown";
}

/** The localised sentence for an IPC error `{kind, message, scheme?}`. */
export function errorText(err) {
  const kind = err && typeof err === "object" ? err.kind : undefined;
  if (kind === KIND.NOT_OTPAUTH && err.scheme) return t("not_otpauth_scheme", { scheme: err.scheme });
  return t(errorKey(kind));
}

/** Fills every `[data-i18n]` (text), `[data-i18n-placeholder]`, `[data-i18n-label]` (aria-label) and `[data-i18n-title]`. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  document.documentElement.lang = state.language;
  document.title = t("app_title");
}
