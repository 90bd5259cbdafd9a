// What the user points at in a graph view: the selected node (its paths
// marked, the chain rule at it in the panel) and a group opened by a click;
// keyboard.js moves the focus between boxes.
import { render_chain_panel } from "./chain_panel.js";
import { reveal_path, matching_open } from "./groups.js";

/** @param {import('./graph_view.js').View} view */
export function create_selection(view) {
  const { doc, ctx, elements } = view;
  const { root, canvas, chain } = elements;
  const s = ctx.s;

  /** Work out the marks of node i's paths (null: none selected). */
  function mark(i) {
    ctx.marks = i === null ? null : path_marks(ctx.visible, i);
  }
  function apply_marks() {
    const marks = ctx.marks;
    for (const box of ctx.boxes) set_state(box.g, marks ? marks[box.k] : "");
    // a link is on a highlighted path when both its ends are on the same side of the selection
    const side = (k, name) => marks[k] === name || marks[k] === "selected";
    for (const drawn_path of ctx.paths) {
      const link = ctx.visible.links[drawn_path.k];
      const on_path =
        marks && ((side(link.from, "up") && side(link.to, "up")) || (side(link.from, "down") && side(link.to, "down")));
      set_state(drawn_path.path, on_path ? "path" : "");
    }
  }
  /** The chain panel at node i: a teaching mode's when one owns the panel, else the chain rule. */
  function show_chain(i) {
    if (!view.teaching.render_chain(i)) render_chain_panel(doc, chain, ctx, i);
  }
  /** @param {number|null} i */
  function select(i) {
    ctx.selected = i;
    mark(i);
    apply_marks();
    root.classList.toggle("mgw-has-selection", i !== null);
    show_chain(i);
  }

  /** Open a group (or show the next instance of a repeat), keeping it in view. */
  function open_group(key) {
    const item = ctx.visible.items.find((it) => it.key === key);
    const rep = item ? item.rep : -1;
    if (key.endsWith("~rest")) {
      const repeat = key.slice(0, -5);
      const f = ctx.visible.folding;
      const list = f ? f.instances[f.index.get(repeat) ?? -1] || [] : [];
      const pick = ctx.picks.get(repeat) ?? 0,
        next = (pick + 1) % Math.max(1, list.length);
      ctx.picks.set(repeat, next);
      // the next instance opens as far as the one it replaces
      if (f && list.length)
        for (const key of matching_open(f, list[pick], list[next], ctx.expanded)) ctx.expanded.add(key);
    } else {
      ctx.expanded.add(key);
    }
    ctx.selected = null;
    root.classList.toggle("mgw-has-selection", false);
    view.drawing.draw("item");
    // the box that now holds the group's last node, in the middle of the view
    if (rep >= 0) {
      ctx.focus = ctx.visible.item_of[rep];
      view.placing.place("item", ctx.focus);
      view.keyboard.apply_focus();
    }
  }

  /** Close every group: the first drawing, without its opened groups. */
  function collapse() {
    ctx.expanded.clear();
    ctx.picks.clear();
    ctx.selected = null;
    ctx.focus = -1;
    view.drawing.draw("first");
  }

  /** Open the groups on the way to node i, select it and bring it to the middle of the view. */
  function reveal(i) {
    if (!(i >= 0 && i < s.n)) return false;
    const f = ctx.visible.folding;
    if (f) {
      const way = reveal_path(f, i);
      for (const key of way.open) ctx.expanded.add(key);
      for (const [key, pick] of way.picks) ctx.picks.set(key, pick);
      view.drawing.draw();
    }
    const k = ctx.visible.item_of[i];
    ctx.focus = k;
    view.placing.place("item", k);
    view.keyboard.apply_focus();
    select(i);
    view.viewport.box(k)?.g.focus?.({ preventScroll: true });
    return true;
  }

  function on_click(event) {
    const target = closest_with(event.target, canvas);
    if (!target) {
      if (ctx.lod && event.target === canvas.querySelector?.(".mgw-shapes")) {
        // a click on the shapes: read that place
        const box = canvas.getBoundingClientRect();
        const point = view.viewport.to_drawing(event.clientX - box.left, event.clientY - box.top);
        return view.placing.centre_on_point(point.x, point.y, true);
      }
      return select(null);
    }
    const group = target.getAttribute("data-group");
    if (group !== null) return open_group(group);
    const id = Number(target.getAttribute("data-node-id"));
    ctx.focus = ctx.visible.item_of[id];
    view.keyboard.apply_focus();
    select(ctx.selected === id ? null : id);
  }

  canvas.addEventListener("click", on_click);

  return {
    mark,
    apply_marks,
    show_chain,
    select,
    collapse,
    reveal,
    /** A click, or Enter on a box: select the node, open the group, or read the shapes there. */
    click: on_click,
    destroy() {
      canvas.removeEventListener("click", on_click);
    },
  };
}

function set_state(element, state) {
  if (state) element.setAttribute("data-state", state);
  else element.removeAttribute("data-state");
}

/** The box element a click landed in (a node or a group), or null for the background. */
export function closest_with(target, stop) {
  for (let el = target; el && el !== stop; el = el.parentNode) {
    if (el.getAttribute && (el.getAttribute("data-node-id") !== null || el.getAttribute("data-group") !== null))
      return el;
  }
  return null;
}

/** Each item's mark for a selected node i: "selected", "up" (it depends on them), "down" (they use it) or "". */
function path_marks(visible, i) {
  const item_of = visible.item_of;
  const marks = new Array(visible.items.length).fill("");
  if (item_of[i] >= 0) {
    const up = reach(visible, item_of[i], "up"),
      down = reach(visible, item_of[i], "down");
    up.forEach((k) => {
      marks[k] = "up";
    });
    down.forEach((k) => {
      marks[k] = "down";
    });
    marks[item_of[i]] = "selected";
  }
  return marks;
}

/** Items reachable from k along links upstream ("up": what it depends on) or downstream. */
function reach(visible, k, direction) {
  const next = Array.from({ length: visible.items.length }, () => []);
  for (const link of visible.links) {
    if (direction === "up") next[link.to].push(link.from);
    else next[link.from].push(link.to);
  }
  const seen = new Set();
  const stack = [k];
  while (stack.length) {
    for (const j of next[stack.pop()])
      if (!seen.has(j) && j !== k) {
        seen.add(j);
        stack.push(j);
      }
  }
  return seen;
}
