// Building elements from text only. Labels come from users (and from whoever
// wrote the notebook a student opened), so they become text nodes, never HTML:
// nothing in this package assigns innerHTML.

export const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An HTML element with attributes and text or element children; its type
 * follows the tag (`html(doc, "input")` is an HTMLInputElement).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {Document} doc
 * @param {K} tag
 * @param {Record<string, string|number|boolean|null|undefined>} [attrs]
 * @param {(Node|string)[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function html(doc, tag, attrs, ...children) {
  return fill(doc, doc.createElement(tag), attrs, children);
}

/**
 * An SVG element, the same way.
 * @template {keyof SVGElementTagNameMap} K
 * @param {Document} doc
 * @param {K} tag
 * @param {Record<string, string|number|boolean|null|undefined>} [attrs]
 * @param {(Node|string)[]} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(doc, tag, attrs, ...children) {
  return fill(doc, doc.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * @template {Element} E
 * @param {Document} doc
 * @param {E} element
 * @param {Record<string, string|number|boolean|null|undefined>|undefined} attrs
 * @param {(Node|string)[]} children
 * @returns {E}
 */
function fill(doc, element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) element.appendChild(typeof child === "string" ? doc.createTextNode(child) : child);
  return element;
}

/**
 * Set an element's text when it changed (DOM writes are what repainting costs).
 * @param {Node} element
 * @param {string} text
 */
export function set_text(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * Remove every child.
 * @param {Node} element
 */
export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}
