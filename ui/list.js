// The account list: one row per account (issuer, account, code, countdown ring, delete; HOTP's
// next-code button and the next-code line only when needed), refreshed from Rust every second,
// filtered by the search box. Copy, next HOTP code, delete (with Undo) start here.
//
// Invariants: rows exist only while the app view is shown (`stopList` removes every row and code
// from the DOM, e.g. on lock); one refresh loop at a time (`state.tickGen`); the list has one
// listener per event for all rows.

import * as api from "./api.js";
import { KIND, STEAM, TOTP } from "./api.js";
import { confirmDialog } from "./dialogs.js";
import { showAccountQr } from "./export.js";
import { $, el, setAttr, setHidden, setText } from "./dom.js";
import { groupCode, label } from "./format.js";
import { t } from "./i18n.js";
import { showLock } from "./lock.js";
import { updateBanner } from "./settings.js";
import { fatal } from "./startup.js";
import { state } from "./state.js";
import { showError, toast } from "./toast.js";

// ---------- rows ----------

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
  const qr = el("button", { type: "button", class: "small-btn qr" });
  const side = el("div", { class: "side" }, timer, qr, del);
  li.append(copyBtn, side);
  return { li, copy: copyBtn, code, issuer, account, ring, secs, timer, side, del, qr, hotp: null, extra: null, info: c };
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
  setText(r.qr, t("qr_button"));
  setAttr(r.qr, "aria-label", t("qr_button_for", { label: lbl }));
  // Steam Guard is time-based too (its own 5 characters): countdown and next code as TOTP.
  const isTotp = c.type === TOTP || c.type === STEAM;
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

/** Draws `state.codes` (rows added, updated, reordered, removed), filtered by the search box. */
export function render() {
  const list = $("list");
  const search = $("search");
  const seen = new Set();
  const q = search.value.trim().toLowerCase();
  let visible = 0;
  state.codes.forEach((c, i) => {
    seen.add(c.id);
    let r = state.rows.get(c.id);
    if (!r) {
      r = makeRow(c);
      state.rows.set(c.id, r);
    }
    updateRow(r, c);
    if (list.children[i] !== r.li) list.insertBefore(r.li, list.children[i] || null);
    const match = !q || `${c.issuer} ${c.account}`.toLowerCase().includes(q);
    setHidden(r.li, !match);
    if (match) visible++;
  });
  for (const [id, r] of state.rows) {
    if (!seen.has(id)) {
      r.li.remove();
      state.rows.delete(id);
    }
  }
  const count = state.codes.length;
  $("empty").hidden = count > 0;
  const nm = $("nomatch");
  nm.hidden = !(count > 0 && visible === 0);
  if (!nm.hidden) nm.textContent = t("no_match", { q: search.value.trim() });
  if (!state.firstShown && count > 0) {
    state.firstShown = true;
    requestAnimationFrame(() => api.firstCodesShown(startupMarks()).catch(() => {}));
  }
}

/**
 * When the page's start-up steps happened, for `--measure`: the navigation's start (Unix ms) and
 * ms after it: the page's HTML received and parsed, every module loaded, the bootstrap's answer,
 * the first codes painted.
 */
function startupMarks() {
  const marks = { nav_start_unix: Math.round(performance.timeOrigin) };
  const nav = performance.getEntriesByType("navigation")[0];
  if (nav) Object.assign(marks, { html: nav.responseEnd, dom: nav.domInteractive });
  for (const m of performance.getEntriesByType("mark")) marks[m.name] = m.startTime;
  marks.painted = performance.now();
  for (const k of Object.keys(marks)) marks[k] = Math.round(marks[k]);
  return marks;
}

/**
 * Draws `first` (codes Rust already sent, e.g. with the bootstrap) or asks Rust for the codes and
 * draws them (lock screen or error screen when that fails).
 */
export async function refresh(first = null) {
  try {
    state.codes = first ?? (await api.codes());
    render();
    updateBanner();
  } catch (e) {
    if (e.kind === KIND.APP_LOCKED) showLock();
    else fatal(e);
  }
}

function tick(gen, first = null) {
  if (!state.ticking || gen !== state.tickGen) return Promise.resolve();
  return refresh(first).finally(() => {
    // Align to the next second boundary so countdowns change together with the codes.
    setTimeout(() => tick(gen), 1000 - (Date.now() % 1000) + 15);
  });
}

/**
 * Starts refreshing every second (if not yet), the first time with the codes `first` when given;
 * resolves after the first refresh.
 */
export function startList(first = null) {
  if (state.ticking) return Promise.resolve();
  state.ticking = true;
  return tick(++state.tickGen, first);
}

/** Stops refreshing and removes every account row (and its code) from the DOM. */
export function stopList() {
  state.ticking = false;
  state.codes = [];
  for (const r of state.rows.values()) r.li.remove();
  state.rows.clear();
  $("list").replaceChildren();
}

/** Focuses the copy button of account `id`; returns whether it exists. */
export function focusRow(id) {
  const r = state.rows.get(id);
  r?.copy.focus();
  return !!r;
}

/** Focuses the first visible account's copy button, if any. */
export function focusFirstRow() {
  $("list").querySelector(".row:not([hidden]) .copy")?.focus();
}

// ---------- actions ----------

async function copy(id, next = false) {
  try {
    await api.copyCode(id, next);
    toast(t(next ? "copied_next" : "copied"));
  } catch (e) {
    showError(e);
  }
}

async function hotpNext(id) {
  try {
    await api.nextHotp(id);
    await refresh();
  } catch (e) {
    showError(e);
  }
}

async function undoRemove(token) {
  try {
    const back = await api.undoRemove(token);
    await refresh();
    toast(t("restored", { label: label(back) }));
    focusRow(back.id);
  } catch (e) {
    showError(e);
  }
}

async function deleteAccount(a) {
  const ok = await confirmDialog({
    title: t("confirm_delete_title"),
    body: t("confirm_delete_body", { issuer: a.issuer || "—", account: a.account }),
    ok: t("confirm_delete_ok"),
  });
  if (!ok) return;
  try {
    const r = await api.removeAccount(a.id);
    await refresh();
    toast(t("deleted", { label: label(r.account) }), {
      seconds: r.undo_seconds,
      action: { label: t("undo"), run: () => undoRemove(r.token) },
    });
    focusFirstRow();
  } catch (e) {
    showError(e);
  }
}

// ---------- events ----------

/** The row an event inside the list belongs to. */
function rowOf(ev) {
  const li = ev.target.closest?.(".row");
  return li ? state.rows.get(li.dataset.id) : null;
}

/** Wires the list (click, keys, context menu) and the search box. */
export function initList() {
  const list = $("list");
  const search = $("search");
  list.addEventListener("click", (ev) => {
    const r = rowOf(ev);
    const btn = ev.target.closest("button");
    if (!r || !btn) return;
    if (btn === r.copy) copy(r.info.id);
    else if (btn === r.del) deleteAccount(r.info);
    else if (btn === r.hotp) hotpNext(r.info.id);
    else if (btn === r.copyNext) copy(r.info.id, true);
    else if (btn === r.qr) showAccountQr(r.info);
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
  search.addEventListener("input", render);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && search.value) {
      // Handled: the next Esc (empty search) hides the window (desktop.js).
      ev.preventDefault();
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
}
