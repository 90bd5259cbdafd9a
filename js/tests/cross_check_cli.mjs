// The JS half of tests/test_cross_check.py: runs every rule that exists in both
// Python and JS on the inputs the test sends, and writes what the JS side gives.
// Reads one JSON request on stdin, a section per rule (each optional):
//   "ops":      [{"code", "x": [...], "c"}]            -> [{"name", "out", "local": [...], "domain"}]
//   "graphs":   [{"structure", "data", "gradcheck"}]   -> [{"data", "grad", "errors", "numeric"}]
//   "format":   [number]                               -> [text]                (core/format.js)
//   "answers":  [{"text": any} | {"number": number}]   -> [{"value", "problem"}] (teaching/stepper.js)
//   "checks":   [[answer, truth]]                      -> [bool]
//   "set":      [{"saved", "content": JSON text}]      -> [{"reply", "buffers", "traits"}] (offline/offline_model.js)
//   "names":    [structure]                            -> [[text per node]]    (core/names.js node_name)
//   "codecs":   [{"b64", "shift", "as"}]               -> [{"bits", "back"}]   (core/codecs.js to_float64, to_bytes)
//   "columns":  [{"structure", "shift", "errors"}]     -> [{...columns, "errors"}] (normalize_structure, errors_from_dict)
//   "steps":    [{"structure", "data"}]                -> [{"exercise", "steps"}] (teaching/stepper.js)
// and writes {"op_count", ...the same keys}. Numbers that JSON cannot carry
// travel as the strings "nan", "inf", "-inf", both ways (and -0 as "-0" from
// here: JSON.stringify writes it as 0). Packed float64 bytes travel as base64,
// and come back as hex: every bit compared, NaN payloads and the sign of 0 too.
import { normalize_structure, to_float64, to_bytes, errors_from_dict } from "../core/codecs.js";
import { replay, finite_differences } from "../core/replay.js";
import { OPS } from "../core/ops.js";
import { format_number } from "../core/format.js";
import { parse_answer, check_answer, exercise_nodes, partial_backward } from "../teaching/stepper.js";
import { chain_rows, consumer_lists } from "../graph/chain_panel.js";
import { create_offline_model, decode_state } from "../offline/offline_model.js";
import { node_name } from "../core/names.js";

/** @param {any} x */
const decode = (x) => (x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : x);
/** @param {any} x */
const encode = (x) =>
  Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : Object.is(x, -0) ? "-0" : x;

/** One op row on input values x: forward, local derivatives, domain error text. */
function run_op({ code, x, c }) {
  const op = OPS[code];
  const values = Float64Array.from(x.map(decode));
  const constant = decode(c);
  const out = op.forward(values, values.length, constant);
  const d = new Float64Array(values.length).fill(NaN); // a row that skips an input shows as NaN
  op.local(values, values.length, out, constant, d);
  const domain = op.domain ? op.domain(values, values.length, constant) : null;
  return { name: op.name, out: encode(out), local: Array.from(d, encode), domain };
}

/** replay.js's forward + backward (and finite differences) on one graph. */
function run_graph(graph) {
  const s = normalize_structure({ ...graph.structure, const: graph.structure.const.map(decode) });
  const data = Float64Array.from(graph.data.map(decode));
  const grad = new Float64Array(s.n);
  /** @type {(string|null)[]} */
  const errors = new Array(s.n).fill(null);
  replay(s, data, grad, errors);
  const numeric = graph.gradcheck ? Array.from(finite_differences(s, data), encode) : null;
  /** @type {Record<string, string>} */
  const error_dict = {};
  errors.forEach((e, i) => {
    if (e) error_dict[String(i)] = e;
  });
  return { data: Array.from(data, encode), grad: Array.from(grad, encode), errors: error_dict, numeric };
}

/** An answer as the exercise reads it. */
function run_answer(item) {
  const { value, problem } = parse_answer("number" in item ? decode(item.number) : item.text);
  return { value: value === null ? null : encode(value), problem };
}

/** The offline model's answer to one "set" message, on the state save_html embeds. */
function run_set({ saved, content }) {
  const model = create_offline_model(decode_state(saved), { defer: (fn) => fn() });
  const replies = [];
  model.on("msg:custom", (reply, buffers) => replies.push({ reply, buffers }));
  model.send(JSON.parse(content)); // text: JSON.parse reads 1e400 as Infinity, as a kernel's json does
  if (replies.length !== 1) return { replies: replies.length };
  const { reply, buffers } = replies[0];
  return {
    reply,
    buffers: buffers.map((b) => Array.from(to_float64(b), encode)),
    traits: { data: Array.from(to_float64(model.get("data")), encode), errors: model.get("errors") },
  };
}

