// The op table, mirroring micrograd_widgets/_ops.py code for code: the same
// op codes, the same forward functions, the same local derivatives, the same
// domain checks and error texts. The browser replays a graph with it, so each
// function here must give the engine's numbers, including NaN and ±inf
// (tests/test_cross_check.py runs both tables on the same inputs).
//
// Every row works on any number of inputs the same way: its functions get
// x, the node's input values (x[0..n) of a scratch array replay.js fills), n,
// their count, and c, the node's constant (only powc uses it: the exponent).
// Unary and binary rows read x[0] and x[1]; n-ary rows (dot, sum, logsumexp)
// loop over x[0..n). replay.js calls these rows for every node but one kind:
// the dot node, which it computes inline for speed, as the engine's backprop
// does (replay.js, NOTE [the dot node skips the table]); the dot row below
// still gives the chain-rule panel its numbers, and the cross-check runs it.

export const LEAF = 0,
  ADD = 1,
  SUB = 2,
  MUL = 3,
  DIV = 4,
  NEG = 5,
  POW = 6,
  POWC = 7,
  RELU = 8,
  TANH = 9,
  EXP = 10,
  LOG = 11,
  SIGMOID = 12,
  SOFTPLUS = 13,
  DOT = 14,
  SUM = 15,
  LOGSUMEXP = 16;

// NOTE [Python float semantics]
// Python and JavaScript disagree on a few IEEE corners: Python raises on x / 0
// (the engine maps it to NaN; JS gives ±inf), 0.0 ** -1 raises (NaN again),
// and Python's 1 ** nan and (-1) ** inf are 1 where JS gives NaN. These helpers
// give Python's answers so the browser shows what the kernel will show.

/** Python's x / y as the engine computes it (division by zero is NaN: NOTE [Python float semantics]). */
export function div(x, y) {
  return y === 0 ? NaN : x / y;
}

/** Python's float pow as _ops._pow computes it (NOTE [Python float semantics]). */
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

export function softplus(x) {
  // Python's max(x, 0.0) keeps x when the comparison is false (NaN, -0.0)
  const m = 0 > x ? 0 : x;
  return m + Math.log1p(Math.exp(-Math.abs(x)));
}

function log(x) {
  if (x > 0) return Math.log(x);
  return x === 0 ? -Infinity : NaN;
}

/**
 * log(sum(exp(x))) over x[0..n), as _ops._logsumexp_forward: shifted by the
 * largest finite x; an infinite max is not shifted (torch's rule).
 * @param {ArrayLike<number>} x
 * @param {number} n
 */
