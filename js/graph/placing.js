// Where a graph view's drawing sits in its canvas: the scale and the offset
// of the first view, "fit", "readable", an item in the middle, a point the
// minimap chose, and the same placement again after a resize.

const MAX_HEIGHT = 640;
const MIN_HEIGHT = 180;
const READABLE = 0.92; // 12 px text at this scale is 11 px on screen: the least a lecture hall can read
const WINDOW_SHARE = 0.6; // of the window's height the drawing may take: the toolbar and the output node fit on one screen
const PRESENTER_ZOOM = 1.6; // presenter mode: the first fit may enlarge the drawing this much
const PRESENTER_MAX_HEIGHT = 900;

/**
 * @typedef {"readable"|"fit"|"item"|"user"} How  ("user": a redraw after the user moved: like "item")
 */

/** @param {import('./graph_view.js').View} view */
export function create_placing(view) {
  const { doc, el, ctx, elements } = view;
  const { root, canvas } = elements;
  // what a resize re-applies: the readable view at an item, the whole graph, or nothing (the user moved)
  /** @type {{how: How, anchor: number}} */
  let placement = { how: "readable", anchor: -1 };

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

  /** The canvas's height as placed. */
  function view_height() {
    return parseFloat(canvas.style.height) || MIN_HEIGHT;
  }

  /** The canvas's height limit: the window's, so that the drawing and the toolbar fit on one screen. */
  function max_height() {
    const cap = ctx.presenter ? PRESENTER_MAX_HEIGHT : MAX_HEIGHT;
    const inner = doc.defaultView?.innerHeight || 0;
    return Math.round(Math.max(MIN_HEIGHT, inner ? Math.min(cap, inner * WINDOW_SHARE) : cap));
  }

  function root_item() {
    return ctx.visible.item_of[ctx.s.n - 1];
  }

  // NOTE [first sight]
  // The view opens at a readable scale (text >= 11 px on screen), the whole graph
  // when it fits, else at the output's end with a minimap of the rest. "fit" shows
  // the whole graph at whatever scale that takes, and stays: a resize re-applies
  // the last placement instead of computing a new first view. "readable" comes back.
  /**
   * @param {How} how
   * @param {number} anchor  the item to show (readable: -1 for the output's end)
   */
  function place(how, anchor = -1) {
    const drawn = ctx.layout;
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
    const k = readable ? Math.max(now_view.k, ctx.presenter ? 1 : READABLE) : now_view.k;
    view.panzoom.set(k, view_width() / 2 - px * k, view_height() / 2 - py * k);
    placement = { how: "user", anchor: -1 };
  }

  /** Kept for callers of the old API: true = the readable first view, false = the whole graph. */
  function fit(readable) {
    place(readable === false ? "fit" : "readable", -1);
  }

  let resize = null;
  if (typeof ResizeObserver !== "undefined") {
    // a resize re-applies the last placement (never a fresh first view over the user's "fit")
    resize = new ResizeObserver(() => {
      view_width(true);
      if (!view.panzoom.moved_by_user() && placement.how !== "user") place(placement.how, placement.anchor);
      else view.drawing.sync_view(view.panzoom.state());
    });
    resize.observe(root);
  }

  return {
    place,
    again,
    centre_on_point,
    fit,
    root_item,
    view_width,
    view_height,
    destroy: () => resize?.disconnect(),
  };
}

/** v within [low, high] (low wins when they cross). */
function clamp(v, low, high) {
  return Math.max(low, Math.min(high, v));
}
