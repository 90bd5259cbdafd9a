// Pan and zoom of the drawing: drag to pan, wheel to zoom about the pointer.
// A plain wheel scrolls the notebook until the drawing has been clicked (a
// lecturer scrolling past must not get stuck zooming); ctrl+wheel (and the
// trackpad pinch, which browsers report as ctrl+wheel) always zooms.

const MIN_SCALE = 0.002; // a 65,000-node graph drawn flat still fits in a view
const MAX_SCALE = 4;
const CLICK_SLOP = 4;

/**
 * @param {HTMLElement} canvas  receives the pointer and wheel events
 * @param {(view: {k: number, x: number, y: number}) => void} apply_view  moves the drawing
 */
export function create_panzoom(canvas, apply_view) {
  const view = { k: 1, x: 0, y: 0 };
  let active = false;
  let drag = null;
  let moved_by_user = false;

  function apply() {
    apply_view(view);
  }

  function zoom_at(px, py, factor) {
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.k * factor));
    view.x = px - ((px - view.x) * k) / view.k;
    view.y = py - ((py - view.y) * k) / view.k;
    view.k = k;
    moved_by_user = true;
    apply();
  }

  function on_wheel(event) {
    if (!active && !event.ctrlKey) return;
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoom_at(event.clientX - box.left, event.clientY - box.top, Math.exp(-event.deltaY * 0.0015));
  }

  function on_down(event) {
    active = true;
    suppress_click = false; // a drag that ended off the canvas left no click to swallow

    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false, id: event.pointerId };
  }

  function on_move(event) {
    if (!drag) return;
    const dx = event.clientX - drag.x,
      dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
    if (!drag.moved) {
      try {
        canvas.setPointerCapture?.(drag.id);
      } catch {
        /* a pointer already gone: the drag goes on without capture */
      }
    }
    drag.moved = true;
    moved_by_user = true;
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    apply();
  }

  function on_up() {
    if (drag?.moved) suppress_click = true;
    drag = null;
  }

  // a drag that ends on a node must not also select it
  let suppress_click = false;
  function on_click_capture(event) {
    if (suppress_click) {
      suppress_click = false;
      event.stopPropagation();
    }
  }

  const on_leave = () => {
    active = false;
  };
  // [type, handler, options]: added here, removed with the same options by destroy()
  /** @type {[string, EventListener, (boolean|AddEventListenerOptions)?][]} */
  const listeners = [
    ["wheel", on_wheel, { passive: false }],
    ["pointerdown", on_down],
    ["pointermove", on_move],
    ["pointerup", on_up],
    ["pointercancel", on_up],
    ["pointerleave", on_leave],
    ["click", on_click_capture, true],
  ];
  for (const [type, fn, options] of listeners) canvas.addEventListener(type, fn, options);

  return {
    /** Show the whole drawing (width w, height h) inside a view_w x view_h canvas, enlarged at most max_k times. */
    fit(w, h, view_w, view_h, pad = 12, min_k = 0, max_k = 1) {
      const k = Math.min(max_k, (view_w - 2 * pad) / Math.max(w, 1), (view_h - 2 * pad) / Math.max(h, 1));
      view.k = Math.max(MIN_SCALE, min_k, k);
      view.x = Math.max(pad, (view_w - w * view.k) / 2);
      view.y = Math.max(pad, (view_h - h * view.k) / 2);
      moved_by_user = false;
      apply();
    },
    /** Put the drawing at scale k with its origin at (x, y): a placement, not a user's move. */
    set(k, x, y) {
      view.k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, k));
      view.x = x;
      view.y = y;
      moved_by_user = false;
      apply();
    },
    /** Move the drawing by (dx, dy) screen px, as a user's pan. */
    pan_by(dx, dy) {
      view.x += dx;
      view.y += dy;
      moved_by_user = true;
      apply();
    },
    zoom_at,
    moved_by_user: () => moved_by_user,
    state: () => ({ ...view }),
    destroy() {
      for (const [type, fn, options] of listeners) canvas.removeEventListener(type, fn, options);
    },
  };
}
