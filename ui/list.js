// The account list: one row per account (issuer, account, code, countdown ring, delete; HOTP's
// next-code button and the next-code line only when needed), refreshed from Rust every second,
// filtered by the search box. Copy, next HOTP code, delete (with Undo) start here.
//
// Only the rows near the view are in the DOM (rowwindow.js): a vendor may hold hundreds of
// accounts, and each row costs the web process ≈ 50 KB. Padding above and below the drawn rows
// stands for the others, at the pitch measured on the drawn rows; scrolling, resizing, the search
// and each refresh move the window; arrows, Home/End and `focusRow` scroll a row in before
// focusing it. Likewise only the drawn rows' codes are asked for: each second's `codes` call
// names the drawn rows, and the list of accounts comes only when its digest changed. A row drawn
// before its code came (scrolled in, just added) asks for it at once (`fillSoon`).
//
// Invariants: rows exist only while the app view is shown (`stopList` removes every row and code
// from the DOM and the state, e.g. on lock); `state.rows` holds exactly the rows in the DOM,
// `state.codes` the codes of the rows drawn at the last refresh and of those drawn since (at most
// a few windows of rows, never every account), `state.shown` the accounts matching the search in
// list order; a row is as tall with or without its code; one refresh loop at a time (`state.tickGen`); the list has one listener per event for
// all rows.

import * as api from "./api.js";
import { KIND, STEAM, TOTP } from "./api.js";
import { confirmDialog } from "./dialogs.js";
import { showAccountQr } from "./export.js";
import { $, el, setAttr, setHidden, setText } from "./dom.js";
import { groupCode, label } from "./format.js";
import { t } from "./i18n.js";
import { showLock } from "./lock.js";
import { PITCH_GUESS, rowWindow, scrollFor } from "./rowwindow.js";
import { updateBanner } from "./settings.js";
import { fatal } from "./startup.js";
import { state } from "./state.js";
import { showError, toast } from "./toast.js";

// ---------- rows ----------

