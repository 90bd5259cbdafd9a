// Draw mode: a click on the plane adds a point instead of selecting one.
// Pure (tested): from a click in canvas pixels to the message the kernel reads.

/**
 * Canvas pixels -> data coordinates (the inverse of boundary.to_pixels).
 * @param {number[]} frame  [x_min, x_max, y_min, y_max]
 * @param {number} size  the canvas is size x size pixels
 * @param {number} px
 * @param {number} py
 * @returns {[number, number]}
 */
export function to_data(frame, size, px, py) {
  const [x0, x1, y0, y1] = frame;
  return [x0 + (px / size) * (x1 - x0), y1 - (py / size) * (y1 - y0)];
}

/**
 * @typedef {object} DrawState
 * @property {"binary"|"multiclass"|"regression"} task
 * @property {number} dims  1: the plane is (x, target); 2: (x1, x2)
 * @property {number} label  the class picked (binary -1/+1, multiclass 0..K-1)
 * @property {number} value  the regression target a 2-D click gets
 */

/**
 * The add_point message for a click at data point (x, y).
 * Binary: shift adds the other class. 1-D: the click's height is the target.
 * @param {DrawState} state
 * @param {number} x
 * @param {number} y
 * @param {boolean} [shift]
 * @returns {{type: "add_point", x: number, y: number, label: number}}
 */
export function add_point_message(state, x, y, shift = false) {
  if (state.dims === 1) return { type: "add_point", x, y: 0, label: y };
  if (state.task === "regression") return { type: "add_point", x, y, label: state.value };
  let label = state.label;
  if (state.task !== "multiclass") {
    label = label > 0 ? 1 : -1;
    if (shift) label = -label;
  }
  return { type: "add_point", x, y, label };
}

/**
 * The classes a picker offers: value and text. Binary: -1/+1 (named by
 * class_names when given, as the labels the lecturer's data used).
 * @param {string} task
 * @param {number} classes
 * @param {string[]} [names]
 * @returns {{value: number, text: string}[]}
 */
export function class_choices(task, classes, names = []) {
  if (task === "regression") return [];
  if (task !== "multiclass")
    return [
      { value: -1, text: names[0] ?? "-1" },
      { value: 1, text: names[1] ?? "+1" },
    ];
  return Array.from({ length: Math.max(0, classes) }, (_, k) => ({ value: k, text: names[k] ?? String(k) }));
}
