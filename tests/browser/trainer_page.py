"""Page helpers for the trainer widget, written against the DOM it promises to keep stable:
root `.mgw-trainer`; buttons with aria-label play / pause / step / reset;
`[data-field="epoch"|"loss"|"accuracy"|"test-loss"|"test-accuracy"|"status"]`;
`canvas[data-role="boundary"]`.
"""

from __future__ import annotations

import re

TRAINER_CELL = """\
from micrograd_widgets.widgets import Trainer
t = Trainer(seed=0)
t"""

# the kernel's epoch, when its last history row is that epoch's (the page's last report reached it)
TRAINER_PROBE = "print('STATE', t.epoch if (t.history[-1]['epoch'] if t.history else 0) == t.epoch else -1)"


def trainer_root(page, index: int = 0):
    return page.locator(".mgw-trainer").nth(index)


def button(root, name: str):
    return root.locator(f'button[aria-label="{name}"]')


def epoch(root) -> int:
    text = root.locator('[data-field="epoch"]').first.inner_text()
    match = re.search(r"-?\d+", text)
    if match is None:
        raise AssertionError(f"epoch field holds no number: {text!r}")
    return int(match.group())


def wait_epoch(page, root, predicate_js: str, timeout_ms: int = 60_000):
    """Wait until `predicate_js` (an expression in `e`, the epoch number) holds."""
    page.wait_for_function(
        f"""(root) => {{
            const el = root.querySelector('[data-field="epoch"]');
            const m = el && el.textContent.match(/-?\\d+/);
            if (!m) return false;
            const e = Number(m[0]);
            return {predicate_js};
        }}""",
        arg=root.element_handle(),
        timeout=timeout_ms,
    )
    return epoch(root)


def boundary_snapshot(root, key: str) -> dict:
    """Read the boundary canvas back (kept in the page under `key`): size, opaque
    pixels and distinct colours."""
    return root.locator('canvas[data-role="boundary"]').first.evaluate(
        """(canvas, key) => {
            const { width, height } = canvas;
            const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            window.__mgwSnaps = window.__mgwSnaps || {};
            window.__mgwSnaps[key] = { width, height, px };
            const colours = new Set();
            let opaque = 0;
            for (let i = 0; i < px.length; i += 4) {
                if (px[i + 3] > 0) opaque++;
                if (colours.size < 4096) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
            }
            return { width, height, opaque, colours: colours.size };
        }""",
        key,
    )


def boundary_changed_fraction(root, key_a: str, key_b: str) -> float:
    """Fraction of pixels whose RGBA differs between two snapshots of the boundary canvas."""
    return root.locator('canvas[data-role="boundary"]').first.evaluate(
        """(canvas, [ka, kb]) => {
            const a = window.__mgwSnaps[ka], b = window.__mgwSnaps[kb];
            if (a.width !== b.width || a.height !== b.height) return 1;
            let changed = 0;
            for (let i = 0; i < a.px.length; i += 4) {
                for (let c = 0; c < 4; c++) {
                    if (a.px[i + c] !== b.px[i + c]) { changed++; break; }
                }
            }
            return changed / (a.px.length / 4);
        }""",
        [key_a, key_b],
    )


def hue_buckets(root, min_chroma: int = 40) -> dict:
    """The boundary canvas's coloured pixels by hue, in twelve 30-degree buckets
    (near-grey and near-white pixels, chroma below `min_chroma`, are left out)."""
    return root.locator('canvas[data-role="boundary"]').first.evaluate(
        """(canvas, min_chroma) => {
            const { width, height } = canvas;
            const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            const buckets = new Array(12).fill(0);
            for (let i = 0; i < px.length; i += 4) {
                const r = px[i], g = px[i + 1], b = px[i + 2];
                const max = Math.max(r, g, b), min = Math.min(r, g, b), c = max - min;
                if (c < min_chroma) continue;
                const h = max === r ? (g - b) / c : max === g ? 2 + (b - r) / c : 4 + (r - g) / c;
                buckets[Math.floor((((h * 60) % 360) + 360) % 360 / 30)]++;
            }
            return { buckets, total: width * height };
        }""",
        min_chroma,
    )


def visible_buckets(shot: dict, share: float = 0.03) -> list:
    """The hue buckets holding at least `share` of the canvas's pixels."""
    return [k for k, count in enumerate(shot["buckets"]) if count >= share * shot["total"]]


def setting(root, name: str):
    """The controls carrying data-setting=`name`."""
    return root.locator(f'[data-setting="{name}"]')
