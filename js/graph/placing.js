// Where a graph view's drawing sits in its canvas: the scale and the offset
// of the first view, "fit", "readable", an item in the middle, a point the
// minimap chose, and the same placement again after a resize; and whether a
// deep drawing is cut into bands to fit the canvas (NOTE [bands] in layout.js).
import { wrap } from "./layout.js";

const MAX_HEIGHT = 640;
const MIN_HEIGHT = 180;
const PAD = 12;
const READABLE = 0.92; // 12 px text at this scale is 11 px on screen: the least a lecture hall can read
const LEGIBLE = 0.6; // 7 px text: a whole graph at a glance, read closely after "readable" or a zoom
const WINDOW_SHARE = 0.6; // of the window's height the drawing may take: the toolbar and the output node fit on one screen
const PRESENTER_ZOOM = 1.6; // presenter mode: the first fit may enlarge the drawing this much
const PRESENTER_MAX_HEIGHT = 900;
const WRAP_AT_MOST = 200; // boxes: bigger drawings arrive folded, and their first view is never whole

/**
 * @typedef {"first"|"readable"|"fit"|"item"|"user"} How
 *   first: the first view (NOTE [first sight]); readable: readable size at the output's end;
 *   fit: the whole graph at any scale; item: an item in the middle; user: a redraw after the user moved (like item)
 * @typedef {{left: number, right: number, top: number, bottom: number}} Box
 */

// NOTE [first sight]
// Small graphs open whole. A drawing that fits the canvas with its text at
// least 7 px on screen (LEGIBLE; cut into bands when that fits better) opens
// whole: the output, the leaves the sliders drive and everything between them
// are on screen at once, and "readable" brings 11 px text at the output.
// Otherwise the view opens at the largest scale between LEGIBLE and READABLE
// that shows the output and, nearest first, as many of the boxes that hold the
// sliders' leaves as fit; the minimap shows the rest. "fit" shows the whole
// graph at whatever scale that takes, and stays: a resize re-applies the last
// placement instead of computing a new first view.

