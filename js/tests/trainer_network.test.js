import { test } from "node:test";
import assert from "node:assert/strict";
import { network_layout, weight_offsets, input_maps } from "../trainer/network.js";
import { edit_architecture } from "../trainer/settings_controls.js";
import { nearest_point, to_pixels } from "../trainer/boundary.js";

test("the network shows inputs, the first two hidden layers and the output", () => {
  const { columns, shown } = network_layout([2, 16, 8, 4, 1], 300, 320);
  assert.equal(shown, 2);
  assert.deepEqual(
    columns.map((c) => c.length),
    [2, 16, 8, 1],
  );
});

test("boxes fit the height and are spread left to right", () => {
  const { columns } = network_layout([2, 32, 32, 1], 300, 320);
  for (const column of columns) for (const place of column) assert.ok(place.y >= 0 && place.y + place.size <= 320);
  assert.equal(columns[0][0].x, 0);
  assert.ok(Math.abs(columns[3][0].x + columns[3][0].size - 300) < 1e-9);
});

test("a column of few boxes gets bigger maps than a column of many, up to a sixth of the height", () => {
  const { columns } = network_layout([2, 16, 3], 300, 320);
  assert.ok(columns[0][0].size > 2 * columns[1][0].size);
  assert.ok(columns[2][0].size <= 320 / 6 + 1);
});

test("weight offsets follow the packed (nout x nin) matrices layer by layer", () => {
  assert.deepEqual(weight_offsets([2, 16, 16, 1]), [0, 32, 288, 304]);
});

test("input maps are x and y over the extent", () => {
  const [a, b] = input_maps(3, [-1, 1, 0, 4]);
  assert.deepEqual(Array.from(a.subarray(0, 3)), [-1, 0, 1]);
  assert.deepEqual([b[0], b[3], b[6]], [0, 2, 4]);
});

test("architecture buttons respect the kernel's limits: 1..layers of 1..neurons", () => {
  const limits = { layers: 4, neurons: 32 };
  assert.deepEqual(edit_architecture([16, 16], "add-layer", limits), [16, 16, 16]);
  assert.deepEqual(edit_architecture([1, 2, 3, 4], "add-layer", limits), [1, 2, 3, 4]);
  assert.deepEqual(edit_architecture([8], "remove-layer", limits), [8]);
  assert.deepEqual(edit_architecture([32, 4], "add-neuron", limits, 0), [32, 4]);
  assert.deepEqual(edit_architecture([32, 4], "add-neuron", limits, 1), [32, 5]);
  assert.deepEqual(edit_architecture([1, 4], "remove-neuron", limits, 0), [1, 4]);
  assert.deepEqual(edit_architecture([2, 2], "add-layer", { layers: 2, neurons: 3 }), [2, 2]);
});

test("a click finds the nearest point within the radius, or none", () => {
  const points = Float64Array.from([0, 0, 1, 1]);
  const extent = [-1, 1, -1, 1];
  const [x, y] = to_pixels(extent, 200)(1, 1);
  assert.deepEqual([x, y], [200, 0]);
  assert.equal(nearest_point(points, extent, 200, 101, 99), 0);
  assert.equal(nearest_point(points, extent, 200, 196, 3), 1);
  assert.equal(nearest_point(points, extent, 200, 50, 150), -1);
});
