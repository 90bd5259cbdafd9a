// The trainer's head: the toolbar (play, pause, step, reset, new data, the
// copy buttons; the epoch and the rate), the figures in one line, the status
// line, and how they read at each frame.
import { html, set_text } from "../core/dom.js";
import { figure_text } from "./view_text.js";

// the buttons presenter mode folds with the settings
const FOLDED = ["new data", "copy setup", "copy as PyTorch"];

/**
 * The toolbar: play, pause, step, reset, the epoch and the rate; new data, copy setup, copy as PyTorch.
 * @param {Document} doc
 * @param {Record<string, () => void>} actions
 */
export function build_toolbar(doc, actions) {
  const element = html(doc, "div", { class: "mgw-toolbar", role: "toolbar", "aria-label": "training" });
  /** @type {Record<string, HTMLButtonElement>} */
  const buttons = {};
  // the epoch and the rate after the buttons a lecture uses, before the ones it rarely does: on a
  // narrow screen those wrap, the counter stays beside play (its room kept: nothing moves as it grows)
  const epoch = html(doc, "span", { class: "mgw-figure", "data-field": "epoch" }, "");
  const rate = html(doc, "span", { class: "mgw-rate", "data-field": "rate" }, "");
  for (const [name, text, title, setting] of [
    ["play", "▶ play", "train until paused", "play"],
    ["pause", "❚❚ pause", "stop after this epoch", "pause"],
    ["step", "step", "train one epoch", "step"],
    ["reset", "reset", "back to the initial weights", "reset"],
    ["new data", "new data", "draw new points from the same data set", "new_data"],
    [
      "copy setup",
      "copy setup",
      "copy a Python line that rebuilds this trainer exactly (paste it into a cell)",
      "copy_setup",
    ],
    ["copy as PyTorch", "copy as PyTorch", "copy PyTorch code that rebuilds this model and its training", "copy_torch"],
    ["settings", "settings", "show or hide the settings", ""],
  ]) {
    buttons[name] = html(
      doc,
      "button",
      { type: "button", "aria-label": name, title, "data-setting": setting || null },
      text,
    );
    buttons[name].addEventListener("click", actions[name]);
    element.append(buttons[name]);
    if (name === "reset") element.append(html(doc, "span", { class: "mgw-epoch" }, "epoch ", epoch), rate);
  }
  return { element, buttons, epoch, rate };
}

/**
 * The figures in one line: train and test loss, train and test accuracy (R² in regression).
 * @param {Document} doc
 */
export function build_figures(doc) {
  const field = (name) => html(doc, "span", { class: "mgw-figure", "data-field": name }, "");
  const fields = {
    loss: field("loss"),
    accuracy: field("accuracy"),
    "test-loss": field("test-loss"),
    "test-accuracy": field("test-accuracy"),
  };
  const names = [html(doc, "dt", {}, "train accuracy"), html(doc, "dt", {}, "test accuracy")];
  // each name with its number in one group (a div in a dl is HTML's way): a pair never breaks
  const pair = (dt, field) => html(doc, "div", { class: "mgw-pair" }, dt, html(doc, "dd", {}, field));
  const element = html(
    doc,
    "dl",
    { class: "mgw-figures" },
    pair(html(doc, "dt", {}, "train loss"), fields.loss),
    pair(html(doc, "dt", {}, "test loss"), fields["test-loss"]),
    pair(names[0], fields.accuracy),
    pair(names[1], fields["test-accuracy"]),
  );
  return { element, fields, names };
}

/**
 * The toolbar, the figures and the status line.
 * @param {Document} doc
 * @param {Record<string, () => void>} actions
 */
export function build_head(doc, actions) {
  const toolbar = build_toolbar(doc, actions);
  const figures = build_figures(doc);
  const status = html(doc, "div", {
    class: "mgw-status",
    "data-field": "status",
    role: "status",
    "aria-live": "polite",
  });
  return { toolbar, figures, status };
}

/**
 * The head as it reads now.
 * @param {ReturnType<typeof build_head>} head
 * @param {{running: boolean, presenter: boolean, folded: boolean, epoch: number, rate: number,
 *   figures: number[], no_training: boolean, task: string, status: string}} now
 */
export function paint_head({ toolbar, figures, status }, now) {
  const { buttons } = toolbar;
  buttons.settings.style.display = now.presenter ? "" : "none";
  buttons.settings.setAttribute("aria-expanded", String(!now.folded));
  // style.display, not hidden: hide= owns the hidden attribute (access.js)
  for (const name of FOLDED) buttons[name].style.display = now.folded ? "none" : "";
  buttons.play.setAttribute("aria-pressed", String(now.running));
  buttons.pause.setAttribute("aria-pressed", String(!now.running));
  set_text(toolbar.epoch, String(now.epoch));
  set_text(toolbar.rate, now.running && now.rate > 0 ? `${Math.round(now.rate)} epochs/s` : "");
  const row = now.figures;
  for (const [name, k] of /** @type {[string, number][]} */ ([
    ["loss", 1],
    ["accuracy", 2],
    ["test-loss", 3],
    ["test-accuracy", 4],
  ])) {
    set_text(figures.fields[name], now.no_training || row.length <= k ? "–" : figure_text(row[k]));
  }
  const metric = now.task === "regression" ? "R²" : "accuracy";
  set_text(figures.names[0], `train ${metric}`);
  set_text(figures.names[1], `test ${metric}`);
  set_text(status, now.status);
}
