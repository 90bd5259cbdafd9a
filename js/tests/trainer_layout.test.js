// The trainer's sizes for the room it has (js/trainer/layout.js): three columns
// only when they fit with their borders, else the curves in a row below.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sizes } from "../trainer/layout.js";

const BORDERS = 6; // 1 px on either side of each column's picture
const GAP = 10;

test("three columns fit the width with their gaps and borders; two columns fit too", () => {
  for (let width = 440; width <= 1600; width += 7) {
    for (const presenter of [false, true]) {
      const s = sizes(width, presenter);
      const row = s.curves_beside
        ? s.plane + s.network[0] + s.curve[0] + 2 * GAP + BORDERS
        : s.plane + s.network[0] + GAP + 4;
      assert.ok(row <= Math.max(width, 2 * 220 + GAP + 4), `${width} px (presenter ${presenter}): ${row} px`);
      if (!s.curves_beside) assert.ok(2 * s.curve[0] + GAP + 4 <= Math.max(width, 2 * 220 + GAP + 4), `${width}`);
    }
  }
});

test("the curves go beside plane and network when the room allows, else in a row below", () => {
  assert.equal(sizes(590).curves_beside, false, "1024x768 with JupyterLab's file browser open");
  assert.equal(sizes(952).curves_beside, true);
  assert.equal(sizes(1264).plane, 340, "the plane's side stops at 340 px outside presenter mode");
});
