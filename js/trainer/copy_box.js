// What the copy buttons copy: the kernel answers "copy setup" with a line of
// Python ({type: "setup"}) and "copy as PyTorch" with a script ({type: "torch"}).
// The clipboard may refuse (no permission, an http page): then the text waits,
// selected, in a box to copy by hand.
import { html, set_text } from "../core/dom.js";

/** @type {Record<string, {copied: string, by_hand: string}>} */
const NOTES = {
  setup: { copied: "setup copied: paste it into a cell", by_hand: "copy this line (it is selected):" },
  torch: {
    copied: "PyTorch code copied: paste it into a cell where torch is installed",
    by_hand: "copy this code (it is selected):",
  },
};

/**
 * @param {Document} doc
 * @param {any} model
 */
export function create_copy_box(doc, model) {
  const text = html(doc, "textarea", {
    readonly: true,
    rows: 3,
    "aria-label": "text to copy",
    class: "mgw-setup-text",
  });
  const note = html(doc, "span", { class: "mgw-hint", role: "status" }, "");
  const element = html(doc, "div", { class: "mgw-setup", "data-role": "setup" }, note, text);
  text.hidden = true;
  const on_custom = (/** @type {any} */ content) => {
    const notes = NOTES[content?.type];
    if (!notes || typeof content.text !== "string") return;
    const show_box = () => {
      text.value = content.text;
      text.hidden = false;
      text.rows = content.type === "torch" ? 12 : 3;
      set_text(note, notes.by_hand);
      text.focus?.();
      text.select?.();
    };
    const clipboard = doc.defaultView?.navigator?.clipboard;
    if (!clipboard?.writeText) return show_box();
    clipboard.writeText(content.text).then(() => {
      text.hidden = true;
      set_text(note, notes.copied);
    }, show_box);
  };
  model.on("msg:custom", on_custom);
  return { element, destroy: () => model.off("msg:custom", on_custom) };
}
