// The graph view without a kernel: mount it on an element with a structure and
// numbers and it draws, replays on slider input and explains the chain rule on
// its own. js/graph/index.js connects it to an anywidget model; the trainer embeds it
// for one point's loss graph; save_html drives it offline.
//
// This module builds the elements and the numbers' state, and lends them, as one
// View, to the parts: drawing.js (layout, painting), placing.js (where the
// drawing sits), selection.js (the selected node, the chain panel, opened
// groups), keyboard.js (the focus and the keys), find.js (the find box),
// sliders.js, viewport.js (what is in the DOM) and the teaching modes.
import { html, svg } from "../core/dom.js";
import { normalize_structure, to_float64, errors_from_dict } from "../core/codecs.js";
import { replay, contributions, finite_differences } from "../core/replay.js";
import { create_panzoom } from "./panzoom.js";
import { make_box, make_path } from "./view_draw.js";
import { create_viewport } from "./viewport.js";
import { GRAPH_KEYS } from "./navigate.js";
import { consumer_lists } from "./chain_panel.js";
import { format_number as fmt } from "../core/format.js";
import { create_teaching } from "../teaching/index.js";
import { create_sliders } from "./sliders.js";
import { create_drawing } from "./drawing.js";
import { create_placing } from "./placing.js";
import { create_selection } from "./selection.js";
import { create_keyboard } from "./keyboard.js";
import { create_find } from "./find.js";

const LOCAL_GRADCHECK_WORK = 3e6; // leaf count x node count above which only the kernel checks grads
const LIVE_EDGE_LIMIT = 1500; // links redrawn on every input up to this many
let views = 0;

/**
 * @typedef {object} ViewOptions
 * @property {object} structure  graph.structure()'s dict (const as bytes, a list or base64)
 * @property {*} data   float64 bytes or numbers, one per node
 * @property {*} grad
 * @property {Record<string,string>|(string|null)[]} [errors]
 * @property {import('./sliders.js').SliderSpec[]} [sliders]
 * @property {string} [slider_note]  what the sliders leave out (hidden leaves, names told apart)
 * @property {number} [group_threshold]  group by scope above this many nodes (default 300)
 * @property {boolean} [show_gradcheck]
 * @property {boolean} [local_replay]  replay slider moves here (default); false waits for the kernel (benchmarks)
 * @property {*} [numeric]  finite-difference grads (NaN where none)
 * @property {(values: Record<string, number>) => void} [on_input]  after each local replay
 * @property {(on: boolean) => void} [on_gradcheck]
 * @property {import('../teaching/index.js').TeachingOptions} [teaching]  step-through, exercise, presenter, hide switches
 * @property {() => number} [max_height]  the drawing's most height, when the host has a room of its own
 */

/**
 * @typedef {ReturnType<typeof build_elements>} Elements
 *
 * @typedef {object} View  what the parts of one graph view share
 * @property {Document} doc
 * @property {HTMLElement} el  the element the view is mounted on
 * @property {ViewOptions} options
 * @property {any} ctx  the view's state: the structure s, the numbers, the visible graph and
 *   its layout, the boxes drawn, the selection and focus (view_draw.js, viewport.js and the
 *   teaching modes read it too)
 * @property {Elements} elements
 * @property {ReturnType<typeof create_panzoom>} panzoom
 * @property {ReturnType<typeof create_viewport>} viewport
 * @property {ReturnType<typeof create_teaching>} teaching
 * @property {ReturnType<typeof create_drawing>} drawing
 * @property {ReturnType<typeof create_placing>} placing
 * @property {ReturnType<typeof create_selection>} selection
 * @property {ReturnType<typeof create_keyboard>} keyboard
 */

/**
 * @param {HTMLElement} el
 * @param {ViewOptions} options
 */
