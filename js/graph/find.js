// The find box of a graph view: a name, label or op typed, the matches
// counted, Enter goes to the next one (its groups opened, selected, centred).
// Python's w.find() arrives here as a list of ids.
import { find_nodes } from "./navigate.js";

/** @param {import('./graph_view.js').View} view */
export function create_find(view) {
  const { ctx, elements } = view;
  const { find_box, find_status } = elements;
  const s = ctx.s;
  let found = { query: "", ids: [], at: -1 };

  /** @param {boolean} next  go to the next match (Enter), not only count them */
  function run(next) {
    const query = find_box.value;
    if (query !== found.query) found = { query, ids: find_nodes(s, query), at: -1 };
    if (!found.ids.length) {
      find_status.textContent = query.trim() ? "no match" : "";
      return;
    }
    if (next) {
      found.at = (found.at + 1) % found.ids.length;
      view.selection.reveal(found.ids[found.at]);
    }
    find_status.textContent =
      found.at >= 0
        ? `${found.at + 1} of ${found.ids.length}`
        : `${found.ids.length} match${found.ids.length === 1 ? "" : "es"}: Enter`;
  }
  const on_input = () => run(false);
  const on_key = (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run(true);
    }
  };
  find_box.addEventListener("input", on_input);
  find_box.addEventListener("keydown", on_key);

  return {
    /** Open the groups on the way to the first of these node ids and centre it (Python's find()). */
    find(ids) {
      const list = (Array.isArray(ids) ? ids : []).map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < s.n);
      if (!list.length) return false;
      found = { query: find_box.value, ids: list, at: 0 };
      find_status.textContent = `${list.length} found`;
      return view.selection.reveal(list[0]);
    },
    destroy() {
      find_box.removeEventListener("input", on_input);
      find_box.removeEventListener("keydown", on_key);
    },
  };
}
