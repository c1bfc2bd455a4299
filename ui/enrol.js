// Enrolment: import from the clipboard (Ctrl+V), an image or another app's export (Ctrl+O,
// "Import from another app"), the screen (Ctrl+Shift+S), a dropped file, or the manual-entry form.
// Rust reads and stages the entries (secrets stay in Rust) and answers a preview `{token,
// outcomes, needs_replace}`: one outcome per entry, added / unchanged / replacing / skipped with
// its reason; the user confirms replacing keys or adding several, then `commitAdd` adds them.
// An encrypted export: Rust answers `password_required` with a token, the password dialog asks,
// and `importWithPassword` reads the same files again (a wrong password: the dialog stays).
//
// Invariants: one import at a time (`state.busy`); every preview ends in `commitAdd` or
// `cancelImport` (so no staged secret outlives its preview), and so does every password request;
// a failed commit keeps the preview open for a retry, since Rust keeps the staged import.

import * as api from "./api.js";
import { KIND, SKIP_REASON, STATUS, WARNING } from "./api.js";
import { confirmDialog } from "./dialogs.js";
import { $, el } from "./dom.js";
import { label, wholeNumber } from "./format.js";
import { errorText, t } from "./i18n.js";
import { focusRow, refresh } from "./list.js";
import { state } from "./state.js";
import { showError, toast } from "./toast.js";

// ---------- preview and commit ----------

function warningText(w) {
  if (w.kind === WARNING.WEAK_SECRET) return t("warn_weak_secret", { bits: w.bits });
  if (w.kind === WARNING.SHORT_CODE) return t("warn_short_code", { digits: w.digits });
  return t("warn_missing_batch_parts", { i: w.batch_index + 1, n: w.batch_size });
}

/** Why an entry was skipped, localised by its kind (`reason.otp_type` names an unsupported type). */
function skipText(reason) {
  const kind = Object.values(SKIP_REASON).includes(reason?.kind) ? reason.kind : SKIP_REASON.INVALID_ENTRY;
  return t(`skip_${kind}`, { type: reason?.otp_type ?? "" });
}

/** One line of the preview list: issuer, account, status, why skipped, renamed, warnings. */
function outcomeItem(o) {
  const li = el("li", {}, el("strong", {}, o.account.issuer || "—"), " ", o.account.account, " ");
  li.append(el("span", { class: "st" }, `(${t("status_" + o.status)})`));
  if (o.status === STATUS.SKIPPED) li.append(" ", el("span", { class: "warn skip" }, skipText(o.reason)));
  if (o.renamed_from) li.append(" ", el("span", { class: "st renamed" }, t("renamed_note", { name: o.renamed_from })));
  for (const w of o.warnings || []) li.append(" ", el("span", { class: "warn" }, `⚠ ${warningText(w)}`));
  return li;
}

/** The outcomes that adding would store (new accounts, replaced keys). */
const toStore = (p) => p.outcomes.filter((o) => o.status === STATUS.ADDED || o.status === STATUS.NEEDS_REPLACE);

/**
 * Asks when needed (replacing a key, adding several), then commits. A failed commit is shown in
 * the dialog with "Try again" (the staged import is kept). Resolves the outcomes, or null when
 * the user cancelled (the staged import is then dropped) or the import is gone.
 */
async function confirmAndCommit(p) {
  let ask = null;
  const skipped = p.outcomes.filter((o) => o.status === STATUS.SKIPPED).length;
  const note = skipped ? ` ${t("skipped_note", { n: skipped })}` : "";
  if (p.needs_replace) ask = { title: t("replace_title"), body: t("replace_body") + note, ok: t("replace_ok") };
  else if (p.outcomes.length > 1) {
    ask = { title: t("add_many_title"), body: t("add_many_body", { n: toStore(p).length }) + note, ok: t("add_all") };
  }
  for (;;) {
    if (ask && !(await confirmDialog({ ...ask, items: p.outcomes.map(outcomeItem) }))) {
      api.cancelImport(p.token);
      return null;
    }
    try {
      return await api.commitAdd(p.token, p.needs_replace);
    } catch (e) {
      // Locked (Rust forgets the import then) or no longer staged: nothing to retry.
      if (e.kind === KIND.APP_LOCKED || e.kind === KIND.NOT_FOUND) {
        showError(e);
        return null;
      }
      ask = {
        title: t("commit_failed_title"),
        body: t("commit_failed_body", { error: errorText(e) }),
        ok: t("error_retry"),
      };
    }
  }
}