/** @param {Uint8Array} bytes */
const hex = (bytes) => Buffer.from(bytes).toString("hex");

/**
 * Base64 bytes as a kernel's buffer reaches the page: a DataView (anywidget's
 * buffers) or a Uint8Array starting `shift` bytes into a larger buffer (so not
 * 8-aligned unless shift is 0), an exact ArrayBuffer, or the base64 text itself
 * (an exported page).
 * @param {string} b64
 * @param {number} shift
 * @param {string} as
 */
function arriving(b64, shift, as) {
  if (as === "base64") return b64;
  const bytes = Buffer.from(b64, "base64");
  const room = new ArrayBuffer(bytes.length + shift + 3);
  new Uint8Array(room).fill(0xa5); // bytes around the view that must not leak into the numbers
  new Uint8Array(room, shift, bytes.length).set(bytes);
  if (as === "dataview") return new DataView(room, shift, bytes.length);
  if (as === "uint8") return new Uint8Array(room, shift, bytes.length);
  return room.slice(shift, shift + bytes.length);
}

/** to_float64 on bytes as they arrive, and to_bytes back (what the offline model sends). */
function run_codec({ b64, shift, as }) {
  const numbers = to_float64(arriving(b64, shift, as));
  // to_bytes of a view into a larger array: only the view's bytes
  const wide = new Float64Array(numbers.length + 2).fill(NaN);
  wide.set(numbers, 1);
  return {
    bits: hex(new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength)),
    back: hex(to_bytes(wide.subarray(1, 1 + numbers.length))),
  };
}

/** wire.structure()'s columns with const as a kernel buffer, and the errors dict, as the view reads them. */
function run_columns({ structure, shift, errors }) {
  const s = normalize_structure({ ...structure, const: arriving(structure.const, shift, "dataview") });
  return {
    n: s.n,
    code: Array.from(s.code),
    inputs: Array.from(s.inputs),
    offsets: Array.from(s.offsets),
    const: hex(new Uint8Array(s.const.buffer, s.const.byteOffset, s.const.byteLength)),
    label: s.label,
    name: s.name,
    op: s.op,
    kind: s.kind,
    scope: s.scope,
    errors: errors_from_dict(errors, s.n),
  };
}

/** The exercise's nodes and every step of the step-through (k = -1 .. n + 1): done nodes, their grads, what the step sends. */
function run_steps({ structure, data }) {
  const s = normalize_structure({ ...structure, const: structure.const.map(decode) });
  const values = Float64Array.from(data.map(decode));
  const consumers = consumer_lists(s);
  const steps = [];
  for (let k = -1; k <= s.n + 1; k++) {
    const partial = partial_backward(s, values, k);
    const done = [];
    partial.done.forEach((d, i) => {
      if (d) done.push(i);
    });
    const sends =
      partial.current < 0
        ? []
        : chain_rows(s, values, partial.grad, consumers, partial.current).inputs.map((r) => ({
            name: r.name,
            upstream: encode(r.upstream),
            local: encode(r.local),
            contribution: encode(r.contribution),
          }));
    steps.push({ k, done, current: partial.current, grad: done.map((i) => encode(partial.grad[i])), sends });
  }
  return { exercise: exercise_nodes(s), steps };
}

let text = "";
for await (const chunk of process.stdin) text += chunk;
const request = JSON.parse(text);
const response = {
  op_count: OPS.length,
  ops: (request.ops || []).map(run_op),
  graphs: (request.graphs || []).map(run_graph),
  format: (request.format || []).map((x) => format_number(decode(x))),
  answers: (request.answers || []).map(run_answer),
  checks: (request.checks || []).map(([answer, truth]) => check_answer(decode(answer), decode(truth))),
  set: (request.set || []).map(run_set),
  names: (request.names || []).map((raw) => {
    const s = normalize_structure({ ...raw, const: [] });
    return Array.from({ length: s.n }, (_, i) => node_name(s, i));
  }),
  codecs: (request.codecs || []).map(run_codec),
  columns: (request.columns || []).map(run_columns),
  steps: (request.steps || []).map(run_steps),
};
process.stdout.write(JSON.stringify(response));
