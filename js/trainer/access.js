// What an instructor hides or locks: every control carries data-setting="<name>";
// a name in `hide` hides the control (with its label), one in `lock` shows it disabled.
// Python can still set everything; this only shapes the page.

/**
 * Every element below `root` (depth first), real DOM or the tests' fake one.
 * @param {Node} root
 * @returns {Element[]}
 */
export function elements(root) {
  /** @type {Element[]} */
  const out = [];
  const walk = (/** @type {Node} */ node) => {
    for (const child of Array.from(node.childNodes || [])) {
      if (child.nodeType === 1) {
        out.push(/** @type {Element} */ (child));
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

/**
 * The elements under `root` that match `selector` ("[data-setting]" or a tag):
 * the browser's own query (this runs every frame: a walk in JS took 3 % of a
 * playing page's main thread), or a walk where there is none (the tests' DOM).
 * @param {Element} root
 * @param {string} selector
 * @returns {Element[]}
 */
function matching(root, selector) {
  if (root.querySelectorAll) return Array.from(root.querySelectorAll(selector));
  const attribute = selector.startsWith("[") ? selector.slice(1, -1) : null;
  return elements(root).filter((e) => (attribute ? e.hasAttribute(attribute) : e.tagName?.toLowerCase() === selector));
}

/**
 * The element a hidden control takes with it: its <label> wrapper, if any.
 * @param {Element} control
 * @returns {Element}
 */
function wrapper(control) {
  const parent = /** @type {Element|null} */ (control.parentNode);
  return parent && parent.nodeType === 1 && parent.tagName?.toLowerCase() === "label" ? parent : control;
}

/**
 * Apply hide and lock to the controls under `root`. A fieldset all of whose
 * controls are hidden goes too (no empty frames). A locked control says why
 * in its title when there is a `note` (a saved page: "needs Python ...").
 * @param {Element} root
 * @param {string[]} hide
 * @param {string[]} lock
 * @param {string} [note]
 */
export function apply_access(root, hide, lock, note = "") {
  const hidden = new Set(hide || []),
    locked = new Set(lock || []);
  for (const control of matching(root, "[data-setting]")) {
    const name = control.getAttribute("data-setting");
    if (name === null) continue;
    const off = hidden.has(name);
    /** @type {HTMLElement} */ (control).hidden = off;
    /** @type {HTMLElement} */ (wrapper(control)).hidden = off;
    const input = /** @type {HTMLInputElement} */ (control);
    if (locked.has(name)) {
      if (!control.hasAttribute("data-locked")) {
        control.setAttribute("data-locked", "");
        if (note) {
          control.setAttribute("data-title", control.getAttribute("title") || "");
          control.setAttribute("title", note);
        }
      }
      input.disabled = true;
    } else if (control.hasAttribute("data-locked")) {
      control.removeAttribute("data-locked");
      if (control.hasAttribute("data-title")) {
        control.setAttribute("title", control.getAttribute("data-title") || "");
        control.removeAttribute("data-title");
      }
      input.disabled = false;
    }
  }
  for (const set of matching(root, "fieldset")) {
    const controls = matching(set, "[data-setting]");
    /** @type {HTMLElement} */ (set).hidden =
      controls.length > 0 && controls.every((c) => hidden.has(c.getAttribute("data-setting") || ""));
  }
}
