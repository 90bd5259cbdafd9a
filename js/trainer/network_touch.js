// The network picture you can touch: over a neuron (by the pointer, or the
// keyboard's arrows on the focused picture) a box says its formula with the
// weights filled in, its value at the point last hovered or selected on the
// plane, and shows its map larger; over a link, its weight and gradient. A click
// on a link (or Enter on a neuron: its bias, or any weight into it) opens an
// editor: a slider and a number box change that weight, the page repaints at
// once, the kernel hears it, and "undo edit" takes it back. The text follows
// training live, and it is text: a screen reader reads it.
import { html, set_text } from "../core/dom.js";
import { format_number } from "../core/format.js";
import { network_geometry, layer_of_column } from "./network.js";
import { evaluator } from "./forward.js";
import { paint_field, max_abs } from "./colormap.js";
import { HIDDEN_CELLS, MAP_LAYERS } from "./pictures.js";

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const LINK_TOLERANCE = 4; // canvas pixels from a link's line that still touch it
const TERMS_SHOWN = 2; // a long weighted sum shows its first terms, "…", then the bias

/** Digits as subscripts: 12 -> "₁₂". @param {number} n */
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);

/** A number as the formula writes it: two decimals, a true minus sign. @param {number} x */
export function coefficient(x) {
  if (!Number.isFinite(x)) return String(x);
  const text = Math.abs(x).toFixed(2);
  return x < 0 ? `−${text}` : text;
}

/**
 * Where parameter (layer, neuron j, input i) sits in the flat parameters (i = nin: the bias).
 * @param {number[]} sizes
 * @param {number} layer  1.. (the weights into sizes[layer])
 * @param {number} j
 * @param {number} i
 */
export function param_index(sizes, layer, j, i) {
  let at = 0;
  for (let l = 1; l < layer; l++) at += sizes[l] * (sizes[l - 1] + 1);
  return at + j * (sizes[layer - 1] + 1) + i;
}

/**
 * The name of neuron `j` of layer `layer`: the inputs' own names, h₂,₃ for hidden ones,
 * and the output's (score, prediction, or a class's score).
 * @param {{sizes: number[], inputs: string[], task: string, classes: string[]}} net
 * @param {number} layer
 * @param {number} j
 */
export function neuron_name(net, layer, j) {
  if (layer === 0) return net.inputs[j] ?? `x${sub(j + 1)}`;
  if (layer < net.sizes.length - 1) return `h${sub(layer)},${sub(j + 1)}`;
  if (net.task === "multiclass") return `score of ${net.classes[j] ?? `class ${j}`}`;
  return net.task === "regression" ? "prediction" : "score";
}

/**
 * A neuron's formula with its weights and bias filled in: h₂,₃ = relu(0.53·h₁,₁ − 1.20·h₁,₂ + … + 0.10).
 * @param {{sizes: number[], inputs: string[], task: string, classes: string[], activation: string, weights: Float64Array}} net
 * @param {number} layer  1..
 * @param {number} j
 */
export function neuron_formula(net, layer, j) {
  const nin = net.sizes[layer - 1];
  const w = (i) => net.weights[param_index(net.sizes, layer, j, i)];
  const term = (i, first) => {
    const x = w(i),
      name = neuron_name(net, layer - 1, i);
    const text = `${coefficient(Math.abs(x))}·${name}`;
    return first ? (x < 0 ? `−${text}` : text) : `${x < 0 ? "−" : "+"} ${text}`;
  };
  const shown = nin <= TERMS_SHOWN + 2 ? [...Array(nin).keys()] : [...Array(TERMS_SHOWN).keys()];
  const parts = shown.map((i, k) => term(i, k === 0));
  if (shown.length < nin) parts.push("+ …");
  const b = w(nin);
  parts.push(`${b < 0 ? "−" : "+"} ${coefficient(Math.abs(b))}`);
  const sum = parts.join(" ");
  const hidden = layer < net.sizes.length - 1;
  return `${neuron_name(net, layer, j)} = ${hidden ? `${net.activation}(${sum})` : sum}`;
}

/**
 * What the pointer is on: a neuron {column, k}, a link {column, k, from}, or null.
 * @param {ReturnType<typeof network_geometry>} g
 * @param {number} x  canvas pixels
 * @param {number} y
 */