export function mount_graph_view(el, options) {
  const doc = el.ownerDocument;
  const ctx = create_state(options);
  const s = ctx.s;
  const specs = (options.sliders || []).filter((spec) => spec.id >= 0 && spec.id < s.n);
  ctx.slider_ids = specs.map((spec) => Number(spec.id));
  const elements = build_elements(doc, ctx);
  const { root, toolbar, canvas, stage, links_layer, overview, chain, slider_panel, check_box } = elements;
  /** @type {View} */
  const view = /** @type {any} */ ({ doc, el, options, ctx, elements });

  // ---- teaching modes (teaching/index.js): a bar of their own, hooks around painting
  view.teaching = create_teaching(
    {
      doc,
      root,
      chain,
      ctx,
      repaint: () => view.drawing.repaint(),
      refit: (on) => {
        ctx.presenter = on;
        view.drawing.draw("first");
      },
    },
    options.teaching || {},
  );
  root.append(toolbar, view.teaching.bar, slider_panel, canvas, overview, chain);
  el.appendChild(root);
  view.panzoom = create_panzoom(canvas, (pan) => {
    const t = `translate(${pan.x.toFixed(2)},${pan.y.toFixed(2)}) scale(${pan.k.toFixed(5)})`;
    links_layer.setAttribute("transform", t);
    stage.style.transform = `translate(${pan.x.toFixed(2)}px,${pan.y.toFixed(2)}px) scale(${pan.k.toFixed(5)})`;
    view.drawing.sync_view(pan);
  });

  // ---- sliders (sliders.js) ---------------------------------------------------------
  const sliders = create_sliders(
    doc,
    slider_panel,
    specs,
    { value: (id) => ctx.data[id], move },
    options.slider_note || "",
  );

  /** A slider moved: set the leaves, replay here, repaint, then tell the kernel. */
  function move(values, source) {
    for (const [id, value] of Object.entries(values)) ctx.data[Number(id)] = value;
    if (options.local_replay !== false) recompute();
    sliders.show(source);
    options.on_input?.(values);
  }

  function recompute() {
    replay(s, ctx.data, ctx.grad, ctx.errors, ctx.contrib);
    if (ctx.show_numeric && local_gradcheck_is_cheap(s)) ctx.numeric = finite_differences(s, ctx.data);
    // thousands of SVG paths changing width cost more paint time than the numbers:
    // on big drawings they follow the kernel's answer, not every input event
    view.drawing.repaint(ctx.paths.length <= LIVE_EDGE_LIMIT);
  }

  function set_gradcheck(on, from_user) {
    ctx.show_numeric = on;
    check_box.checked = on;
    if (on && (!ctx.numeric || ctx.numeric.length !== s.n) && local_gradcheck_is_cheap(s))
      ctx.numeric = finite_differences(s, ctx.data);
    view.drawing.repaint();
    if (from_user) options.on_gradcheck?.(on);
  }

  // ---- the parts: what is in the DOM, drawing, placing, selection, keys, find ---------
  view.viewport = create_viewport({
    doc,
    canvas,
    stage,
    links_layer,
    ctx,
    overview,
    make_box: (k) => make_box(doc, ctx, k),
    make_path: (k) => make_path(doc, ctx, k),
    on_sync: (added) => {
      if (added) view.teaching.decorate();
      view.selection.apply_marks();
      view.keyboard.apply_focus();
      if (added) view.drawing.repaint();
    },
    on_jump: (x, y) => view.placing.centre_on_point(x, y, true),
  });
  view.drawing = create_drawing(view);
  view.placing = create_placing(view);
  view.selection = create_selection(view);
  view.keyboard = create_keyboard(view);
  const { drawing, placing, selection, keyboard } = view;
  const finder = create_find(view);

  elements.fit_button.addEventListener("click", () => placing.place("fit"));
  elements.readable_button.addEventListener("click", () => placing.place("readable"));
  elements.collapse_button.addEventListener("click", () => selection.collapse());
  elements.reset_button.addEventListener("click", () => move(sliders.start_values(), null));
  check_box.addEventListener("change", () => set_gradcheck(check_box.checked, true));
  drawing.first_view();
  drawing.draw();

  return {
    root,
    /** New numbers from elsewhere (the kernel): shown as they are, sliders follow. */
    update(data, grad, errors) {
      ctx.data = fit_length(to_float64(data), s.n);
      ctx.grad = fit_length(to_float64(grad), s.n);
      ctx.errors = Array.isArray(errors) ? errors.slice() : errors_from_dict(errors, s.n);
      ctx.contrib = contributions(s, ctx.data, ctx.grad);
      sliders.show(null);
      drawing.repaint();
    },
    set_numeric(numeric) {
      ctx.numeric = numeric ? fit_length(to_float64(numeric), s.n) : null;
      drawing.repaint();
    },
    set_gradcheck: (on) => set_gradcheck(Boolean(on), false),
    /** "pending" while the kernel has not confirmed the latest input, else "ok". */
    set_sync(status) {
      root.setAttribute("data-sync", status);
    },
    select: selection.select,
    fit: placing.fit,
    /** Open the groups on the way to the first of these node ids and centre it (Python's find()). */
    find: finder.find,
    timing: drawing.timing,
    /** Step-through, exercise, presenter and hide switches (teaching/index.js). */
    teaching: view.teaching,
    /** The numbers on screen (copies), for tests and exports. */
    state: () => ({
      data: ctx.data.slice(),
      grad: ctx.grad.slice(),
      errors: ctx.errors.slice(),
      text: (i) => fmt(ctx.data[i]),
    }),
    destroy() {
      placing.destroy();
      view.teaching.destroy();
      view.panzoom.destroy();
      view.viewport.destroy();
      finder.destroy();
      selection.destroy();
      keyboard.destroy();
      root.remove();
    },
  };
}

/**
 * The numbers a view shows and the state of its drawing (what `ctx` holds).
 * @param {ViewOptions} options
 */
