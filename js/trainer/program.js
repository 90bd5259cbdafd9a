// The loss graphs the kernel recorded for the page to train with
// (training/program.py): one per batch length, each a zlib-compressed block of
// columns, read here into the typed structure js/core/replay.js replays, with
// the slots where a batch's data goes: the parameters, each point's features
// and targets, the L2 strength.

/**
 * @typedef {object} Graph
 * @property {import("../core/replay.js").Structure} s
 * @property {Float64Array} data  every node's value (the leaves as recorded)
 * @property {Float64Array} grad
 * @property {Float64Array} contrib  scratch for backward's per-edge products (allocated once: 55,000 edges)
 * @property {Int32Array} params  node id of each parameter, in the model's order
 * @property {Int32Array} features  node id of point j's feature f at j * F + f
 * @property {Int32Array} targets  node id of point j's target t at j * T + t
 * @property {number} l2  node id of the L2 strength
 */

/**
 * zlib's format inflated with the browser's own DecompressionStream (node has it too).
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
export async function inflate(bytes) {
  const stream = new Blob([/** @type {BlobPart} */ (bytes)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * One graph's columns (program.py's _encode) as a Graph.
 * @param {Uint8Array} raw  inflated
 * @returns {Graph}
 */
export function decode_graph(raw) {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let at = 0;
  const u32 = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const [n, n_inputs, n_leaves, P, LF, LT] = [u32(), u32(), u32(), u32(), u32(), u32()];
  const code = raw.slice(at, at + n);
  at += n + ((4 - (n % 4)) % 4);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + u32();
  if (offsets[n] !== n_inputs) throw new Error(`a recorded graph's inputs don't add up: ${offsets[n]} != ${n_inputs}`);
  const inputs = new Int32Array(n_inputs);
  for (let i = 0; i < n; i++) for (let k = offsets[i]; k < offsets[i + 1]; k++) inputs[k] = i - u32();
  const f64 = (count) => {
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++, at += 8) out[k] = view.getFloat64(at, true);
    return out;
  };
  const constants = f64(n);
  const leaves = f64(n_leaves);
  const data = new Float64Array(n);
  for (let i = 0, k = 0; i < n; i++) if (offsets[i] === offsets[i + 1]) data[i] = leaves[k++];
  const ids = (count) => Int32Array.from({ length: count }, () => u32());
  const params = ids(P),
    features = ids(LF),
    targets = ids(LT),
    l2 = u32();
  const none = new Array(n).fill("");
  /** @type {import("../core/replay.js").Structure} */
  const s = { n, code, inputs, offsets, const: constants, label: none, name: none, op: none, kind: none, scope: none };
  return { s, data, grad: new Float64Array(n), contrib: new Float64Array(n_inputs), params, features, targets, l2 };
}

/**
 * The program trait as graphs by batch length.
 * @param {{graphs?: {length: number, blob: DataView|ArrayBuffer|Uint8Array}[], reason?: string}} program
 * @returns {Promise<Map<number, Graph>>}
 */
export async function load_program(program) {
  const graphs = new Map();
  for (const { length, blob } of program.graphs || []) {
    const bytes = ArrayBuffer.isView(blob)
      ? new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength)
      : new Uint8Array(blob);
    graphs.set(length, decode_graph(await inflate(bytes)));
  }
  return graphs;
}
