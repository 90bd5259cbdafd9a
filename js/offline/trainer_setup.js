// "copy setup" in a saved trainer page: the state the page shows, packed as
// training/state.py's pack() packs it ("mgw2:" + base64 of a zlib'd JSON head
// and a float64 block), so `Trainer.from_state("mgw2:...")` in a notebook
// continues from the page's weights, optimizer, shuffle and epoch, bit for bit
// (tests/test_cross_check_trainer.py unpacks what this writes).

const PACKED = "mgw2:";
const HISTORY_KEPT = 200; // state.py keeps this many rows of a long history

/** Float arrays gathered into one float64 block; the JSON keeps {f64: start, n: count} in their place. */
class Floats {
  constructor() {
    /** @type {number[]} */
    this.values = [];
  }

  /** @param {ArrayLike<number>} values */
  put(values) {
    const ref = { f64: this.values.length, n: values.length };
    for (let k = 0; k < values.length; k++) this.values.push(values[k]);
    return ref;
  }
}

/** JSON's text of a float: non-finite ones as Python's repr, as state.py writes them. */
function encode(x) {
  return Number.isFinite(x) ? x : Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

/** @param {number[][]} history */
function thin(history) {
  if (history.length <= HISTORY_KEPT) return history;
  const step = (history.length - 1) / (HISTORY_KEPT - 1);
  return Array.from({ length: HISTORY_KEPT }, (_, k) => history[Math.round(k * step)]);
}

/**
 * The optimizer's state as nn.SGD / nn.Adam's state_dict() gives it.
 * @param {import("../trainer/optimizers.js").OptimizerState} o
 * @param {number} lr
 */
function optimizer_dict(o, lr, block) {
  const decay = o.hyper.weight_decay || 0;
  if (o.kind === "adam") {
    return {
      lr,
      betas: o.hyper.betas,
      eps: o.hyper.eps,
      weight_decay: decay,
      steps: o.steps,
      exp_avg: block.put(o.m),
      exp_avg_sq: block.put(o.v),
    };
  }
  return { lr, momentum: o.hyper.momentum || 0, weight_decay: decay, velocity: block.put(o.velocity) };
}

/**
 * The kernel's state at export with the page's numbers in it.
 * @param {Record<string, any>} exported  Trainer.state() as it was when the page was saved
 * @param {import("../trainer/epoch.js").TrainState} page
 * @param {Record<string, any>} settings  the page's settings now (its own may have changed)
 * @param {number} lr_now
 * @returns {Record<string, any>}
 */
export function page_state(exported, page, settings, lr_now) {
  const state = structuredClone(exported);
  const own = ["lr", "l2", "zero_grad", "optimizer", "lr_schedule", "lr_period"];
  for (const name of own) {
    if (settings[name] === undefined || settings[name] === state.settings[name]) continue;
    state.settings[name] = settings[name];
    if (name === "lr") state.lr_given = true;
    if (name === "optimizer") state.optimizer_given = true;
  }
  for (const name of ["speed", "discretize", "show_test"])
    if (settings[name] !== undefined) state.view[name] = settings[name];
  state.epoch = page.epoch;
  state.lr_now = lr_now;
  state.diverged = page.diverged;
  state.status = page.diverged ? `diverged at epoch ${page.epoch}: lower the learning rate` : "";
  const columns = ["epoch", "loss", "accuracy", "test_loss", "test_accuracy"];
  state.history = page.history.map((row) => {
    const out = Object.fromEntries(columns.map((c, k) => [c, k === 0 ? row[0] : encode(row[k])]));
    if (state.settings.task === "regression")
      Object.assign(out, { accuracy: "nan", test_accuracy: "nan", r2: encode(row[2]), test_r2: encode(row[4]) });
    return out;
  });
  state.shuffle_rng = [3, Array.from(page.rng.state()), null];
  return state;
}

/**
 * zlib's format, deflated by the browser's own CompressionStream (node has it too).
 * @param {Uint8Array} bytes
 */
async function deflate(bytes) {
  const stream = new Blob([/** @type {BlobPart} */ (bytes)]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** @param {Uint8Array} bytes */
function base64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * state.py's pack(): one line of text, every float of the data and the weights as float64.
 * @param {Record<string, any>} exported
 * @param {import("../trainer/epoch.js").TrainState} page
 * @param {Record<string, any>} settings
 * @param {number} lr_now
 * @returns {Promise<string>}
 */
export async function pack_page_state(exported, page, settings, lr_now) {
  const state = page_state(exported, page, settings, lr_now);
  const block = new Floats();
  const d = state.data;
  const flat = (rows) => rows.flat().map(Number);
  d.X = block.put(flat(d.X));
  d.added_X = block.put(flat(d.added_X));
  d.y = block.put(d.y.map(Number));
  d.added_y = block.put(d.added_y.map(Number));
  state.history = thin(state.history);
  state.weights = block.put(page.weights);
  state.snapshot = block.put(state.snapshot.map(Number));
  state.grads = state.settings.zero_grad ? null : block.put(page.grads);
  state.optimizer = optimizer_dict(page.optimizer, lr_now, block);
  const head = new TextEncoder().encode(JSON.stringify(state));
  const raw = new Uint8Array(4 + head.length + 8 * block.values.length);
  const view = new DataView(raw.buffer);
  view.setUint32(0, head.length, true);
  raw.set(head, 4);
  for (const [k, v] of block.values.entries()) view.setFloat64(4 + head.length + 8 * k, v, true);
  return `${PACKED}${base64(await deflate(raw))}`;
}
