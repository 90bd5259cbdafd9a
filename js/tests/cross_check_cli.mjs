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
// and writes {"op_count", ...the same keys}. Numbers that JSON cannot carry
// travel as the strings "nan", "inf", "-inf", both ways (and -0 as "-0" from
// here: JSON.stringify writes it as 0).
import { normalize_structure, to_float64 } from "../core/codecs.js";
import { replay, finite_differences } from "../core/replay.js";
import { OPS } from "../core/ops.js";
import { format_number } from "../core/format.js";
import { parse_answer, check_answer } from "../teaching/stepper.js";
import { create_offline_model, decode_state } from "../offline/offline_model.js";
import { node_name } from "../core/names.js";

/** @param {any} x */
const decode = (x) => (x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : x);
/** @param {any} x */
const encode = (x) => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : Object.is(x, -0) ? "-0" : x);

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
  errors.forEach((e, i) => { if (e) error_dict[String(i)] = e; });
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
};
process.stdout.write(JSON.stringify(response));
