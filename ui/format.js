// Formatting of codes, account labels, sizes and dates for display.

import { language } from "./i18n.js";

/**
 * Groups a code for reading: 6 → 3+3, 7 → 3+4, 8 → 4+4, 9 → 3+3+3, 10 → 5+5; others as they are
 * (a 5-character Steam Guard code such as "7KRK9", short codes of 1–5 digits).
 */
export function groupCode(code) {
  const n = code.length;
  if (n === 6 || n === 7) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (n === 8) return `${code.slice(0, 4)} ${code.slice(4)}`;
  if (n === 9) return `${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`;
  if (n === 10) return `${code.slice(0, 5)} ${code.slice(5)}`;
  return code;
}

/**
 * A form field's text as a whole number: digits only, spaces around allowed; anything else
 * ("", "1e3", "0x10", "-1", "6.5", over 15 digits) is NaN, which the form's checks refuse. (The
 * manual entry's digits, period and counter are text fields, see ui/index.html.)
 */
export function wholeNumber(text) {
  const s = text.trim();
  return /^[0-9]{1,15}$/.test(s) ? Number(s) : NaN;
}

/** "Issuer account", or the account alone when there is no issuer. */
export function label(a) {
  return a.issuer ? `${a.issuer} ${a.account}` : a.account;
}

/** A file size: bytes under 1 KiB, else KB with one decimal. */
export function fmtSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** A Unix time as a local date and time in the current language. */
export function fmtWhen(unix) {
  return new Date(unix * 1000).toLocaleString(language() === "id" ? "id-ID" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "medium",
  });
}
