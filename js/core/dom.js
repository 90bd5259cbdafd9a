// Building elements from text only. Labels come from users (and from whoever
// wrote the notebook a student opened), so they become text nodes, never HTML:
// nothing in this package assigns innerHTML.

export const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An HTML element with attributes and text or element children.
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, string|number|boolean|null|undefined>} [attrs]
 * @param {(Node|string)[]} children
 * @returns {HTMLElement}
 */
export function html(doc, tag, attrs, ...children) {
  return fill(doc, doc.createElement(tag), attrs, children);
}

/**
 * An SVG element, the same way.
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, string|number|boolean|null|undefined>} [attrs]
 * @param {(Node|string)[]} children
 * @returns {SVGElement}
 */
export function svg(doc, tag, attrs, ...children) {
  return fill(doc, doc.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(doc, element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) element.appendChild(typeof child === "string" ? doc.createTextNode(child) : child);
  return element;
}

/** Set an element's text when it changed (DOM writes are what repainting costs). */
export function set_text(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** Remove every child. */
export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}