export function logsumexp(x, n) {
  let top = -Infinity;
  for (let k = 0; k < n; k++) if (x[k] > top) top = x[k];
  const shift = Number.isFinite(top) ? top : 0;
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.exp(x[k] - shift);
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

/** @type {Local} */
function pow_grads(x, n, out, c, d) {
  const base = x[0],
    exponent = x[1];
  d[0] = exponent !== 0 ? exponent * pow(base, exponent - 1) : 0;
  // torch's rule for d/d exponent: base ** e * log(base), 0 where base == 0 and e >= 0
  if (base > 0) d[1] = out * Math.log(base);
  else if (base === 0 && exponent >= 0) d[1] = 0;
  else d[1] = NaN;
}

/** @type {Forward} */
function dot_forward(x, n) {
  // weights x[0..m), inputs x[m..2m), an odd count means a bias at the end
  const m = n >> 1;
  let total = n & 1 ? x[n - 1] : 0;
  for (let k = 0; k < m; k++) total += x[k] * x[m + k];
  return total;
}

/** @type {Local} */
function dot_grads(x, n, out, c, d) {
  const m = n >> 1;
  for (let k = 0; k < m; k++) {
    d[k] = x[m + k]; // d/dw_k = x_k
    d[m + k] = x[k]; // d/dx_k = w_k
  }
  if (n & 1) d[n - 1] = 1;
}

/** @type {Forward} */
function sum_forward(x, n) {
  let total = 0; // left to right from 0, as _ops._sum_forward
  for (let k = 0; k < n; k++) total += x[k];
  return total;
}

/**
 * @callback Forward
 * @param {Float64Array} x  input values in x[0..n)
 * @param {number} n  the input count
 * @param {number} c  the node's constant
 * @returns {number}
 *
 * @callback Local  writes d out / d input_k into d[k] for k < n
 * @param {Float64Array} x
 * @param {number} n
 * @param {number} out  the node's value
 * @param {number} c
 * @param {Float64Array} d
 * @returns {void}
 *
 * @callback Domain  the engine's error text, or null where the inputs are fine
 * @param {Float64Array} x
 * @param {number} n
 * @param {number} c
 * @returns {string|null}
 */

/**
 * @typedef {object} Op
 * @property {string} name
 * @property {Forward} forward
 * @property {Local} local
 * @property {Domain | null} domain  null: every input is in the domain
 */

/**
 * @param {string} name
 * @param {Forward} forward
 * @param {Local} local
 * @param {Domain | null} [domain]
 * @returns {Op}
 */
const row = (name, forward, local, domain = null) => ({ name, forward, local, domain });

/** @type {Op[]} indexed by op code */
export const OPS = [
  row(
    "",
    () => NaN,
    () => {},
  ),
  row(
    "+",
    (x) => x[0] + x[1],
    (x, n, o, c, d) => {
      d[0] = 1;
      d[1] = 1;
    },
  ),
  row(
    "-",
    (x) => x[0] - x[1],
    (x, n, o, c, d) => {
      d[0] = 1;
      d[1] = -1;
    },
  ),
  row(
    "*",
    (x) => x[0] * x[1],
    (x, n, o, c, d) => {
      d[0] = x[1];
      d[1] = x[0];
    },
  ),
  row(
    "/",
    (x) => div(x[0], x[1]),
    (x, n, o, c, d) => {
      d[0] = div(1, x[1]);
      d[1] = div(-x[0], x[1] * x[1]);
    },
    (x) => (x[1] === 0 ? `${py_g(x[0])} / 0: division by zero` : null),
  ),
  row(
    "neg",
    (x) => -x[0],
    (x, n, o, c, d) => {
      d[0] = -1;
    },
  ),
  row(
    "**",
    (x) => pow(x[0], x[1]),
    pow_grads,
    (x) => pow_domain(x[0], x[1]),
  ),
  row(
    "**",
    (x, n, c) => pow(x[0], c),
    (x, n, o, c, d) => {
      d[0] = c !== 0 ? c * pow(x[0], c - 1) : 0;
    },
    (x, n, c) => pow_domain(x[0], c),
  ),
  row(
    "relu",
    (x) => (x[0] <= 0 ? 0 : x[0]),
    (x, n, o, c, d) => {
      d[0] = x[0] > 0 ? 1 : 0;
    },
  ),
  row(
    "tanh",
    (x) => Math.tanh(x[0]),
    (x, n, o, c, d) => {
      d[0] = 1 - o * o;
    },
  ),
  row(
    "exp",
    (x) => Math.exp(x[0]),
    (x, n, o, c, d) => {
      d[0] = o;
    },
  ),
  row(
    "log",
    (x) => log(x[0]),
    (x, n, o, c, d) => {
      d[0] = div(1, x[0]);
    },
    (x) => (x[0] <= 0 ? `log(${py_g(x[0])}): log of a number <= 0` : null),
  ),
  row(
    "sigmoid",
    (x) => sigmoid(x[0]),
    (x, n, o, c, d) => {
      d[0] = o * (1 - o);
    },
  ),
  row(
    "softplus",
    (x) => softplus(x[0]),
    (x, n, o, c, d) => {
      d[0] = sigmoid(x[0]);
    },
  ),
  row("dot", dot_forward, dot_grads),
  row("sum", sum_forward, (x, n, o, c, d) => {
    d.fill(1, 0, n);
  }),
  row("logsumexp", logsumexp, (x, n, o, c, d) => {
    for (let k = 0; k < n; k++) d[k] = Math.exp(x[k] - o);
  }), // softmax
];
