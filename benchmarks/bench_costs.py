"""What a class costs: kernel and renderer memory per widget, a playing trainer's CPU and network, and the lifecycle.

Real Chromium (headless) + JupyterLab 4 through the browser-test harness. Prints:

  - lifecycle: after re-running a playing ``Trainer()`` cell 5 times, after
    clearing its output, and idle after a re-run + pause: trainer threads in the
    kernel, kernel CPU % over a 10 s window, bytes/s on the kernel's websocket,
    both ways (Playwright's ``page.on("websocket")``, every kernel message);
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
  - playing trainers (the page trains them: js/trainer/engine.js): 1 and 3
    trainers on one page, at full speed and at speed=10, alternated (ABCD),
    min / median / max of the 10 s windows in which no cell runs: the kernel's
    CPU (utime + stime from /proc/<pid>/stat, read from outside) and resident
    memory's growth, Chromium's CPU (every process, /proc), the kernel
    websocket's bytes both ways, and the epochs the page shows;
  - kernel memory after ``Trainer()`` (no browser): a fresh kernel per
    measurement (jupyter_client, the python3 kernel spec), VmRSS after start
    and after ``from micrograd_widgets.widgets import Trainer; t = Trainer()``,
    with the module count and which of numpy, scipy, scikit-learn, matplotlib
    were imported; with ``--before TREE``, another checkout (e.g. a git
    worktree of an older commit, its front-end built) measured the same way,
    the two trees alternating, PYTHONPATH pointing at each;
  - a worked example: 100 students with 3 trainers each, from those numbers.

Run from the repository root (it starts its own JupyterLab and Chromium; a few minutes):

    npm run build
    python benchmarks/bench_costs.py
    python benchmarks/bench_costs.py --quick   # 5 s windows, fewer widgets
    git worktree add --detach /tmp/mgw-before <commit>   # then build its front-end
    python benchmarks/bench_costs.py --only kernel-memory --before /tmp/mgw-before

The machine these run on is shared: the report gives the date and the load
average; quote medians with their ranges. It asserts nothing: no test depends on a time.
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
from kernel_memory import kernel_memory, report_kernel_memory, tree_label  # noqa: E402
from page_costs import KernelSocket, chromium_cpu, cpu_seconds, rss_mb  # noqa: E402

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


def renderer_pids(browser_cdp) -> list:
    info = browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return [p["id"] for p in info if p["type"] == "renderer" and Path(f"/proc/{p['id']}").exists()]


def probe(page) -> dict:
    out = run_cell(page, 1)
    return json.loads(next(line for line in out.splitlines() if line.startswith("PROBE")).split(" ", 1)[1])


def window(page, kernel_pid, browser_cdp, socket, seconds) -> dict:
    """Kernel and Chromium CPU %, kernel memory growth and the kernel websocket's bytes/s over ``seconds``."""

    def now():
        return (time.monotonic(), cpu_seconds(kernel_pid), rss_mb(kernel_pid), chromium_cpu(browser_cdp),
                socket.sent, socket.received, shown_epochs(page))  # fmt: skip

    t0, k0, m0, c0, s0, r0, e0 = now()
    page.wait_for_timeout(seconds * 1000)
    t1, k1, m1, c1, s1, r1, e1 = now()
    dt = t1 - t0
    return {
        "kernel_cpu": 100 * (k1 - k0) / dt,
        "kernel_mb_per_min": 60 * (m1 - m0) / dt,
        "chromium_cpu": 100 * (sum(c1.values()) - sum(c0.values())) / dt,
        "renderer_cpu": 100 * (c1["renderer"] - c0["renderer"]) / dt,
        "bytes_per_s": (s1 - s0 + r1 - r0) / dt,
        "sent_per_s": (s1 - s0) / dt,
        "epochs_per_s": (e1 - e0) / dt,
    }


def shown_epochs(page) -> int:
    """The epochs the page's trainers show, summed."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.mgw-trainer')].reduce((sum, root) => {
            const m = (root.querySelector('[data-field="epoch"]')?.textContent || '').match(/-?\\d+/);
            return sum + (m ? Number(m[0]) : 0);
        }, 0)"""
    )