async function handlePreview(p) {
  if (toStore(p).length === 0) {
    api.cancelImport(p.token);
    for (const o of p.outcomes) {
      if (o.status === STATUS.SKIPPED) {
        toast(t("skipped_one", { label: label(o.account) || "—", reason: skipText(o.reason) }), {
          error: true,
          seconds: 10,
        });
      } else toast(t("unchanged", { label: label(o.account) }));
    }
    return;
  }
  const done = await confirmAndCommit(p);
  if (!done) return;
  const added = done.filter((o) => o.status === STATUS.ADDED);
  const replaced = done.filter((o) => o.status === STATUS.REPLACED);
  if (added.length === 1) toast(t("added_one", { label: label(added[0].account) }));
  else if (added.length > 1) toast(t("added_many", { n: added.length }));
  for (const o of replaced) toast(t("replaced_one", { label: label(o.account) }));
  for (const o of done) {
    for (const w of o.warnings || []) {
      toast(`${label(o.account)}: ${warningText(w)}`, { seconds: w.kind === WARNING.WEAK_SECRET ? 8 : 10 });
    }
  }
  await refresh();
  const focusId = (added[0] || replaced[0])?.account.id;
  if (focusId) focusRow(focusId);
}

/**
 * Runs an import unless one runs already: `begin()` resolves a preview (or null: nothing chosen).
 * `onError(e)` may handle an error itself (returns true), else it is shown.
 */
async function runImport(begin, onError = null) {
  if (state.busy) return;
  state.busy = true;
  document.body.setAttribute("aria-busy", "true");
  try {
    const preview = await begin();
    if (preview) await handlePreview(preview);
  } catch (e) {
    if (!(onError && onError(e))) showError(e);
  } finally {
    state.busy = false;
    document.body.removeAttribute("aria-busy");
  }
}

/**
 * Asks for the password of the encrypted export waiting in Rust under `token` until Rust opens it
 * (resolves its preview) or the user cancels (resolves null; Rust forgets the files). A wrong
 * password is said in the dialog, which stays; any other error closes it and rejects.
 */
function askExportPassword(token) {
  const d = $("import-pw");
  const input = $("import-pw-input");
  const error = $("import-pw-error");
  const ok = $("import-pw-ok");
  input.value = "";
  error.textContent = "";
  input.setAttribute("aria-invalid", "false");
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (settle) => {
      done = true;
      $("import-pw-form").removeEventListener("submit", onSubmit);
      $("import-pw-cancel").removeEventListener("click", onCancel);
      d.removeEventListener("close", onClose);
      input.value = "";
      if (d.open) d.close();
      settle();
    };
    const wrong = (text) => {
      error.textContent = text;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      input.select();
    };
    async function onSubmit(ev) {
      ev.preventDefault();
      if (!input.value) return wrong(t("v_export_pw_required"));
      ok.disabled = true;
      try {
        const preview = await api.importWithPassword(token, input.value);
        if (done) api.cancelImport(preview.token);
        else finish(() => resolve(preview));
      } catch (e) {
        if (done) return;
        if (e.kind === KIND.WRONG_PASSWORD) wrong(t("export_pw_wrong"));
        else {
          api.cancelImport(token);
          finish(() => reject(e));
        }
      } finally {
        ok.disabled = false;
      }
    }
    const onCancel = () => d.close();
    function onClose() {
      if (done) return;
      api.cancelImport(token);
      finish(() => resolve(null));
    }
    $("import-pw-form").addEventListener("submit", onSubmit);
    $("import-pw-cancel").addEventListener("click", onCancel);
    d.addEventListener("close", onClose);
    d.showModal();
    input.focus();
  });
}

