// js/offline/offline_model.js: the kernel-free model of a save_html page. It must give
// the view what a kernel gives it (decoded buffers, "state" answers with the
// engine's numbers) so sliders and data-sync work from a file on disk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { log_graph } from "./fixtures.js";
import widget from "../graph/index.js";
import { boot, create_offline_model, decode_state } from "../offline/offline_model.js";
import { normalize_structure, to_bytes, to_float64 } from "../core/codecs.js";
import { replay } from "../core/replay.js";

const b64 = (array) => Buffer.from(to_bytes(Float64Array.from(array))).toString("base64");

/** What _html.widget_state() writes for log_graph(): traits, buffers taken out by path, base64. */
function saved_state(graph = log_graph(), extra = {}) {
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n);
  replay(s, data, grad, new Array(s.n).fill(null));
  return {
    state: {
      structure: { ...graph.structure, const: null },
      data: null,
      grad: null,
      errors: {},
      numeric_grad: null,
      sliders: [{ id: 0, label: "a", min: -5, max: 5, step: 0.01, value: graph.data[0] }],
      group_threshold: 300,
      show_gradcheck: false,
      local_replay: true,
      ...extra,
    },
    buffer_paths: [["structure", "const"], ["data"], ["grad"], ["numeric_grad"]],
    buffers: [b64(graph.structure.const), b64(data), b64(grad), ""],
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("decode_state puts the base64 buffers back at their paths as DataViews", () => {
  const state = decode_state(saved_state());
  assert.ok(state.data instanceof DataView);
  assert.ok(state.structure.const instanceof DataView);
  assert.deepEqual(Array.from(to_float64(state.data)).slice(0, 2), [2, 3]);
  assert.equal(state.numeric_grad.byteLength, 0);
  assert.equal(state.sliders[0].label, "a");
});

test("decode_state keeps NaN and infinities in buffers", () => {
  const saved = { state: { data: null }, buffer_paths: [["data"]], buffers: [b64([NaN, Infinity, -Infinity])] };
  assert.deepEqual(Array.from(to_float64(decode_state(saved).data)), [NaN, Infinity, -Infinity]);
});

test("a set message is answered later with the engine's numbers, as the kernel would", async () => {
  const model = create_offline_model(decode_state(saved_state()));
  const answers = [];
  model.on("msg:custom", (content, buffers) => answers.push({ content, buffers }));
  model.send({ type: "set", seq: 7, client: "view-1", values: { 0: 1 } });
  assert.equal(answers.length, 0); // never inside the send that asked
  await tick();
  assert.equal(answers.length, 1);
  const { content, buffers } = answers[0];
  assert.deepEqual(
    { type: content.type, seq: content.seq, client: content.client },
    { type: "state", seq: 7, client: "view-1" },
  );
  const data = to_float64(buffers[0]),
    grad = to_float64(buffers[1]);
  assert.equal(data[4], Math.log(3) + 1); // (a * b).log() + a at a = 1, b = 3
  assert.equal(grad[0], 1 / 1 + 1); // d/da: b / (a b) + 1
  assert.deepEqual(Array.from(to_float64(model.get("data"))), Array.from(data)); // the traits follow
});

test("a domain error comes back in errors, NaN downstream, and moving back recovers", async () => {
  const model = create_offline_model(decode_state(saved_state()));
  const answers = [];
  model.on("msg:custom", (content, buffers) => answers.push({ content, buffers }));
  model.send({ type: "set", seq: 1, client: "v", values: { 0: -1 } });
  await tick();
  assert.equal(answers[0].content.errors["3"], "log(-3): log of a number <= 0");
  assert.ok(Number.isNaN(to_float64(answers[0].buffers[0])[4]));
  model.send({ type: "set", seq: 2, client: "v", values: { 0: 2 } });
  await tick();
  assert.deepEqual(answers[1].content.errors, {});
  assert.equal(to_float64(answers[1].buffers[0])[4], Math.log(6) + 2);
});

test("values for op nodes, unknown ids and non-numbers are skipped, the answer still comes", async () => {
  const model = create_offline_model(decode_state(saved_state()));
  const answers = [];
  model.on("msg:custom", (content) => answers.push(content));
  model.send({ type: "set", seq: 3, client: "v", values: { 2: 100, 99: 1, x: 1, 1: "9", 0: NaN } });
  await tick();
  assert.equal(answers.length, 1);
  assert.deepEqual(Array.from(to_float64(model.get("data"))).slice(0, 2), [2, 3]);
});

test("with the gradient check on, the answer carries finite differences", async () => {
  const model = create_offline_model(decode_state(saved_state(log_graph(), { show_gradcheck: true })));
  const answers = [];
  model.on("msg:custom", (content, buffers) => answers.push(buffers));
  model.send({ type: "set", seq: 1, client: "v", values: { 0: 1 } });
  await tick();
  assert.equal(answers[0].length, 3);
  assert.ok(Math.abs(to_float64(answers[0][2])[0] - 2) < 1e-6);
});

test("set fires change events; off removes the listener", () => {
  const model = create_offline_model({ show_gradcheck: false });
  const seen = [];
  const listener = (_m, value) => seen.push(value);
  model.on("change:show_gradcheck", listener);
  model.set("show_gradcheck", true);
  model.set("show_gradcheck", true); // unchanged: no event
  model.off("change:show_gradcheck", listener);
  model.set("show_gradcheck", false);
  assert.deepEqual(seen, [true]);
});

test("a message other than set gets no answer", async () => {
  const model = create_offline_model(decode_state(saved_state()));
  const answers = [];
  model.on("msg:custom", (content) => answers.push(content));
  model.send({ type: "ping", n: 5 });
  model.send(null);
  await tick();
  assert.deepEqual(answers, []);
});

test("boot mounts the widget's own view; a slider reaches data-sync ok with the replayed numbers", async () => {
  const doc = fake_document();
  const el = doc.createElement("div");
  el.appendChild(doc.createElement("svg")); // the static fallback picture
  await boot({ el, saved: saved_state(), widget });
  const root = el.all().find((e) => e.classList.contains("mgw-graph"));
  assert.ok(root);
  assert.equal(el.all().filter((e) => e.tagName === "svg" && e.parentNode === el).length, 0); // the fallback went
  const range = root.find((e) => e.getAttribute("type") === "range")[0];
  const out = () =>
    root.find((e) => e.getAttribute("data-node-id") === "4")[0].find((e) => e.getAttribute("data-field") === "data")[0]
      .textContent;
  assert.equal(out(), (Math.log(6) + 2).toFixed(4));
  range.value = "1";
  range.dispatch("input");
  assert.equal(root.getAttribute("data-sync"), "pending");
  await tick();
  assert.equal(root.getAttribute("data-sync"), "ok");
  assert.equal(out(), (Math.log(3) + 1).toFixed(4));
});
