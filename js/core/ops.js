// The op table, mirroring micrograd_widgets/_ops.py code for code: the same
// op codes, the same forward functions, the same local derivatives, the same
// domain checks and error texts. The browser replays a graph with it, so each
// function here must give the engine's numbers, including NaN and ±inf.
//
// Binary and unary ops take their inputs as (a, b); n-ary ops (dot, sum,
// logsumexp) are handled by replay.js directly because their arity varies
// (logsumexp's row also works on two inputs, for the op-table cross-check).

export const LEAF = 0, ADD = 1, SUB = 2, MUL = 3, DIV = 4, NEG = 5, POW = 6, POWC = 7,
  RELU = 8, TANH = 9, EXP = 10, LOG = 11, SIGMOID = 12, SOFTPLUS = 13, DOT = 14, SUM = 15, LOGSUMEXP = 16;

// NOTE [Python float semantics]
// Python and JavaScript disagree on a few IEEE corners: Python raises on x / 0
// (the engine maps it to NaN; JS gives ±inf), 0.0 ** -1 raises (NaN again),
// and Python's 1 ** nan and (-1) ** inf are 1 where JS gives NaN. These helpers
// give Python's answers so the browser shows what the kernel will show.

/** Python's x / y as the engine computes it (division by zero is NaN). */
export function div(x, y) {
  return y === 0 ? NaN : x / y;
}

/** Python's float pow as _ops._pow computes it. */
export function pow(x, y) {
  if (y === 0) return 1;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  if (!Number.isFinite(y) && Math.abs(x) === 1) return 1;
  if (x === 0 && y < 0 && Number.isFinite(y)) return NaN; // ZeroDivisionError in Python
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y)) return NaN; // complex in Python
  return x ** y;
}

export function sigmoid(x) {
  // two branches so that exp never overflows (same as the engine)
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function softplus(x) {
  // Python's max(x, 0.0) keeps x when the comparison is false (NaN, -0.0)
  const m = 0 > x ? 0 : x;
  return m + Math.log1p(Math.exp(-Math.abs(x)));
}

function log(x) {
  if (x > 0) return Math.log(x);
  return x === 0 ? -Infinity : NaN;
}

/**
 * log(sum(exp(x))) over data[ids[start..end)], as _ops._logsumexp_forward:
 * shifted by the largest finite x; an infinite max is not shifted (torch's rule).
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} ids
 * @param {number} start
 * @param {number} end
 */
export function logsumexp(data, ids, start, end) {
  let top = -Infinity;
  for (let k = start; k < end; k++) if (data[ids[k]] > top) top = data[ids[k]];
  const shift = Number.isFinite(top) ? top : 0;
  let total = 0;
  for (let k = start; k < end; k++) total += Math.exp(data[ids[k]] - shift);
  return log(total) + shift;
}

/**
 * Python's format(x, 'g'): 6 significant digits, trailing zeros stripped,
 * two-digit exponents. The domain error texts embed numbers this way.
 * @param {number} x
 */
export function py_g(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exp_text] = x.toExponential(5).split("e");
  const exponent = Number(exp_text);
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exponent >= -4 && exponent < 6) return strip(x.toFixed(5 - exponent));
  const sign = exponent < 0 ? "-" : "+";
  return `${strip(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

function pow_domain(base, exponent) {
  if (base === 0 && exponent < 0) return `0 ** ${py_g(exponent)}: zero to a negative power`;
  if (base < 0 && Number.isFinite(exponent) && !Number.isInteger(exponent)) {
    return `${py_g(base)} ** ${py_g(exponent)}: negative base to a non-integer power`;
  }
  return null;
}

function pow_grads(base, exponent, out, _c, d) {
  d[0] = exponent !== 0 ? exponent * pow(base, exponent - 1) : 0;
  // torch's rule for d/d exponent: base ** e * log(base), 0 where base == 0 and e >= 0
  if (base > 0) d[1] = out * Math.log(base);
  else if (base === 0 && exponent >= 0) d[1] = 0;
  else d[1] = NaN;
}

/**
 * @typedef {object} Op
 * @property {string} name
 * @property {(a: number, b: number, c: number) => number} forward
 * @property {(a: number, b: number, out: number, c: number, d: Float64Array) => void} local
 *   writes d out / d input_i into d[i]
 * @property {((a: number, b: number, c: number) => (string|null)) | null} domain
 */

/** @type {Op[]} indexed by op code */
export const OPS = [
  { name: "", forward: () => NaN, local: () => {}, domain: null },
  { name: "+", forward: (a, b) => a + b, local: (a, b, o, c, d) => { d[0] = 1; d[1] = 1; }, domain: null },
  { name: "-", forward: (a, b) => a - b, local: (a, b, o, c, d) => { d[0] = 1; d[1] = -1; }, domain: null },
  { name: "*", forward: (a, b) => a * b, local: (a, b, o, c, d) => { d[0] = b; d[1] = a; }, domain: null },
  {
    name: "/",
    forward: (a, b) => div(a, b),
    local: (a, b, o, c, d) => { d[0] = div(1, b); d[1] = div(-a, b * b); },
    domain: (a, b) => (b === 0 ? `${py_g(a)} / 0: division by zero` : null),
  },
  { name: "neg", forward: (a) => -a, local: (a, b, o, c, d) => { d[0] = -1; }, domain: null },
  { name: "**", forward: (a, b) => pow(a, b), local: pow_grads, domain: (a, b) => pow_domain(a, b) },
  {
    name: "**",
    forward: (a, b, c) => pow(a, c),
    local: (a, b, o, c, d) => { d[0] = c !== 0 ? c * pow(a, c - 1) : 0; },
    domain: (a, b, c) => pow_domain(a, c),
  },
  { name: "relu", forward: (a) => (a <= 0 ? 0 : a), local: (a, b, o, c, d) => { d[0] = a > 0 ? 1 : 0; }, domain: null },
  { name: "tanh", forward: (a) => Math.tanh(a), local: (a, b, o, c, d) => { d[0] = 1 - o * o; }, domain: null },
  { name: "exp", forward: (a) => Math.exp(a), local: (a, b, o, c, d) => { d[0] = o; }, domain: null },
  {
    name: "log",
    forward: (a) => log(a),
    local: (a, b, o, c, d) => { d[0] = div(1, a); },
    domain: (a) => (a <= 0 ? `log(${py_g(a)}): log of a number <= 0` : null),
  },
  { name: "sigmoid", forward: (a) => sigmoid(a), local: (a, b, o, c, d) => { d[0] = o * (1 - o); }, domain: null },
  { name: "softplus", forward: (a) => softplus(a), local: (a, b, o, c, d) => { d[0] = sigmoid(a); }, domain: null },
  { name: "dot", forward: () => NaN, local: () => {}, domain: null }, // n-ary: see replay.js
  { name: "sum", forward: () => NaN, local: () => {}, domain: null }, // n-ary: see replay.js
  {
    name: "logsumexp", // n-ary in replay.js; this row is its two-input case
    forward: (a, b) => logsumexp([a, b], [0, 1], 0, 2),
    local: (a, b, o, c, d) => { d[0] = Math.exp(a - o); d[1] = Math.exp(b - o); }, // softmax
    domain: null,
  },
];
