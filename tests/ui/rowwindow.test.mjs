// The list's window of rows (ui/rowwindow.js): `node --test tests/ui/`. The DOM side (rows near
// the view only, search, arrows, focus) is checked in the real app by tests/app/tests/long_list.rs.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OVERSCAN, PITCH_GUESS, rowWindow, scrollFor } from "../../ui/rowwindow.js";

test("at the top: the rows in view and the overscan below", () => {
  // 600 px of view, 80 px rows: rows 0..7 visible (7.5 rows), + 4 below.
  assert.deepEqual(rowWindow({ count: 1000, pitch: 80, viewTop: 0, viewHeight: 600 }), { start: 0, end: 8 + OVERSCAN });
});

test("the list starting lower in the view counts from its top", () => {
  // The list begins 100 px below the view's top: the view still reaches 500 px into it.
  assert.deepEqual(rowWindow({ count: 1000, pitch: 80, viewTop: -100, viewHeight: 600, overscan: 0 }), { start: 0, end: 8 });
});

test("scrolled into the middle: overscan on both sides", () => {
  const w = rowWindow({ count: 1000, pitch: 80, viewTop: 8000, viewHeight: 600 });
  assert.deepEqual(w, { start: 100 - OVERSCAN, end: 108 + OVERSCAN });
});

test("at the end: never past the last row", () => {
  assert.deepEqual(rowWindow({ count: 1000, pitch: 80, viewTop: 79_600, viewHeight: 600 }), { start: 995 - OVERSCAN, end: 1000 });
  assert.deepEqual(rowWindow({ count: 10, pitch: 80, viewTop: 99_999, viewHeight: 600 }), { start: 10 - OVERSCAN, end: 10 });
});

test("short lists are drawn whole", () => {
  assert.deepEqual(rowWindow({ count: 3, pitch: 80, viewTop: 0, viewHeight: 600 }), { start: 0, end: 3 });
  assert.deepEqual(rowWindow({ count: 0, pitch: 80, viewTop: 0, viewHeight: 600 }), { start: 0, end: 0 });
});

test("the size of the window does not grow with the list", () => {
  for (const count of [100, 1000, 100_000]) {
    const { start, end } = rowWindow({ count, pitch: 80, viewTop: 4000, viewHeight: 680 });
    assert.ok(end - start <= Math.ceil(680 / 80) + 1 + 2 * OVERSCAN, `${count}: ${end - start}`);
  }
});

test("unmeasured or odd inputs give a sane window, never NaN", () => {
  for (const pitch of [0, NaN, -5, undefined]) {
    const w = rowWindow({ count: 50, pitch, viewTop: 0, viewHeight: 600 });
    assert.deepEqual(w, { start: 0, end: Math.ceil(600 / PITCH_GUESS) + OVERSCAN }, String(pitch));
  }
  assert.deepEqual(rowWindow({ count: NaN, pitch: 80, viewTop: NaN, viewHeight: NaN }), { start: 0, end: 0 });
});

test("scrolling to a row: up under the sticky header, down to the view's bottom, or not at all", () => {
  const base = { pitch: 80, listTop: 100, viewHeight: 600, headerHeight: 60 };
  // Row 10 (900..980 px) in a view at 0..600: scroll down until its bottom is at the view's bottom.
  assert.equal(scrollFor({ ...base, index: 10, scrollY: 0 }), 980 - 600);
  // Row 10 in a view at 2,000: scroll up so it sits right under the header.
  assert.equal(scrollFor({ ...base, index: 10, scrollY: 2000 }), 900 - 60);
  // Row 10 fully visible (view 800..1,400, header to 860): nothing to do.
  assert.equal(scrollFor({ ...base, index: 10, scrollY: 800 }), null);
  // Row 0 hidden by the header: back to the top.
  assert.equal(scrollFor({ ...base, index: 0, scrollY: 50 }), 40);
});
