// The widget bundles run once per page: a second copy of the same bundle
// (anywidget imports each widget's _esm from a URL of its own) exports the
// first copy's objects without running its own body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once_per_page } from "../once_per_page.mjs";

const BUNDLE = `globalThis.__runs = (globalThis.__runs || 0) + 1;
function r(){return "drawn"}var o={render:r};const B=3000;export{B as BEAT_MS,o as default};`;

/** Import a module text from a URL of its own, as anywidget does for each widget. */
let copies = 0;
const load = (text) => import(`data:text/javascript,${encodeURIComponent(`${text}\n// copy ${++copies}`)}`);

test("a second copy of a bundle exports the first copy's objects, and its body never runs", async () => {
  globalThis.__runs = 0;
  const text = once_per_page(BUNDLE, "demo");
  const first = await load(text),
    second = await load(text);
  assert.equal(globalThis.__runs, 1);
  assert.equal(second.default, first.default);
  assert.equal(second.default.render(), "drawn");
  assert.equal(second.BEAT_MS, 3000);
});

test("a changed bundle gets a copy of its own", async () => {
  globalThis.__runs = 0;
  const a = await load(once_per_page(BUNDLE, "changed"));
  const b = await load(once_per_page(BUNDLE.replace('"drawn"', '"drawn again"'), "changed"));
  assert.equal(globalThis.__runs, 2);
  assert.notEqual(a.default, b.default);
  assert.equal(b.default.render(), "drawn again");
});

test("a bundle that is not one self-contained module is refused at build time", () => {
  assert.throws(() => once_per_page(`import x from "y";export{x as default};`, "bad"), /self-contained/);
  assert.throws(() => once_per_page("export default 1;", "bad"), /export clause/);
});