export function touched(g, x, y) {
  for (let c = 0; c < g.columns.length; c++) {
    const k = g.columns[c].findIndex((p) => x >= p.x && x <= p.x + p.size && y >= p.y && y <= p.y + p.size);
    if (k >= 0) return { column: c, k };
  }
  let best = null,
    nearest = LINK_TOLERANCE;
  for (let c = 1; c < g.columns.length; c++) {
    if (c === g.columns.length - 1 && g.skipped > 0) continue; // the output's links are not drawn
    for (let k = 0; k < g.columns[c].length; k++) {
      const to = g.columns[c][k];
      for (let from = 0; from < g.columns[c - 1].length; from++) {
        const a = g.columns[c - 1][from];
        const d = segment_distance(x, y, a.x + a.size, a.y + a.size / 2, to.x, to.y + to.size / 2);
        if (d < nearest) [best, nearest] = [{ column: c, k, from }, d];
      }
    }
  }
  return best;
}

function segment_distance(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * @param {Document} doc
 * @param {HTMLCanvasElement} canvas  the network picture
 * @param {import("./engine.js").Engine} engine
 * @param {any} model
 * @param {(type: string, extra?: object) => void} send
 * @param {() => {inputs: string[], classes: string[], point: number[]|null}} context  the names and the point to evaluate at
 */
export function create_network_touch(doc, canvas, engine, model, send, context) {
  const formula = html(doc, "p", { class: "mgw-formula", "data-field": "neuron-formula" }, "");
  const value = html(doc, "p", { class: "mgw-neuron-value", "data-field": "neuron-value" }, "");
  const map = html(doc, "canvas", {
    class: "mgw-neuron-map",
    "data-role": "neuron-map",
    width: 96,
    height: 96,
    "aria-hidden": "true",
  });
  const info = html(
    doc,
    "div",
    { class: "mgw-neuron-info", role: "status", "aria-live": "polite", hidden: true },
    formula,
    value,
    map,
  );
  const editor = create_editor(doc, engine, send);
  canvas.setAttribute("tabindex", "0");
  /** @type {{column: number, k: number, from?: number}|null} */
  let marked = null;

  const geometry = () => {
    const s = engine.state;
    if (!s) return null;
    const names = s.sizes[0] === context().inputs.length ? context().inputs : [];
    return network_geometry(s.sizes, names, canvas.width, canvas.height);
  };
  const net = () => {
    const s = /** @type {NonNullable<typeof engine.state>} */ (engine.state),
      c = context();
    return {
      sizes: s.sizes,
      inputs: c.inputs,
      classes: c.classes,
      task: s.settings.task,
      activation: s.settings.activation,
      weights: s.weights,
    };
  };
  const to_canvas = (event) => {
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / (rect.width || canvas.width);
    return [(event.clientX - rect.left) * scale, (event.clientY - rect.top) * scale];
  };

  canvas.addEventListener("mousemove", (event) => {
    const g = geometry();
    if (!g) return;
    const [x, y] = to_canvas(event);
    set_marked(touched(g, x, y));
  });
  canvas.addEventListener("mouseleave", () => {
    if (doc.activeElement !== canvas) set_marked(null);
  });
  canvas.addEventListener("click", (event) => {
    const g = geometry();
    if (!g) return;
    const [x, y] = to_canvas(event);
    const hit = touched(g, x, y);
    set_marked(hit);
    if (hit) open_editor(hit);
  });
  canvas.addEventListener("keydown", (event) => {
    const g = geometry();
    if (!g) return;
    const at = marked ?? { column: 0, k: -1 };
    const moves = { ArrowDown: [0, 1], ArrowUp: [0, -1], ArrowRight: [1, 0], ArrowLeft: [-1, 0] };
    if (event.key in moves) {
      const [dc, dk] = moves[event.key];
      const column = Math.max(0, Math.min(g.columns.length - 1, at.column + dc));
      const count = g.columns[column].length;
      const k = dc ? Math.min(Math.max(0, at.k), count - 1) : (((at.k + dk) % count) + count) % count;
      set_marked({ column, k });
      event.preventDefault();
    } else if (event.key === "Enter" && marked && marked.column > 0) {
      open_editor(marked);
      event.preventDefault();
    } else if (event.key === "Escape") {
      set_marked(null);
      editor.close();
    }
  });
  canvas.addEventListener("blur", () => {
    if (!canvas.matches(":hover")) set_marked(null);
  });

  function set_marked(hit) {
    marked = hit;
    paint();
    engine.notify(); // the picture marks it
  }

  /** @param {{column: number, k: number, from?: number}} hit */
  function open_editor(hit) {
    const s = engine.state,
      g = geometry();
    // hide=['edit'] or lock=['edit']: the maths still shows, the weights stay as trained
    const off = [...(model.get("hide") || []), ...(model.get("locked") || model.get("lock") || [])];
    if (!s || !g || hit.column === 0 || off.includes("edit")) return;
    const layer = layer_of_column(s.sizes, g.columns.length, hit.column);
    const n = net();
    const inputs = Array.from({ length: s.sizes[layer - 1] }, (_, i) => ({
      i,
      name: `weight from ${neuron_name(n, layer - 1, i)}`,
    }));
    const choices = [...inputs, { i: s.sizes[layer - 1], name: "bias" }];
    editor.open(
      neuron_name(n, layer, hit.k),
      choices.map((c) => ({ ...c, index: param_index(s.sizes, layer, hit.k, c.i) })),
      hit.from ?? s.sizes[layer - 1],
    );
  }

  /** The info box's text for what is marked, from the weights and the point now. */
  function paint() {
    const s = engine.state,
      g = geometry();
    info.hidden = !marked || !s || !g;
    editor.refresh();
    if (info.hidden || !marked || !s || !g) return;
    const n = net();
    const layer = layer_of_column(s.sizes, g.columns.length, marked.column);
    // the box keeps clear of what it explains: at the bottom for a neuron in the upper half, else at the top
    const place = g.columns[marked.column]?.[marked.k];
    info.classList.toggle("mgw-info-top", Boolean(place && place.y + place.size / 2 > canvas.height / 2));
    const point = context().point;
    const model_at = point
      ? evaluator(
          s.weights,
          s.sizes,
          s.settings.activation,
          s.settings.features || ["x1", "x2"],
          model.get("dataset")?.scale || null,
        )
      : null;
    if (model_at && point) model_at.at(point);
    const here = (l, j) =>
      !model_at
        ? NaN
        : l === 0
          ? model_at.input[j]
          : l < s.sizes.length - 1
            ? model_at.hidden[l - 1][j]
            : model_at.outputs[j];
    if (marked.from !== undefined) {
      const k = param_index(s.sizes, layer, marked.k, marked.from);
      const from = neuron_name(n, layer - 1, marked.from),
        to = neuron_name(n, layer, marked.k);
      set_text(formula, `weight ${from} → ${to}: ${coefficient(s.weights[k])} (grad ${format(s.grads[k])})`);
      set_text(
        value,
        model_at
          ? `at the point: ${from} = ${format(here(layer - 1, marked.from))}, ${to} = ${format(here(layer, marked.k))}`
          : "",
      );
      map.hidden = true;
      return;
    }
    set_text(
      formula,
      layer === 0 ? `${neuron_name(n, 0, marked.k)}: an input feature` : neuron_formula(n, layer, marked.k),
    );
    set_text(
      value,
      model_at
        ? `at the point (${point.map((v) => v.toFixed(2)).join(", ")}): ${format(here(layer, marked.k))}`
        : "hover over the plane to see its value at a point",
    );
    paint_map(map, engine, layer, marked.k);
  }

  return { info, editor: editor.element, paint, marked: () => marked };
}

/**
 * A neuron's map, larger: an input feature's or a hidden neuron's values over the plane (the
 * pictures the page painted from the weights); hidden when there is none for that layer.
 * @param {HTMLCanvasElement} map @param {import("./engine.js").Engine} engine
 * @param {number} layer @param {number} k
 */
function paint_map(map, engine, layer, k) {
  const pictures = engine.pictures(),
    s = engine.state;
  const n = HIDDEN_CELLS * HIDDEN_CELLS;
  let values = null;
  if (pictures && s && layer === 0) values = pictures.features.subarray(k * n, (k + 1) * n);
  else if (pictures && s && layer <= MAP_LAYERS && layer < s.sizes.length - 1) {
    const before = s.sizes.slice(1, layer).reduce((a, b) => a + b, 0);
    values = pictures.hidden.subarray((before + k) * n, (before + k + 1) * n);
  }
  map.hidden = !values;
  const ctx = map.getContext?.("2d");
  if (!values || !ctx) return;
  const image = ctx.createImageData(HIDDEN_CELLS, HIDDEN_CELLS);
  paint_field(image.data, values, HIDDEN_CELLS, HIDDEN_CELLS, { scale: max_abs(values) / 2, strength: 0.9 });
  const scratch = map.ownerDocument.createElement("canvas");
  scratch.width = scratch.height = HIDDEN_CELLS;
  scratch.getContext("2d")?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, map.width, map.height);
}

