// The QR guard's timing (ui/qrguard.js) with fake timers: `node --test tests/ui/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { QR_VISIBLE_MS, qrGuard } from "../../ui/qrguard.js";

/** Fake timers: `advance(ms)` runs the callbacks that are due. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    setTimeout(fn, ms) {
      pending.set(next, { fn, at: now + ms });
      return next++;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.fn();
        }
      }
    },
    get pending() {
      return pending.size;
    },
  };
}

function setup() {
  const timers = fakeTimers();
  const hidden = [];
  const guard = qrGuard({ onHide: (r) => hidden.push(r), timers });
  return { timers, hidden, guard };
}

test("a QR code is hidden 60 s after it is shown", () => {
  assert.equal(QR_VISIBLE_MS, 60_000);
  const { timers, hidden, guard } = setup();
  guard.show();
  assert.ok(guard.shown);
  timers.advance(59_999);
  assert.deepEqual(hidden, []);
  timers.advance(1);
  assert.deepEqual(hidden, ["timeout"]);
  assert.ok(!guard.shown);
  assert.equal(timers.pending, 0);
});

test("each interaction restarts the 60 s", () => {
  const { timers, hidden, guard } = setup();
  guard.show();
  timers.advance(50_000);
  guard.touch();
  timers.advance(50_000);
  guard.touch();
  timers.advance(59_000);
  assert.deepEqual(hidden, []);
  timers.advance(1_000);
  assert.deepEqual(hidden, ["timeout"]);
});

test("blur hides at once, once, and stops the timer", () => {
  const { timers, hidden, guard } = setup();
  guard.show();
  timers.advance(1_000);
  guard.hide("blur");
  guard.hide("closed");
  guard.touch();
  timers.advance(120_000);
  assert.deepEqual(hidden, ["blur"]);
  assert.equal(timers.pending, 0);
});

test("nothing happens before show, and a new show starts again", () => {
  const { timers, hidden, guard } = setup();
  guard.hide("blur");
  guard.touch();
  timers.advance(120_000);
  assert.deepEqual(hidden, []);
  guard.show();
  guard.hide("closed");
  guard.show();
  timers.advance(60_000);
  assert.deepEqual(hidden, ["closed", "timeout"]);
});
