// The page's trainer: one per widget model per page, shared by its views. It
// holds the state the views paint (the kernel's, or the page's own while it
// trains) and, while the kernel says this page drives, runs the epochs here:
// the recorded graphs replayed (epoch.js), as many as fit in a slice of each
// animation frame (or `speed` a second), then one repaint. It reports the
// weights, the optimizer's state and the new history rows back to the kernel
// on pause, on step and every REPORT_MS while it plays (training/page.py).
//
// NOTE [who trains, and whose numbers win]
// The kernel decides which page drives (the trait `driver`, an engine's id)
// and stamps every state it sends with a revision. A new revision means the
// kernel's numbers replace the page's (a reset, t.train() in a cell, a new
// model or data set); a state of the same revision is the kernel echoing what
// a page reported, which the driving page already has and ignores (pages that
// follow take it). A page that clicks play starts at once, on its own copy,
// and tells the kernel; a setting that needs a new graph, model or data
// (settings.py's PAGE_NEEDS says which do not) waits for the kernel's new revision.
import { decode_points, decode_train, report } from "./state.js";
import { load_program } from "./program.js";
import { run_epoch, evaluate } from "./epoch.js";
import { fresh_optimizer, scheduled_lr } from "./optimizers.js";
import { plane_field, fit_curve, neuron_maps, link_weights } from "./pictures.js";

export const REPORT_MS = 2000; // the kernel hears from a playing page at least this often
// NOTE [training's share of a frame]
// At full speed each animation frame trains, then repaints once. Painting (the
// 100 x 100 plane, the network, the curves) costs more than an epoch (about 7
// ms against 0.6 on the default moons trainer), so a fixed slice for training
// would leave the page training a fifth of the time. Each frame trains for
// TRAIN_SHARE times what the rest of the last frame took (painting and the
// page's own work), at least MIN_SLICE_MS and at most MAX_SLICE_MS: about
// three quarters of the time goes to training, and the picture still moves.
const TRAIN_SHARE = 3;
const MIN_SLICE_MS = 8;
const MAX_SLICE_MS = 50;
const HISTORY_KEPT = 4000; // rows the page keeps before it thins the ones the kernel already has

// NOTE [one engine per widget on a page]
// anywidget hands each view its own proxy of the model (its listeners go when
// the view goes), so a proxy can't key the engine: the widget's `uid` trait
// does. The engine is made in initialize(), whose proxy lives as long as the
// model, so its listeners outlive every view; initialize's cleanup drops it.
/** @type {Map<any, Engine>} */
const ENGINES = new Map();

/** @param {any} model */
const key_of = (model) => model.get("uid") || model;

/**
 * The engine of this widget on this page (made on first use).
 * @param {any} model
 * @param {{now?: () => number, frame?: (fn: () => void) => any, cancel?: (handle: any) => void}} [env]
 * @returns {Engine}
 */
export function engine_for(model, env = {}) {
  let engine = ENGINES.get(key_of(model));
  if (!engine) {
    engine = new Engine(model, env);
    ENGINES.set(key_of(model), engine);
  }
  return engine;
}

/**
 * The widget is gone from the page (its model closed): its engine stops and goes.
 * @param {any} model
 */
export function drop_engine(model) {
  const engine = ENGINES.get(key_of(model));
  if (!engine) return;
  engine.stop(false);
  engine.model.off("change", engine.on_change);
  ENGINES.delete(key_of(model));
}

