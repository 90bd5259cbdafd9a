// Replays graphs with js/replay.js for tests/test_js_replay.py, which compares
// the numbers with the Python engine's. Reads JSON on stdin:
//   {"graphs": [{"structure": {...graph.structure() with const as a list}, "data": [...]}]}
// and writes {"results": [{"data": [...], "grad": [...], "errors": {...}, "numeric": [...]}]}.
// Non-finite numbers travel as the strings "nan", "inf", "-inf" (JSON has none).
import { normalize_structure } from "../core/codecs.js";
import { replay, finite_differences } from "../core/replay.js";
import { OPS } from "../core/ops.js";
import { format_number } from "../core/format.js";

const decode = (x) => (x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : x);
const encode = (x) => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x);

let text = "";
for await (const chunk of process.stdin) text += chunk;
const request = JSON.parse(text);
const results = (request.graphs || []).map((graph) => {
  const raw = { ...graph.structure, const: graph.structure.const.map(decode) };
  const s = normalize_structure(raw);
  const data = Float64Array.from(graph.data.map(decode));
  const grad = new Float64Array(s.n);
  const errors = new Array(s.n).fill(null);
  replay(s, data, grad, errors);
  const numeric = graph.gradcheck ? Array.from(finite_differences(s, data), encode) : null;
  const error_dict = {};
  errors.forEach((e, i) => { if (e) error_dict[String(i)] = e; });
  return { data: Array.from(data, encode), grad: Array.from(grad, encode), errors: error_dict, numeric };
});
// single op rows on special values: {"ops": [{"code", "a", "b", "c"}]}
const d = new Float64Array(2);
const op_results = (request.ops || []).map(({ code, a, b, c }) => {
  [a, b, c] = [a, b, c].map(decode);
  const op = OPS[code];
  const out = op.forward(a, b, c);
  d.fill(NaN);
  op.local(a, b, out, c, d);
  return { out: encode(out), local: Array.from(d, encode), domain: op.domain ? op.domain(a, b, c) : null };
});
const formatted = (request.format || []).map((x) => format_number(decode(x)));
process.stdout.write(JSON.stringify({ results, ops: op_results, format: formatted }));