function makeRow(c) {
  const li = el("li", { class: "row", "data-id": c.id });
  const issuer = el("span", { class: "issuer" });
  const account = el("span", { class: "account" });
  const code = el("span", { class: "code-waiting" });
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

/** Draws account `a` in row `r` with its code `c` (a CodeInfo; undefined until it came). */
function updateRow(r, a, c) {
  r.info = a;
  const lbl = label(a);
  setText(r.issuer, a.issuer || "—");
  setText(r.account, a.account);
  setText(r.del, t("delete"));
  setAttr(r.del, "aria-label", t("delete_for", { label: lbl }));
  setText(r.qr, t("qr_button"));
  setAttr(r.qr, "aria-label", t("qr_button_for", { label: lbl }));
  // Steam Guard is time-based too (its own 5 characters): countdown and next code as TOTP.
  const isTotp = a.type === TOTP || a.type === STEAM;
  // Until its code comes (a few ms): a placeholder as wide, never taken for a code (`.code`), and
  // the countdown or HOTP button laid out but invisible, so the row is as tall as with its code
  // (the window of rows is placed by the rows' measured height).
  if (r.li.classList.contains("waiting") !== !c) r.li.classList.toggle("waiting", !c);
  setHidden(r.timer, !isTotp);
  if (!isTotp) {
    const b = hotpButton(r);
    setText(b, t("hotp_next"));
    setAttr(b, "aria-label", t("hotp_next_for", { label: lbl }));
  }
  if (r.hotp) setHidden(r.hotp, isTotp);
  if (!c) {
    if (r.code.className !== "code-waiting") r.code.className = "code-waiting";
    setText(r.code, "··· ···");
    setAttr(r.copy, "aria-label", t("copy_code_for", { label: lbl }));
    if (r.extra) setHidden(r.extra, true);
    r.li.classList.remove("expiring");
    return;
  }
  const code = groupCode(c.code);
  if (r.code.className !== "code") r.code.className = "code";
  setText(r.code, code);
  setAttr(r.copy, "aria-label", `${t("copy_code_for", { label: lbl })}: ${code}`);
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

/** The accounts matching the search box, in list order. */
function matching() {
  const q = $("search").value.trim().toLowerCase();
  if (!q) return state.accounts;
  return state.accounts.filter((a) => `${a.issuer} ${a.account}`.toLowerCase().includes(q));
}

/** Row pitch in px (a row and the gap after it), measured on the drawn rows; 0 until measured. */
let pitch = 0;

/** The list's top in the page (px) and the sticky toolbar's height (px). */
function geometry(list) {
  return {
    listTop: list.getBoundingClientRect().top + window.scrollY,
    headerHeight: $("app").querySelector(".toolbar")?.offsetHeight ?? 0,
  };
}

/**
 * Puts in the DOM the rows of `state.shown` near the view (added, updated, reordered, removed),
 * with padding for the others; then measures the pitch and, when it differs from the one used,
 * places them once more.
 */
function placeRows(again = true) {
  const list = $("list");
  const shown = state.shown;
  const { listTop } = geometry(list);
  const { start, end } = rowWindow({
    count: shown.length,
    pitch,
    viewTop: window.scrollY - listTop,
    viewHeight: window.innerHeight,
  });
  const keep = new Set();
  let missing = false;
  for (let i = start; i < end; i++) {
    const a = shown[i];
    keep.add(a.id);
    let r = state.rows.get(a.id);
    if (!r) {
      r = makeRow(a);
      state.rows.set(a.id, r);
    }
    const c = state.codes.get(a.id);
    if (!c) missing = true;
    updateRow(r, a, c);
    setAttr(r.li, "aria-posinset", String(i + 1));
    setAttr(r.li, "aria-setsize", String(shown.length));
    const at = list.children[i - start];
    if (at !== r.li) list.insertBefore(r.li, at || null);
  }
  for (const [id, r] of state.rows) {
    if (!keep.has(id)) {
      r.li.remove();
      state.rows.delete(id);
    }
  }
  if (missing) fillSoon();
  const used = pitch || PITCH_GUESS;
  list.style.paddingTop = `${Math.round(start * used)}px`;
  list.style.paddingBottom = `${Math.round((shown.length - end) * used)}px`;
  if (end > start) {
    const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
    const first = list.firstElementChild.getBoundingClientRect();
    const last = list.lastElementChild.getBoundingClientRect();
    const measured = (last.bottom - first.top + gap) / (end - start);
    if (measured >= 1 && Math.abs(measured - used) > 0.5) {
      pitch = measured;
      if (again) placeRows(false);
    } else if (!pitch) {
      pitch = used;
    }
  }
}

/** Draws `state.codes` filtered by the search box (only the rows near the view; see the top). */
export function render() {
  const search = $("search");
  state.shown = matching();
  placeRows();
  const count = state.accounts.length;
  $("empty").hidden = count > 0;
  const nm = $("nomatch");
  nm.hidden = !(count > 0 && state.shown.length === 0);
  if (!nm.hidden) nm.textContent = t("no_match", { q: search.value.trim() });
  if (!state.firstShown && state.codes.size > 0) {
    state.firstShown = true;
    requestAnimationFrame(() => api.firstCodesShown(startupMarks()).catch(() => {}));
  }
}

/** Scrolling and resizing move the window of rows, at most once a frame. */
let placePending = false;
function placeSoon() {
  if (placePending || !state.ticking) return;
  placePending = true;
  requestAnimationFrame(() => {
    placePending = false;
    if (state.ticking) placeRows();
  });
}

/**
 * When the page's start-up steps happened, for `--measure`: the navigation's start (Unix ms) and
 * ms after it: the page's HTML received and parsed, every module loaded, the bootstrap's answer,
 * the load event's end, the first rows listed, the first codes painted; and `served` 1 when the bootstrap came in the HTML, 0 when asked.
 */
function startupMarks() {
  const marks = { nav_start_unix: Math.round(performance.timeOrigin) };
  const nav = performance.getEntriesByType("navigation")[0];
  if (nav) Object.assign(marks, { html: nav.responseEnd, dom: nav.domInteractive });
  if (nav && nav.loadEventEnd > 0) marks.load = nav.loadEventEnd;
  for (const m of performance.getEntriesByType("mark")) marks[m.name] = m.startTime;
  marks.painted = performance.now();
  for (const k of Object.keys(marks)) marks[k] = Math.round(marks[k]);
  marks.served = document.documentElement.dataset.boot === "served" ? 1 : 0;
  return marks;
}

/**
 * Takes a `codes` answer (api.js) into the state: the list when sent, and the codes it carries —
 * instead of the ones held (`replace`: each second's answer, for the rows drawn then) or besides
 * them (`fillSoon`'s, for rows drawn since).
 */
function take(now, replace) {
  if (now.accounts) state.accounts = now.accounts;
  state.listDigest = now.list_digest;
  if (replace) state.codes.clear();
  for (const c of now.codes) state.codes.set(c.id, c);
}

/**
 * Draws `first` (a `codes` answer Rust already sent, e.g. with the bootstrap) or asks Rust for
 * the drawn rows' codes (and the list, when it changed) and draws them (lock screen or error
 * screen when that fails).
 */
export async function refresh(first = null) {
  try {
    filled.clear();
    const now = first ?? (await api.codes([...state.rows.keys()], state.listDigest));
    if (!state.ticking) return; // stopped (locked) while asking: keep and draw nothing
    take(now, true);
    render();
    updateBanner();
  } catch (e) {
    if (e.kind === KIND.APP_LOCKED) showLock();
    else fatal(e);
  }
}

/** Ids `fillSoon` asked for since the last refresh: each at most once a second. */
const filled = new Set();
let filling = false;

/**
 * Rows drawn without their code (scrolled in, just added) get it at once rather than at the next
 * second: one `codes` call at a time, for the drawn rows without a code not yet asked for.
 */
function fillSoon() {
  if (filling || !state.ticking) return;
  const ids = [...state.rows.keys()].filter((id) => !state.codes.has(id) && !filled.has(id));
  if (!ids.length) return;
  filling = true;
  for (const id of ids) filled.add(id);
  api.codes(ids, state.listDigest).then(
    (now) => {
      filling = false;
      if (!state.ticking) return;
      take(now, false);
      render();
    },
    () => (filling = false), // the next second's refresh reports it (lock or error screen)
  );
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
  state.accounts = [];
  state.listDigest = null;
  state.codes.clear();
  state.shown = [];
  for (const r of state.rows.values()) r.li.remove();
  state.rows.clear();
  const list = $("list");
  list.replaceChildren();
  list.style.paddingTop = list.style.paddingBottom = "";
}

/**
 * Focuses the copy button of the `index`-th account matching the search (clamped to the list),
 * scrolling its row into view first; returns whether a row got the focus.
 */
function focusIndex(index) {
  const shown = state.shown;
  if (!shown.length) return false;
  const i = Math.max(0, Math.min(shown.length - 1, index));
  const list = $("list");
  const y = scrollFor({ index: i, pitch: pitch || PITCH_GUESS, ...geometry(list), scrollY: window.scrollY, viewHeight: window.innerHeight });
  if (y !== null) window.scrollTo(0, y);
  placeRows();
  const r = state.rows.get(shown[i].id);
  r?.copy.focus();
  return !!r;
}

/** Focuses the copy button of account `id` (scrolled into view); returns whether it exists. */
export function focusRow(id) {
  return focusIndex(state.shown.findIndex((c) => c.id === id));
}

/** Focuses the first account matching the search, if any. */
export function focusFirstRow() {
  focusIndex(0);
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
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp" || ev.key === "Home" || ev.key === "End") {
      ev.preventDefault();
      const i = state.shown.findIndex((c) => c.id === r.info.id);
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: state.shown.length - 1 }[ev.key];
      focusIndex(to);
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
      const first = state.shown[0];
      if (first) {
        ev.preventDefault();
        if (ev.key === "Enter") copy(first.id);
        else focusIndex(0);
      }
    }
  });
  window.addEventListener("scroll", placeSoon, { passive: true });
  window.addEventListener("resize", placeSoon);
}
