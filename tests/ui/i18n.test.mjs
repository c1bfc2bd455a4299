// The UI's string tables and its door to Rust, checked under Node without a browser:
// `node --test tests/ui/` (Debian's nodejs). Importing ui/api.js and ui/i18n.js must not touch
// the DOM, so this also checks that they can be imported outside the webview.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { asError, envelope, ERROR_KINDS, KIND, SKIP_REASON, STATUS, UNKNOWN_KIND } from "../../ui/api.js";
import { errorKey, errorText, setLanguage, t, TABLES } from "../../ui/i18n.js";

const UI = join(dirname(fileURLToPath(import.meta.url)), "../../ui");
const LANGS = Object.keys(TABLES);

/** Every UI source file (not the string tables), as [name, text]. */
function sources() {
  return readdirSync(UI)
    .filter((f) => f.endsWith(".js") || f.endsWith(".html"))
    .map((f) => [f, readFileSync(join(UI, f), "utf8")]);
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("there are an Indonesian and an English table", () => {
  assert.deepEqual(LANGS.sort(), ["en", "id"]);
});

test("both tables have the same keys in the same order", () => {
  assert.deepEqual(Object.keys(TABLES.id), Object.keys(TABLES.en));
});

test("no string is empty or not a string", () => {
  for (const lang of LANGS) {
    for (const [key, s] of Object.entries(TABLES[lang])) {
      assert.equal(typeof s, "string", `${lang}.${key}`);
      assert.ok(s.trim().length > 0, `${lang}.${key} is empty`);
    }
  }
});

test("placeholders are the same in every language", () => {
  for (const key of Object.keys(TABLES.en)) {
    const en = placeholders(TABLES.en[key]);
    for (const lang of LANGS) assert.deepEqual(placeholders(TABLES[lang][key]), en, `{…} of ${lang}.${key}`);
  }
});

test("every error kind has its own text in every language", () => {
  assert.ok(ERROR_KINDS.length >= 28, "too few kinds");
  assert.equal(new Set(ERROR_KINDS).size, ERROR_KINDS.length, "a kind listed twice");
  for (const kind of ERROR_KINDS) {
    const key = errorKey(kind);
    assert.notEqual(key, "err_unknown", `no text for kind ${kind}`);
    for (const lang of LANGS) {
      assert.ok(Object.hasOwn(TABLES[lang], key), `${lang} lacks ${key}`);
      setLanguage(lang);
      assert.equal(errorText({ kind, message: "English detail" }), TABLES[lang][key]);
    }
  }
  setLanguage("en");
});

test("every import status and skip reason has its text in every language", () => {
  assert.ok(Object.values(STATUS).includes("skipped"));
  assert.equal(Object.values(SKIP_REASON).length, 6, "Rust's SkipReason::ALL_KINDS");
  const keys = [
    ...Object.values(STATUS).map((s) => `status_${s}`),
    ...Object.values(SKIP_REASON).map((k) => `skip_${k}`),
  ];
  for (const key of keys) {
    for (const lang of LANGS) assert.ok(Object.hasOwn(TABLES[lang], key), `${lang} lacks ${key}`);
  }
  // Only the unsupported type names something: the type.
  assert.deepEqual(placeholders(TABLES.en.skip_unsupported_type), ["type"]);
});

test("unknown or malformed errors get the generic text, not the English message", () => {
  for (const lang of LANGS) {
    setLanguage(lang);
    for (const err of [{ kind: "no_such_kind", message: "x" }, null, "a string", {}, { kind: "constructor" }]) {
      assert.equal(errorText(err), TABLES[lang].err_unknown, JSON.stringify(err));
    }
  }
  setLanguage("en");
});

test("not_otpauth quotes the scheme found when Rust sends it", () => {
  setLanguage("id");
  const s = errorText({ kind: KIND.NOT_OTPAUTH, message: "m", scheme: "https://" });
  assert.ok(s.includes("“https://…”"), s);
  setLanguage("en");
  assert.equal(errorText({ kind: KIND.NOT_OTPAUTH, message: "m" }), TABLES.en.err_not_otpauth);
});

test("every error text in the tables belongs to a kind (no stale ones)", () => {
  for (const key of Object.keys(TABLES.en).filter((k) => k.startsWith("err_"))) {
    const kind = key.slice(4);
    assert.ok(kind === UNKNOWN_KIND || ERROR_KINDS.includes(kind), `${key}: no such kind`);
  }
});

test("every key the UI uses exists, and every key is used", () => {
  const used = new Set();
  for (const [file, text] of sources()) {
    // t("key") and t("key", vars): the key must have a string.
    for (const m of text.matchAll(/\bt\(\s*"(\w+)"\s*[,)]/g)) {
      assert.ok(Object.hasOwn(TABLES.en, m[1]), `${file}: t("${m[1]}") has no string`);
    }
    if (file.endsWith(".html")) {
      for (const m of text.matchAll(/data-i18n(?:-\w+)?="(\w+)"/g)) {
        assert.ok(Object.hasOwn(TABLES.en, m[1]), `${file} uses missing key ${m[1]}`);
      }
    }
    // Any quoted key counts as a use, also one chosen by a condition (t(ok ? "a" : "b")).
    for (const m of text.matchAll(/"(\w+)"/g)) used.add(m[1]);
  }
  // Keys made from Rust's values: err_<kind> (errorKey) and status_<status> (the import preview).
  for (const kind of [...ERROR_KINDS, UNKNOWN_KIND]) used.add(`err_${kind}`);
  for (const status of Object.values(STATUS)) used.add(`status_${status}`);
  for (const reason of Object.values(SKIP_REASON)) used.add(`skip_${reason}`);
  const unused = Object.keys(TABLES.en).filter((k) => !used.has(k));
  assert.deepEqual(unused, [], "strings no code uses");
});

test("t fills placeholders and falls back to the key", () => {
  setLanguage("en");
  assert.equal(t("added_many", { n: 3 }), "Added 3 accounts.");
  assert.equal(t("no_such_key"), "no_such_key");
  setLanguage("xx");
  assert.equal(t("cancel"), TABLES.en.cancel);
  setLanguage("en");
});

test("api.js is the only UI module that calls Rust", () => {
  for (const [file, text] of sources()) {
    const calls = /__TAURI__|\binvoke\(|\blisten\(/.test(text);
    assert.equal(calls, file === "api.js", `${file}${calls ? " calls Rust itself" : ""}`);
  }
});

test("envelopes unwrap to {ok} or {error}", () => {
  const e = { kind: KIND.VAULT_DAMAGED, message: "m" };
  assert.deepEqual(envelope({ ok: [1] }), { ok: [1] });
  assert.deepEqual(envelope({ ok: null }), { ok: null });
  assert.deepEqual(envelope({ error: e }), { error: e });
  // serde's default spelling of a Result is not the envelope.
  assert.deepEqual(envelope({ Ok: { exists: true } }).error.kind, envelope(null).error.kind);
  for (const bad of [null, undefined, 3, {}, { okay: 1 }]) {
    assert.equal(envelope(bad).error.kind, UNKNOWN_KIND, JSON.stringify(bad));
  }
});

test("rejections that are not error objects become kind unknown", () => {
  assert.deepEqual(asError("command cancel_import not found"), {
    kind: UNKNOWN_KIND,
    message: "command cancel_import not found",
  });
  const e = { kind: KIND.IO, message: "m" };
  assert.equal(asError(e), e);
});
