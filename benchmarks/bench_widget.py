"""Graph widget latency in real Chromium + JupyterLab, against the speed targets printed at the end.

Side by side for the browser replay (the default) and the kernel-only mode
(`widget(local_replay=False)`, when the widget has it):
  - slider input -> the root node's data text rewritten (p50 / p95), on the
    README expression and on a ~2,000-node graph drawn fully expanded;
  - slider input -> `data-sync="ok"` (the kernel's answer on screen);
  - a drag (60 inputs at 60 Hz): last input -> `data-sync="ok"`;
  - first render of a 1,000-node graph (grouped as by default, and expanded).

Everything is timed inside the page with performance.now(); a MutationObserver
on the root node's `[data-field="data"]` text marks the update, and "painted" is
a message posted from the next requestAnimationFrame, which runs after that
frame's style, layout and paint (about when the pixels change).

Run it from the repository root (it starts its own JupyterLab and Chromium):

    npm run build
    python benchmarks/bench_widget.py            # full run, a few minutes
    python benchmarks/bench_widget.py --quick    # fewer samples
    python benchmarks/bench_widget.py --big      # the student graphs, folded vs flat (65,818 and 7,540 nodes)

It prints a table and asserts nothing: no test depends on a time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from harness import (  # noqa: E402
    browser_unavailable_reason,
    launch_chromium,
    new_page,
    open_in_lab,
    run_cell,
    start_jupyter_server,
    wait_kernel_idle,
    write_notebook,
)

BUILD_CELL = """\
from micrograd_widgets import Value, vsum

def readme():
    a = Value(-4.0, label='a'); b = Value(2.0, label='b')
    c = a + b; d = a * b + b**3
    c += c + 1; c += 1 + c + (-a)
    d += d * 2 + (b + a).relu(); d += 3 * d + (b - a).relu()
    e = c - d; f = e**2; g = f / 2.0; g += 10.0 / f
    g.label = 'out'
    return g

def big(target, depth=25):
    # parallel tanh chains sharing two leaves, summed by one n-ary node: 3 nodes a step
    a = Value(0.8, label='a'); b = Value(-0.3, label='b')
    chains = max(1, round((target - 3) / (3 * depth)))
    terms = []
    for j in range(chains):
        x = b
        for _ in range(depth):
            x = (x * a + b).tanh()
        terms.append(x)
    out = vsum(terms); out.label = 'out'
    return out

def mlp_loss(n_points=9):
    # the moons demo's MLP(2, [16, 16, 1]) and hinge loss over a few points: about
    # 1,000 nodes in MLP > Layer > Neuron scopes (what the widget groups)
    import random
    from micrograd_widgets import nn
    rng = random.Random(0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    pts = [(rng.uniform(-1, 2), rng.uniform(-1, 1), rng.choice((-1, 1))) for _ in range(n_points)]
    a = Value(0.5, label='a')
    scores = [model([Value(x, label=f'x{i}') * a, Value(y, label=f'y{i}')]) for i, (x, y, _) in enumerate(pts)]
    out = nn.hinge_loss(scores, [t for *_, t in pts]); out.label = 'out'
    return out
"""

TARGET = {"readme_p50_ms": 16, "big_p50_ms": 50, "confirm_ms": 100, "render_ms": 500}

# "painted": a rAF callback runs before that frame's style, layout and paint; a
# message posted from it is handled after them: about when the pixels change.
_AFTER_PAINT_JS = """
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = fn;
    ch.port2.postMessage(0);
  });
"""

_SAMPLE_JS = (
    """
