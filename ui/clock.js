// The clock check: the banner that explains "wrong code" when this computer's clock is off by
// more than 15 s, and its part of Settings (on/off, servers, "Check clock"). Rust measures on its
// own thread (src-tauri/src/clock_check.rs) and sends each status; this module only shows it.
// Offline (no server answered) nothing is shown; codes are never shifted by the offset.

import * as api from "./api.js";
import { $ } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { state } from "./state.js";
import { toast } from "./toast.js";

/** The fix for each OS family Rust names. */
const FIX = Object.freeze({ windows: "clock_fix_windows", macos: "clock_fix_macos", linux: "clock_fix_linux" });

/** "+1.2" / "-0.4": an offset in seconds with its sign, one decimal. */
export function fmtOffset(secs) {
  return `${secs >= 0 ? "+" : "−"}${Math.abs(secs).toFixed(1)}`;
}

/** The banner's two sentences for status `st`, or null when no banner is due. */
export function bannerText(st) {
  const b = st && st.enabled && st.last && st.last.banner;
  if (!b) return null;
  const secs = Math.abs(b.offset_secs);
  return {
    text: t(b.offset_secs > 0 ? "clock_banner_ahead" : "clock_banner_behind", { secs }),
    fix: t(FIX[st.os] ?? FIX.linux),
  };
}

/** The status line in Settings. */
function stateText(st) {
  if (!st.enabled) return t("clock_disabled");
  if (st.checking) return t("clock_checking");
  if (!st.last) return "";
  if (st.last.offset_secs == null) return t("clock_offline");
  return t("clock_last", { offset: fmtOffset(st.last.offset_secs) });
}

/** Shows status `st` (or the last one again, e.g. after the language changed). */
export function renderClock(st = state.clock) {
  if (!st) return;
  state.clock = st;
  const banner = bannerText(st);
  $("clock-banner").hidden = !banner;
  if (banner) {
    $("clock-banner-text").textContent = banner.text;
    $("clock-banner-fix").textContent = banner.fix;
  }
  $("clock-enabled").checked = st.enabled;
  $("clock-state").textContent = stateText(st);
  const servers = $("clock-servers");
  if (document.activeElement !== servers) servers.value = st.servers.join("\n");
  servers.placeholder = st.default_servers.join("\n");
  $("clock-check").disabled = !st.enabled || st.checking;
  $("clock-banner-check").disabled = st.checking;
}

async function checkNow() {
  try {
    renderClock(await api.checkClock());
  } catch (e) {
    $("clock-error").textContent = errorText(e);
  }
}

/** Saves the switch and the servers (one a line). */
async function save() {
  $("clock-error").textContent = "";
  const servers = $("clock-servers")
    .value.split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    renderClock(await api.setClockCheck($("clock-enabled").checked, servers));
    toast(t("clock_saved"));
  } catch (e) {
    $("clock-error").textContent = errorText(e);
    $("clock-enabled").checked = state.clock?.enabled ?? true;
  }
}

/** Wires the banner and Settings' clock section, and shows the status Rust has now. */
export function initClock() {
  api.onClockChecked(renderClock);
  $("clock-check").addEventListener("click", checkNow);
  $("clock-banner-check").addEventListener("click", checkNow);
  $("clock-enabled").addEventListener("change", save);
  $("clock-servers").addEventListener("change", save);
  api.clockStatus().then(renderClock, () => {});
}
