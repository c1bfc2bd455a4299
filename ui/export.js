// Export: one account's QR code (the row's "QR" button), Google Authenticator's transfer QR
// codes of every account, or a file for another app (Aegis or Proton Authenticator, encrypted;
// a plain otpauth:// list only after an explicit "unencrypted" choice). Rust draws the QR codes
// and writes the files (the path comes from the native save dialog Rust opens); this page gets
// PNG data URLs, a file name and the skipped accounts, never a secret as text.
//
// Invariants: every export re-authenticates in Rust (the recovery password when one is set,
// else the "I understand" box); password fields are emptied whenever the dialog closes; a QR
// code is on screen only while `guard` says so (60 s after the last interaction, hidden at once
// when the window loses focus, the page is hidden or the dialog closes), and hiding removes the
// image and forgets every data URL.

import * as api from "./api.js";
import { KIND } from "./api.js";
import { $, el } from "./dom.js";
import { label } from "./format.js";
import { errorText, t } from "./i18n.js";
import { qrGuard } from "./qrguard.js";
import { toast } from "./toast.js";

/** recovery::MIN_PASSWORD_CHARS, also the export password's minimum (the core checks it too). */
const MIN_PASSWORD_CHARS = 8;

/** What the export dialog is for: `null` (choose a format) or the account whose QR to show. */
let forAccount = null;
/** Whether the vault has a recovery password (asked when the dialog opens). */
let hasRecoveryPassword = false;
/** The QR codes on screen (data URLs) and the one shown. */
let images = [];
let current = 0;

const guard = qrGuard({ onHide: forgetQr });

// ---------- the export dialog ----------

const FILE_FORMATS = ["aegis", "proton"];

function selectedFormat() {
  return forAccount ? "qr" : $("export-format").value;
}

/** Shows the fields the chosen format needs. */
function updateForm() {
  const format = selectedFormat();
  $("export-format-field").hidden = !!forAccount;
  $("export-account").hidden = !forAccount;
  $("export-pw-fields").hidden = !FILE_FORMATS.includes(format);
  $("export-plain").hidden = format !== "otpauth";
  $("export-qr-warning").hidden = !(format === "qr" || format === "migration-qr");
  $("export-auth-pw").hidden = !hasRecoveryPassword;
  $("export-auth-confirm").hidden = hasRecoveryPassword;
  const about = {
    "migration-qr": "export_about_migration",
    aegis: "export_about_aegis",
    proton: "export_about_proton",
    otpauth: "export_about_otpauth",
  }[format];
  $("export-about").hidden = !about;
  if (about) $("export-about").textContent = t(about);
  $("export-ok").textContent = t(format === "qr" || format === "migration-qr" ? "export_show" : "export_save");
  $("export-error").textContent = "";
}

async function openDialog(account) {
  try {
    hasRecoveryPassword = (await api.safetyInfo()).has_recovery_password;
  } catch (e) {
    toast(errorText(e), { error: true, detail: e.message });
    return;
  }
  forAccount = account;
  $("export-title").textContent = t(account ? "qr_title" : "export_title");
  if (account) $("export-account").textContent = label(account);
  updateForm();
  $("export").showModal();
  (account ? $(hasRecoveryPassword ? "export-auth" : "export-confirm") : $("export-format")).focus();
}

/** Opens the export dialog (every account). */
export const openExport = () => openDialog(null);

/** Asks for re-authentication, then shows the QR code of `account` (`{id, issuer, account}`). */
export const showAccountQr = (account) => openDialog(account);

/** Checks the form; returns the error text, or "" when it may be sent. */
function validate(format) {
  const pw = $("export-pw").value;
  if (FILE_FORMATS.includes(format)) {
    if ([...pw].length < MIN_PASSWORD_CHARS || !pw.trim()) return t("v_pw_short", { n: MIN_PASSWORD_CHARS });
    if (pw !== $("export-pw2").value) return t("v_pw_mismatch");
  }
  if (format === "otpauth" && !$("export-plain-ok").checked) return t("v_export_plain");
  if (hasRecoveryPassword && !$("export-auth").value) return t("v_pw_required");
  if (!hasRecoveryPassword && !$("export-confirm").checked) return t("v_export_confirm");
  return "";
}

