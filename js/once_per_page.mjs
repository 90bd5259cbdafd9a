// Build step: one copy of a widget's code per page. anywidget imports each
// widget's _esm from a blob URL of its own, so every widget on a page
// evaluates its own copy of the bundle, and V8 compiles, once per copy, every
// function the widget runs: 0.33 MB of bytecode per README graph widget in
// JupyterLab (heap snapshot, 10 widgets). So the bundle's body becomes a
// function that runs in the first copy on the page only; its exports are kept
// in a page-wide map under the bundle's name and a hash of its text, and the
// later copies export those. Their body is only pre-parsed, never compiled.
// A rebuilt bundle (development, another package version) has another hash,
// so it gets a copy of its own.
import { createHash } from "node:crypto";

const TAIL = /export\s*\{([^}]*)\}\s*;?\s*$/;

/**
 * An esbuild ES module (no imports, one export clause at the end) rewritten to run once per page.
 * @param {string} text  the bundle
 * @param {string} name  the bundle's name (graph, trainer)
 * @returns {string}
 */
export function once_per_page(text, name) {
  const tail = TAIL.exec(text);
  if (!tail || /^import[\s{*]/m.test(text))
    throw new Error(`${name}: expected a self-contained bundle ending in one export clause`);
  const key = `${name} ${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  const pairs = tail[1]
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const words = part.split(/\s+/); // "local" or "local as name"
      return { local: words[0], name: words[words.length - 1] };
    });
  const named = pairs.filter((p) => p.name !== "default").map((p) => p.name);
  return [
    `const __mgw_copies = globalThis.__micrograd_widgets_copies || (globalThis.__micrograd_widgets_copies = new Map());`,
    `function __mgw_bundle() {`,
    text.slice(0, tail.index),
    `return { ${pairs.map((p) => `${JSON.stringify(p.name)}: ${p.local}`).join(", ")} };`,
    `}`,
    `if (!__mgw_copies.has(${JSON.stringify(key)})) __mgw_copies.set(${JSON.stringify(key)}, __mgw_bundle());`,
    `const __mgw_exports = __mgw_copies.get(${JSON.stringify(key)});`,
    pairs.some((p) => p.name === "default") ? `export default __mgw_exports.default;` : "",
    named.length ? `export const { ${named.join(", ")} } = __mgw_exports;` : "",
    "",
  ].join("\n");
}
