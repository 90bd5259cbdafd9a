// The plane under the pointer and the keys: a click selects the nearest point
// (or adds one in draw mode), the arrows walk through the points, Escape closes
// the loss graph, Ctrl+Z takes a drawn point back; where the pointer is, in
// the data's units, goes to the network's info box.
import { to_float64 } from "../core/codecs.js";
import { nearest_point } from "./boundary.js";
import { fit_frame, point_xs } from "./fit_plot.js";
import { add_point_message, to_data } from "./draw_mode.js";

/**
 * The plane's frame in data units ([x0, x1, y0, y1]; a 1-D fit's fits its curve) and the points.
 * @param {any} model
 * @param {any} engine
 */
export function plane_frame(model, engine) {
  const d = model.get("dataset") || {};
  const xy = to_float64(d.points);
  if (d.dims !== 1) return { frame: d.extent || [], xy };
  const ys = to_float64(d.targets);
  const xs = point_xs(xy, ys.length);
  return { frame: fit_frame(Float32Array.from(engine.pictures()?.curve || []), xs, ys, d.extent || []), xy };
}

/**
 * @param {HTMLCanvasElement} plane
 * @param {{model: any, engine: any, send: (type: string, extra?: object) => void,
 *   draw: import("./draw_controls.js").DrawChoice, on_hover: (point: number[]) => void}} view
 */
export function attach_plane_input(plane, { model, engine, send, draw, on_hover }) {
  /** The event's place on the canvas, in canvas pixels; null before the data has a frame. */
  const place = (/** @type {MouseEvent} */ event) => {
    const rect = plane.getBoundingClientRect();
    const scale = plane.width / (rect.width || plane.width);
    const { frame, xy } = plane_frame(model, engine);
    if (frame.length !== 4) return null;
    return { frame, xy, scale, px: (event.clientX - rect.left) * scale, py: (event.clientY - rect.top) * scale };
  };
  plane.addEventListener("mousemove", (event) => {
    const at = place(event);
    if (!at) return;
    const [x, y] = to_data(at.frame, plane.width, at.px, at.py);
    on_hover(model.get("dataset")?.dims === 1 ? [x] : [x, y]);
  });
  plane.addEventListener("click", (event) => {
    const at = place(event);
    if (!at) return;
    if (draw.on) {
      const [x, y] = to_data(at.frame, plane.width, at.px, at.py);
      const d = model.get("dataset") || {};
      const state = {
        task: model.get("task") || "binary",
        dims: d.dims === 1 ? 1 : 2,
        label: draw.label,
        value: draw.value,
      };
      send("add_point", add_point_message(state, x, y, Boolean(event.shiftKey)));
      return;
    }
    send("select", { index: nearest_point(at.xy, at.frame, plane.width, at.px, at.py, 10 * at.scale) });
  });
  // the arrows work in presenter mode too: the trainer steps with its own button
  plane.addEventListener("keydown", (event) => {
    const count = model.get("dataset")?.count || 0;
    const selected = model.get("selected");
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves && count > 0) {
      send("select", { index: ((((selected < 0 ? -1 : selected) + moves[event.key]) % count) + count) % count });
      event.preventDefault();
    } else if (event.key === "Escape") {
      send("select", { index: -1 });
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
      send("undo_point");
      event.preventDefault();
    }
  });
}
