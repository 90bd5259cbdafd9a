"""The page trainer's costs in real Chromium + JupyterLab: page rate against the kernel alone, and what playing costs.

One run on the default trainer (``Trainer(seed=0)``: moons, 100 points,
MLP(2, [16, 16, 1]), hinge loss, full batch, SGD lr 0.5), shown in JupyterLab 4
in headless Chromium, both started by this script. While it plays, the page
trains (js/trainer/engine.js replays the graphs the kernel recorded) and
repaints every picture, the 100x100 boundary included, once per animation
frame; it reports to the kernel every 2 s.

Each round alternates (ABC, several rounds, one kernel, one page):
  A  the page plays: a warm-up, then a window (10 s) in which nothing else runs:
     - page rate: the epoch counter (`[data-field="epoch"]`) read in the page
       at the start and end of the window, over the page's own clock;
       animation frames and boundary repaints counted in the page (a
       requestAnimationFrame counter, and the boundary canvas's clearRect,
       called once per draw_plane, wrapped);
     - kernel CPU: utime + stime of the kernel's process (/proc/<pid>/stat,
       every thread) read by this process before and after; no cell runs;
     - network: payload bytes of every websocket frame on the kernel's socket
       (Playwright's page.on("websocket"): sent and received), sorted by
       message (the kernel protocol's header and content are parsed);
     - the browser's CPU: /proc of every Chromium process, grouped by the type
       CDP's SystemInfo.getProcessInfo gives (renderer, GPU, browser, utility),
       and the page's main-thread time by kind (CDP Performance.getMetrics:
       TaskDuration, ScriptDuration, LayoutDuration, RecalcStyleDuration);
  B  the kernel alone: a cell trains a bare ``training.Session(seed=0)`` with
     ``train(1)`` in a loop for the same window, in the same kernel (the page
     paused); its rate and CPU seconds per epoch from the cell itself;
  C  idle: the trainer shown and paused, nothing running; the same figures as
     A, the baseline the playing trainer's costs are read against.
The ratio page rate / kernel-only rate is taken per round (A and B of the
same round); medians and ranges are over the rounds.

After the rounds: how fast the controls answer while it plays (pause -> the
last epoch the counter shows; step -> the counter shows one more, 5 times),
the epochs the kernel ran itself while the page played (the runner's count,
expected 0), and the accuracy at the first epoch from 100 on in ``t.history``
(the page's reported rows) beside a bare Session's own at that epoch.

``--profile S``: one more playing window of S seconds under V8's sampling
profiler (CDP Profiler), on an unminified build of the trainer bundle made
for this run in a temporary directory (``Trainer._esm`` pointed at it in the
kernel), so that the time can be read per source module: where the browser's
CPU goes. The profiler slows the page; its window is not one of the rounds.

The machine is shared (2 cores): this process, Playwright's driver, the
kernel, JupyterLab's server and Chromium all share them, with whatever else
runs. Quote ratios and ranges with the load average the table prints.

Run it from the repository root (it starts its own JupyterLab and Chromium):

    npm run build
    python benchmarks/bench_trainer.py                 # 4 rounds of 10 s windows, a few minutes
    python benchmarks/bench_trainer.py --rounds 6 --profile 5

It prints a table and asserts nothing: no test depends on a time.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
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
from page_costs import KernelSocket, chromium_cpu, cpu_seconds, profile, rss_mb, unminified_bundle  # noqa: E402

CELLS = [
    "import json, os, time\n"
    "from micrograd_widgets.training import Session\n"
    "from micrograd_widgets.widgets import Trainer\n"
    "ESM\n"
    "s = Session(seed=0)\ns.train(2)  # the kernel-only peer, warmed up\n"
    "t = Trainer(seed=0)\n"
    "print('PID', os.getpid())\n"
    "t",
    # B: the kernel alone, a bare Session, for the window
    "n, t0, c0 = 0, time.perf_counter(), time.process_time()\n"
    "while time.perf_counter() - t0 < WINDOW:\n"
    "    s.train(1); n += 1\n"
    "print('KERNEL', json.dumps({'rate': n / (time.perf_counter() - t0), 'cpu': (time.process_time() - c0) / n}))",
    "print('PROBE', json.dumps({'ran': t._runner.stats['epochs'], 'epoch': t.epoch, 'rows': len(t.history)}))",
    # the page's first reported row from epoch 100 on (a report carries some of its epochs), and the kernel's own
    "row = next(r for r in t.history if r['epoch'] >= 100)\n"
    "ref = Session(seed=0).train(row['epoch'])[-1]\n"
    "print('ACC', json.dumps({'epoch': row['epoch'], 'page': [row['loss'], row['accuracy'], row['test_accuracy']],\n"
    "                         'kernel': [ref['loss'], ref['accuracy'], ref['test_accuracy']]}))",
]

_INSTALL_JS = """
() => {
  // frames and boundary repaints, counted only between start() and stop() (an idle page stays idle)
  const root = document.querySelector('.mgw-trainer');
  const ctx = root.querySelector('canvas[data-role="boundary"]').getContext('2d');
  const epoch = root.querySelector('[data-field="epoch"]');
  const w = { frames: 0, paints: 0, on: false, changes: [] };
  const clear = ctx.clearRect;
  ctx.clearRect = function (...a) { if (w.on) w.paints++; return clear.apply(this, a); };
  const tick = () => { if (!w.on) return; w.frames++; requestAnimationFrame(tick); };
  const read = () => Number((epoch.textContent.match(/-?\\d+/) || ['NaN'])[0]);
  w.start = () => { w.on = true; requestAnimationFrame(tick); };
  w.stop = () => { w.on = false; };
  w.read = () => ({ e: read(), t: performance.now(), frames: w.frames, paints: w.paints,
                    rate: root.querySelector('[data-field="rate"]').textContent });
  // every counter change, for the controls' latency
  new MutationObserver(() => w.changes.push({ e: read(), t: performance.now() }))
    .observe(epoch, { characterData: true, childList: true, subtree: true });
  window.__mgwBench = w;
}
"""

_PAUSE_JS = """
async () => {
  const w = window.__mgwBench, root = document.querySelector('.mgw-trainer');
  const t0 = performance.now();
  root.querySelector('button[aria-label="pause"]').click();
  await new Promise((ok) => setTimeout(ok, 2000));
  const after = w.changes.filter((c) => c.t > t0);
  return { last_ms: after.length ? after[after.length - 1].t - t0 : 0, changes: after.length };
}
"""

_STEP_JS = """
async () => {
  const w = window.__mgwBench, root = document.querySelector('.mgw-trainer');
  const before = w.read().e, t0 = performance.now();
  root.querySelector('button[aria-label="step"]').click();
  return await new Promise((resolve) => {
    const poll = () => {
      if (w.read().e === before + 1) return resolve(performance.now() - t0);
      if (performance.now() - t0 > 10000) return resolve(null);
      requestAnimationFrame(poll);
    };
    poll();
  });
}
"""

TIMES = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


# ---------------------------------------------------------------- one window


class Meter:
    def __init__(self, page, browser_cdp, kernel_pid, socket):
        self.page, self.browser_cdp, self.kernel_pid, self.socket = page, browser_cdp, kernel_pid, socket
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")

    def snapshot(self) -> dict:
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {
            "wall": time.monotonic(),
            "kernel": cpu_seconds(self.kernel_pid),
            "kernel_rss": rss_mb(self.kernel_pid),
            "chromium": chromium_cpu(self.browser_cdp),
            "metrics": {name: metrics.get(name, 0.0) for name in TIMES},
            "sent": self.socket.sent,
            "received": self.socket.received,
            "page": self.page.evaluate("window.__mgwBench.read()"),
        }

    def window(self, seconds, playing) -> dict:
        """Costs over ``seconds`` in which no cell runs: CPU in % of a core, bytes/s, and the page's counts."""
        if playing:
            self.page.evaluate("window.__mgwBench.start()")
        self.socket.sorting = playing
        a = self.snapshot()
        self.page.wait_for_timeout(seconds * 1000)
        b = self.snapshot()
        self.socket.sorting = False
        self.page.evaluate("window.__mgwBench.stop()")
        dt, page_dt = b["wall"] - a["wall"], (b["page"]["t"] - a["page"]["t"]) / 1000
        types = set(a["chromium"]) | set(b["chromium"])
        chromium = {k: 100 * (b["chromium"][k] - a["chromium"][k]) / dt for k in types}
        return {
            "rate": (b["page"]["e"] - a["page"]["e"]) / page_dt,
            "frames": (b["page"]["frames"] - a["page"]["frames"]) / page_dt,
            "paints": (b["page"]["paints"] - a["page"]["paints"]) / page_dt,
            "rate_label": float((b["page"]["rate"].split() or ["nan"])[0]),
            "kernel_mb_per_min": 60 * (b["kernel_rss"] - a["kernel_rss"]) / dt,
            "kernel_cpu": 100 * (b["kernel"] - a["kernel"]) / dt,
            "chromium": chromium,
            "chromium_total": sum(chromium.values()),
            "main": {k: 100 * (b["metrics"][k] - a["metrics"][k]) / dt for k in TIMES},
            "sent": (b["sent"] - a["sent"]) / dt / 1024,
            "received": (b["received"] - a["received"]) / dt / 1024,
        }


