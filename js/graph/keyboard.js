// The keys of a graph view's canvas (NOTE [graph keys] in navigate.js): the
// roving tab stop, a move to a neighbouring box (brought into view when it is
// not), Enter on a box, "/" to the find box.
import { move_of, neighbour } from "./navigate.js";
import { closest_with } from "./selection.js";

/** @param {import('./graph_view.js').View} view */
export function create_keyboard(view) {
  const { ctx, elements } = view;
  const { canvas, find_box } = elements;

  /** The focused item holds the one tab stop of the graph. */
  function apply_focus() {
    for (const box of ctx.boxes) {
      const want = box.k === ctx.focus ? "0" : "-1";
      if (box.g.getAttribute("tabindex") !== want) box.g.setAttribute("tabindex", want);
    }
  }

  function on_key(event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      view.selection.click(event);
      return;
    }
    if (event.key === "/" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      find_box.focus();
      return;
    }
    const way = move_of(event);
    if (!way || !closest_with(event.target, canvas)) return;
    event.preventDefault();
    event.stopPropagation();
    const from = ctx.focus >= 0 ? ctx.focus : view.placing.root_item();
    const to = way === "home" ? view.placing.root_item() : neighbour(ctx.visible, ctx.layout, from, way);
    focus_item(to);
  }

  function focus_item(k) {
    ctx.focus = k;
    const pan = view.panzoom.state();
    const x = ctx.layout.x[k] * pan.k + pan.x,
      y = ctx.layout.y[k] * pan.k + pan.y;
    const width = view.placing.view_width(),
      height = view.placing.view_height();
    const size = ctx.sizes[k];
    if (x < 0 || y < 0 || x + size.w * pan.k > width || y + size.box_h * pan.k > height) {
      view.placing.centre_on_point(ctx.layout.x[k] + size.w / 2, ctx.layout.y[k] + size.h / 2, true);
    } else {
      view.viewport.resync(k);
    }
    apply_focus();
    view.viewport.box(k)?.g.focus?.({ preventScroll: true });
  }

  canvas.addEventListener("keydown", on_key);

  return {
    apply_focus,
    destroy: () => canvas.removeEventListener("keydown", on_key),
  };
}