function random_id() {
  return globalThis.crypto?.randomUUID?.() || `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Engine {
  /** @param {any} model @param {{now?: () => number, frame?: Function, cancel?: Function}} env */
  constructor(model, env) {
    this.id = random_id();
    this.model = model;
    this.now = env.now || (() => performance.now());
    const win = globalThis.window;
    this.frame =
      env.frame || (win?.requestAnimationFrame ? (fn) => win.requestAnimationFrame(fn) : (fn) => setTimeout(fn, 16));
    this.cancel =
      env.cancel || (win?.cancelAnimationFrame ? (h) => win.cancelAnimationFrame(h) : (h) => clearTimeout(h));
    /** @type {Set<() => void>} */
    this.views = new Set();
    this.graphs = new Map();
    this.program = undefined; // the program trait the graphs were read from
    this.graphs_ready = false;
    this.loaded = Promise.resolve(); // the graphs of the last program, read (tests await it)
    this.dataset = undefined;
    /** @type {import("./epoch.js").Points|null} */
    this.points = null;
    this.train_trait = undefined;
    /** @type {(import("./epoch.js").TrainState & {revision: number})|null} */
    this.state = null;
    this.revision = -1;
    this.reported = 0; // rows of state.history the kernel has
    this.driving = false;
    this.pending = false; // a change the kernel must rebuild for is on its way
    this.painted_version = -1; // the version the views were last told of (tick)
    this.version = 0; // bumps whenever the state's numbers change: the pictures' cache key
    this.cache = { version: -1, pictures: null };
    this.handle = null;
    this.last_report = 0;
    this.clock = { start: 0, done: 0 }; // slow motion: epochs owed since start
    this.frame_times = { start: 0, trained: 0 }; // the last tick's start and its training time
    this.rate = { since: 0, epochs: 0, value: 0 }; // epochs per second, measured
    this.status = ""; // the page's own word (diverged here, no training points)
    this.focus_hint = null; // {label, at}: the control a view just gone had focused (index.js)
    this.edited = false; // a weight changed by hand since the last epoch: the figures are computed afresh
    this.on_change = () => this.sync();
    model.on("change", this.on_change);
    this.sync();
  }

  /** A view's repaint, called after every change of state; returns the unsubscribe. */
  subscribe(paint) {
    this.views.add(paint);
    return () => {
      this.views.delete(paint);
      if (!this.views.size) this.stop(true); // the kernel gets the last numbers: a view may come back
    };
  }

  notify() {
    for (const paint of this.views) paint();
  }

  /** Can the page train this model (a recorded graph per batch length, read)? */
  get trainable() {
    const program = this.model.get("program") || {};
    return !program.reason && this.graphs_ready && this.graphs.size > 0 && this.state !== null && this.points !== null;
  }

  // ---- the kernel's state ----------------------------------------------------------------

  sync() {
    const m = this.model;
    // (a trait whose binary values are not in place yet waits: see below)
    const dataset = m.get("dataset");
    if (dataset && dataset !== this.dataset && (dataset.split?.byteLength !== undefined || !dataset.count)) {
      this.dataset = dataset;
      this.points = decode_points(dataset);
      this.version++;
    }
    const program = m.get("program");
    if (program && program !== this.program && (program.graphs || []).every((g) => g.blob?.byteLength)) {
      this.program = program;
      this.graphs_ready = false;
      this.loaded = load_program(program).then(
        (graphs) => {
          if (this.program !== program) return; // a newer one came meanwhile
          this.graphs = graphs;
          this.graphs_ready = true;
          this.sync_driving();
        },
        (error) => {
          this.status = `the page can't read the recorded graphs: ${error}`;
          this.notify();
        },
      );
    }
    const train = m.get("train_state");
    // in initialize() the binary values may not be in place yet (anywidget calls it as the
    // model is made): a state without its shuffle words waits for the next sync
    if (train && train !== this.train_trait && train.shuffle?.byteLength) {
      this.train_trait = train;
      if (train.revision !== this.revision || !this.driving) this.load(train);
    }
    this.sync_driving();
    this.notify();
  }

  /** @param {Record<string, any>} train */
  load(train) {
    this.state = decode_train(train);
    this.revision = this.state.revision;
    this.reported = this.state.history.length;
    this.pending = false;
    this.edited = false;
    this.status = "";
    this.version++;
  }

  sync_driving() {
    const m = this.model;
    const drive = Boolean(m.get("running")) && m.get("driver") === this.id && !this.state?.diverged;
    if (drive && !this.driving && this.trainable) this.start();
    else if (!drive && this.driving) this.stop(true);
  }

  // ---- controls from a view ----------------------------------------------------------------

  play() {
    if (this.trainable && !this.state?.diverged) this.start(); // at once, on our copy; the kernel agrees or moves us
    this.model.send({ type: "play", engine: this.id });
  }

  pause() {
    if (this.driving) {
      this.stop(false);
      this.send_report("pause");
    } else {
      this.model.send({ type: "pause", engine: this.id });
    }
  }

  step() {
    if (!this.trainable) {
      this.model.send({ type: "step", engine: this.id });
      return;
    }
    if (this.driving) this.stop(false);
    this.epoch();
    this.send_report("step");
    this.version++;
    this.notify();
  }

  /**
   * Settings from a control: the page's own apply at the next epoch; the others
   * wait for the kernel's new revision (after the kernel has this page's numbers).
   * @param {Record<string, any>} changes
   * @param {(name: string) => boolean} page_applies
   */
  change(changes, page_applies) {
    const rebuild = Object.keys(changes).some((name) => !page_applies(name));
    if (rebuild && this.driving) this.send_report("report");
    if (rebuild) this.pending = true;
    for (const [name, value] of Object.entries(changes)) this.model.set(name, value);
    this.model.save_changes();
  }

  // ---- the loop ------------------------------------------------------------------------------

  start() {
    this.driving = true;
    this.last_report = this.now();
    this.clock = { start: this.now(), done: 0 };
    this.rate = { since: this.now(), epochs: 0, value: this.rate.value };
    this.frame_times = { start: 0, trained: 0 };
    if (!this.handle) this.handle = this.frame(() => this.tick());
  }

  /** @param {boolean} report  send the kernel the last numbers (it stopped us) */
  stop(report) {
    this.driving = false;
    if (this.handle) this.cancel(this.handle);
    this.handle = null;
    this.rate.value = 0;
    if (report && this.state) this.send_report("report");
  }

  /** The settings the page applies itself, as they are now. */
  knobs() {
    const m = this.model,
      s = this.state?.settings || {};
    return {
      lr: m.get("lr") ?? s.lr,
      lr_schedule: m.get("lr_schedule") ?? s.lr_schedule,
      lr_period: m.get("lr_period") ?? s.lr_period,
      l2: m.get("l2") ?? s.l2,
      zero_grad: m.get("zero_grad") ?? s.zero_grad,
      batch_size: s.batch_size ?? null,
    };
  }

  /**
   * A weight changed by hand (the network's editor): the pictures and the figures follow at once,
   * and training goes on from it.
   * @param {number} index  in the flat parameters
   * @param {number} value
   */
  edit(index, value) {
    if (!this.state || !(index >= 0 && index < this.state.weights.length) || !Number.isFinite(value)) return;
    this.state.weights[index] = value;
    this.edited = true;
    this.version++;
    this.notify();
  }

  /** One epoch on the page's copy; false when there was nothing to do. */
  epoch() {
    const state = /** @type {NonNullable<Engine["state"]>} */ (this.state);
    const kind = this.model.get("optimizer");
    if (kind && kind !== state.optimizer.kind) {
      // a new optimizer starts afresh, weights kept (as Session.apply does)
      const hyper = this.train_trait?.hyper?.[kind] || {};
      state.optimizer = fresh_optimizer(kind, state.weights.length, hyper);
    }
    const row = run_epoch(state, this.graphs, /** @type {any} */ (this.points), this.knobs());
    if (!row) {
      this.status = state.diverged ? this.status : "no training points yet: add some (draw on the plane)";
      return false;
    }
    this.edited = false; // the epoch's row describes the weights now
    if (state.diverged) this.status = `diverged at epoch ${state.epoch}: lower the learning rate`;
    if (state.history.length > HISTORY_KEPT) this.thin_history();
    return true;
  }

  tick() {
    this.handle = null;
    if (!this.driving) return;
    const start = this.now();
    const rest = this.frame_times.start ? start - this.frame_times.start - this.frame_times.trained : 0;
    const slice = Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, TRAIN_SHARE * rest)); // NOTE [training's share of a frame]
    if (!this.pending && this.graphs_ready) {
      const speed = Number(this.model.get("speed")) || 0;
      const owed = speed > 0 ? Math.floor(((start - this.clock.start) / 1000) * speed) - this.clock.done : Infinity;
      let done = 0;
      while (done < owed && this.now() - start < slice) {
        if (!this.epoch()) break;
        done++;
        if (this.state?.diverged) break;
      }
      this.clock.done += done;
      this.rate.epochs += done;
      if (done) this.version++;
    }
    const now = this.now();
    this.frame_times = { start, trained: now - start };
    let changed = this.version !== this.painted_version;
    if (now - this.rate.since >= 1000) {
      this.rate = { since: now, epochs: 0, value: (1000 * this.rate.epochs) / (now - this.rate.since) };
      changed = true; // the rate's text
    }
    if (this.state?.diverged || (this.graphs_ready && !this.trainable)) {
      this.stop(false);
      this.send_report("pause");
    } else if (now - this.last_report >= REPORT_MS) {
      this.send_report("report");
    }
    // a frame with nothing new paints nothing: at speed=10 most frames train no epoch
    if (changed || !this.driving) this.notify();
    this.painted_version = this.version;
    if (this.driving) this.handle = this.frame(() => this.tick());
  }

  /** @param {string} type */
  send_report(type) {
    if (!this.state) return;
    const { content, buffers } = report(this.state, this.revision, this.reported, !this.knobs().zero_grad);
    this.reported = this.state.history.length;
    this.last_report = this.now();
    try {
      this.model.send({ type, engine: this.id, report: content }, undefined, buffers);
    } catch {
      // a closed comm: the kernel is gone, nothing to tell
    }
  }

  thin_history() {
    // keep the rows the kernel has not yet heard of; thin the others to a quarter
    const state = /** @type {NonNullable<Engine["state"]>} */ (this.state);
    const old = state.history.slice(0, this.reported),
      fresh = state.history.slice(this.reported);
    const step = Math.max(1, Math.floor(old.length / (HISTORY_KEPT / 4)));
    const kept = old.filter((_, k) => k % step === 0 || k === old.length - 1);
    state.history = [...kept, ...fresh];
    this.reported = kept.length;
  }

  // ---- what the views paint --------------------------------------------------------------------

  /** The figures row now: the last history row, or the weights' own figures before any epoch. */
  figures() {
    if (!this.state || !this.points) return [];
    const last = this.state.history[this.state.history.length - 1];
    return last && last[0] === this.state.epoch && !this.edited ? last : evaluate(this.state, this.points);
  }

  /** The learning rate the next epoch takes. */
  lr_now() {
    const k = this.knobs();
    return this.state ? scheduled_lr(k.lr, this.state.epoch, k.lr_schedule, k.lr_period) : NaN;
  }

  /** Every picture of the current weights, computed once per change of them. */
  pictures() {
    if (this.cache.version === this.version && this.cache.pictures) return this.cache.pictures;
    const state = this.state,
      d = this.dataset;
    if (!state || !d || !state.sizes.length) return null;
    const m = {
      weights: state.weights,
      sizes: state.sizes,
      activation: state.settings.activation,
      features: state.settings.features || ["x1", "x2"],
      scale: d.scale || null,
      task: state.settings.task,
      dims: d.dims,
      extent: d.extent || [],
    };
    const maps = neuron_maps(m);
    const pictures = {
      field: plane_field(m),
      curve: fit_curve(m),
      hidden: maps.hidden,
      features: maps.features,
      links: link_weights(state.weights, state.sizes),
    };
    this.cache = { version: this.version, pictures };
    return pictures;
  }
}
