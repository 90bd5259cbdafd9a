// A clicked point's loss graph, in the network's place (where the eye is): the
// kernel's graph of the point (names, scopes, folding), with the page's own
// weights put into it and replayed whenever they change, so it follows
// training epoch by epoch. "step through backward" is one click away.
import { html } from "../core/dom.js";
import { to_float64, normalize_structure } from "../core/codecs.js";
import { replay } from "../core/replay.js";
import { mount_graph_view } from "../graph/graph_view.js";

const CHROME = 90; // the panel's head and the graph view's own toolbar, above its drawing

// The embedded graph view has its own "reset" (for sliders, which a point's
// loss graph does not have); the trainer's play, pause, step and reset must stay
// the only controls with those names (tests and screen readers find them by
// name), so the view's are renamed and hidden. "step backward" and the rest of
// the step-through keep their own, distinct names.
export function hide_colliding_controls(panel) {
  const walk = (node) => {
    for (const child of Array.from(node.childNodes || [])) {
      const label = child.getAttribute?.("aria-label") || "";
      if (/^(play|pause|step|reset)$/.test(label)) {
        child.setAttribute("aria-label", `loss graph ${label}`);
        child.hidden = true;
      }
      walk(child);
    }
  };
  walk(panel);
}

/**
 * @param {Document} doc
 * @param {any} model
 * @param {import("./engine.js").Engine} engine
 * @param {(type: string, extra?: object) => void} send
 */
export function create_point_panel(doc, model, engine, send) {
  const title = html(doc, "span", { class: "mgw-point-title" }, "");
  const stepper = html(
    doc,
    "button",
    {
      type: "button",
      "aria-label": "step through backward",
      title: "walk backward through this point's graph, node by node",
    },
    "step through backward",
  );
  const close = html(
    doc,
    "button",
    { type: "button", "aria-label": "close loss graph", title: "back to the network (Escape on the plane)" },
    "×",
  );
  const host = html(doc, "div", { class: "mgw-point-host" });
  const element = html(
    doc,
    "div",
    { class: "mgw-point-graph", "data-role": "point-graph", hidden: true },
    html(doc, "div", { class: "mgw-point-head" }, title, stepper, close),
    host,
  );
  close.addEventListener("click", () => send("select", { index: -1 }));
  stepper.addEventListener("click", () => view?.teaching.set("step_index", 0, true));

  let view = null,
    trait = null,
    version = -1,
    room = 320;
  /** @returns {boolean} whether a point's graph shows */
  function paint() {
    const point = model.get("point") || {};
    if (!point.structure?.n) {
      view?.destroy();
      view = trait = null;
      element.hidden = true;
      return false;
    }
    element.hidden = false;
    if (!view || point.structure !== trait?.structure) {
      view?.destroy();
      view = mount_graph_view(host, {
        structure: point.structure,
        data: point.data,
        grad: point.grad,
        group_threshold: 300,
        max_height: () => room - CHROME, // the drawing keeps to the network's room: the plane stays in view
      });
      hide_colliding_controls(host);
      version = -1;
    }
    if (point !== trait) version = -1;
    trait = point;
    title.textContent = `loss graph of point ${point.index ?? model.get("selected")}`;
    if (version === engine.version || !engine.state) return true;
    version = engine.version;
    // the page's weights put into the point's graph: replayed, it follows training
    const s = normalize_structure(point.structure);
    const data = to_float64(point.data),
      grad = new Float64Array(data.length);
    (point.params || []).forEach((id, k) => {
      if (id >= 0 && id < data.length) data[id] = engine.state.weights[k];
    });
    replay(s, data, grad, new Array(data.length).fill(null));
    view.update(data, grad, {});
    return true;
  }
  /** The room it has: the network's (width, height). @param {number} width @param {number} height */
  function resize(width, height) {
    element.style.width = `${width}px`;
    element.style.maxHeight = `${height}px`;
    room = height;
  }
  return { element, paint, resize, destroy: () => view?.destroy() };
}