function create_state(options) {
  const s = normalize_structure(options.structure);
  const data = fit_length(to_float64(options.data), s.n);
  const grad = fit_length(to_float64(options.grad), s.n);
  return {
    s,
    data,
    grad,
    errors: Array.isArray(options.errors) ? options.errors.slice() : errors_from_dict(options.errors, s.n),
    contrib: contributions(s, data, grad),
    numeric: options.numeric ? to_float64(options.numeric) : null,
    show_numeric: Boolean(options.show_gradcheck),
    consumers: consumer_lists(s),
    marker_id: `mgw-arrow-${++views}`,
    expanded: new Set(),
    picks: new Map(),
    selected: null,
    focus: -1, // the item with the roving tab stop
    marks: null, // selection marks by item
    slider_ids: [], // the leaves the sliders drive
    presenter: Boolean(options.teaching?.presenter),
  };
}

/**
 * The view's elements, not yet in the page: the toolbar, the slider panel, the
 * canvas (an SVG of links under a stage of HTML boxes, both moved by one
 * pan/zoom), the minimap's place and the chain panel.
 * @param {Document} doc
 * @param {{show_numeric: boolean, marker_id: string}} ctx
 */
function build_elements(doc, ctx) {
  const root = html(doc, "div", { class: "mgw-graph", "data-sync": "ok", "data-lm-suppress-shortcuts": "true" });
  const toolbar = html(doc, "div", { class: "mgw-toolbar" });
  const fit_button = html(
    doc,
    "button",
    { type: "button", class: "mgw-secondary", "aria-label": "fit", title: "fit the graph to the view" },
    "fit",
  );
  const reset_button = html(
    doc,
    "button",
    { type: "button", "aria-label": "reset", title: "put every slider back where it started" },
    "reset",
  );
  const readable_button = html(
    doc,
    "button",
    {
      type: "button",
      class: "mgw-secondary",
      "aria-label": "readable size",
      title: "back to readable size, at the output",
    },
    "readable",
  );
  const collapse_button = html(
    doc,
    "button",
    { type: "button", class: "mgw-secondary", "aria-label": "collapse groups", hidden: true },
    "collapse",
  );
  const find_box = html(doc, "input", {
    type: "search",
    class: "mgw-find",
    "aria-label": "find node",
    placeholder: "find node",
    title: "a name, label or op; Enter goes to the next match",
  });
  const find_status = html(doc, "span", {
    class: "mgw-find-status",
    "data-role": "find-status",
    "aria-live": "polite",
  });
  const check_box = html(doc, "input", { type: "checkbox", "aria-label": "gradient check" });
  check_box.checked = ctx.show_numeric;
  toolbar.append(
    fit_button,
    readable_button,
    reset_button,
    collapse_button,
    find_box,
    find_status,
    html(
      doc,
      "label",
      { class: "mgw-check mgw-secondary", title: "finite-difference grads beside the leaves' grads" },
      check_box,
      "gradient check",
    ),
  );
  const slider_panel = html(doc, "div", { class: "mgw-sliders" });
  const canvas = html(doc, "div", {
    class: "mgw-canvas",
    role: "group",
    "aria-label": "computation graph",
    "aria-keyshortcuts": GRAPH_KEYS,
  });
  const edges_svg = svg(doc, "svg", { class: "mgw-edges-svg", "aria-hidden": "true" });
  const defs = svg(
    doc,
    "defs",
    {},
    svg(
      doc,
      "marker",
      {
        id: ctx.marker_id,
        viewBox: "0 0 10 10",
        refX: 9,
        refY: 5,
        markerWidth: 8,
        markerHeight: 8,
        markerUnits: "userSpaceOnUse",
        orient: "auto-start-reverse", // arrows keep their size on thick edges
      },
      svg(doc, "path", { d: "M0,0 L10,5 L0,10 z", class: "mgw-arrow" }),
    ),
  );
  const links_layer = svg(doc, "g", { class: "mgw-links" });
  edges_svg.append(defs, links_layer);
  const stage = html(doc, "div", { class: "mgw-stage" });
  canvas.append(edges_svg, stage);
  const overview = html(doc, "div", { class: "mgw-overview" });
  const chain = html(doc, "div", { class: "mgw-chain", "aria-live": "polite" });
  return {
    root,
    toolbar,
    fit_button,
    reset_button,
    readable_button,
    collapse_button,
    find_box,
    find_status,
    check_box,
    slider_panel,
    canvas,
    links_layer,
    stage,
    overview,
    chain,
  };
}

/** Whether finite differences here cost little enough to follow every slider move. */
function local_gradcheck_is_cheap(s) {
  let leaves = 0;
  for (let i = 0; i < s.n; i++) if (s.offsets[i] === s.offsets[i + 1]) leaves++;
  return leaves * s.n <= LOCAL_GRADCHECK_WORK;
}

/**
 * @param {Float64Array} array
 * @param {number} n
 * @returns {Float64Array}
 */
function fit_length(array, n) {
  if (array.length === n) return array;
  const out = new Float64Array(n).fill(NaN);
  out.set(array.subarray(0, n));
  return out;
}
