// ui/format.js under Node: the manual entry's whole-number fields (digits, period, counter are
// text fields, so the parse is the page's own and must refuse what a number field would).

import assert from "node:assert/strict";
import { test } from "node:test";

import { groupCode, wholeNumber } from "../../ui/format.js";

test("a whole number is digits only, spaces around allowed", () => {
  assert.equal(wholeNumber("6"), 6);
  assert.equal(wholeNumber(" 30 "), 30);
  assert.equal(wholeNumber("0"), 0);
  assert.equal(wholeNumber("086400"), 86400);
  assert.equal(wholeNumber("999999999999999"), 999999999999999);
});

test("anything else is NaN, which the form refuses", () => {
  for (const bad of ["", "  ", "1e3", "0x10", "-1", "+5", "6.5", "6,5", "3 0", "٣٠", "30s", "1234567890123456"]) {
    assert.ok(Number.isNaN(wholeNumber(bad)), JSON.stringify(bad));
  }
});

test("codes are grouped for reading", () => {
  assert.equal(groupCode("123456"), "123 456");
  assert.equal(groupCode("12345678"), "1234 5678");
  assert.equal(groupCode("7KRK9"), "7KRK9");
});