# ---------------------------------------------------------------- the run


def cell_json(out: str, tag: str) -> dict:
    return json.loads(next(line for line in out.splitlines() if line.startswith(tag)).split(" ", 1)[1])


def play(page):
    root = page.locator(".mgw-trainer").first
    root.locator('button[aria-label="play"]').click()
    page.wait_for_function(
        "(el) => el.getAttribute('data-trains') === 'page'", arg=root.element_handle(), timeout=30_000
    )


def pause(page):
    page.locator('.mgw-trainer button[aria-label="pause"]').first.click()
    page.wait_for_function(
        "(el) => el.getAttribute('data-running') === 'false'",
        arg=page.locator(".mgw-trainer").first.element_handle(),
        timeout=30_000,
    )
    wait_kernel_idle(page)


def run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="mgw-bench-trainer-") as tmp:
        return measure(args, unminified_bundle(Path(tmp)) if args.profile else None)


def measure(args, bundle) -> dict:
    from playwright.sync_api import sync_playwright

    esm = f"Trainer._esm = open({str(bundle)!r}).read()  # unminified, for the profile" if bundle else ""
    cells = [c.replace("WINDOW", str(args.window)).replace("ESM\n", esm + "\n") for c in CELLS]
    res = {"rounds": [], "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    res["load_start"] = Path("/proc/loadavg").read_text().strip()
    server = start_jupyter_server()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            browser_cdp = browser.new_browser_cdp_session()
            page = new_page(browser)
            socket = KernelSocket(page)
            open_in_lab(page, server, write_notebook(server.root_dir, "bench-trainer", cells))
            page.evaluate("window.jupyterapp.shell.collapseLeft()")
            kernel_pid = int(run_cell(page, 0, timeout_ms=300_000).split("PID", 1)[1].split()[0])
            page.wait_for_selector(".mgw-trainer canvas[data-role='boundary']", timeout=120_000)
            wait_kernel_idle(page)
            page.evaluate(_INSTALL_JS)
            meter = Meter(page, browser_cdp, kernel_pid, socket)
            for _ in range(args.rounds):
                play(page)
                page.wait_for_timeout(2000)  # warm-up
                playing = meter.window(args.window, playing=True)
                pause(page)
                kernel = cell_json(run_cell(page, 1, timeout_ms=600_000), "KERNEL")
                wait_kernel_idle(page)
                page.wait_for_timeout(1000)
                idle = meter.window(args.window, playing=False)
                res["rounds"].append({"playing": playing, "kernel": kernel, "idle": idle})
                print(f"round {len(res['rounds'])}: page {playing['rate']:.0f} epochs/s, kernel alone"
                      f" {kernel['rate']:.1f}, kernel CPU {playing['kernel_cpu']:.1f} %", file=sys.stderr)  # fmt: skip
            res["by_message"] = socket.by_message
            play(page)
            page.wait_for_timeout(2000)
            res["pause"] = page.evaluate(_PAUSE_JS)
            wait_kernel_idle(page)
            res["steps"] = [page.evaluate(_STEP_JS) for _ in range(5)]
            wait_kernel_idle(page)
            page.wait_for_timeout(1000)
            res["probe"] = cell_json(run_cell(page, 2), "PROBE")
            res["accuracy"] = cell_json(run_cell(page, 3, timeout_ms=300_000), "ACC")
            if bundle:
                res["profile"] = profile(page, args.profile, bundle, play, pause)
            res["console_errors"] = [m for m in page.mgw_console if m.startswith(("error", "pageerror"))]
            page.context.close()
            browser.close()
    finally:
        server.stop()
    res["load_end"] = Path("/proc/loadavg").read_text().strip()
    return res


# ---------------------------------------------------------------- report


def spread(values, digits=1) -> str:
    return f"{statistics.median(values):8.{digits}f}  ({min(values):.{digits}f} .. {max(values):.{digits}f})"


def report(res, window):
    rounds = res["rounds"]
    play_, idle = [r["playing"] for r in rounds], [r["idle"] for r in rounds]
    kern = [r["kernel"] for r in rounds]
    out = [
        "",
        f"bench_trainer: {res['started']}, {os.cpu_count()} cores (shared), Chromium headless + JupyterLab 4",
        f"load average (/proc/loadavg) at the start: {res['load_start']}",
        f"                             at the end:   {res['load_end']}",
        f"default moons trainer, {len(rounds)} rounds, {window} s windows, ABC per round;"
        " median  (min .. max) over the rounds",
        "",
        f"{'A page playing: epochs/s (the epoch counter)':<58}{spread([w['rate'] for w in play_])}",
        f"{'B kernel alone: epochs/s (bare Session, train(1) loop)':<58}{spread([k['rate'] for k in kern])}",
        f"{'page / kernel-alone, per round (target >= 10)':<58}"
        f"{spread([w['rate'] / k['rate'] for w, k in zip(play_, kern, strict=True)])}",
        f"{'  (the rate label the page shows, at the end)':<58}{spread([w['rate_label'] for w in play_])}",
        f"{'kernel alone: CPU ms per epoch':<58}{spread([1000 * k['cpu'] for k in kern], 2)}",
        f"{'page: animation frames/s':<58}{spread([w['frames'] for w in play_])}",
        f"{'page: boundary repaints/s':<58}{spread([w['paints'] for w in play_])}",
        f"{'page: epochs per frame':<58}{spread([w['rate'] / max(w['frames'], 1e-9) for w in play_])}",
        "",
        f"{'':<40}{'playing (A)':>26}{'idle, paused (C)':>30}",
    ]

    def row(label, key, digits=1):
        a, c = spread([key(w) for w in play_], digits), spread([key(w) for w in idle], digits)
        out.append(f"{label:<40}{a:>26}{c:>30}")

    row("kernel CPU, % of a core (target <= 3)", lambda w: w["kernel_cpu"], 2)
    row("kernel websocket, KB/s, both ways", lambda w: w["sent"] + w["received"], 2)
    row("  page -> kernel, KB/s", lambda w: w["sent"], 2)
    row("  kernel -> page, KB/s", lambda w: w["received"], 2)
    row("kernel resident memory, MB per minute", lambda w: w["kernel_mb_per_min"], 2)
    row("Chromium, all processes, % of a core", lambda w: w["chromium_total"])
    for kind in sorted({k for w in play_ + idle for k in w["chromium"]}):
        row(f"  {kind} process(es)", lambda w, kind=kind: w["chromium"].get(kind, 0.0))
    for name in TIMES:
        row(f"  page main thread: {name}, %", lambda w, name=name: w["main"][name])
    sent_total = sum(res["by_message"].values()) or 1
    out.append(f"\nkernel websocket while playing, by message ({len(rounds)} windows):")
    for (direction, label), size in res["by_message"].most_common(8):
        out.append(f"  {direction}  {label:<44} {size / (len(rounds) * window) / 1024:8.2f} KB/s"
                   f"  ({100 * size / sent_total:.0f} %)")  # fmt: skip
    steps = [s for s in res["steps"] if s is not None]
    acc, paused = res["accuracy"], res["pause"]
    step_ms = (statistics.median(steps), max(steps)) if steps else (float("nan"), float("nan"))
    out += [
        "",
        f"pause -> last epoch shown: {paused['last_ms']:.0f} ms ({paused['changes']} counter changes after the click)",
        f"step -> counter +1: median {step_ms[0]:.0f} ms of {len(res['steps'])}"
        f" (max {step_ms[1]:.0f}, missed {len(res['steps']) - len(steps)})",
        f"epochs the kernel ran itself while the page played: {res['probe']['ran']}"
        f" (kernel's epoch {res['probe']['epoch']}, {res['probe']['rows']} history rows)",
        f"epoch {acc['epoch']} from the page's rows: loss {acc['page'][0]!r}, accuracy {acc['page'][1]:.4f},"
        f" test {acc['page'][2]:.4f}",
        f"epoch {acc['epoch']}, a bare Session:      loss {acc['kernel'][0]!r}, accuracy {acc['kernel'][1]:.4f}"
        f" ({'the same to the bit' if acc['page'] == acc['kernel'] else 'DIFFERENT'})",
    ]
    if res["console_errors"]:
        out.append(f"console errors: {res['console_errors'][:3]}")
    if "profile" in res:
        prof = res["profile"]
        total = sum(prof["modules"].values()) or 1
        out.append(f"\nwhere the page's CPU goes (V8 sampling profile, {prof['total_s']:.1f} s, unminified bundle):")
        for module, us in prof["modules"].most_common(14):
            out.append(f"  {100 * us / total:5.1f} %  {module}")
        out.append("  top functions:")
        for (name, module), us in prof["functions"].most_common(12):
            out.append(f"  {100 * us / total:5.1f} %  {name}  ({module})")
    print("\n".join(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="ABC rounds (default 4)")
    parser.add_argument("--window", type=int, default=10, help="seconds per window (default 10)")
    parser.add_argument("--profile", type=int, default=0, help="seconds of a V8 profile after the rounds (0: none)")
    args = parser.parse_args()
    reason = browser_unavailable_reason()
    if reason:
        sys.exit(reason)
    report(run(args), args.window)


if __name__ == "__main__":
    main()
