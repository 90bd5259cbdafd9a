// The graph widget's anywidget entry: connects the kernel-free view
// (graph_view.js) to the model. The view replays every slider input itself and
// repaints at once; the values then go to the kernel coalesced (sync.js), and
// the kernel's answer, the truth, overwrites the view.
import { mount_graph_view } from "./graph_view.js";
import { create_sync } from "./sync.js";
import { teaching_options, bind_teaching } from "../teaching/index.js";

/** @param {{model: any, el: HTMLElement}} args */
function render({ model, el }) {
  el.classList.add("mgw-graph-host");
  let view = null;
  const sync = create_sync({
    send: (content) => model.send(content),
    on_state: (content, buffers) => {
      view.update(buffers[0], buffers[1], content.errors);
      if (buffers.length > 2) view.set_numeric(buffers[2]);
    },
    on_status: (status) => view.set_sync(status),
    show_overtaken: model.get("local_replay") === false,
  });
  view = mount_graph_view(el, {
    structure: model.get("structure"),
    data: model.get("data"),
    grad: model.get("grad"),
    errors: model.get("errors"),
    sliders: model.get("sliders"),
    slider_note: model.get("slider_note") || "",
    group_threshold: model.get("group_threshold"),
    show_gradcheck: model.get("show_gradcheck"),
    numeric: model.get("numeric_grad"),
    local_replay: model.get("local_replay") !== false,
    on_input: (values) => sync.request(values),
    on_gradcheck: (on) => {
      model.set("show_gradcheck", on);
      model.save_changes();
    },
    teaching: teaching_options(model),
  });
  const unbind_teaching = bind_teaching(model, view.teaching);

  // Numbers changed by Python (w.set, w.refresh) or by another view of the same
  // widget. While this view waits for its own answer they would be stale, so
  // they are skipped; the answer carries every number anyway. The three traits
  // arrive one change event each: apply them together, once.
  let scheduled = false;
  const on_numbers = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!sync.busy()) view.update(model.get("data"), model.get("grad"), model.get("errors"));
    });
  };
  const on_numeric = () => view.set_numeric(model.get("numeric_grad"));
  const on_gradcheck = () => view.set_gradcheck(model.get("show_gradcheck"));
  const on_custom = (content, buffers) => {
    // Python's w.find(): every view opens the groups on the way and centres the first id
    if (content && content.type === "find" && Array.isArray(content.ids)) return view.find(content.ids);
    sync.receive(content, buffers || []);
  };
  const handlers = [
    ["change:data", on_numbers],
    ["change:grad", on_numbers],
    ["change:errors", on_numbers],
    ["change:numeric_grad", on_numeric],
    ["change:show_gradcheck", on_gradcheck],
    ["msg:custom", on_custom],
  ];
  for (const [event, fn] of handlers) model.on(event, fn);
  return () => {
    for (const [event, fn] of handlers) model.off(event, fn);
    unbind_teaching();
    sync.destroy();
    view.destroy();
  };
}

export default { render };
