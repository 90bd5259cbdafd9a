// The graph view without a kernel: mount it on an element with a structure and
// numbers and it draws, replays on slider input and explains the chain rule on
// its own. js/graph/index.js connects it to an anywidget model; the trainer embeds it
// for one point's loss graph; save_html drives it offline.
import { html, svg, clear } from "../core/dom.js";
import { normalize_structure, to_float64, errors_from_dict } from "../core/codecs.js";
import { replay, contributions, finite_differences } from "../core/replay.js";
import { visible_graph } from "./groups.js";
import { layout } from "./layout.js";
import { create_panzoom } from "./panzoom.js";
import { build, paint, item_size } from "./view_draw.js";
import { render_chain_panel, consumer_lists } from "./chain_panel.js";
import { format_number as fmt } from "../core/format.js";
import { create_teaching } from "../teaching/index.js";
import { create_sliders } from "./sliders.js";

const MAX_HEIGHT = 640;
const MIN_HEIGHT = 180;
const MIN_READABLE = 0.6; // below this scale the numbers on the nodes cannot be read
const LOCAL_GRADCHECK_WORK = 3e6; // leaf count x node count above which only the kernel checks grads
const LIVE_EDGE_LIMIT = 1500; // links redrawn on every input up to this many
const PRESENTER_ZOOM = 1.6; // presenter mode: the first fit may enlarge the drawing this much
const PRESENTER_MAX_HEIGHT = 900;
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
 */

/**
 * @param {HTMLElement} el
 * @param {ViewOptions} options
 */
