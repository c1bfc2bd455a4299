// The global shortcut's text from key presses (ui/shortcut.js): `node --test tests/ui/`.
// Every text produced here is also parsed by the Rust side's test (src-tauri/src/shortcut.rs).

import assert from "node:assert/strict";
import { test } from "node:test";

import { shortcutOf } from "../../ui/shortcut.js";

const key = (code, mods = {}) => ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

test("letters and digits by position, modifiers in a fixed order", () => {
  assert.equal(shortcutOf(key("KeyA", { ctrlKey: true, altKey: true })), "Ctrl+Alt+A");
  assert.equal(shortcutOf(key("Digit1", { ctrlKey: true })), "Ctrl+1");
  assert.equal(shortcutOf(key("F9", { altKey: true })), "Alt+F9");
  assert.equal(shortcutOf(key("KeyK", { metaKey: true, shiftKey: true })), "Shift+Super+K");
  assert.equal(shortcutOf(key("Space", { ctrlKey: true })), "Ctrl+Space");
});

test("modifiers alone are not a shortcut yet", () => {
  for (const code of ["ControlLeft", "AltRight", "ShiftLeft", "MetaLeft", "OSRight"]) {
    assert.equal(shortcutOf(key(code, { ctrlKey: true })), null, code);
  }
});