async function submit(ev) {
  ev.preventDefault();
  const format = selectedFormat();
  const err = $("export-error");
  err.textContent = validate(format);
  if (err.textContent) return;
  const auth = hasRecoveryPassword ? { password: $("export-auth").value } : { confirmed: true };
  const ok = $("export-ok");
  ok.disabled = true;
  err.textContent = t("export_busy");
  try {
    if (format === "qr") {
      const qr = await api.showAccountQr(forAccount.id, auth);
      const title = label(forAccount);
      $("export").close();
      showQrs([qr.image], [], title);
    } else if (format === "migration-qr") {
      const r = await api.showMigrationQrs(auth);
      $("export").close();
      showQrs(r.images.map((i) => i.image), r.skipped, t("qr_migration_title"));
    } else {
      const password = FILE_FORMATS.includes(format) ? $("export-pw").value : null;
      const r = await api.exportFile(format, password, format === "otpauth", auth, t("export_dialog_title"));
      if (r === null) {
        err.textContent = "";
        return;
      }
      $("export").close();
      toast(t(r.accounts === 1 ? "export_saved_one" : "export_saved", { name: r.file_name, n: r.accounts }), { seconds: 8, detail: skippedText(r.skipped) });
    }
  } catch (e) {
    err.textContent = e.kind === KIND.INVALID_INPUT && FILE_FORMATS.includes(format)
      ? t("v_pw_short", { n: MIN_PASSWORD_CHARS })
      : errorText(e);
  } finally {
    ok.disabled = false;
  }
}

/** Empties every password field and box (the dialog closed, whatever the way). */
function clearForm() {
  for (const id of ["export-pw", "export-pw2", "export-auth"]) $(id).value = "";
  for (const id of ["export-plain-ok", "export-confirm"]) $(id).checked = false;
  $("export-error").textContent = "";
}

// ---------- skipped accounts ----------

/** The localised reason an account was left out. */
function skipReason(reason) {
  const key = {
    unsupported_type: "skip_export_type",
    invalid_parameter: "skip_export_params",
    invalid_entry: "skip_export_long",
  }[reason?.kind];
  return t(key || "skip_export_other");
}

function skippedItems(skipped) {
  return skipped.map((s) => el("li", {}, `${label(s)}: ${skipReason(s.reason)}`));
}

function skippedText(skipped) {
  return skipped.length ? `${t("export_skipped", { n: skipped.length })} ${skipped.map((s) => `${label(s)}: ${skipReason(s.reason)}`).join("; ")}` : "";
}

// ---------- the QR view ----------

function showQrs(urls, skipped, title) {
  images = urls;
  current = 0;
  $("qr-title").textContent = title;
  const list = $("qr-skipped");
  list.replaceChildren(...(skipped.length ? [el("li", { class: "muted" }, t("export_skipped", { n: skipped.length })), ...skippedItems(skipped)] : []));
  list.hidden = skipped.length === 0;
  paint();
  $("qr-view").showModal();
  $("qr-close").focus();
  if (images.length) guard.show();
}

function paint() {
  const img = $("qr-img");
  const many = images.length > 1;
  $("qr-prev").hidden = !many;
  $("qr-next").hidden = !many;
  if (!images.length) {
    img.removeAttribute("src");
    img.hidden = true;
    $("qr-step").textContent = t("qr_none");
    return;
  }
  img.hidden = false;
  img.src = images[current];
  $("qr-step").textContent = many ? t("qr_step", { i: current + 1, n: images.length }) : t("qr_scan_hint");
  $("qr-prev").disabled = current === 0;
  $("qr-next").disabled = current === images.length - 1;
}

function step(by) {
  current = Math.max(0, Math.min(images.length - 1, current + by));
  guard.touch();
  paint();
}

/** The guard's `onHide`: the image and every data URL go, and the dialog closes. */
function forgetQr(reason) {
  images = [];
  current = 0;
  const img = $("qr-img");
  img.removeAttribute("src");
  img.hidden = true;
  const view = $("qr-view");
  if (view.open) view.close();
  if (reason !== "closed") toast(t("qr_hidden"));
}

/** Wires the export button, the export dialog and the QR view. */
export function initExport() {
  $("btn-export").addEventListener("click", openExport);
  $("export-format").addEventListener("change", updateForm);
  $("export-form").addEventListener("submit", submit);
  $("export-cancel").addEventListener("click", () => $("export").close());
  $("export").addEventListener("close", clearForm);
  $("qr-prev").addEventListener("click", () => step(-1));
  $("qr-next").addEventListener("click", () => step(1));
  $("qr-close").addEventListener("click", () => $("qr-view").close());
  const view = $("qr-view");
  view.addEventListener("close", () => guard.hide("closed"));
  view.addEventListener("keydown", (ev) => {
    guard.touch();
    if (ev.key === "ArrowRight") step(1);
    else if (ev.key === "ArrowLeft") step(-1);
  });
  view.addEventListener("pointerdown", () => guard.touch());
  window.addEventListener("blur", () => guard.hide("blur"));
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) guard.hide("hidden");
  });
}
