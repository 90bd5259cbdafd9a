import { test } from "node:test";
import assert from "node:assert/strict";
import { score_color, paint_field, max_abs, NEGATIVE, POSITIVE } from "../trainer/colormap.js";

test("a score of 0 is white: the decision boundary is where the colour fades out", () => {
  assert.deepEqual(score_color(0), [255, 255, 255]);
});

test("negative scores go blue and positive scores orange, stronger with size", () => {
  const [r1, , b1] = score_color(-0.5),
    [r2, , b2] = score_color(-3);
  assert.ok(b1 > r1 && b2 > r2, "negative is bluish");
  assert.ok(r2 < r1, "a bigger negative score is further from white");
  const [r3, g3, b3] = score_color(2);
  assert.ok(r3 > g3 && g3 > b3, "positive is orange");
});

test("full strength reaches the class colours exactly, and infinities saturate without NaN", () => {
  assert.deepEqual(score_color(1e9, 1, 1), POSITIVE);
  assert.deepEqual(score_color(-Infinity, 1, 1), NEGATIVE);
  assert.ok(score_color(Infinity).every(Number.isFinite));
});

test("NaN (a diverged model) paints grey, not a class colour", () => {
  const [r, g, b] = score_color(NaN);
  assert.equal(r, g);
  assert.equal(g, b);
});

test("paint_field fills an ImageData-like buffer with rows flipped so y grows upward", () => {
  // 2 x 2 field: row 0 (lowest y) negative, row 1 (highest y) positive
  const values = Float32Array.from([-5, -5, 5, 5]);
  const rgba = new Uint8ClampedArray(16);
  paint_field(rgba, values, 2, 2);
  const pixel = (k) => Array.from(rgba.subarray(4 * k, 4 * k + 4));
  assert.deepEqual(pixel(0), [...score_color(5), 255], "top-left pixel shows the highest row");
  assert.deepEqual(pixel(2), [...score_color(-5), 255], "bottom-left pixel shows the lowest row");
  assert.ok(
    rgba.every((v, k) => k % 4 !== 3 || v === 255),
    "opaque",
  );
});

test("paint_field handles a non-square field", () => {
  const rgba = new Uint8ClampedArray(4 * 3 * 2);
  paint_field(rgba, Float32Array.from([0, 1, 2, -1, -2, -3]), 3, 2);
  assert.deepEqual(Array.from(rgba.subarray(0, 4)), [...score_color(-1), 255]);
  assert.deepEqual(Array.from(rgba.subarray(12, 16)), [...score_color(0), 255]);
});

test("max_abs ignores non-finite values and never returns 0", () => {
  assert.equal(max_abs([1, -4, NaN, Infinity]), 4);
  assert.equal(max_abs([0, 0]), 1);
});
