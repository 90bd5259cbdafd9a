// Entry of static/offline.js, the kernel-free models that save_html inlines
// next to a widget's bundle (see micrograd_widgets/widgets/_html.py): the
// graph's (offline_model.js) and the trainer's (trainer_model.js).
import { boot_with, create_offline_model, decode_state } from "./offline_model.js";
import { create_trainer_model, point_from_template } from "./trainer_model.js";

/**
 * Start a saved page: a trainer's state carries the kernel's state at export, and the
 * trainer bundle's exports give its engine (one per model on the page, the views').
 * @param {{el: HTMLElement, saved: any, widget: {render: Function, initialize?: Function}, exports?: any}} args
 */
export function boot(args) {
  const state = decode_state(args.saved);
  const trainer = state.kernel_state && args.exports?.engine_for;
  return boot_with(
    args,
    trainer ? create_trainer_model(state, { engine_for: args.exports.engine_for }) : create_offline_model(state),
  );
}

export { create_offline_model, create_trainer_model, decode_state, point_from_template };
