// The clock banner's wording (ui/clock.js) for Rust's statuses: `node --test tests/ui/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { bannerText, fmtOffset } from "../../ui/clock.js";
import { setLanguage, TABLES } from "../../ui/i18n.js";

const status = (offset, os = "linux", enabled = true) => ({
  enabled,
  servers: [],
  default_servers: ["time.google.com"],
  checking: false,
  last: offset == null ? null : { offset_secs: offset, banner: Math.abs(offset) > 15 ? { offset_secs: Math.round(offset), threshold_secs: 15 } : null },
  os,
});

test("the banner says how far and which way, and the fix for this system", () => {
  setLanguage("en");
  const ahead = bannerText(status(90));
  assert.ok(ahead.text.includes("90 seconds ahead"), ahead.text);
  assert.ok(ahead.text.includes("SPSE will reject"), ahead.text);
  assert.ok(ahead.fix.includes("timedatectl set-ntp true"), ahead.fix);
  const behind = bannerText(status(-47, "windows"));
  assert.ok(behind.text.includes("47 seconds behind"), behind.text);
  assert.equal(behind.fix, TABLES.en.clock_fix_windows);
  assert.equal(bannerText(status(120, "macos")).fix, TABLES.en.clock_fix_macos);
  assert.equal(bannerText(status(120, "freebsd")).fix, TABLES.en.clock_fix_linux);
  setLanguage("id");
  const id = bannerText(status(90));
  assert.ok(id.text.includes("90 detik lebih cepat"), id.text);
  assert.ok(id.fix.includes("timedatectl set-ntp true"), id.fix);
  setLanguage("en");
});

test("no banner within the threshold, offline, before any check or when switched off", () => {
  for (const st of [status(2), status(-15), status(null), status(90, "linux", false), null]) {
    assert.equal(bannerText(st), null, JSON.stringify(st));
  }
  // Offline: a result without an offset.
  assert.equal(bannerText({ ...status(null), last: { offset_secs: null, banner: null } }), null);
});

test("offsets show their sign", () => {
  assert.equal(fmtOffset(1.234), "+1.2");
  assert.equal(fmtOffset(-0.44), "−0.4");
  assert.equal(fmtOffset(0), "+0.0");
});
