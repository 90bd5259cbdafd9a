// What of the laid-out drawing is in the DOM: only the boxes in view (and a
// margin for the next pan), at most MAX_BOXES of them. When more would be in
// view, or the text would be smaller than LOD_PX on screen, the view draws
// plain shapes on one canvas instead (level of detail) and says how to read
// them. A minimap (minimap.js) shows the whole drawing and where the view is; a click on it
// goes there. So the widget's element count stays bounded whatever the graph.
import { html } from "../core/dom.js";
import { create_minimap } from "./minimap.js";

const TEXT_PX = 12; // a box's text size at scale 1
export const LOD_PX = 5; // text smaller than this on screen: shapes without text
export const MAX_BOXES = 220; // boxes in the DOM at most (a node box is about 13 elements)
const ALL_BOXES = 150; // drawings of up to this many boxes are drawn whole, in view or not
const MAX_PATHS = 700;
const MARGIN = 160; // screen px beyond the view's edges drawn ahead of a pan

/**
 * @typedef {object} ViewportHost
 * @property {Document} doc
 * @property {HTMLElement} canvas   the panned element (.mgw-canvas)
 * @property {HTMLElement} overview  where the minimap goes (under the canvas: it never hides a box)
 * @property {HTMLElement} stage    holds the boxes
 * @property {SVGGElement} links_layer
 * @property {any} ctx   the view's state: visible, layout, sizes; gets boxes, paths, lod
 * @property {(k: number) => any} make_box
 * @property {(k: number) => Element} make_path
 * @property {(added: boolean) => void} on_sync  after boxes came or went
 * @property {(x: number, y: number) => void} on_jump  a click on the minimap: centre there (drawing coordinates)
 */

/** @param {ViewportHost} host */
export function create_viewport(host) {
  const { doc, canvas, stage, links_layer, ctx, overview } = host;
  const shapes = html(doc, "canvas", { class: "mgw-shapes", "aria-hidden": "true", hidden: true });
  const note = html(doc, "div", {
    class: "mgw-lod-note",
    "data-role": "lod-note",
    "aria-live": "polite",
    hidden: true,
  });
  canvas.append(shapes, note);
  const minimap = create_minimap(doc, overview, ctx, colours, host.on_jump);
  /** @type {Map<number, any>} */
  let boxes = new Map();
  /** @type {Map<number, any>} */
  let paths = new Map();
  let last = { k: 1, x: 0, y: 0, w: 0, h: 0 };
  ctx.boxes = [];
  ctx.paths = [];
  ctx.lod = false;

  function reset() {
    for (const box of boxes.values()) box.g.remove();
    for (const p of paths.values()) p.path.remove();
    boxes = new Map();
    paths = new Map();
    ctx.boxes = [];
    ctx.paths = [];
  }

  /**
   * Bring the DOM in line with the view: scale k, offset (x, y), a w x h canvas.
   * @param {{k: number, x: number, y: number}} view
   * @param {number} w
   * @param {number} h
   * @param {number} [keep]  an item kept drawn wherever it is (the focused box)
   */
  function sync(view, w, h, keep = -1) {
    last = { ...view, w, h };
    const { visible, layout, sizes } = ctx;
    if (!visible) return;
    const count = visible.items.length;
    const left = (-MARGIN - view.x) / view.k,
      right = (w + MARGIN - view.x) / view.k;
    const top = (-MARGIN - view.y) / view.k,
      bottom = (h + MARGIN - view.y) / view.k;
    const in_view = [];
    // a drawing small enough is drawn whole (screen readers and find-in-page see every node)
    const whole = count <= ALL_BOXES;
    for (let k = 0; k < count; k++) {
      const x = layout.x[k],
        y = layout.y[k];
      if (whole || (x <= right && x + sizes[k].w >= left && y <= bottom && y + sizes[k].h >= top)) in_view.push(k);
    }
    const lod = view.k * TEXT_PX < LOD_PX || in_view.length > MAX_BOXES;
    ctx.lod = lod;
    let added = false,
      removed = false;
    if (lod) {
      if (boxes.size || paths.size) {
        reset();
        removed = true;
      }
      draw_shapes(shapes, ctx, colours(), view, w, h, in_view);
      note.hidden = false;
      note.textContent = `${in_view.length.toLocaleString("en-US")} boxes in view, drawn as shapes: zoom in, or click, to read them`;
    } else {
      shapes.hidden = true;
      note.hidden = true;
      const wanted = new Set(in_view);
      if (keep >= 0 && keep < count) wanted.add(keep);
      for (const [k, box] of boxes)
        if (!wanted.has(k)) {
          box.g.remove();
          boxes.delete(k);
          removed = true;
        }
      for (const k of wanted) {
        if (boxes.has(k)) continue;
        const box = host.make_box(k);
        stage.appendChild(box.g);
        boxes.set(k, box);
        added = true;
      }
      // links with an end on screen, the nearest first when there are too many
      const links = visible.links;
      const want_paths = new Set();
      for (let k = 0; k < links.length && want_paths.size < MAX_PATHS; k++) {
        if (wanted.has(links[k].from) || wanted.has(links[k].to)) want_paths.add(k);
      }
      for (const [k, p] of paths)
        if (!want_paths.has(k)) {
          p.path.remove();
          paths.delete(k);
          removed = true;
        }
      for (const k of want_paths) {
        if (paths.has(k)) continue;
        const path = host.make_path(k);
        links_layer.appendChild(path);
        paths.set(k, { k, path, look: "" });
        added = true;
      }
    }
    if (added || removed) {
      ctx.boxes = [...boxes.values()];
      ctx.paths = [...paths.values()];
      host.on_sync(added);
    }
    minimap.draw(view, w, h);
  }

  // theme colours, read at most every few seconds: getComputedStyle forces a style pass
  let palette = null,
    palette_at = -Infinity;
  function colours() {
    const at = typeof performance !== "undefined" ? performance.now() : Date.now();
    if (palette && at - palette_at < 3000) return palette;
    const style = doc.defaultView?.getComputedStyle?.(canvas);
    const read = (name, fallback) => style?.getPropertyValue(name).trim() || fallback;
    palette = {
      box: read("--mgw-panel", "#f7f7f7"),
      line: read("--mgw-border", "#9a9a9a"),
      edge: read("--mgw-edge", "#8c8c8c"),
      accent: read("--mgw-accent", "#1976d2"),
    };
    palette_at = at;
    return palette;
  }

  return {
    sync,
    reset,
    resync: (keep = -1) => sync(last, last.w, last.h, keep),
    /** Drawing coordinates of a point on the canvas (client px relative to it). */
    to_drawing: (px, py) => ({ x: (px - last.x) / last.k, y: (py - last.y) / last.k }),
    box: (k) => boxes.get(k),
    destroy: () => minimap.destroy(),
  };
}

