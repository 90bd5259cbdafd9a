// The arithmetic of the teaching modes, without a DOM: where a step-through
// backward stands after k steps, and whether a typed answer is right.
// micrograd_widgets/widgets/_teaching.py has the same rules in Python, so that
// w.backward_step(), w.check() and w.score agree with what the browser shows;
// tests/test_cross_check.py runs both on the same inputs.
import { backward } from "../core/replay.js";

// NOTE [answer tolerance]
// An answer is right when |answer - grad| <= max(REL_TOL * |grad|, ABS_TOL):
// 1% relative, so a student who rounds 138.8338 to 139 is right, with an
// absolute floor so that a grad of 0 (or 2e-7) accepts 0. Answers are finite
// (NOTE [what an answer is]), so no answer is right for a NaN or infinite grad;
// check_answer itself compares such numbers the IEEE way. _teaching.py uses the
// same two numbers.
export const REL_TOL = 1e-2;
export const ABS_TOL = 1e-3;

/**
 * Backpropagation after `k` steps of the reverse topological order (the root,
 * node n-1, is step 1): the grads as the engine's loop holds them then, the
 * products sent along processed nodes' edges, and which nodes are done.
 * A done node's grad is final (all its consumers come before it in the order).
 * @param {import('../core/replay.js').Structure} s
 * @param {Float64Array} data
 * @param {number} k  0..n
 * @returns {{grad: Float64Array, contrib: Float64Array, done: Uint8Array, current: number}}
 *   current: the node processed by step k (-1 before the first step)
 */
export function partial_backward(s, data, k) {
  const steps = Math.max(0, Math.min(s.n, k));
  const grad = new Float64Array(s.n);
  const contrib = new Float64Array(s.inputs.length);
  backward(s, data, grad, contrib, steps);
  const done = new Uint8Array(s.n);
  for (let j = 0; j < steps; j++) done[s.n - 1 - j] = 1;
  return { grad, contrib, done, current: steps > 0 ? s.n - steps : -1 };
}

/**
 * The nodes an exercise asks about: every node but the root (its grad, 1, is
 * given) and the constants (they never move; nobody asks their grad).
 * @param {import('../core/replay.js').Structure} s
 * @returns {number[]}
 */
export function exercise_nodes(s) {
  const out = [];
  for (let i = 0; i < s.n - 1; i++) if (s.kind[i] !== "constant") out.push(i);
  return out;
}

// NOTE [what an answer is] (widgets/_teaching.py reads answers by the same rule)
// A finite decimal number in ASCII digits: an optional sign, digits with an
// optional point, an optional exponent ("-1.5", ".25", "2e-3", "1E+4"). For
// students' sake, spaces around it, a decimal comma ("1,5") and the Unicode
// minus ("\u2212") are read as "." and "-". Rejected, with a message the
// exercise shows next to the box: "nan", "inf", "infinity", digits of other
// scripts (Arabic-Indic "\u0661\u0662"), numbers too large for a float
// ("1e400"), anything else. An empty text is no answer (the box was cleared).
const SPACES = /^[ \t\n\r\v\f\u00a0]+|[ \t\n\r\v\f\u00a0]+$/g; // trim() strips more than Python's
const NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/;
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, is the point
const ASCII = /^[\x00-\x7f]*$/;

/**
 * @typedef {object} Answer  a typed answer read
 * @property {number|null} value  a finite number, or null
 * @property {string|null} problem  why the text was rejected, or null
 */

/**
 * Read a typed answer (text, or a number) by NOTE [what an answer is].
 * @param {unknown} text
 * @returns {Answer}
 */
export function parse_answer(text) {
  if (text === null || text === undefined) return { value: null, problem: null };
  if (typeof text === "number") {
    if (Number.isFinite(text)) return { value: text, problem: null };
    return { value: null, problem: rejected(Number.isNaN(text) ? "nan" : text > 0 ? "inf" : "-inf", "nan") };
  }
  if (typeof text !== "string") return { value: null, problem: "an answer is a number or its text" };
  const t = text.replace(SPACES, "");
  if (t === "") return { value: null, problem: null };
  let s = t.replaceAll("\u2212", "-").replaceAll(",", ".");
  if (!ASCII.test(s)) return { value: null, problem: rejected(t, "script") };
  s = s.toLowerCase();
  if (NOT_FINITE.test(s)) return { value: null, problem: rejected(t, "nan") };
  if (!NUMBER.test(s)) return { value: null, problem: rejected(t, "other") };
  const value = Number(s);
  if (!Number.isFinite(value)) return { value: null, problem: rejected(t, "large") };
  return { value, problem: null };
}

/**
 * The same four texts as _teaching._rejected: the exercise shows them.
 * @param {string} shown
 * @param {"nan"|"script"|"large"|"other"} why
 */
function rejected(shown, why) {
  if (why === "nan") return `"${shown}": an answer is a finite number (nan and inf are not accepted)`;
  if (why === "script")
    return `"${shown}": type the number with the digits 0-9 (a sign, a point or comma and an exponent are fine)`;
  if (why === "large") return `"${shown}" is too large: an answer is a finite number`;
  return `"${shown}" is not a number: type one such as -1.5, 0.25 or 2e-3`;
}

/**
 * Whether `answer` is `truth` within the tolerance of NOTE [answer tolerance].
 * @param {number} answer
 * @param {number} truth
 */
export function check_answer(answer, truth) {
  if (Number.isNaN(truth) || Number.isNaN(answer)) return Number.isNaN(truth) && Number.isNaN(answer);
  if (!Number.isFinite(truth) || !Number.isFinite(answer)) return answer === truth;
  return Math.abs(answer - truth) <= Math.max(REL_TOL * Math.abs(truth), ABS_TOL);
}

/**
 * Marks and score of a set of answers against the grads. A rejected answer is
 * not an attempt: it gets the mark "rejected" and its reason in `problems`.
 * @param {import('../core/replay.js').Structure} s
 * @param {Float64Array} grad
 * @param {Record<string, unknown>} answers  node id -> the text typed
 * @returns {{marks: Map<number, "right"|"wrong"|"rejected">, problems: Map<number, string>,
 *   right: number, attempted: number, total: number}}
 */
export function score_answers(s, grad, answers) {
  /** @type {Map<number, "right"|"wrong"|"rejected">} */
  const marks = new Map();
  /** @type {Map<number, string>} */
  const problems = new Map();
  const asked = exercise_nodes(s);
  let right = 0,
    attempted = 0;
  for (const i of asked) {
    const { value, problem } = parse_answer(answers?.[String(i)]);
    if (problem !== null) {
      marks.set(i, "rejected");
      problems.set(i, problem);
    }
    if (value === null) continue;
    const ok = check_answer(value, grad[i]);
    marks.set(i, ok ? "right" : "wrong");
    attempted++;
    if (ok) right++;
  }
  return { marks, problems, right, attempted, total: asked.length };
}