/** `begin()`'s preview; when it meets an encrypted export, the preview after its password. */
async function withExportPassword(begin) {
  try {
    return await begin();
  } catch (e) {
    if (e.kind === KIND.PASSWORD_REQUIRED && Number.isInteger(e.token)) return askExportPassword(e.token);
    throw e;
  }
}

/** Handles a preview Rust has already staged (dropped file, manual entry). */
function runPreview(preview) {
  if (state.busy) api.cancelImport(preview.token);
  else runImport(() => Promise.resolve(preview));
}

// ---------- the routes ----------

/** Imports what the clipboard holds (an image or otpauth text). */
export function pasteFromClipboard() {
  return runImport(api.importClipboard);
}

/** Imports an image (or an export) chosen in the native open dialog. */
export function openFile() {
  return runImport(() => withExportPassword(() => api.openFile(t("open_dialog_title"), t("open_filter"))));
}

/** "Import from another app": the open dialog for an export (recognised by its content in Rust). */
export function importOtherApp() {
  return runImport(() => withExportPassword(() => api.openFile(t("import_other_title"), t("open_filter"))));
}

/** "Scan screen": Rust hides the window, captures the screen and shows the window again. */
export function scanScreen() {
  return runImport(api.scanScreen, scanError);
}

function scanError(e) {
  if (e.kind === KIND.NO_QR_FOUND) {
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
  if (e.kind === KIND.CAPTURE_FAILED) {
    // The core's message names the missing permission and where to grant it.
    toast(errorText(e), { error: true, detail: e.message || "", seconds: 20 });
    return true;
  }
  return false;
}

/**
 * A file dropped on the window, read in Rust: `result` is `{ok: preview}` or `{error}`; an
 * encrypted export's error carries the token its password is asked for.
 */
export function importDropped(result) {
  const e = result.error;
  if (e && e.kind === KIND.PASSWORD_REQUIRED && Number.isInteger(e.token)) {
    if (state.busy) api.cancelImport(e.token);
    else runImport(() => askExportPassword(e.token));
  } else if (e) showError(e);
  else if (result.ok) runPreview(result.ok);
}

// ---------- manual entry ----------

const BASE32 = /^[A-Za-z2-7\s=-]+$/;
const FIELDS = ["account", "secret", "algorithm", "digits", "period", "counter"];
const ADVANCED = ["algorithm", "digits", "period", "counter"];
/** The form field an import_manual error belongs to (others are shown as a toast). */
const FIELD_OF_KIND = {
  [KIND.INVALID_SECRET]: "secret",
  [KIND.UNSUPPORTED_ALGORITHM]: "algorithm",
  [KIND.INVALID_PARAMETER]: "digits",
  [KIND.INVALID_INPUT]: "account",
};

/** Opens the manual-entry dialog with an empty form. */
export function openManual() {
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
  if (!input) return;
  input.setAttribute("aria-invalid", text ? "true" : "false");
  if (text) {
    if (ADVANCED.includes(name)) input.closest("details").open = true;
    input.focus();
  }
}

async function submitManual(ev) {
  ev.preventDefault();
  const f = ev.target.elements;
  for (const n of FIELDS) setFieldError(n, "");
  const entry = {
    issuer: f.issuer.value.trim(),
    account: f.account.value.trim(),
    secret: f.secret.value.trim(),
    otp_type: f.otp_type.value,
    algorithm: f.algorithm.value,
    digits: wholeNumber(f.digits.value),
    period: wholeNumber(f.period.value),
    counter: wholeNumber(f.counter.value),
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
    const preview = await api.importManual(entry);
    f.secret.value = "";
    $("manual").close();
    runPreview(preview);
  } catch (e) {
    const field = FIELD_OF_KIND[e.kind];
    if (field) setFieldError(field, errorText(e));
    else showError(e);
  }
}

/** Wires the manual-entry form. */
export function initEnrol() {
  $("manual-form").addEventListener("submit", submitManual);
  $("manual-cancel").addEventListener("click", () => $("manual").close());
}