/** @param {import('./graph_view.js').View} view */
export function create_placing(view) {
  const { doc, el, ctx, elements } = view;
  const { root, canvas } = elements;
  // what a resize re-applies: the first view, an item, the whole graph, or nothing (the user moved)
  /** @type {{how: How, anchor: number}} */
  let placement = { how: "first", anchor: -1 };

  // Measuring forces the browser to lay the page out: measure when a drawing starts (before
  // its boxes exist) and on a resize, and reuse the width in between (every pan step reads it)
  let measured_width = 0;
  /** @param {boolean} [fresh] */
  function view_width(fresh = false) {
    if (measured_width && !fresh) return measured_width;
    const box = root.getBoundingClientRect?.();
    measured_width = box?.width || el.clientWidth || 800;
    return measured_width;
  }

  /** The canvas's height as placed. */
  function view_height() {
    return parseFloat(canvas.style.height) || MIN_HEIGHT;
  }

  /** The canvas's height limit: the window's, so that the drawing and the toolbar fit on one screen. */
  function max_height() {
    // a host with a room of its own (the trainer's point graph, in the network's place) says how tall
    const room = view.options.max_height?.();
    if (room) return Math.max(MIN_HEIGHT, room);
    const cap = ctx.presenter ? PRESENTER_MAX_HEIGHT : MAX_HEIGHT;
    const inner = doc.defaultView?.innerHeight || 0;
    return Math.round(Math.max(MIN_HEIGHT, inner ? Math.min(cap, inner * WINDOW_SHARE) : cap));
  }

  /** The scales this mode allows: presenter mode never shrinks text below 12 px. */
  function scales() {
    return ctx.presenter
      ? { readable: 1, legible: 1, most: PRESENTER_ZOOM }
      : { readable: READABLE, legible: LEGIBLE, most: 1 };
  }

  /** The largest scale (at most `most`) that shows a w x h part of the drawing in the canvas. */
  function scale_to_show(w, h) {
    return Math.min(
      scales().most,
      (view_width() - 2 * PAD) / Math.max(1, w),
      (max_height() - 2 * PAD) / Math.max(1, h),
    );
  }

  function root_item() {
    return ctx.visible.item_of[ctx.s.n - 1];
  }

  /**
   * The layout to draw: as laid out, or cut into bands (NOTE [bands]).
   * @param {import('./layout.js').Layout} base
   * @param {number[]} widths
   * @param {number[]} heights
   * @param {Map<string, import('./layout.js').Layout>} wrapped  the cuts -> their layout, kept between calls
   */
  function choose_layout(base, widths, heights, wrapped) {
    return layout_to_draw(base, widths, heights, wrapped, scale_to_show, scales());
  }

  /**
   * @param {How} how
   * @param {number} anchor  the item to show (item, user); -1: the output
   */
  function place(how, anchor = -1) {
    const drawn = ctx.layout;
    if (!drawn) return;
    placement = { how, anchor };
    const width = view_width(),
      limit = max_height();
    const { readable, legible } = scales();
    const whole = scale_to_show(drawn.width, drawn.height);
    /** @type {Box|null} */
    let region = null;
    let k;
    if (how === "fit" || (how === "first" && whole >= legible)) k = whole;
    else if (how === "first") ({ k, box: region } = first_region(ctx, root_item(), scale_to_show, scales()));
    else k = Math.max(readable, whole);
    const height = Math.round(Math.min(limit, Math.max(MIN_HEIGHT, drawn.height * k + 2 * PAD)));
    canvas.style.height = `${height}px`;
    const a = anchor >= 0 && anchor < ctx.visible.items.length ? anchor : root_item();
    const { x, y } = offset(drawn, k, region || box_of(ctx, a), how === "item" || how === "user", width, height);
    view.panzoom.set(k, x, y);
  }

  /**
   * A new drawing: apply the last placement again, or `how` at the output's end.
   * @param {How} [how]
   */
  function again(how) {
    if (how) placement = { how, anchor: -1 };
    place(placement.how, placement.anchor);
  }

  /** Centre the view on a point of the drawing (the minimap, a click on shapes), readable when asked. */
  function centre_on_point(px, py, readable) {
    const now_view = view.panzoom.state();
    const k = readable ? Math.max(now_view.k, scales().readable) : now_view.k;
    view.panzoom.set(k, view_width() / 2 - px * k, view_height() / 2 - py * k);
    placement = { how: "user", anchor: -1 };
  }

  /** Kept for callers of the old API: true = the first view, false = the whole graph. */
  function fit(first) {
    place(first === false ? "fit" : "first", -1);
  }

  let resize = null;
  if (typeof ResizeObserver !== "undefined") {
    // a resize re-applies the last placement (never a fresh first view over the user's "fit");
    // a first view may cut the drawing into other bands for the new width
    resize = new ResizeObserver(() => {
      view_width(true);
      if (view.panzoom.moved_by_user() || placement.how === "user") view.drawing.sync_view(view.panzoom.state());
      else if (!view.drawing.rewrap()) place(placement.how, placement.anchor);
    });
    resize.observe(root);
  }

  return {
    place,
    again,
    centre_on_point,
    fit,
    choose_layout,
    root_item,
    view_width,
    view_height,
    destroy: () => resize?.disconnect(),
  };
}

/**
 * The layout to draw: the drawing as laid out, or cut into bands when only
 * that shows it whole with legible text (NOTE [bands]).
 * @param {import('./layout.js').Layout} base
 * @param {number[]} widths
 * @param {number[]} heights
 * @param {Map<string, import('./layout.js').Layout>} wrapped
 * @param {(w: number, h: number) => number} scale_to_show  the scale that shows w x h in the canvas
 * @param {{readable: number, legible: number}} scales
 */
function layout_to_draw(base, widths, heights, wrapped, scale_to_show, scales) {
  let best = base,
    best_k = scale_to_show(base.width, base.height);
  if (best_k >= scales.readable || base.x.length > WRAP_AT_MOST) return base;
  for (const starts of band_cuts(base)) {
    const key = starts.join(",");
    if (!wrapped.has(key)) wrapped.set(key, wrap(base, widths, heights, starts));
    const candidate = /** @type {import('./layout.js').Layout} */ (wrapped.get(key));
    const k = scale_to_show(candidate.width, candidate.height);
    if (k > best_k * 1.05) {
      best = candidate;
      best_k = k;
    } // wrap for a clear gain only
  }
  return best_k >= scales.legible ? best : base;
}

