// The guard of a QR code on screen (an export to a phone): whoever sees the code can make the
// account's codes, so it is shown only while the user is working with it. Pure logic, no DOM
// (tests/ui/qrguard.test.mjs runs it under Node with fake timers); export.js wires it to the
// window's blur, the page's visibility and the QR dialog.
//
// Invariants: `onHide(reason)` runs exactly once per `show()`, when the first of these happens:
// QR_VISIBLE_MS without interaction (`touch()` restarts the time) — reason "timeout" —, or
// `hide(reason)` (window blur, page hidden, dialog closed, lock). After that, `touch()` and
// `hide()` do nothing until the next `show()`.

/** How long a QR code stays on screen after the last interaction with it (ms). */
export const QR_VISIBLE_MS = 60_000;

/**
 * A guard calling `onHide(reason)` as the invariants say; `timers` provides `setTimeout` and
 * `clearTimeout` (the global ones by default).
 */
export function qrGuard({ onHide, timeoutMs = QR_VISIBLE_MS, timers = globalThis }) {
  let handle = null;
  let shown = false;
  const disarm = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };
  const arm = () => {
    disarm();
    handle = timers.setTimeout(() => hide("timeout"), timeoutMs);
  };
  function hide(reason) {
    if (!shown) return;
    shown = false;
    disarm();
    onHide(reason);
  }
  return {
    /** A QR code is now on screen: starts the time. */
    show() {
      shown = true;
      arm();
    },
    /** The user interacted with the QR dialog (next, previous, a key): restarts the time. */
    touch() {
      if (shown) arm();
    },
    /** Hides now (`reason`: "blur", "hidden", "closed"…). */
    hide,
    /** Whether a QR code is on screen. */
    get shown() {
      return shown;
    },
  };
}
