// The minimap under a graph view's canvas: the whole drawing in small, a
// frame where the view is, and a click goes there. Hidden while the whole
// drawing is in view.
import { html } from "../core/dom.js";

const MINI_W = 200,
  MINI_H = 100;

/**
 * @param {Document} doc
 * @param {HTMLElement} overview  where the minimap goes (under the canvas: it never hides a box)
 * @param {any} ctx  the view's state: s, visible, layout, sizes
 * @param {() => {box: string, line: string, edge: string, accent: string}} colours  the theme's
 * @param {(x: number, y: number) => void} on_jump  a click: centre there (drawing coordinates)
 */
export function create_minimap(doc, overview, ctx, colours, on_jump) {
  const mini = html(doc, "canvas", { class: "mgw-minimap-picture", width: MINI_W, height: MINI_H });
  const frame = html(doc, "div", { class: "mgw-minimap-frame" });
  const minimap = html(
    doc,
    "div",
    {
      class: "mgw-minimap",
      role: "button",
      tabindex: -1,
      hidden: true,
      "aria-label": "overview of the whole graph: click to go there",
      title: "the whole graph: click to go there",
    },
    mini,
    frame,
  );
  overview.append(minimap);
  let mini_for = null,
    mini_scale = 1;

  /** The minimap of the view at scale k, offset (x, y), on a w x h canvas. */
  function draw(view, w, h) {
    const { layout } = ctx;
    const fits =
      layout.width * view.k <= w + 1 &&
      layout.height * view.k <= h + 1 &&
      view.x >= -1 &&
      view.y >= -1 &&
      view.x + layout.width * view.k <= w + 1 &&
      view.y + layout.height * view.k <= h + 1;
    minimap.hidden = fits;
    if (fits) return;
    if (mini_for !== layout) {
      mini_for = layout;
      mini_scale = Math.min((MINI_W - 8) / Math.max(1, layout.width), (MINI_H - 8) / Math.max(1, layout.height));
      // as tall as the drawing's shape needs, no taller
      const tall = Math.max(24, Math.ceil(layout.height * mini_scale + 8));
      mini.height = tall;
      mini.style.height = `${tall}px`;
      minimap.style.height = `${tall}px`;
      const g = mini.getContext?.("2d");
      if (g) {
        const c = colours();
        g.clearRect(0, 0, MINI_W, tall);
        const { visible, sizes } = ctx;
        const root_item = visible.item_of[ctx.s.n - 1];
        for (let k = 0; k < visible.items.length; k++) {
          g.fillStyle = k === root_item ? c.accent : visible.items[k].type === "group" ? c.line : c.edge;
          g.fillRect(
            4 + layout.x[k] * mini_scale,
            4 + layout.y[k] * mini_scale,
            Math.max(1, sizes[k].w * mini_scale),
            Math.max(1, sizes[k].box_h * mini_scale),
          );
        }
      }
    }
    const s = mini_scale / view.k;
    frame.style.left = `${4 + -view.x * s}px`;
    frame.style.top = `${4 + -view.y * s}px`;
    frame.style.width = `${Math.max(2, w * s)}px`;
    frame.style.height = `${Math.max(2, h * s)}px`;
  }

  function on_click(event) {
    event.stopPropagation();
    const box = mini.getBoundingClientRect();
    on_jump((event.clientX - box.left - 4) / mini_scale, (event.clientY - box.top - 4) / mini_scale);
  }
  const stop = (event) => event.stopPropagation(); // the minimap is not a place to start a pan
  minimap.addEventListener("click", on_click);
  minimap.addEventListener("pointerdown", stop);

  return {
    draw,
    destroy() {
      minimap.removeEventListener("click", on_click);
      minimap.removeEventListener("pointerdown", stop);
    },
  };
}
