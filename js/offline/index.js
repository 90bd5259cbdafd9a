// Entry of static/offline.js, the kernel-free model that save_html inlines
// next to the graph bundle (see micrograd_widgets/_html.py).
export { boot, create_offline_model, decode_state } from "./offline_model.js";