export function mount_graph_view(el, options) {
  const doc = el.ownerDocument;
  const s = normalize_structure(options.structure);
  const ctx = {
    s,
    data: fit_length(to_float64(options.data), s.n),
    grad: fit_length(to_float64(options.grad), s.n),
    errors: Array.isArray(options.errors) ? options.errors.slice() : errors_from_dict(options.errors, s.n),
    contrib: /** @type {Float64Array} */ (new Float64Array(s.inputs.length)),
    numeric: options.numeric ? to_float64(options.numeric) : null,
    show_numeric: Boolean(options.show_gradcheck),
    consumers: consumer_lists(s),
    marker_id: `mgw-arrow-${++views}`,
    expanded: new Set(),
    selected: null,
    presenter: Boolean(options.teaching?.presenter),
  };
  ctx.contrib = contributions(s, ctx.data, ctx.grad);
  const threshold = options.group_threshold ?? 300;
  const specs = (options.sliders || []).filter((spec) => spec.id >= 0 && spec.id < s.n);

  // ---- elements ---------------------------------------------------------------------
  const root = html(doc, "div", { class: "mgw-graph", "data-sync": "ok", "data-lm-suppress-shortcuts": "true" });
  const toolbar = html(doc, "div", { class: "mgw-toolbar" });
  const fit_button = html(doc, "button", { type: "button", class: "mgw-secondary", "aria-label": "fit", title: "fit the graph to the view" }, "fit");
  const reset_button = html(doc, "button", { type: "button", "aria-label": "reset", title: "put every slider back where it started" }, "reset");
  const collapse_button = html(doc, "button", { type: "button", class: "mgw-secondary", "aria-label": "collapse groups", hidden: true }, "collapse");
  const check_box = html(doc, "input", { type: "checkbox", "aria-label": "gradient check" });
  check_box.checked = ctx.show_numeric;
  toolbar.append(fit_button, reset_button, collapse_button,
    html(doc, "label", { class: "mgw-check mgw-secondary", title: "finite-difference grads beside the leaves' grads" }, check_box, "gradient check"));
  const slider_panel = html(doc, "div", { class: "mgw-sliders" });
  // the canvas: an SVG of links under a stage of HTML boxes, both moved by one pan/zoom
  const canvas = html(doc, "div", { class: "mgw-canvas", role: "group", "aria-label": "computation graph" });
  const edges_svg = svg(doc, "svg", { class: "mgw-edges-svg", "aria-hidden": "true" });
  const defs = svg(doc, "defs", {}, svg(doc, "marker", {
    id: ctx.marker_id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8,
    markerUnits: "userSpaceOnUse", orient: "auto-start-reverse", // arrows keep their size on thick edges
  }, svg(doc, "path", { d: "M0,0 L10,5 L0,10 z", class: "mgw-arrow" })));
  const links_layer = svg(doc, "g", { class: "mgw-links" });
  edges_svg.append(defs, links_layer);
  const stage = html(doc, "div", { class: "mgw-stage" });
  canvas.append(edges_svg, stage);
  const chain = html(doc, "div", { class: "mgw-chain", "aria-live": "polite" });
  // ---- teaching modes (teaching.js): a bar of their own, hooks around painting
  const teaching = create_teaching({
    doc, root, chain, ctx, repaint: () => repaint(), refit: (on) => { ctx.presenter = on; fit(true); },
  }, options.teaching || {});
  root.append(toolbar, teaching.bar, slider_panel, canvas, chain);
  el.appendChild(root);
  const panzoom = create_panzoom(canvas, (view) => {
    const t = `translate(${view.x.toFixed(2)},${view.y.toFixed(2)}) scale(${view.k.toFixed(5)})`;
    links_layer.setAttribute("transform", t);
    stage.style.transform = `translate(${view.x.toFixed(2)}px,${view.y.toFixed(2)}px) scale(${view.k.toFixed(5)})`;
  });

  // ---- sliders (sliders.js) ---------------------------------------------------------
  const sliders = create_sliders(doc, slider_panel, specs, { value: (id) => ctx.data[id], move }, options.slider_note || "");

  /** A slider moved: set the leaves, replay here, repaint, then tell the kernel. */
  function move(values, source) {
    for (const [id, value] of Object.entries(values)) ctx.data[Number(id)] = value;
    if (options.local_replay !== false) recompute();
    show_slider_values(source);
    options.on_input?.(values);
  }

  function recompute() {
    replay(s, ctx.data, ctx.grad, ctx.errors, ctx.contrib);
    if (ctx.show_numeric && local_gradcheck_is_cheap()) ctx.numeric = finite_differences(s, ctx.data);
    // thousands of SVG paths changing width cost more paint time than the numbers:
    // on big drawings they follow the kernel's answer, not every input event
    repaint(ctx.paths.length <= LIVE_EDGE_LIMIT);
  }

  function local_gradcheck_is_cheap() {
    let leaves = 0;
    for (let i = 0; i < s.n; i++) if (s.offsets[i] === s.offsets[i + 1]) leaves++;
    return leaves * s.n <= LOCAL_GRADCHECK_WORK;
  }

  function show_slider_values(source) {
    sliders.show(source);
  }

  // ---- drawing ----------------------------------------------------------------------
  let drawn = null;
  const timing = { layout_ms: 0, build_ms: 0, paint_ms: 0 };
  const layouts = new Map(); // one layout per expanded set: collapsing back costs nothing
  function draw() {
    const key = [...ctx.expanded].sort().join("\n");
    let cached = layouts.get(key);
    const t0 = now();
    // measure before the new boxes exist: measuring after would force a layout of all of them
    const width = view_width();
    if (!cached) {
      const visible = visible_graph(s, { threshold, expanded: ctx.expanded });
      const sizes = visible.items.map((item) => item_size(s, item));
      cached = { visible, sizes, layout: layout(visible.items.length, visible.links, sizes.map((z) => z.w), sizes.map((z) => z.h)) };
      layouts.set(key, cached);
    }
    ctx.visible = cached.visible;
    ctx.sizes = cached.sizes;
    ctx.layout = cached.layout;
    clear(stage);
    clear(links_layer);
    ctx.path_looks = null;
    const t1 = now();
    build(doc, ctx, stage, links_layer);
    teaching.decorate();
    const t2 = now();
    collapse_button.hidden = ctx.expanded.size === 0;
    drawn = { width: ctx.layout.width, height: ctx.layout.height };
    repaint();
    fit(true, width);
    // what the benchmarks read: where a first render's time goes
    timing.layout_ms = t1 - t0;
    timing.build_ms = t2 - t1;
    timing.paint_ms = now() - t2;
  }

  function repaint(edges = true) {
    teaching.prepare_paint();
    paint(ctx, edges);
    teaching.after_paint();
    if (!teaching.render_chain(ctx.selected)) render_chain_panel(doc, chain, ctx, ctx.selected);
  }

  function view_width() {
    const box = root.getBoundingClientRect?.();
    return (box && box.width) || el.clientWidth || 800;
  }

  /** Show the whole graph; the first fit keeps text readable (MIN_READABLE) and lets the rest be panned to. */
  function fit(readable, measured) {
    if (!drawn) return;
    const width = measured || view_width();
    const min_k = readable === true ? (ctx.presenter ? 1 : MIN_READABLE) : 0;
    const max_k = ctx.presenter ? PRESENTER_ZOOM : 1;
    const k = Math.max(min_k, Math.min(max_k, (width - 24) / Math.max(1, drawn.width)));
    const max_height = ctx.presenter ? PRESENTER_MAX_HEIGHT : MAX_HEIGHT;
    const height = Math.round(Math.min(max_height, Math.max(MIN_HEIGHT, drawn.height * k + 24)));
    canvas.style.height = `${height}px`;
    panzoom.fit(drawn.width, drawn.height, width, height, 12, min_k, max_k);
  }

  // ---- selection: the chain rule at one node, its paths highlighted ---------------
  function select(i) {
    ctx.selected = i;
    const item_of = ctx.visible.item_of;
    const marks = new Array(ctx.visible.items.length).fill("");
    if (i !== null) {
      const up = reach(ctx.visible, item_of[i], "up"), down = reach(ctx.visible, item_of[i], "down");
      up.forEach((k) => { marks[k] = "up"; });
      down.forEach((k) => { marks[k] = "down"; });
      marks[item_of[i]] = "selected";
    }
    ctx.boxes.forEach((box, k) => set_state(box.g, marks[k]));
    // a link is on a highlighted path when both its ends are on the same side of the selection
    const side = (k, name) => marks[k] === name || marks[k] === "selected";
    ctx.visible.links.forEach((link, k) => {
      const on_path = (side(link.from, "up") && side(link.to, "up")) || (side(link.from, "down") && side(link.to, "down"));
      set_state(ctx.paths[k], on_path ? "path" : "");
    });
    root.classList.toggle("mgw-has-selection", i !== null);
    if (!teaching.render_chain(i)) render_chain_panel(doc, chain, ctx, i);
  }

  function on_click(event) {
    const target = closest_with(event.target, canvas);
    if (!target) return select(null);
    const group = target.getAttribute("data-group");
    if (group !== null) {
      ctx.expanded.add(group);
      ctx.selected = null;
      root.classList.toggle("mgw-has-selection", false);
      return draw();
    }
    const id = Number(target.getAttribute("data-node-id"));
    select(ctx.selected === id ? null : id);
  }
  function on_key(event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); on_click(event); }
  }

  canvas.addEventListener("click", on_click);
  canvas.addEventListener("keydown", on_key);
  fit_button.addEventListener("click", () => fit(false));
  collapse_button.addEventListener("click", () => { ctx.expanded.clear(); ctx.selected = null; draw(); });
  reset_button.addEventListener("click", () => move(sliders.start_values(), null));
  check_box.addEventListener("change", () => set_gradcheck(check_box.checked, true));

  function set_gradcheck(on, from_user) {
    ctx.show_numeric = on;
    check_box.checked = on;
    if (on && (!ctx.numeric || ctx.numeric.length !== s.n) && local_gradcheck_is_cheap()) ctx.numeric = finite_differences(s, ctx.data);
    repaint();
    if (from_user) options.on_gradcheck?.(on);
  }

  let resize = null;
  if (typeof ResizeObserver !== "undefined") {
    resize = new ResizeObserver(() => { if (!panzoom.moved_by_user()) fit(true); });
    resize.observe(root);
  }
  draw();

  return {
    root,
    /** New numbers from elsewhere (the kernel): shown as they are, sliders follow. */
    update(data, grad, errors) {
      ctx.data = fit_length(to_float64(data), s.n);
      ctx.grad = fit_length(to_float64(grad), s.n);
      ctx.errors = Array.isArray(errors) ? errors.slice() : errors_from_dict(errors, s.n);
      ctx.contrib = contributions(s, ctx.data, ctx.grad);
      show_slider_values(null);
      repaint();
    },
    set_numeric(numeric) {
      ctx.numeric = numeric ? fit_length(to_float64(numeric), s.n) : null;
      repaint();
    },
    set_gradcheck: (on) => set_gradcheck(Boolean(on), false),
    /** "pending" while the kernel has not confirmed the latest input, else "ok". */
    set_sync(status) {
      root.setAttribute("data-sync", status);
    },
    select,
    fit,
    timing,
    /** Step-through, exercise, presenter and hide switches (teaching.js). */
    teaching,
    /** The numbers on screen (copies), for tests and exports. */
    state: () => ({ data: ctx.data.slice(), grad: ctx.grad.slice(), errors: ctx.errors.slice(), text: (i) => fmt(ctx.data[i]) }),
    destroy() {
      resize?.disconnect();
      teaching.destroy();
      panzoom.destroy();
      canvas.removeEventListener("click", on_click);
      canvas.removeEventListener("keydown", on_key);
      root.remove();
    },
  };
}

function now() {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
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

function set_state(element, state) {
  if (state) element.setAttribute("data-state", state); else element.removeAttribute("data-state");
}

/** The box element a click landed in (a node or a group), or null for the background. */
function closest_with(target, stop) {
  for (let el = target; el && el !== stop; el = el.parentNode) {
    if (el.getAttribute && (el.getAttribute("data-node-id") !== null || el.getAttribute("data-group") !== null)) return el;
  }
  return null;
}

/** Items reachable from k along links upstream ("up": what it depends on) or downstream. */
function reach(visible, k, direction) {
  const next = Array.from({ length: visible.items.length }, () => []);
  for (const link of visible.links) {
    if (direction === "up") next[link.to].push(link.from); else next[link.from].push(link.to);
  }
  const seen = new Set();
  const stack = [k];
  while (stack.length) {
    for (const j of next[stack.pop()]) if (!seen.has(j) && j !== k) { seen.add(j); stack.push(j); }
  }
  return seen;
}