/**
 * The boxes in view as plain shapes on one canvas (no text: too small to read, or too many).
 * @param {HTMLCanvasElement} shapes
 * @param {any} ctx
 * @param {{box: string, line: string, edge: string, accent: string}} c  the theme's colours
 */
function draw_shapes(shapes, ctx, c, view, w, h, in_view) {
  shapes.hidden = false;
  const g = shapes.getContext?.("2d");
  if (!g) return;
  const ratio = shapes.ownerDocument.defaultView?.devicePixelRatio || 1;
  if (shapes.width !== Math.round(w * ratio) || shapes.height !== Math.round(h * ratio)) {
    shapes.width = Math.round(w * ratio);
    shapes.height = Math.round(h * ratio);
  }
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const { visible, layout, sizes } = ctx;
  const on = new Uint8Array(visible.items.length);
  for (const k of in_view) on[k] = 1;
  g.strokeStyle = c.edge;
  g.globalAlpha = 0.5;
  g.lineWidth = 1;
  g.beginPath();
  for (const link of visible.links) {
    if (!on[link.from] && !on[link.to]) continue;
    const a = link.from,
      b = link.to;
    g.moveTo((layout.x[a] + sizes[a].w) * view.k + view.x, (layout.y[a] + sizes[a].box_h / 2) * view.k + view.y);
    g.lineTo(layout.x[b] * view.k + view.x, (layout.y[b] + sizes[b].box_h / 2) * view.k + view.y);
  }
  g.stroke();
  g.globalAlpha = 1;
  const root_item = ctx.visible.item_of[ctx.s.n - 1];
  for (const k of in_view) {
    const item = visible.items[k];
    const x = layout.x[k] * view.k + view.x,
      y = layout.y[k] * view.k + view.y;
    const bw = Math.max(1, sizes[k].w * view.k),
      bh = Math.max(1, sizes[k].box_h * view.k);
    g.fillStyle = k === root_item ? c.accent : item.type === "group" ? c.line : c.box;
    g.fillRect(x, y, bw, bh);
    if (bw > 4) {
      g.strokeStyle = c.line;
      g.strokeRect(x, y, bw, bh);
    }
  }
}
