"""What a class costs: kernel and renderer memory per widget, trainer CPU, and the lifecycle figures.

Real Chromium (headless) + JupyterLab 4 through the browser-test harness. Prints:

  - lifecycle: after re-running a playing ``Trainer()`` cell 5 times, after
    clearing its output, and idle after a re-run + pause: trainer threads in the
    kernel, kernel CPU % over a 10 s window, bytes/s of websocket frames the
    page received (Playwright's ``page.on("websocket")``, every kernel message);
  - memory per widget as the SLOPE over N widgets (least squares over 5 points,
    N = 0 .. 40 README graphs, 0 .. 20 MLP-loss graphs, 0 .. 20 trainers, and
    0 .. 40 one-word anywidgets: the floor any widget output costs), each kind
    in its own notebook, kinds alternating when repeated (--memory-repeats),
    kernel and page:
      kernel: VmRSS of the kernel process after gc.collect();
      renderer: VmRSS summed over this browser's renderer processes (process ids
      from CDP ``SystemInfo.getProcessInfo``, memory from /proc), after a forced
      GC (CDP ``HeapProfiler.collectGarbage``); the JS heap alone
      (CDP ``Performance.getMetrics`` JSHeapUsedSize) beside it;
  - CPU of one playing trainer, kernel and renderer, at full speed and at
    speed=10, alternated (ABAB), min / median / max of the windows;
  - a worked example: 100 students with 3 trainers each, from those numbers.

Run from the repository root (it starts its own JupyterLab and Chromium; a few minutes):

    npm run build
    python benchmarks/bench_costs.py
    python benchmarks/bench_costs.py --quick   # 5 s windows, fewer widgets

It asserts nothing: no test depends on a time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

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

CLK_TCK = os.sysconf("SC_CLK_TCK")

SETUP = f"""\
import gc, json, os, sys, threading
sys.path.insert(0, {str(REPO / "tests")!r})
from expressions import micrograd_readme_expression
from micrograd_widgets import MLP, data, hinge_loss, l2_penalty
from micrograd_widgets.widgets import GraphWidget, Trainer
import anywidget

class OneWord(anywidget.AnyWidget):
    # the floor: what JupyterLab, ipywidgets and anywidget spend on any widget output
    _esm = "export default {{ render({{ el }}) {{ el.className = 'mgw-one-word'; el.textContent = 'word'; }} }}"

X, y = data.moons(n=100, noise=0.1, seed=0)

def readme():
    return micrograd_readme_expression()[-1]

def mlp_loss():
    # the package's MLP(2, [16, 16, 1]) on 100 moons points: its full-batch loss, as in the README
    model = MLP(2, [16, 16, 1], seed=0)
    return hinge_loss([model(x) for x in X.tolist()], y.tolist()) + l2_penalty(model.parameters(), 1e-4)

def probe():
    gc.collect()
    with open('/proc/self/status') as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith('VmRSS'))
    names = sorted(t.name for t in threading.enumerate() if t.name.startswith('mgw-trainer'))
    print('PROBE', json.dumps({{'pid': os.getpid(), 'rss_kb': rss, 'threads': names}}))