/**
 * An item's box in drawing coordinates.
 * @returns {Box}
 */
function box_of(ctx, k) {
  const x = ctx.layout.x[k],
    y = ctx.layout.y[k],
    size = ctx.sizes[k];
  return { left: x, right: x + size.w, top: y, bottom: y + size.h };
}

/**
 * The first view of a drawing too big to show whole: the output and, nearest
 * first, the boxes holding the sliders' leaves while they fit at LEGIBLE (NOTE [first sight]).
 * @param {any} ctx
 * @param {number} out  the output's item
 * @param {(w: number, h: number) => number} scale_to_show
 * @param {{readable: number, legible: number}} scales
 * @returns {{k: number, box: Box}}
 */
function first_region(ctx, out, scale_to_show, scales) {
  let box = box_of(ctx, out);
  const centre = (b) => [(b.left + b.right) / 2, (b.top + b.bottom) / 2];
  const [ox, oy] = centre(box);
  const holders = [...new Set((ctx.slider_ids || []).map((id) => ctx.visible.item_of[id]))].filter(
    (k) => k >= 0 && k !== out,
  );
  const distance = (k) => {
    const [x, y] = centre(box_of(ctx, k));
    return Math.abs(x - ox) + Math.abs(y - oy);
  };
  holders.sort((p, q) => distance(p) - distance(q));
  for (const k of holders) {
    const b = box_of(ctx, k);
    const next = {
      left: Math.min(box.left, b.left),
      right: Math.max(box.right, b.right),
      top: Math.min(box.top, b.top),
      bottom: Math.max(box.bottom, b.bottom),
    };
    if (scale_to_show(next.right - next.left, next.bottom - next.top) >= scales.legible) box = next;
  }
  const k = Math.max(
    scales.legible,
    Math.min(scales.readable, scale_to_show(box.right - box.left, box.bottom - box.top)),
  );
  return { k, box };
}

/**
 * Where bands could start: every cut into two bands, and cuts into three near
 * the thirds of the columns (NOTE [bands]).
 * @param {import('./layout.js').Layout} base
 * @returns {number[][]}
 */
function band_cuts(base) {
  let columns = 0;
  for (const l of base.layer) columns = Math.max(columns, l + 1);
  const cuts = [];
  for (let c = 1; c < columns; c++) cuts.push([c]);
  const third = Math.round(columns / 3);
  for (let a = third - 2; a <= third + 2; a++) {
    for (let b = 2 * third - 2; b <= 2 * third + 2; b++) if (a >= 1 && b > a && b < columns) cuts.push([a, b]);
  }
  return cuts;
}

/**
 * Where the drawing's origin goes at scale k in a width x height canvas: centred
 * where it fits; else with `at` in the middle (centre) or at the right edge
 * (the output's end, and the first view's region), never past the drawing's edges.
 * @param {{width: number, height: number}} drawn
 * @param {number} k
 * @param {Box} at
 * @param {boolean} centre
 * @param {number} width
 * @param {number} height
 */
function offset(drawn, k, at, centre, width, height) {
  let x, y;
  if (drawn.width * k <= width - 2 * PAD) x = (width - drawn.width * k) / 2;
  else if (centre) x = clamp(width / 2 - ((at.left + at.right) / 2) * k, width - PAD - drawn.width * k, PAD);
  else x = clamp(width - PAD - at.right * k, width - PAD - drawn.width * k, PAD);
  if (drawn.height * k <= height - 2 * PAD + 0.5) y = (height - drawn.height * k) / 2;
  else y = clamp(height / 2 - ((at.top + at.bottom) / 2) * k, height - PAD - drawn.height * k, PAD);
  return { x, y };
}

/** v within [low, high] (low wins when they cross). */
function clamp(v, low, high) {
  return Math.max(low, Math.min(high, v));
}