def open_notebook(browser, server, name, cells):
    page = new_page(browser)
    socket = KernelSocket(page)
    nb = write_notebook(server.root_dir, name, cells)
    open_in_lab(page, server, nb)
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    run_cell(page, 0, timeout_ms=300_000)
    return page, socket


def wait_count(page, selector, n, timeout_ms=600_000):
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length >= n", arg=[selector, n], timeout=timeout_ms
    )


def slope(xs, ys) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# ---------------------------------------------------------------- the parts


def lifecycle(browser, server, browser_cdp, seconds) -> list:
    cells = [
        SETUP,
        PROBE,
        "t = Trainer(seed=0)\nt.play()\nt",
        "t.pause()",
        "t.speed = 10\nt.play()",
        "t.speed = 0\nt.play()",
    ]
    page, socket = open_notebook(browser, server, "costs-lifecycle", cells)
    pid = probe(page)["pid"]
    rows = []

    def measure(label):
        wait_kernel_idle(page)
        page.wait_for_timeout(2000)  # a trainer whose view went pauses within about a second
        w = window(page, pid, browser_cdp, socket, seconds)
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


PLAYING = {
    # label: (trainers playing, speed; 0 = full speed)
    "1 trainer, full speed": (1, 0),
    "1 trainer, speed=10": (1, 10),
    "3 trainers, full speed": (3, 0),
    "3 trainers, speed=10": (3, 10),
}


def trainer_cpu(browser, server, browser_cdp, seconds, repeats) -> dict:
    cells = [SETUP, PROBE, "t = Trainer(seed=0)\nt", "u, v = Trainer(seed=1), Trainer(seed=2)\ndisplay(u, v)",
             "for x in (t, u, v):\n    x.pause()"]  # fmt: skip
    for n, speed in PLAYING.values():
        cells.append(f"for x in (t, u, v)[:{n}]:\n    x.speed = {speed}\n    x.play()")
    page, socket = open_notebook(browser, server, "costs-cpu", cells)
    pid = probe(page)["pid"]
    run_cell(page, 2)
    run_cell(page, 3)
    wait_count(page, ".mgw-trainer canvas[data-role='boundary']", 3)
    out = {label: [] for label in PLAYING}
    for _ in range(repeats):  # ABCD ABCD: the settings alternate
        for k, label in enumerate(PLAYING):
            run_cell(page, 4)
            run_cell(page, 5 + k)
            wait_kernel_idle(page)
            page.wait_for_timeout(2000)
            out[label].append(window(page, pid, browser_cdp, socket, seconds))
    run_cell(page, 4)
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
    parser.add_argument("--quick", action="store_true", help="5 s windows, half the widgets, one round")
    parser.add_argument("--memory-repeats", type=int, default=1, help="memory slopes measured this many times each")
    parser.add_argument("--kernel-repeats", type=int, default=3, help="kernel memory after Trainer(): kernels per tree")
    parser.add_argument("--before", type=Path, action="append", default=[],
                        help="another checkout to measure kernel memory in (repeatable), alternating")  # fmt: skip
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts")
    args = parser.parse_args()
    seconds = 5 if args.quick else 10
    parts = set(args.only or PARTS)
    results = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    results["load_start"] = Path("/proc/loadavg").read_text().strip()
    if "kernel-memory" in parts:
        trees = {tree_label(tree): tree.resolve() for tree in args.before}
        results["kernel-memory"] = kernel_memory({**trees, f"now {tree_label(REPO)}": REPO}, args.kernel_repeats)
    if parts - {"kernel-memory"}:
        reason = browser_unavailable_reason()
        if reason:
            sys.exit(reason)
        in_browser(args, parts, seconds, results)
    results["load_end"] = Path("/proc/loadavg").read_text().strip()
    report(results, seconds)


PARTS = ["lifecycle", "cpu", "memory", "kernel-memory"]


def in_browser(args, parts, seconds, results):
    from playwright.sync_api import sync_playwright

    server = start_jupyter_server()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            browser_cdp = browser.new_browser_cdp_session()
            if "lifecycle" in parts:
                results["lifecycle"] = lifecycle(browser, server, browser_cdp, seconds)
                server.shutdown_kernels()
            if "cpu" in parts:
                results["cpu"] = trainer_cpu(browser, server, browser_cdp, seconds, 1 if args.quick else 2)
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