probe()"""

PROBE = "probe()"

KINDS = {
    # name: (make one widget, selector of its root on the page)
    "one-word widget": ("OneWord()", ".mgw-one-word"),
    "README graph": ("GraphWidget(readme())", ".mgw-graph"),
    "MLP-loss graph": ("GraphWidget(mlp_loss())", ".mgw-graph"),
    "trainer": ("Trainer(seed=0)", ".mgw-trainer"),
}


# ---------------------------------------------------------------- measuring


class Frames:
    """Bytes of websocket frames the page receives (every kernel message reaches the page this way)."""

    def __init__(self, page):
        self.bytes = 0
        self.count = 0
        page.on("websocket", self._attach)

    def _attach(self, ws):
        ws.on("framereceived", self._frame)

    def _frame(self, payload):
        self.bytes += len(payload)
        self.count += 1


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime, all threads


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def renderer_pids(browser_cdp) -> list:
    info = browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return [p["id"] for p in info if p["type"] == "renderer" and Path(f"/proc/{p['id']}").exists()]


def probe(page) -> dict:
    out = run_cell(page, 1)
    return json.loads(next(line for line in out.splitlines() if line.startswith("PROBE")).split(" ", 1)[1])


def window(page, kernel_pid, rpids, frames, seconds) -> dict:
    """Kernel and renderer CPU % and received bytes/s over ``seconds``; no cell runs meanwhile."""
    k0, r0, b0, n0, t0 = (
        cpu_seconds(kernel_pid),
        sum(map(cpu_seconds, rpids)),
        frames.bytes,
        frames.count,
        time.monotonic(),
    )
    page.wait_for_timeout(seconds * 1000)
    k1, r1, b1, n1, t1 = (
        cpu_seconds(kernel_pid),
        sum(map(cpu_seconds, rpids)),
        frames.bytes,
        frames.count,
        time.monotonic(),
    )
    dt = t1 - t0
    return {
        "kernel_cpu": 100 * (k1 - k0) / dt,
        "renderer_cpu": 100 * (r1 - r0) / dt,
        "bytes_per_s": (b1 - b0) / dt,
        "frames_per_s": (n1 - n0) / dt,
    }


def shown_epoch(page) -> int:
    text = page.locator('.mgw-trainer [data-field="epoch"]').first.inner_text()
    return int(text.strip() or 0)


def open_notebook(browser, server, name, cells):
    page = new_page(browser)
    frames = Frames(page)
    nb = write_notebook(server.root_dir, name, cells)
    open_in_lab(page, server, nb)
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    run_cell(page, 0, timeout_ms=300_000)
    return page, frames


def wait_count(page, selector, n, timeout_ms=600_000):
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length >= n", arg=[selector, n], timeout=timeout_ms
    )


def slope(xs, ys) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# ---------------------------------------------------------------- the three parts


def lifecycle(browser, server, rpids_of, seconds) -> list:
    cells = [
        SETUP,
        PROBE,
        "t = Trainer(seed=0)\nt.play()\nt",
        "t.pause()",
        "t.speed = 10\nt.play()",
        "t.speed = 0\nt.play()",
    ]
    page, frames = open_notebook(browser, server, "costs-lifecycle", cells)
    pid = probe(page)["pid"]
    rows = []

    def measure(label):
        wait_kernel_idle(page)
        page.wait_for_timeout(2000)  # a trainer whose view went pauses within about a second
        w = window(page, pid, rpids_of(), frames, seconds)
        w["threads"] = len(probe(page)["threads"])
        w["label"] = label
        rows.append(w)

    run_cell(page, 2)
    page.wait_for_selector(".mgw-trainer")
    for _ in range(5):
        run_cell(page, 2)
        page.wait_for_selector(".mgw-trainer")
    measure("after 5 re-runs of a playing Trainer() cell")
    page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-InputArea-prompt").click()
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-cell-output')")
    measure("after clearing its output (no view)")
    run_cell(page, 2)
    page.wait_for_selector(".mgw-trainer")
    run_cell(page, 3)
    measure("re-run, then paused (idle, one view beating)")
    page.context.close()
    return rows


def trainer_cpu(browser, server, rpids_of, seconds, repeats) -> dict:
    cells = [SETUP, PROBE, "t = Trainer(seed=0)\nt", "t.pause()", "t.speed = 10\nt.play()", "t.speed = 0\nt.play()"]
    page, frames = open_notebook(browser, server, "costs-cpu", cells)
    pid = probe(page)["pid"]
    run_cell(page, 2)
    page.wait_for_selector(".mgw-trainer canvas[data-role='boundary']")
    out = {"full speed": [], "speed=10": []}
    for _ in range(repeats):  # ABAB: full, 10, full, 10
        for label, cell in (("full speed", 5), ("speed=10", 4)):
            run_cell(page, cell)
            page.wait_for_timeout(1500)
            e0 = shown_epoch(page)
            w = window(page, pid, rpids_of(), frames, seconds)
            # CPU time per epoch holds on a busy machine, where a thread gets only its share of a core
            w["epochs_per_s"] = (shown_epoch(page) - e0) / seconds
            w["cpu_ms_per_epoch"] = 10 * w["kernel_cpu"] / max(w["epochs_per_s"], 1e-9)
            out[label].append(w)
    run_cell(page, 3)
    page.context.close()
    return out


def memory_slope(browser, server, browser_cdp, kind, batches, batch) -> dict:
    make, selector = KINDS[kind]
    cells = [SETUP, PROBE] + [f"for _ in range({batch}):\n    display({make})"] * batches
    page, _ = open_notebook(browser, server, f"costs-{kind.replace(' ', '-')}", cells)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def sample():
        wait_kernel_idle(page)
        page.wait_for_timeout(1500)
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(500)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        renderer = sum(rss_mb(p) for p in renderer_pids(browser_cdp))
        return probe(page)["rss_kb"] / 1024, renderer, metrics["JSHeapUsedSize"] / 2**20, metrics["Nodes"]

    ns, kernel, renderer, heap, nodes = [], [], [], [], []
    for i in range(batches + 1):
        if i:
            run_cell(page, 1 + i, timeout_ms=600_000)
            wait_count(page, selector, i * batch)
        k, r, h, d = sample()
        nodes.append(d)
        ns.append(i * batch)
        kernel.append(k)
        renderer.append(r)
        heap.append(h)
    page.context.close()
    return {
        "n": ns[-1],
        "kernel_mb": slope(ns, kernel),
        "renderer_mb": slope(ns, renderer),
        "heap_mb": slope(ns, heap),
        "dom_nodes": slope(ns, nodes),
        "kernel_base_mb": kernel[0],
        "renderer_base_mb": renderer[0],
    }


# ---------------------------------------------------------------- report


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
        ).stdout
        return head.strip() + (" (+ uncommitted changes in the tree)" if dirty.strip() else "")
    except OSError:
        return "unknown"


def spread(values, digits=1) -> str:
    return f"{statistics.median(values):6.{digits}f}  ({min(values):.{digits}f} .. {max(values):.{digits}f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s windows, half the widgets, one ABAB round")
    parser.add_argument("--memory-repeats", type=int, default=1, help="memory slopes measured this many times each")
    parser.add_argument("--only", choices=["lifecycle", "cpu", "memory"], action="append", help="run only these parts")
    args = parser.parse_args()
    seconds = 5 if args.quick else 10
    parts = set(args.only or ["lifecycle", "cpu", "memory"])
    reason = browser_unavailable_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()[0]
    server = start_jupyter_server()
    results = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            browser_cdp = browser.new_browser_cdp_session()

            def rpids_of():
                return renderer_pids(browser_cdp)

            if "lifecycle" in parts:
                results["lifecycle"] = lifecycle(browser, server, rpids_of, seconds)
                server.shutdown_kernels()
            if "cpu" in parts:
                results["cpu"] = trainer_cpu(browser, server, rpids_of, seconds, 1 if args.quick else 2)
                server.shutdown_kernels()
            if "memory" in parts:
                results["memory"] = {}
                plan = {
                    "one-word widget": (4, 5 if args.quick else 10),
                    "README graph": (4, 5 if args.quick else 10),
                    "MLP-loss graph": (4, 3 if args.quick else 5),
                    "trainer": (4, 3 if args.quick else 5),
                }
                # the kinds alternate (ABAB...), each repeat in a fresh notebook: the machine's load drifts
                for _ in range(args.memory_repeats):
                    for kind, (batches, batch) in plan.items():
                        run = memory_slope(browser, server, browser_cdp, kind, batches, batch)
                        results["memory"].setdefault(kind, []).append(run)
                        server.shutdown_kernels()
            browser.close()
    finally:
        server.stop()

    report(results, started, load_start, seconds)


def report(results, started, load_start, seconds):
    out = ["", f"bench_costs: {started}, commit {git_commit()}, {os.cpu_count()} cores,"]
    out.append(f"load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    out.append("Chromium headless + JupyterLab 4")
    if "lifecycle" in results:
        out.append(f"\nLifecycle ({seconds} s windows): trainer threads, CPU %, bytes/s received by the page")
        for w in results["lifecycle"]:
            out.append(
                f"  {w['label']:<48} threads {w['threads']}  kernel {w['kernel_cpu']:5.1f} %"
                f"  renderer {w['renderer_cpu']:5.1f} %  {w['bytes_per_s'] / 1024:8.1f} KB/s"
                f" ({w['frames_per_s']:.1f} frames/s)"
            )
    if "cpu" in results:
        n = len(results["cpu"]["full speed"])
        out.append(f"\nOne playing trainer (default moons setup), {n} windows each, ABAB; median (min .. max)")
        for label, ws in results["cpu"].items():
            out.append(
                f"  {label:<12} kernel CPU % {spread([w['kernel_cpu'] for w in ws])}"
                f"   renderer CPU % {spread([w['renderer_cpu'] for w in ws])}"
                f"   KB/s {spread([w['bytes_per_s'] / 1024 for w in ws])}"
            )
            out.append(
                f"  {'':<12} epochs/s {spread([w['epochs_per_s'] for w in ws])}"
                f"   kernel CPU ms per epoch {spread([w['cpu_ms_per_epoch'] for w in ws])}"
            )
    if "memory" in results:
        runs = len(next(iter(results["memory"].values())))
        out.append(
            f"\nMemory per widget: slope over N widgets (least squares, 5 points), MB per widget;"
            f" median (min-max) of {runs} run(s), kinds alternating"
        )
        for kind, ms in results["memory"].items():
            out.append(
                f"  {kind:<16} N={ms[0]['n']:<3} kernel {spread([m['kernel_mb'] for m in ms], 2)}"
                f"   renderer {spread([m['renderer_mb'] for m in ms], 2)}"
                f"   (JS heap alone {spread([m['heap_mb'] for m in ms], 2)},"
                f" DOM nodes {statistics.median(m['dom_nodes'] for m in ms):.0f})"
                f"   [at N=0: kernel {ms[0]['kernel_base_mb']:.0f} MB, renderer {ms[0]['renderer_base_mb']:.0f} MB]"
            )
    if "cpu" in results and "memory" in results:
        slow = statistics.median(w["kernel_cpu"] for w in results["cpu"]["speed=10"])
        fast = statistics.median(w["kernel_cpu"] for w in results["cpu"]["full speed"])
        per_epoch = statistics.median(w["cpu_ms_per_epoch"] for w in results["cpu"]["speed=10"])
        sent = statistics.median(w["bytes_per_s"] for w in results["cpu"]["speed=10"]) / 2**20
        trainers = results["memory"]["trainer"]
        tr = {key: statistics.median(m[key] for m in trainers) for key in trainers[0]}
        kernel_each = tr["kernel_base_mb"] + 3 * tr["kernel_mb"]
        out += [
            "\nWorked example: 100 students, 3 trainers each, on one JupyterHub (one kernel per student)",
            f"  kernel memory: 100 x ({tr['kernel_base_mb']:.0f} MB kernel with the package"
            f" + 3 x {tr['kernel_mb']:.1f} MB) = {100 * kernel_each / 1024:.1f} GB",
            f"  CPU if every trainer plays at speed=10: 300 x {slow:.1f} % = {3 * slow:.0f} cores as measured;"
            f" from CPU time per epoch ({per_epoch:.0f} ms): 300 x 10 x {per_epoch:.0f} ms = {3 * per_epoch:.0f} cores",
            f"  (a full-speed trainer takes what it gets: {fast:.0f} % of a core here);"
            f" network: 300 x {sent:.2f} MB/s = {300 * sent:.0f} MB/s",
            "  only trainers on a page play: a re-run, a cleared output or a closed tab pauses them",
            f"  each student's tab: about {tr['renderer_base_mb']:.0f} MB for JupyterLab"
            f" + 3 x {tr['renderer_mb']:.1f} MB",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
