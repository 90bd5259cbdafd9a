// What arrives from the kernel, in the shapes the view computes with.
// Binary buffers come as DataViews whose byteOffset may not be a multiple of
// 8, which a Float64Array cannot view: copy the bytes first.

/**
 * float64 little-endian bytes (DataView, ArrayBuffer, typed array), a plain
 * number array, or a base64 string (an exported page) -> a fresh Float64Array.
 * @param {DataView|ArrayBuffer|ArrayBufferView|number[]|string|null|undefined} value
 * @returns {Float64Array}
 */
export function to_float64(value) {
  if (value == null) return new Float64Array(0);
  if (Array.isArray(value)) return Float64Array.from(value, (x) => (typeof x === "string" ? Number(x) : x));
  if (typeof value === "string") return to_float64(from_base64(value));
  if (value instanceof Float64Array) return Float64Array.from(value);
  const bytes = ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : new Uint8Array(value);
  const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 8));
  copy.set(bytes.subarray(0, copy.byteLength));
  if (!LITTLE_ENDIAN) return from_dataview(new DataView(copy.buffer));
  return new Float64Array(copy.buffer);
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function from_dataview(view) {
  const out = new Float64Array(view.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** @param {string} text */
function from_base64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Float64Array -> bytes for model.send buffers.
 * @param {Float64Array} array
 */
export function to_bytes(array) {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice();
}

/**
 * wire.structure()'s dict -> typed columns (see replay.js Structure).
 * @param {any} raw
 * @returns {import('./replay.js').Structure}
 */
export function normalize_structure(raw) {
  const n = raw.n | 0;
  const fill = (list, value) =>
    Array.isArray(list) && list.length === n
      ? list.map((x) => (x == null ? value : String(x)))
      : new Array(n).fill(value);
  const constants = to_float64(raw.const);
  return {
    n,
    code: Uint8Array.from(raw.code || []),
    inputs: Int32Array.from(raw.inputs || []),
    offsets: Int32Array.from(raw.offsets || [0]),
    const: constants.length === n ? constants : new Float64Array(n),
    label: fill(raw.label, ""),
    name: fill(raw.name, ""),
    op: fill(raw.op, ""),
    kind: fill(raw.kind, "op"),
    scope: fill(raw.scope, ""),
  };
}

/**
 * {"3": "log(-2): ..."} (JSON keys are strings) -> an array of n entries.
 * @param {Record<string, string>|null|undefined} dict
 * @param {number} n
 * @returns {(string|null)[]}
 */
export function errors_from_dict(dict, n) {
  const out = new Array(n).fill(null);
  for (const [key, text] of Object.entries(dict || {})) {
    const i = Number(key);
    if (Number.isInteger(i) && i >= 0 && i < n && text) out[i] = String(text);
  }
  return out;
}
