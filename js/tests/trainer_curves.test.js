import { test } from "node:test";
import assert from "node:assert/strict";
import { y_range, curve_points, LOSS, ACCURACY, TEST_LOSS } from "../trainer/curves.js";

// rows: [epoch, loss, accuracy, test_loss, test_accuracy]
const rows = Float64Array.from([1, 2.0, 0.5, 2.5, 0.4, 2, 1.0, 0.8, 1.5, 0.7, 3, 0.5, 1.0, NaN, 0.9]);
const box = { left: 10, top: 0, width: 100, height: 50 };

test("a loss axis runs from 0 to a bit above the largest finite value", () => {
  const [lo, hi] = y_range(rows, [LOSS, TEST_LOSS], "loss");
  assert.equal(lo, 0);
  assert.ok(hi >= 2.5 && hi < 3);
});

test("an inf loss (a diverged epoch) does not flatten the curve", () => {
  const diverged = Float64Array.from([1, 1.0, 0.5, 1, 0.5, 2, Infinity, 0.5, Infinity, 0.5]);
  const [, hi] = y_range(diverged, [LOSS, TEST_LOSS], "loss");
  assert.ok(hi > 1 && hi < 2);
});

test("accuracy always spans 0..1", () => {
  assert.deepEqual(y_range(rows, [ACCURACY], "accuracy"), [0, 1]);
});

test("first and last epochs land on the box edges, larger values higher up", () => {
  const [piece] = curve_points(rows, LOSS, box, [0, 2]);
  assert.equal(piece.length, 3);
  assert.deepEqual(piece[0], [10, 0]); // loss 2 = top
  assert.equal(piece[2][0], 110);
  assert.equal(piece[1][1], 25); // loss 1 = middle
  assert.ok(piece[2][1] > piece[1][1]);
});

test("a missing value breaks the line into pieces", () => {
  const pieces = curve_points(rows, TEST_LOSS, box, [0, 3]);
  assert.equal(pieces.length, 1);
  assert.equal(pieces[0].length, 2);
  const gap = Float64Array.from([1, 1, 0, 1, 0, 2, NaN, 0, 1, 0, 3, 1, 0, 1, 0]);
  assert.equal(curve_points(gap, LOSS, box, [0, 1]).length, 2);
});

test("no rows, no points; one row does not divide by zero", () => {
  assert.deepEqual(curve_points(new Float64Array(0), LOSS, box, [0, 1]), []);
  const [[point]] = curve_points(Float64Array.from([1, 0.5, 1, 0.5, 1]), LOSS, box, [0, 1]);
  assert.deepEqual(point, [10, 25]);
});

test("values outside the range are clamped to the box", () => {
  const [piece] = curve_points(rows, LOSS, box, [0, 1]);
  assert.equal(piece[0][1], 0);
});
