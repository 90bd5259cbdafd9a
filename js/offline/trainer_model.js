// A trainer's model with no kernel behind it, for the pages Trainer.save_html
// writes. The page's engine trains (js/trainer/engine.js): this model makes
// it the driver on play, and answers what needs no Python: reset (the
// weights of the export), a click on a point (its loss graph, made from the
// export's template with the point's own numbers) and copy setup (the page's
// state, packed for Trainer.from_state). What needs Python is locked, saying so.
import { to_float64, to_bytes } from "../core/codecs.js";
import { pack_page_state } from "./trainer_setup.js";
import { trait_model } from "./traits.js";

/**
 * Point `index`'s loss graph from the template (another point's graph: the same
 * shape, its features and targets in its data leaves), named for `index`.
 * @param {Record<string, any>} template  widgets/_trainer_state.py's point_state
 * @param {Record<string, any>} dataset
 * @param {number} index
 */
export function point_from_template(template, dataset, index) {
  const data = to_float64(template.data);
  const rows = to_float64(dataset.rows),
    targets = to_float64(dataset.loss_targets);
  const F = template.features.length,
    T = template.targets.length;
  template.features.forEach((id, f) => {
    data[id] = rows[index * F + f];
  });
  template.targets.forEach((id, t) => {
    data[id] = targets[index * T + t];
  });
  const s = template.structure,
    from = `sample.${template.index}`,
    to = `sample.${index}`;
  const rename = (text) => (text === from || text.startsWith(`${from}.`) ? to + text.slice(from.length) : text);
  const named = (column) => column.map((text, i) => (i === s.n - 1 ? `loss of point ${index}` : text));
  const structure = { ...s, label: named(s.label), name: named(s.name || s.label), scope: s.scope.map(rename) };
  const view = (array) => new DataView(to_bytes(array).buffer);
  return { ...template, index, structure, data: view(data), grad: view(new Float64Array(data.length)) };
}

/**
 * @param {Record<string, any>} state  the saved traits (offline_model.decode_state's output)
 * @param {{engine_for: (model: any) => any, defer?: (fn: () => void) => void}} options
 *   engine_for: the trainer bundle's own (its views' engine: one per model on the page)
 */
export function create_trainer_model(state, options) {
  /** @type {Record<string, any>} */
  const traits = { ...state, lock: state.lock || [], status: state.status || "" };
  const engine_for = options.engine_for;
  const initial = traits.train_state;
  const defer = options.defer || ((fn) => queueMicrotask(fn));
  let revision = initial?.revision ?? 0;
  const { model: base, emit } = trait_model(traits);

  const model = Object.assign(base, {
    save_changes() {
      emit("change", model);
    },
    send(content) {
      if (content && typeof content === "object") defer(() => answer(content));
    },
  });

  /** Several traits at once, then one change: what a kernel's message does. */
  function update(changes) {
    for (const [name, value] of Object.entries(changes)) traits[name] = value;
    emit("change", model);
  }

  async function answer(content) {
    const engine = engine_for(model);
    switch (content.type) {
      case "play":
        if (engine.trainable) update({ driver: content.engine, running: true, status: traits.status });
        break;
      case "pause":
        update({ driver: "", running: false });
        break;
      case "reset":
        revision += 1;
        update({ driver: "", running: false, train_state: { ...initial, revision }, epoch: initial.epoch });
        break;
      case "select": {
        const index = Number(content.index);
        const count = traits.dataset?.count ?? 0;
        const ok = Number.isInteger(index) && index >= 0 && index < count && traits.point_template?.structure;
        update({
          selected: ok ? index : -1,
          point: ok ? point_from_template(traits.point_template, traits.dataset, index) : {},
        });
        break;
      }
      case "copy_setup": {
        if (!engine.state) break;
        const text = await pack_page_state(traits.kernel_state, engine.state, traits, engine.lr_now());
        emit("msg:custom", { type: "setup", text: `Trainer.from_state('${text}')` }, []); // base64: no quote inside
        break;
      }
      default:
        break; // "view", "report", "step": the page's own; the rest needs Python and is locked
    }
  }

  return model;
}
