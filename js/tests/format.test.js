import { test } from "node:test";
import assert from "node:assert/strict";
import { format_number } from "../core/format.js";

test("ordinary numbers show 4 decimals", () => {
  assert.equal(format_number(24.70408163265306), "24.7041");
  assert.equal(format_number(-4), "-4.0000");
  assert.equal(format_number(0.001), "0.0010");
  assert.equal(format_number(1e6), "1000000.0000");
});

test("tiny and huge magnitudes switch to 4 significant digits", () => {
  assert.equal(format_number(0.0001234), "1.234e-4");
  assert.equal(format_number(-0.00098765), "-9.877e-4");
  assert.equal(format_number(2e6), "2.000e+6");
  assert.equal(format_number(1e-300), "1.000e-300");
});

test("zero, NaN and infinities read as such", () => {
  assert.equal(format_number(0), "0.0000");
  assert.equal(format_number(-0), "0.0000");
  assert.equal(format_number(NaN), "nan");
  assert.equal(format_number(Infinity), "inf");
  assert.equal(format_number(-Infinity), "-inf");
});

test("exact halves round to even like Python's format", () => {
  assert.equal(format_number(0.03125), "0.0312"); // f"{0.03125:.4f}" == '0.0312'
  assert.equal(format_number(-0.03125), "-0.0312");
  assert.equal(format_number(0.09375), "0.0938");
  assert.equal(format_number(1234500), "1.234e+6");
  assert.equal(format_number(1235500), "1.236e+6");
});
