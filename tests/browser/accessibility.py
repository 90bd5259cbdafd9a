"""axe-core in a browser test: the accessibility rules a widget's page must pass.

``axe_violations(page, selector)`` injects ``node_modules/axe-core/axe.min.js``
(a pinned devDependency in package.json) into the page once and runs
``axe.run`` on the elements the selector matches (or on one element handle or
locator), with axe's default rules: WCAG 2.x A and AA, and best practices.
Each violation comes back as a dict ``{"id", "impact", "help", "nodes"}``, each
node with its ``target`` (a CSS path), ``html`` and ``summary``; ``describe``
turns a list of them into an assertion message.

``names_without_their_text(page, selector)`` checks WCAG 2.5.3 (label in name)
on every button: axe's own rule for it (label-content-name-mismatch) is
experimental, and inside JupyterLab's output area it finds nothing (measured
with axe-core 4.14.1: a button named "reset backward" that reads "clear
grads" passes there, and fails in the page's body).
"""

from __future__ import annotations

from harness import REPO_ROOT

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

_RUN_JS = """
async ([target, options]) => {
  const result = await window.axe.run(target, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary })),
  }));
}
"""


def axe_violations(page, selector, options: dict | None = None) -> list[dict]:
    """axe-core's violations inside ``selector`` (a CSS selector, a Locator or an ElementHandle).

    ``options`` go to ``axe.run`` as they are (e.g. ``{"runOnly": ["wcag2a"]}``); by
    default every rule axe runs unless asked (not its experimental ones).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not AXE_JS.exists():
            raise RuntimeError(f"{AXE_JS} is missing: run `npm ci` (axe-core is a pinned devDependency)")
        page.add_script_tag(path=str(AXE_JS))
    options = options or {}
    if isinstance(selector, str):
        return page.evaluate(_RUN_JS, [{"include": [[selector]]}, options])
    handle = selector.element_handle() if hasattr(selector, "element_handle") else selector
    return page.evaluate("([el, options]) => (" + _RUN_JS + ")([el, options])", [handle, options])


def describe(violations: list[dict]) -> str:
    """The violations as lines a failing assertion prints: rule, impact, what to fix, where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s)")
        for node in v["nodes"][:4]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      ")[:400])
    return "\n".join(lines)


_NAMES_JS = """
([root, ignore]) => {
  const words = (text) => (text || '').toLowerCase().replace(/[^\\p{L}\\p{N}.]+/gu, ' ').trim().split(' ')
    .filter(Boolean);
  const labelled_by = (el) => (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .map((id) => document.getElementById(id)?.textContent || '').join(' ');
  const name = (el) => el.getAttribute('aria-label') || labelled_by(el).trim() || el.textContent;
  return [...root.querySelectorAll('button, [role="button"]')]
    .filter((el) => el.getClientRects().length && !(ignore && el.matches(ignore)))
    .map((el) => ({ text: el.innerText.replace(/\\s+/g, ' ').trim(), name: name(el), html: el.outerHTML.slice(0, 99) }))
    .filter((b) => { const said = words(b.name).join(' '); return !words(b.text).every((w) => said.includes(w)); });
}
"""


def names_without_their_text(page, selector, ignore: str | None = None) -> list[dict]:
    """Buttons on screen whose accessible name misses words they show (WCAG 2.5.3), as ``{"text", "name", "html"}``.

    ``ignore``: a selector for buttons to leave out (ones whose name is checked another way).
    """
    handle = page.locator(selector).first if isinstance(selector, str) else selector
    return handle.evaluate("(root, ignore) => (" + _NAMES_JS + ")([root, ignore])", ignore)
