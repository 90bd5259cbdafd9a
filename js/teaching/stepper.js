// The arithmetic of the teaching modes, without a DOM: where a step-through
// backward stands after k steps, and whether a typed answer is right.
// micrograd_widgets/widgets/_teaching.py mirrors every rule here, so that
// Python's w.backward_step() and w.score agree with what the browser shows.
import { backward } from "../core/replay.js";

// NOTE [answer tolerance]
// An answer is right when |answer - grad| <= max(REL_TOL * |grad|, ABS_TOL):
// 1% relative, so a student who rounds 138.8338 to 139 is right, with an
// absolute floor so that a grad of 0 (or 2e-7) accepts 0. NaN answers NaN and
// ±inf answers the same inf. _teaching.py uses the same two numbers.
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

/**
 * A typed answer as a number: decimals, exponents, a decimal comma, a Unicode
 * minus, "nan", "inf", "-inf". null when it is not a number (not an attempt).
 * @param {string|number|null|undefined} text
 * @returns {number|null}
 */
export function parse_answer(text) {
  if (typeof text === "number") return text;
  if (typeof text !== "string") return null;
  const t = text.trim().toLowerCase().replace("\u2212", "-").replace(",", ".");
  if (t === "") return null;
  if (t === "nan") return NaN;
  if (t === "inf" || t === "+inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  return Number(t);
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
 * Marks and score of a set of answers against the grads.
 * @param {import('../core/replay.js').Structure} s
 * @param {Float64Array} grad
 * @param {Record<string, string>} answers  node id -> the text typed
 * @returns {{marks: Map<number, "right"|"wrong">, right: number, attempted: number, total: number}}
 */
export function score_answers(s, grad, answers) {
  const marks = new Map();
  const asked = exercise_nodes(s);
  let right = 0;
  for (const i of asked) {
    const value = parse_answer(answers?.[String(i)]);
    if (value === null) continue;
    const ok = check_answer(value, grad[i]);
    marks.set(i, ok ? "right" : "wrong");
    if (ok) right++;
  }
  return { marks, right, attempted: marks.size, total: asked.length };
}