async ([value, timeoutMs]) => {"""
    + _AFTER_PAINT_JS
    + """
  const root = document.querySelector('.mgw-graph');
  const target = root.querySelector('[data-label="out"][data-node-id] [data-field="data"]');
  const rng = root.querySelector('input[type=range][aria-label="a"]');
  const before = target.textContent;
  return await new Promise((resolve) => {
    const r = { text: null, frame: null, sync: null, pending: false };
    let done = false;
    const finish = () => {
      if (done) return; done = true;
      textObs.disconnect(); syncObs.disconnect();
      resolve(r);
    };
    const check = () => { if (r.text !== null && r.frame !== null && r.sync !== null) finish(); };
    const textObs = new MutationObserver(() => {
      if (r.text === null && target.textContent !== before) {
        r.text = performance.now() - t0;
        afterPaint(() => { r.frame = performance.now() - t0; check(); });
      }
    });
    textObs.observe(target, { characterData: true, childList: true, subtree: true });
    const syncObs = new MutationObserver((records) => {
      for (const rec of records) if (rec.oldValue === 'pending') r.pending = true;
      if (root.getAttribute('data-sync') === 'pending') r.pending = true;
      if (r.pending && r.sync === null && root.getAttribute('data-sync') === 'ok') {
        r.sync = performance.now() - t0; check();
      }
    });
    syncObs.observe(root, { attributes: true, attributeFilter: ['data-sync'], attributeOldValue: true });
    setTimeout(finish, timeoutMs);
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const t0 = performance.now();
    setter.call(rng, String(value));
    rng.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
"""
)

_DRAG_JS = """
async ([values, timeoutMs]) => {
  const root = document.querySelector('.mgw-graph');
  const rng = root.querySelector('input[type=range][aria-label="a"]');
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  for (const v of values) {
    setter.call(rng, String(v));
    rng.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((ok) => setTimeout(ok, 16));
  }
  rng.dispatchEvent(new Event('change', { bubbles: true }));
  const t0 = performance.now();
  return await new Promise((resolve) => {
    const poll = () => {
      if (root.getAttribute('data-sync') === 'ok') return resolve(performance.now() - t0);
      if (performance.now() - t0 > timeoutMs) return resolve(null);
      requestAnimationFrame(poll);
    };
    poll();
  });
}
"""

_RENDER_JS = (
    """
async ([timeoutMs]) => {"""
    + _AFTER_PAINT_JS
    + """
  // armed before the cell runs: output container attached -> graph drawn with numbers
  const t0 = window.__mgwRunAt;
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[1];
  return await new Promise((resolve) => {
    const r = { output: null, root: null, done: null };
    const poll = () => {
      const output = cell.querySelector('.jp-OutputArea-output:not([data-bench-old])');
      if (r.output === null && output) r.output = performance.now() - t0;
      const root = document.querySelector('.mgw-graph:not([data-bench-old])');
      if (r.root === null && root) r.root = performance.now() - t0;
      const text = root && root.querySelector('[data-label="out"][data-node-id] [data-field="data"]');
      if (text && text.textContent.trim()) {
        r.nodes = root.querySelectorAll('[data-node-id]').length;
        return afterPaint(() => { r.done = performance.now() - t0; resolve(r); });
      }
      if (performance.now() - t0 > timeoutMs) return resolve(r);
      requestAnimationFrame(poll);
    };
    poll();
  });
}
"""
)


# ---------------------------------------------------------------- big graphs
# The graphs students build (tests/student_graphs.py), folded as by default and
# drawn flat as before (group_threshold=10**9: every node a box, the view keeps
# only those in view in the DOM). Cell run -> first paint, split into the
# kernel's share (run -> output area: build the widget, send the model) and the
# browser's (output area -> painted); the renderer's memory over the same page
# before the cell ran; pan, zoom, fit and expand, each input -> painted.
BIG_TARGETS = (
    "lecture MLP: first paint <= 3000 ms, renderer growth <= 150 MB; "
    "package MLP: <= 1500 ms, <= 10 MB; pan/zoom/expand <= 100 ms"
)

_INTERACT_JS = (
    """
async ([kind]) => {"""
    + _AFTER_PAINT_JS
    + """
  const root = document.querySelector('.mgw-graph:not([data-bench-old])');
  const canvas = root.querySelector('.mgw-canvas');
  const box = canvas.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const pointer = (type, x) => canvas.dispatchEvent(
    new PointerEvent(type, { clientX: x, clientY: cy, button: 0, pointerId: 7, bubbles: true }));
  let t0;
  if (kind === 'pan') {
    pointer('pointerdown', cx); pointer('pointermove', cx + 2);
    t0 = performance.now(); pointer('pointermove', cx + 120);
  } else if (kind === 'zoom') {
    t0 = performance.now();
    canvas.dispatchEvent(new WheelEvent('wheel',
      { clientX: cx, clientY: cy, deltaY: 250, ctrlKey: true, bubbles: true, cancelable: true }));
  } else if (kind === 'fit') {
    t0 = performance.now(); root.querySelector('[aria-label="fit"]').click();
  } else if (kind === 'expand') {
    const groups = [...root.querySelectorAll('[data-group]:not([data-group$="~rest"])')];
    if (!groups.length) return null;
    groups.sort((a, b) => Number(b.getAttribute('data-count')) - Number(a.getAttribute('data-count')));
    groups[0].dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 8, bubbles: true }));
    groups[0].dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 8, bubbles: true }));
    t0 = performance.now(); groups[0].click();
  }
  const ms = await new Promise((ok) => afterPaint(() => ok(performance.now() - t0)));
  if (kind === 'pan') pointer('pointerup', cx + 120);
  return ms;
}
"""
)


def _descendants(pid):
    """Process ids under pid (from /proc), pid included."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def renderer_mb():
    """Resident memory of this process's Chromium renderers (not other people's browsers on the machine)."""
    total = 0
    for pid in _descendants(os.getpid()):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"--type=renderer" not in args:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def big_run(browser, server, name, source, opts):
    """Run a student graph's cell, then the widget cell: times, DOM size, memory, interactions."""
    nb = write_notebook(server.root_dir, name, [source, f"w = out.widget({opts})\nw"])
    page = new_page(browser, viewport=(1280, 720))
    try:
        open_in_lab(page, server, nb)
        run_cell(page, 0, timeout_ms=300_000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(500)
        before = renderer_mb()
        cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
        cell.locator(".jp-InputArea-prompt").click()
        page.evaluate("window.__mgwRunAt = performance.now()")
        page.keyboard.press("Control+Enter")
        r = page.evaluate(_BIG_RENDER_JS, [300_000])
        wait_kernel_idle(page, timeout_ms=300_000)
        r["elements"] = page.evaluate("document.querySelector('.mgw-graph').querySelectorAll('*').length")
        for kind in ("pan", "zoom", "pan", "zoom", "expand", "fit"):
            r.setdefault(kind, []).append(page.evaluate(_INTERACT_JS, [kind]))
            page.wait_for_timeout(150)
        r["elements_after"] = page.evaluate("document.querySelector('.mgw-graph').querySelectorAll('*').length")
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(500)
        r["memory_mb"] = renderer_mb() - before
        return r
    finally:
        page.context.close()
        server.shutdown_kernels()


_BIG_RENDER_JS = (
    """
async ([timeoutMs]) => {"""
    + _AFTER_PAINT_JS
    + """
  const t0 = window.__mgwRunAt;
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[1];
  return await new Promise((resolve) => {
    const r = { output: null, done: null };
    const poll = () => {
      if (r.output === null && cell.querySelector('.jp-OutputArea-output')) r.output = performance.now() - t0;
      const root = document.querySelector('.mgw-graph');
      const text = root && root.querySelector('[data-root="true"] [data-field="data"]');
      if (text && text.textContent.trim()) return afterPaint(() => { r.done = performance.now() - t0; resolve(r); });
      if (performance.now() - t0 > timeoutMs) return resolve(r);
      requestAnimationFrame(poll);
    };
    poll();
  });
}
"""
)


def big_main(repeats):
    from playwright.sync_api import sync_playwright
    from student_graphs import LECTURE_MLP, PACKAGE_MLP

    cases = [
        ("lecture MLP 65,818", LECTURE_MLP),
        ("package MLP 7,540", PACKAGE_MLP),
    ]
    modes = [("folded", ""), ("flat", "group_threshold=10**9")]
    server = start_jupyter_server()
    started = time.monotonic()
    rows = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            for graph, source in cases:
                for rep in range(repeats):  # ABAB: folded, flat, folded, flat
                    for mode, opts in modes:
                        print(f"... {graph}, {mode}, run {rep + 1}", file=sys.stderr, flush=True)
                        slug = f"bench-big-{graph.split()[0]}-{mode}-{rep}"
                        rows.setdefault((graph, mode), []).append(big_run(browser, server, slug, source, opts))
            browser.close()
    finally:
        server.stop()
    print()
    print(
        f"Big graphs, JupyterLab + Chromium (headless) at 1280x720, {time.strftime('%Y-%m-%d %H:%M')}; ms unless said"
    )
    print("(min / median / max over the runs; kernel = run -> output area; browser = output area -> painted)")
    head = (
        f"{'graph':<20} {'mode':<7} | {'run->painted':>22} | {'kernel':>16} | {'browser':>16} | {'elements':>9} | "
        f"{'renderer +MB':>16} | {'pan':>6} {'zoom':>6} {'expand':>7} {'fit':>7}"
    )
    print(head)

    def mmm(values, width=16):
        values = sorted(v for v in values if v is not None)
        if not values:
            return f"{'-':>{width}}"
        return f"{values[0]:.0f} / {statistics.median(values):.0f} / {values[-1]:.0f}".rjust(width)

    def med(values):
        values = [v for v in values if v is not None]
        return f"{statistics.median(values):.0f}" if values else "-"

    for (graph, mode), rs in rows.items():
        done = [r.get("done") for r in rs]
        kernel = [r.get("output") for r in rs]
        browser_share = [
            r["done"] - r["output"] for r in rs if r.get("done") is not None and r.get("output") is not None
        ]
        pans = [v for r in rs for v in r.get("pan", [])]
        zooms = [v for r in rs for v in r.get("zoom", [])]
        expands = [v for r in rs for v in r.get("expand", [])]
        fits = [v for r in rs for v in r.get("fit", [])]
        elements = max(max(r.get("elements") or 0, r.get("elements_after") or 0) for r in rs)
        print(
            f"{graph:<20} {mode:<7} | {mmm(done, 22)} | {mmm(kernel)} | {mmm(browser_share)} | {elements:>9} | "
            f"{mmm([r.get('memory_mb') for r in rs])} | {med(pans):>6} {med(zooms):>6} {med(expands):>7} {med(fits):>7}"
        )
    print(f"targets: {BIG_TARGETS}")
    print(
        f"total {time.monotonic() - started:.0f} s; load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        f" on {os.cpu_count()} cores"
    )


def percentile(values, q):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def kernel_only_option():
    """The widget option for the kernel-only peer, or None when the widget has none."""
    import inspect

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from micrograd_widgets.widgets.graph import GraphWidget

    # a real option, not just a keyword anywidget swallows: a parameter or a trait
    if "local_replay" in inspect.signature(GraphWidget.__init__).parameters or GraphWidget.class_traits().get(
        "local_replay"
    ):
        return "local_replay=False"
    return None


def slider_run(browser, server, name, graph_expr, mode_option, samples):
    """Open a notebook showing graph_expr's widget, time `samples` slider inputs and one drag."""
    opts = "ranges={'a': (-1.0, 1.0, 0.001)}, group_threshold=10**9"
    if "readme" in graph_expr:
        opts = "ranges={'a': (-5.0, 5.0, 0.001)}"
    if mode_option:
        opts += ", " + mode_option
    nb = write_notebook(server.root_dir, name, [BUILD_CELL, f"root = {graph_expr}\nw = root.widget({opts})\nw"])
    page = new_page(browser)
    try:
        open_in_lab(page, server, nb)
        run_cell(page, 0)
        run_cell(page, 1, timeout_ms=300_000)
        page.wait_for_selector(".mgw-graph [data-label='out'][data-node-id] [data-field='data']", timeout=300_000)
        wait_kernel_idle(page)
        nodes = page.evaluate("document.querySelector('.mgw-graph').querySelectorAll('[data-node-id]').length")
        centre = -4.0 if "readme" in graph_expr else 0.8
        span = 0.5 if "readme" in graph_expr else 0.2
        rows = []
        for i in range(samples + 3):
            value = round(centre + span * ((i * 7) % 20 - 10) / 10, 3) + (0.001 if i % 2 else 0)
            r = page.evaluate(_SAMPLE_JS, [value, 5000])
            if i >= 3:  # warm-up inputs first (JIT, first message)
                rows.append(r)
            page.wait_for_timeout(60)
        drag_values = [round(centre + span * ((i % 30) - 15) / 15, 3) for i in range(60)]
        drags = [page.evaluate(_DRAG_JS, [drag_values, 10_000]) for _ in range(3)]
        return {
            "nodes": nodes,
            "text": [r["text"] for r in rows],
            "frame": [r["frame"] for r in rows],
            "sync": [r["sync"] for r in rows],
            "missed": sum(1 for r in rows if r["text"] is None),
            "drag_confirm": drags,
        }
    finally:
        page.context.close()
        server.shutdown_kernels()


def render_run(browser, server, name, expr, opts, repeats):
    nb = write_notebook(
        server.root_dir, name, [BUILD_CELL + f"\nroot = {expr}\nprint(len(root.topo()))", f"w = root.widget({opts})\nw"]
    )
    page = new_page(browser)
    try:
        open_in_lab(page, server, nb)
        run_cell(page, 0)
        results = []
        for _ in range(repeats):
            cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
            cell.locator(".jp-InputArea-prompt").click()
            # the previous run's root is marked so the poll waits for the new one
            page.evaluate(
                "document.querySelectorAll('.mgw-graph, .jp-OutputArea-output')"
                ".forEach(e => e.setAttribute('data-bench-old', ''));"
                "window.__mgwRunAt = performance.now()"
            )
            page.keyboard.press("Control+Enter")
            r = page.evaluate(_RENDER_JS, [120_000])
            results.append(r)
            wait_kernel_idle(page)
            page.wait_for_timeout(500)
        return results
    finally:
        page.context.close()
        server.shutdown_kernels()


def median_of(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(v):
    return "-" if v is None else f"{v:7.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--big", action="store_true", help="only the big student graphs, folded and flat, side by side")
    parser.add_argument("--repeats", type=int, default=2, help="ABAB rounds of the big graphs")
    args = parser.parse_args()
    if args.big:
        reason = browser_unavailable_reason()
        if reason:
            sys.exit(reason)
        return big_main(args.repeats)
    samples = args.samples or (12 if args.quick else 40)

    reason = browser_unavailable_reason()
    if reason:
        sys.exit(reason)
    peer = kernel_only_option()
    modes = [("browser replay", "")] + ([("kernel only", peer)] if peer else [])

    from playwright.sync_api import sync_playwright

    server = start_jupyter_server()
    started = time.monotonic()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            results = {}
            for mode, option in modes:
                for graph_name, expr in (("README expression", "readme()"), ("~2,000 nodes, expanded", "big(2000)")):
                    key = (mode, graph_name)
                    slug = f"bench-{'kernel' if option else 'replay'}-{'readme' if 'readme' in expr else 'big'}"
                    print(f"... {mode}: {graph_name}", file=sys.stderr, flush=True)
                    results[key] = slider_run(browser, server, slug, expr, option, samples)
            renders = {}
            cases = (
                ("MLP loss, default (grouped)", "mlp_loss()", ""),
                ("MLP loss, expanded", "mlp_loss()", "group_threshold=10**9"),
                ("tanh chains (no scopes)", "big(1000)", ""),
            )
            for i, (label, expr, opts) in enumerate(cases):
                print(f"... first render: {label}", file=sys.stderr, flush=True)
                renders[label] = render_run(browser, server, f"bench-render-{i}", expr, opts, 1 if args.quick else 3)
            browser.close()
    finally:
        server.stop()

    print()
    print(
        f"Graph widget latency, Chromium (headless) + JupyterLab on this machine; {samples} inputs per row, times in ms"
    )
    print(
        f"{'mode':<16} {'graph':<24} {'nodes':>6} | {'input->text p50':>15} {'p95':>7}"
        f" | {'->painted p50':>14} {'p95':>7} | {'input->sync ok p50':>18} {'p95':>7} | {'drag stop->ok':>13} | missed"
    )
    for (mode, graph_name), r in results.items():
        drag = (
            statistics.median([d for d in r["drag_confirm"] if d is not None])
            if any(d is not None for d in r["drag_confirm"])
            else None
        )
        print(
            f"{mode:<16} {graph_name:<24} {r['nodes']:>6}"
            f" | {fmt(percentile(r['text'], 0.5)):>15} {fmt(percentile(r['text'], 0.95)):>7}"
            f" | {fmt(percentile(r['frame'], 0.5)):>14} {fmt(percentile(r['frame'], 0.95)):>7}"
            f" | {fmt(percentile(r['sync'], 0.5)):>18} {fmt(percentile(r['sync'], 0.95)):>7}"
            f" | {fmt(drag):>13} | {r['missed']}"
        )
    if not peer:
        print(
            "kernel only: GraphWidget has no kernel-only option (looked for a local_replay parameter or trait),"
            " so no row;"
            " 'input->sync ok' is the kernel's round trip, what a kernel-only view would show as input->text"
        )
    print()
    print(f"{'first render (median)':<32} | {'run->output area':>16} | {'run->numbers painted':>20} | nodes drawn")
    for label, rs in renders.items():
        out, done = (median_of(rs, k) for k in ("output", "done"))
        print(f"{label:<32} | {fmt(out):>16} | {fmt(done):>20} | {rs[-1].get('nodes', '-')}")
    print(
        "(run = Ctrl+Enter on the cell that creates the widget: the kernel builds it, the model travels, the view lays"
        " out and draws; sampled once a frame, so +-16 ms)"
    )
    print(
        f"targets: README p50 <= {TARGET['readme_p50_ms']} ms, 2,000 nodes p50 <= {TARGET['big_p50_ms']} ms, "
        f"kernel confirms <= {TARGET['confirm_ms']} ms after the slider stops,"
        f" first render of 1,000 nodes <= {TARGET['render_ms']} ms"
    )
    print(
        f"total {time.monotonic() - started:.0f} s;"
        f" load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        " (other work on the machine shows up in the p95s)"
    )


if __name__ == "__main__":
    main()
