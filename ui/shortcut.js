// The global shortcut's text from a key press, in the syntax Rust parses
// (src-tauri/src/shortcut.rs: modifiers first, then one key). Pure: tested by tests/ui/.

/** Key codes (`KeyboardEvent.code`) that are modifiers, never the shortcut's key. */
const MODIFIER_CODES = /^(Control|Alt|Shift|Meta|OS)(Left|Right)?$/;

/**
 * The shortcut text for a key event (`"Ctrl+Alt+A"`, `"Super+Shift+F9"`), in the syntax Rust
 * parses; null while only modifiers are down. Letters and digits by position (`ev.code`), so a
 * layout's characters do not matter.
 */
export function shortcutOf(ev) {
  if (MODIFIER_CODES.test(ev.code)) return null;
  const mods = [];
  if (ev.ctrlKey) mods.push("Ctrl");
  if (ev.altKey) mods.push("Alt");
  if (ev.shiftKey) mods.push("Shift");
  if (ev.metaKey) mods.push("Super");
  const key = ev.code.replace(/^Key(?=[A-Z]$)/, "").replace(/^Digit(?=[0-9]$)/, "");
  return [...mods, key].join("+");
}
