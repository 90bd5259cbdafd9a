// The graph view without a kernel: mount it on an element with a structure and
// numbers and it draws, replays on slider input and explains the chain rule on
// its own. js/graph/index.js connects it to an anywidget model; the trainer embeds it
// for one point's loss graph; save_html drives it offline.
import { html, svg, clear } from "../core/dom.js";
import { normalize_structure, to_float64, errors_from_dict } from "../core/codecs.js";
import { replay, contributions, finite_differences } from "../core/replay.js";
import { visible_graph, fold, reveal_path, matching_open, first_view_keys } from "./groups.js";
import { layout } from "./layout.js";
import { create_panzoom } from "./panzoom.js";
import { make_box, make_path, paint, item_size } from "./view_draw.js";
import { create_viewport } from "./viewport.js";
import { find_nodes, move_of, neighbour, GRAPH_KEYS } from "./navigate.js";
import { render_chain_panel, consumer_lists } from "./chain_panel.js";
import { format_number as fmt } from "../core/format.js";
import { create_teaching } from "../teaching/index.js";
import { create_sliders } from "./sliders.js";

const MAX_HEIGHT = 640;
const MIN_HEIGHT = 180;
const READABLE = 0.92; // 12 px text at this scale is 11 px on screen: the least a lecture hall can read
const WINDOW_SHARE = 0.6; // of the window's height the drawing may take: the toolbar and the output node fit on one screen
const FIRST_VIEW_BOXES = 40; // a big graph's first view opens groups nearest the output up to this many boxes
const FIRST_VIEW_OPENS = 12;
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
  const readable_button = html(doc, "button", { type: "button", class: "mgw-secondary", "aria-label": "readable size", title: "back to readable size, at the output" }, "readable");
  const collapse_button = html(doc, "button", { type: "button", class: "mgw-secondary", "aria-label": "collapse groups", hidden: true }, "collapse");
  const find_box = html(doc, "input", { type: "search", class: "mgw-find", "aria-label": "find node", placeholder: "find node", title: "a name, label or op; Enter goes to the next match" });
  const find_status = html(doc, "span", { class: "mgw-find-status", "data-role": "find-status", "aria-live": "polite" });
  const check_box = html(doc, "input", { type: "checkbox", "aria-label": "gradient check" });
  check_box.checked = ctx.show_numeric;
  toolbar.append(fit_button, readable_button, reset_button, collapse_button, find_box, find_status,
    html(doc, "label", { class: "mgw-check mgw-secondary", title: "finite-difference grads beside the leaves' grads" }, check_box, "gradient check"));
  const slider_panel = html(doc, "div", { class: "mgw-sliders" });
  // the canvas: an SVG of links under a stage of HTML boxes, both moved by one pan/zoom
  const canvas = html(doc, "div", { class: "mgw-canvas", role: "group", "aria-label": "computation graph", "aria-keyshortcuts": GRAPH_KEYS });
  const edges_svg = svg(doc, "svg", { class: "mgw-edges-svg", "aria-hidden": "true" });
  const defs = svg(doc, "defs", {}, svg(doc, "marker", {
    id: ctx.marker_id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8,
    markerUnits: "userSpaceOnUse", orient: "auto-start-reverse", // arrows keep their size on thick edges
  }, svg(doc, "path", { d: "M0,0 L10,5 L0,10 z", class: "mgw-arrow" })));
  const links_layer = svg(doc, "g", { class: "mgw-links" });
  edges_svg.append(defs, links_layer);
  const stage = html(doc, "div", { class: "mgw-stage" });
  canvas.append(edges_svg, stage);
  const overview = html(doc, "div", { class: "mgw-overview" });
  const chain = html(doc, "div", { class: "mgw-chain", "aria-live": "polite" });
  // ---- teaching modes (teaching.js): a bar of their own, hooks around painting
  const teaching = create_teaching({
    doc, root, chain, ctx, repaint: () => repaint(), refit: (on) => { ctx.presenter = on; fit(true); },
  }, options.teaching || {});
  root.append(toolbar, teaching.bar, slider_panel, canvas, overview, chain);
  el.appendChild(root);
  const panzoom = create_panzoom(canvas, (view) => {
    const t = `translate(${view.x.toFixed(2)},${view.y.toFixed(2)}) scale(${view.k.toFixed(5)})`;
    links_layer.setAttribute("transform", t);
    stage.style.transform = `translate(${view.x.toFixed(2)}px,${view.y.toFixed(2)}px) scale(${view.k.toFixed(5)})`;
    if (drawn) sync_view(view);
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
  // what a resize re-applies: the readable view at an item, the whole graph, or nothing (the user moved)
  /** @type {{how: "readable"|"fit"|"item"|"user", anchor: number}} */
  let placement = { how: "readable", anchor: -1 };
  ctx.picks = new Map();
  ctx.focus = -1; // the item with the roving tab stop
  ctx.marks = null; // selection marks by item
  const viewport = create_viewport({
    doc, canvas, stage, links_layer, ctx, overview,
    make_box: (k) => make_box(doc, ctx, k),
    make_path: (k) => make_path(doc, ctx, k),
    on_sync: (added) => {
      if (added) teaching.decorate();
      apply_marks();
      apply_focus();
      if (added) repaint();
    },
    on_jump: (x, y) => centre_on_point(x, y, true),
  });
  function draw() {
    const key = [...ctx.expanded].sort().join("\n") + "|" + [...ctx.picks].map(([k, v]) => `${k}=${v}`).sort().join(",");
    let cached = layouts.get(key);
    const t0 = now();
    view_width(true);
    // the focus follows its node into the new drawing (item numbers change with every drawing)
    const focus_rep = ctx.visible && ctx.focus >= 0 ? ctx.visible.items[ctx.focus]?.rep ?? -1 : -1;
    if (!cached) {
      const visible = visible_graph(s, { threshold, expanded: ctx.expanded, picks: ctx.picks });
      const sizes = visible.items.map((item) => item_size(s, item, ctx.data));
      cached = { visible, sizes, layout: layout(visible.items.length, visible.links, sizes.map((z) => z.w), sizes.map((z) => z.h)) };
      layouts.set(key, cached);
    }
    ctx.visible = cached.visible;
    ctx.sizes = cached.sizes;
    ctx.layout = cached.layout;
    ctx.link_sizes = null;
    viewport.reset();
    clear(stage);
    clear(links_layer);
    const t1 = now();
    collapse_button.hidden = ctx.expanded.size === 0 && ctx.picks.size === 0;
    drawn = { width: ctx.layout.width, height: ctx.layout.height };
    ctx.marks = null;
    if (ctx.selected !== null) mark_selection(ctx.selected);
    ctx.focus = focus_rep >= 0 ? ctx.visible.item_of[focus_rep] : root_item();
    place(placement.how, placement.anchor);
    const t2 = now();
    repaint();
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

  // Measuring forces the browser to lay the page out: measure when a drawing starts (before
  // its boxes exist) and on a resize, and reuse the width in between (every pan step reads it)
  let measured_width = 0;
  /** @param {boolean} [fresh] */
  function view_width(fresh = false) {
    if (measured_width && !fresh) return measured_width;
    const box = root.getBoundingClientRect?.();
    measured_width = (box && box.width) || el.clientWidth || 800;
    return measured_width;
  }

  /** The canvas's height limit: the window's, so that the drawing and the toolbar fit on one screen. */
  function max_height() {
    const cap = ctx.presenter ? PRESENTER_MAX_HEIGHT : MAX_HEIGHT;
    const inner = doc.defaultView?.innerHeight || 0;
    return Math.round(Math.max(MIN_HEIGHT, inner ? Math.min(cap, inner * WINDOW_SHARE) : cap));
  }

  function root_item() {
    return ctx.visible.item_of[s.n - 1];
  }

  // NOTE [first sight]
  // The view opens at a readable scale (text >= 11 px on screen), the whole graph
  // when it fits, else at the output's end with a minimap of the rest. "fit" shows
  // the whole graph at whatever scale that takes, and stays: a resize re-applies
  // the last placement instead of computing a new first view. "readable" comes back.
  /**
   * @param {"readable"|"fit"|"item"|"user"} how  ("user": a redraw after the user moved: like "item")
   * @param {number} anchor  the item to show (readable: -1 for the output's end)
   */
  function place(how, anchor = -1) {
    if (!drawn) return;
    placement = { how, anchor };
    const pad = 12;
    const width = view_width(), limit = max_height();
    const max_k = ctx.presenter ? PRESENTER_ZOOM : 1;
    const min_k = ctx.presenter ? 1 : READABLE;
    const whole = Math.min(max_k, (width - 2 * pad) / Math.max(1, drawn.width), (limit - 2 * pad) / Math.max(1, drawn.height));
    const k = how === "fit" ? whole : Math.max(min_k, whole);
    const height = Math.round(Math.min(limit, Math.max(MIN_HEIGHT, drawn.height * k + 2 * pad)));
    canvas.style.height = `${height}px`;
    const a = anchor >= 0 && anchor < ctx.visible.items.length ? anchor : root_item();
    const ax = ctx.layout.x[a], ay = ctx.layout.y[a], size = ctx.sizes[a];
    let x, y;
    if (drawn.width * k <= width - 2 * pad) x = (width - drawn.width * k) / 2;
    else if (how === "item" || how === "user") x = clamp(width / 2 - (ax + size.w / 2) * k, width - pad - drawn.width * k, pad);
    else x = clamp(width - pad - (ax + size.w) * k, width - pad - drawn.width * k, pad);
    if (drawn.height * k <= height - 2 * pad + 0.5) y = (height - drawn.height * k) / 2;
    else y = clamp(height / 2 - (ay + size.h / 2) * k, height - pad - drawn.height * k, pad);
    panzoom.set(k, x, y);
  }

  /** Centre the view on a point of the drawing (the minimap, a click on shapes), readable when asked. */
  function centre_on_point(px, py, readable) {
    const view = panzoom.state();
    const k = readable ? Math.max(view.k, ctx.presenter ? 1 : READABLE) : view.k;
    const width = view_width(), height = parseFloat(canvas.style.height) || MIN_HEIGHT;
    panzoom.set(k, width / 2 - px * k, height / 2 - py * k);
    placement = { how: "user", anchor: -1 };
  }

  /** Kept for callers of the old API: true = the readable first view, false = the whole graph. */
  function fit(readable) {
    place(readable === false ? "fit" : "readable", -1);
  }

  function sync_view(view) {
    const height = parseFloat(canvas.style.height) || MIN_HEIGHT;
    viewport.sync(view, view_width(), height, ctx.focus);
  }

  // ---- selection: the chain rule at one node, its paths highlighted ---------------
  function mark_selection(i) {
    const item_of = ctx.visible.item_of;
    const marks = new Array(ctx.visible.items.length).fill("");
    if (i !== null && item_of[i] >= 0) {
      const up = reach(ctx.visible, item_of[i], "up"), down = reach(ctx.visible, item_of[i], "down");
      up.forEach((k) => { marks[k] = "up"; });
      down.forEach((k) => { marks[k] = "down"; });
      marks[item_of[i]] = "selected";
    }
    ctx.marks = i === null ? null : marks;
  }
  function apply_marks() {
    const marks = ctx.marks;
    for (const box of ctx.boxes) set_state(box.g, marks ? marks[box.k] : "");
    // a link is on a highlighted path when both its ends are on the same side of the selection
    const side = (k, name) => marks[k] === name || marks[k] === "selected";
    for (const drawn_path of ctx.paths) {
      const link = ctx.visible.links[drawn_path.k];
      const on_path = marks && ((side(link.from, "up") && side(link.to, "up")) || (side(link.from, "down") && side(link.to, "down")));
      set_state(drawn_path.path, on_path ? "path" : "");
    }
  }
  function apply_focus() {
    for (const box of ctx.boxes) {
      const want = box.k === ctx.focus ? "0" : "-1";
      if (box.g.getAttribute("tabindex") !== want) box.g.setAttribute("tabindex", want);
    }
  }
  function select(i) {
    ctx.selected = i;
    mark_selection(i);
    apply_marks();
    root.classList.toggle("mgw-has-selection", i !== null);
    if (!teaching.render_chain(i)) render_chain_panel(doc, chain, ctx, i);
  }

  /** Open a group (or show the next instance of a repeat), keeping it in view. */
  function open_group(key) {
    const item = ctx.visible.items.find((it) => it.key === key);
    const rep = item ? item.rep : -1;
    if (key.endsWith("~rest")) {
      const repeat = key.slice(0, -5);
      const f = ctx.visible.folding;
      const list = f ? f.instances[f.index.get(repeat) ?? -1] || [] : [];
      const pick = ctx.picks.get(repeat) ?? 0, next = (pick + 1) % Math.max(1, list.length);
      ctx.picks.set(repeat, next);
      // the next instance opens as far as the one it replaces
      if (f && list.length) for (const key of matching_open(f, list[pick], list[next], ctx.expanded)) ctx.expanded.add(key);
    } else {
      ctx.expanded.add(key);
    }
    ctx.selected = null;
    root.classList.toggle("mgw-has-selection", false);
    placement = { how: "item", anchor: -1 };
    draw();
    // the box that now holds the group's last node, in the middle of the view
    if (rep >= 0) {
      ctx.focus = ctx.visible.item_of[rep];
      place("item", ctx.focus);
      apply_focus();
    }
  }

  /** Open the groups on the way to node i, select it and bring it to the middle of the view. */
  function reveal(i) {
    if (!(i >= 0 && i < s.n)) return false;
    const f = ctx.visible.folding;
    if (f) {
      const way = reveal_path(f, i);
      for (const key of way.open) ctx.expanded.add(key);
      for (const [key, pick] of way.picks) ctx.picks.set(key, pick);
      draw();
    }
    const k = ctx.visible.item_of[i];
    ctx.focus = k;
    place("item", k);
    apply_focus();
    select(i);
    viewport.box(k)?.g.focus?.({ preventScroll: true });
    return true;
  }

  function on_click(event) {
    const target = closest_with(event.target, canvas);
    if (!target) {
      if (ctx.lod && event.target === canvas.querySelector?.(".mgw-shapes")) {
        // a click on the shapes: read that place
        const box = canvas.getBoundingClientRect();
        const point = viewport.to_drawing(event.clientX - box.left, event.clientY - box.top);
        return centre_on_point(point.x, point.y, true);
      }
      return select(null);
    }
    const group = target.getAttribute("data-group");
    if (group !== null) return open_group(group);
    const id = Number(target.getAttribute("data-node-id"));
    ctx.focus = ctx.visible.item_of[id];
    apply_focus();
    select(ctx.selected === id ? null : id);
  }
  function on_key(event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); on_click(event); return; }
    if (event.key === "/" && !event.altKey && !event.ctrlKey && !event.metaKey) { event.preventDefault(); find_box.focus(); return; }
    const way = move_of(event);
    if (!way || !closest_with(event.target, canvas)) return;
    event.preventDefault();
    event.stopPropagation();
    const from = ctx.focus >= 0 ? ctx.focus : root_item();
    const to = way === "home" ? root_item() : neighbour(ctx.visible, ctx.layout, from, way);
    focus_item(to);
  }
  function focus_item(k) {
    ctx.focus = k;
    const view = panzoom.state();
    const x = ctx.layout.x[k] * view.k + view.x, y = ctx.layout.y[k] * view.k + view.y;
    const width = view_width(), height = parseFloat(canvas.style.height) || MIN_HEIGHT;
    const size = ctx.sizes[k];
    if (x < 0 || y < 0 || x + size.w * view.k > width || y + size.box_h * view.k > height) {
      centre_on_point(ctx.layout.x[k] + size.w / 2, ctx.layout.y[k] + size.h / 2, true);
    } else {
      viewport.resync(k);
    }
    apply_focus();
    viewport.box(k)?.g.focus?.({ preventScroll: true });
  }

  // ---- find -------------------------------------------------------------------------
  let found = { query: "", ids: [], at: -1 };
  function run_find(next) {
    const query = find_box.value;
    if (query !== found.query) found = { query, ids: find_nodes(s, query), at: -1 };
    if (!found.ids.length) {
      find_status.textContent = query.trim() ? "no match" : "";
      return;
    }
    if (next) {
      found.at = (found.at + 1) % found.ids.length;
      reveal(found.ids[found.at]);
    }
    find_status.textContent = found.at >= 0 ? `${found.at + 1} of ${found.ids.length}` : `${found.ids.length} match${found.ids.length === 1 ? "" : "es"}: Enter`;
  }
  const on_find_input = () => run_find(false);
  const on_find_key = (event) => {
    if (event.key === "Enter") { event.preventDefault(); run_find(true); }
  };
  find_box.addEventListener("input", on_find_input);
  find_box.addEventListener("keydown", on_find_key);

  canvas.addEventListener("click", on_click);
  canvas.addEventListener("keydown", on_key);
  fit_button.addEventListener("click", () => place("fit"));
  readable_button.addEventListener("click", () => place("readable"));
  collapse_button.addEventListener("click", () => {
    ctx.expanded.clear();
    ctx.picks.clear();
    ctx.selected = null;
    ctx.focus = -1;
    placement = { how: "readable", anchor: -1 };
    draw();
  });
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
    // a resize re-applies the last placement (never a fresh first view over the user's "fit")
    resize = new ResizeObserver(() => {
      view_width(true);
      if (!panzoom.moved_by_user() && placement.how !== "user") place(placement.how, placement.anchor);
      else sync_view(panzoom.state());
    });
    resize.observe(root);
  }
  first_view();
  draw();

  /** Open the biggest groups, then those nearest the output, while the first view stays small. */
  function first_view() {
    if (s.n <= threshold) return;
    for (const key of first_view_keys(fold(s), FIRST_VIEW_BOXES, FIRST_VIEW_OPENS)) ctx.expanded.add(key);
  }

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
    /** Open the groups on the way to the first of these node ids and centre it (Python's find()). */
    find(ids) {
      const list = (Array.isArray(ids) ? ids : []).map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < s.n);
      if (!list.length) return false;
      found = { query: find_box.value, ids: list, at: 0 };
      find_status.textContent = `${list.length} found`;
      return reveal(list[0]);
    },
    timing,
    /** Step-through, exercise, presenter and hide switches (teaching.js). */
    teaching,
    /** The numbers on screen (copies), for tests and exports. */
    state: () => ({ data: ctx.data.slice(), grad: ctx.grad.slice(), errors: ctx.errors.slice(), text: (i) => fmt(ctx.data[i]) }),
    destroy() {
      resize?.disconnect();
      teaching.destroy();
      panzoom.destroy();
      viewport.destroy();
      find_box.removeEventListener("input", on_find_input);
      find_box.removeEventListener("keydown", on_find_key);
      canvas.removeEventListener("click", on_click);
      canvas.removeEventListener("keydown", on_key);
      root.remove();
    },
  };
}

/** v within [low, high] (low wins when they cross). */
function clamp(v, low, high) {
  return Math.max(low, Math.min(high, v));
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
