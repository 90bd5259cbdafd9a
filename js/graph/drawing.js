// Drawing one graph view: lay the visible graph out (one layout per set of
// open groups, cached), hand the boxes in view to viewport.js, paint the
// numbers (view_draw.js); placing.js says where the drawing sits.
import { clear } from "../core/dom.js";
import { visible_graph, first_view_keys } from "./groups.js";
import { fold } from "./folding.js";
import { layout } from "./layout.js";
import { paint, item_size } from "./view_draw.js";

const FIRST_VIEW_BOXES = 40; // a big graph's first view opens groups nearest the output up to this many boxes
const FIRST_VIEW_OPENS = 12;

/** @param {import('./graph_view.js').View} view */
export function create_drawing(view) {
  const { ctx, elements } = view;
  const { stage, links_layer, collapse_button } = elements;
  const s = ctx.s;
  const threshold = view.options.group_threshold ?? 300;
  const timing = { layout_ms: 0, build_ms: 0, paint_ms: 0 };
  const layouts = new Map(); // one layout per expanded set: collapsing back costs nothing
  let drawn = null; // the cached drawing on screen

  /**
   * Lay out and build what is visible now, and place it.
   * @param {import('./placing.js').How} [how]  the placement to apply (default: the last one)
   */
  function draw(how) {
    const key =
      [...ctx.expanded].sort().join("\n") +
      "|" +
      [...ctx.picks]
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(",");
    let cached = layouts.get(key);
    const t0 = now();
    view.placing.view_width(true);
    // the focus follows its node into the new drawing (item numbers change with every drawing)
    const focus_rep = ctx.visible && ctx.focus >= 0 ? (ctx.visible.items[ctx.focus]?.rep ?? -1) : -1;
    if (!cached) {
      const visible = visible_graph(s, { threshold, expanded: ctx.expanded, picks: ctx.picks });
      const sizes = visible.items.map((item) => item_size(s, item, ctx.data));
      const widths = sizes.map((z) => z.w),
        heights = sizes.map((z) => z.h);
      cached = {
        visible,
        sizes,
        widths,
        heights,
        layout: layout(visible.items.length, visible.links, widths, heights),
        wrapped: new Map(),
      };
      layouts.set(key, cached);
    }
    drawn = cached;
    ctx.visible = cached.visible;
    ctx.sizes = cached.sizes;
    ctx.layout = chosen_layout();
    ctx.sliders_in = sliders_in(cached.visible);
    ctx.link_sizes = null;
    view.viewport.reset();
    clear(stage);
    clear(links_layer);
    const t1 = now();
    collapse_button.hidden = ctx.expanded.size === 0 && ctx.picks.size === 0;
    ctx.marks = null;
    if (ctx.selected !== null) view.selection.mark(ctx.selected);
    ctx.focus = focus_rep >= 0 ? ctx.visible.item_of[focus_rep] : view.placing.root_item();
    view.placing.again(how);
    const t2 = now();
    repaint();
    // what the benchmarks read: where a first render's time goes
    timing.layout_ms = t1 - t0;
    timing.build_ms = t2 - t1;
    timing.paint_ms = now() - t2;
  }

  /** @param {boolean} [edges]  false: numbers and colours only (edge widths wait) */
  function repaint(edges = true) {
    view.teaching.prepare_paint();
    paint(ctx, edges);
    view.teaching.after_paint();
    view.selection.show_chain(ctx.selected);
  }

  /** The drawing's layout as the canvas's size wants it now: whole, or cut into bands. */
  function chosen_layout() {
    return view.placing.choose_layout(drawn.layout, drawn.widths, drawn.heights, drawn.wrapped);
  }

  /** The canvas changed size: draw again if the drawing is cut into other bands now; true when it was. */
  function rewrap() {
    if (!drawn || chosen_layout() === ctx.layout) return false;
    draw();
    return true;
  }

  /** How many of the sliders' leaves each box holds (a node box: its own leaf; a group: those inside). */
  function sliders_in(visible) {
    const counts = new Map();
    for (const id of ctx.slider_ids) {
      const k = visible.item_of[id];
      if (k >= 0) counts.set(k, (counts.get(k) || 0) + 1);
    }
    return counts;
  }

  /** Pan/zoom moved the drawing: bring the boxes in view into the DOM. */
  function sync_view(pan) {
    if (!ctx.layout) return;
    view.viewport.sync(pan, view.placing.view_width(), view.placing.view_height(), ctx.focus);
  }

  /** Open the biggest groups, then those nearest the output, while the first view stays small. */
  function first_view() {
    if (s.n <= threshold) return;
    for (const key of first_view_keys(fold(s), FIRST_VIEW_BOXES, FIRST_VIEW_OPENS)) ctx.expanded.add(key);
  }

  return { draw, rewrap, repaint, sync_view, first_view, timing };
}

function now() {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