def report(results, seconds):
    out = ["", f"bench_costs: {results['started']}, commit {git_commit()}, {os.cpu_count()} cores (shared),"]
    out.append(f"/proc/loadavg at the start: {results['load_start']}; at the end: {results['load_end']}")
    out.append("Chromium headless + JupyterLab 4")
    if "kernel-memory" in results:
        out += report_kernel_memory(results["kernel-memory"], spread)
    if "lifecycle" in results:
        out.append(f"\nLifecycle ({seconds} s windows): trainer threads, CPU %, kernel websocket bytes/s both ways")
        for w in results["lifecycle"]:
            out.append(
                f"  {w['label']:<48} threads {w['threads']}  kernel {w['kernel_cpu']:5.1f} %"
                f"  Chromium {w['chromium_cpu']:5.1f} %  {w['bytes_per_s'] / 1024:8.2f} KB/s"
            )
    if "cpu" in results:
        n = len(next(iter(results["cpu"].values())))
        out.append(f"\nPlaying trainers (default moons setup, the page trains), {n} windows each, alternating;"
                   " median (min .. max)")  # fmt: skip
        for label, ws in results["cpu"].items():
            out.append(
                f"  {label:<24} kernel CPU % {spread([w['kernel_cpu'] for w in ws], 2)}"
                f"   KB/s both ways {spread([w['bytes_per_s'] / 1024 for w in ws], 2)}"
                f" (page -> kernel {statistics.median(w['sent_per_s'] for w in ws) / 1024:.2f})"
            )
            out.append(
                f"  {'':<24} Chromium CPU % {spread([w['chromium_cpu'] for w in ws])}"
                f" (renderer {statistics.median(w['renderer_cpu'] for w in ws):.1f})"
                f"   epochs/s {spread([w['epochs_per_s'] for w in ws], 0)}"
                f"   kernel memory MB/min {spread([w['kernel_mb_per_min'] for w in ws], 2)}"
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
    if {"cpu", "memory", "kernel-memory"} <= results.keys():
        out += worked_example(results)
    print("\n".join(out))


def worked_example(results) -> list:
    cpu = {label: {key: statistics.median(w[key] for w in ws) for key in ws[0]} for label, ws in results["cpu"].items()}
    trainers = results["memory"]["trainer"]
    per_trainer = statistics.median(m["kernel_mb"] for m in trainers)
    renderer_each = statistics.median(m["renderer_mb"] for m in trainers)
    now = [ms for label, ms in results["kernel-memory"].items() if label.startswith("now")][0]
    kernel = statistics.median(m["trainer"]["rss_mb"] for m in now)
    full, slow = cpu["3 trainers, full speed"], cpu["3 trainers, speed=10"]
    return [
        "\nWorked example: 100 students, 3 trainers each, on one JupyterHub (one kernel per student)",
        f"  kernel memory: 100 x ({kernel:.0f} MB kernel after Trainer() + 2 x {per_trainer:.2f} MB)"
        f" = {100 * (kernel + 2 * per_trainer) / 1024:.1f} GB, growing while they play"
        f" ({full['kernel_mb_per_min']:.1f} MB/min per student at full speed)",
        f"  kernel CPU if all 300 play: 100 x {full['kernel_cpu']:.2f} % = {full['kernel_cpu']:.1f} cores"
        " at full speed,"
        f" 100 x {slow['kernel_cpu']:.2f} % = {slow['kernel_cpu']:.1f} cores at speed=10",
        f"  network if all 300 play: 100 x {full['bytes_per_s'] / 1024:.1f} KB/s"
        f" = {100 * full['bytes_per_s'] / 2**20:.1f} MB/s at full speed,"
        f" {100 * slow['bytes_per_s'] / 2**20:.2f} MB/s at speed=10",
        f"  each student's browser: {full['chromium_cpu']:.0f} % of a core with 3 trainers at full speed,"
        f" {slow['chromium_cpu']:.0f} % at speed=10; memory about"
        f" {trainers[0]['renderer_base_mb']:.0f} MB for JupyterLab + 3 x {renderer_each:.1f} MB",
        "  only trainers on a page play: a re-run, a cleared output or a closed tab pauses them",
    ]


if __name__ == "__main__":
    main()