/** A value as the graph widget and the figures write numbers. @param {number} x */
const format = (x) => format_number(x);

/**
 * The weight editor: which weight (a neuron's incoming weights and its bias), a slider, a number box, undo.
 * @param {Document} doc
 * @param {import("./engine.js").Engine} engine
 * @param {(type: string, extra?: object) => void} send
 */
function create_editor(doc, engine, send) {
  const title = html(doc, "span", { class: "mgw-edit-title" }, "");
  // data-setting="edit": lock=['edit'] disables them (access.js) should the lock come while the editor is open
  const which = html(doc, "select", { name: "edit_which", "aria-label": "which weight", "data-setting": "edit" });
  const slider = html(doc, "input", {
    type: "range",
    name: "edit_weight",
    "aria-label": "weight",
    step: "any",
    "data-setting": "edit",
  });
  const box = html(doc, "input", {
    type: "number",
    name: "edit_value",
    "aria-label": "weight value",
    step: 0.01,
    "data-setting": "edit",
  });
  const undo = html(
    doc,
    "button",
    { type: "button", "aria-label": "undo edit", "data-setting": "edit", disabled: true },
    "undo edit",
  );
  const close = html(doc, "button", { type: "button", "aria-label": "close editor" }, "×");
  const element = html(
    doc,
    "div",
    { class: "mgw-edit", role: "group", "aria-label": "edit a weight", hidden: true },
    html(doc, "div", { class: "mgw-edit-head" }, title, close),
    which,
    slider,
    box,
    undo,
  );
  /** @type {{index: number, old: number}[]} */
  const undo_stack = [];
  let index = -1,
    before = NaN;

  const current = () => engine.state?.weights[index] ?? NaN;
  const range_for = (v) => {
    const span = Math.max(2, 2 * Math.abs(v));
    slider.min = String(v - span);
    slider.max = String(v + span);
  };
  /** @param {number} v  @param {boolean} final  the end of a gesture: the kernel hears it, undo remembers it */
  function set(v, final) {
    if (!Number.isFinite(v) || index < 0) return;
    engine.edit(index, v);
    if (final) {
      if (v !== before) undo_stack.push({ index, old: before });
      before = v;
      send("edit", { index, value: v });
      undo.disabled = undo_stack.length === 0;
    }
    box.value = String(Number(v.toFixed(6)));
  }
  slider.addEventListener("input", () => set(Number(slider.value), false));
  slider.addEventListener("change", () => set(Number(slider.value), true));
  const commit = () => {
    range_for(Number(box.value));
    set(Number(box.value), true);
    slider.value = box.value;
  };
  box.addEventListener("change", commit);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") commit();
  }); // change waits for blur
  which.addEventListener("change", () => show(Number(which.value)));
  undo.addEventListener("click", () => {
    const last = undo_stack.pop();
    if (!last) return;
    engine.edit(last.index, last.old);
    send("edit", { index: last.index, value: last.old });
    undo.disabled = undo_stack.length === 0;
    if (last.index === index) show(index);
  });
  close.addEventListener("click", () => {
    element.hidden = true;
  });

  function show(k) {
    index = k;
    before = current();
    range_for(before);
    slider.value = String(before);
    box.value = String(Number(before.toFixed(6)));
    which.value = String(k);
  }

  return {
    element,
    /** @param {string} neuron @param {{index: number, name: string, i: number}[]} choices @param {number} picked */
    open(neuron, choices, picked) {
      set_text(title, `edit ${neuron}`);
      while (which.firstChild) which.removeChild(which.firstChild);
      for (const c of choices) which.append(html(doc, "option", { value: String(c.index) }, c.name));
      element.hidden = false;
      show(choices.find((c) => c.i === picked)?.index ?? choices[choices.length - 1].index);
      slider.focus?.();
    },
    close() {
      element.hidden = true;
    },
    /** Training moved the weight: the controls follow, unless one is in use. */
    refresh() {
      if (element.hidden || index < 0 || doc.activeElement === slider || doc.activeElement === box) return;
      const v = current();
      if (Number(box.value) !== Number(v.toFixed(6))) {
        box.value = String(Number(v.toFixed(6)));
        range_for(v);
        slider.value = String(v);
        before = v;
      }
    },
  };
}
