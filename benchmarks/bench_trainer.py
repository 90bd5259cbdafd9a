"""Trainer speed in real Chromium + JupyterLab, against the targets printed at the end.

Prints, on the default setup (moons, 100 points, MLP(2, [16, 16, 1]), full
batch, lr 0.5, 100x100 boundary):
  - epochs per second shown on the page while playing, and how many of those
    epochs repainted the boundary canvas (its pixels read back on every epoch
    counter change);
  - the kernel's own rate over the same window (len(t.history)), and
    t.train(epochs=N) in the kernel with no page involved, for comparison;
  - the page rate against the kernel-only rate (a bare training.Session in the
    same kernel, no widget), measured in the same run, alternated ABAB over
    several rounds: median, min and max of each and of their ratio, and where
    the playing kernel's time goes (epochs vs. building and sending states);
  - how fast the controls answer while it plays: pause -> last epoch shown,
    step -> the counter shows one more;
  - training accuracy at epoch 100 (the quality bar: >= 97 %).

Times are measured inside the page with performance.now() and MutationObservers.

Run it from the repository root (it starts its own JupyterLab and Chromium):

    npm run build
    python benchmarks/bench_trainer.py            # about a minute
    python benchmarks/bench_trainer.py --quick    # shorter window

It prints a table and asserts nothing: no test depends on a time.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

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

CELLS = [
    "from micrograd_widgets.widgets import Trainer\nt = Trainer(seed=0)\nt",
    # process_time: the kernel's CPU seconds, every thread (the training thread, IOPub)
    "import time\nprint('STATE', len(t.history), time.process_time())",
    # the engine alone, no page: a fresh trainer trained synchronously
    "import time\n"
    "u = Trainer(seed=0)\n"
    "t0 = time.perf_counter(); u.train(epochs=100); dt = time.perf_counter() - t0\n"
    "print('SYNC', 100 / dt, u.history[99]['accuracy'], u.history[99]['test_accuracy'])",
    # the kernel-only peer of the page rate: a bare Session, no widget (the window is filled in below)
    "import time\nfrom micrograd_widgets.training import Session\ns = Session(seed=0)\ns.train(2)",
    "n, t0, c0 = 0, time.perf_counter(), time.process_time()\n"
    "while time.perf_counter() - t0 < WINDOW:\n"
    "    s.train(1); n += 1\n"
    "print('KERNEL', n / (time.perf_counter() - t0), (time.process_time() - c0) / n)",
    "import json\nprint('STATS', json.dumps(t._runner.stats))",
]

TARGET_EPOCHS_PER_S = 20

_WATCH_JS = """
() => {
  // every epoch counter change: when, and whether the boundary's pixels changed since the last one
  const root = document.querySelector('.mgw-trainer');
  const epoch = root.querySelector('[data-field="epoch"]');
  const canvas = root.querySelector('canvas[data-role="boundary"]');
  const ctx = canvas.getContext('2d');
  const digest = () => {
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < px.length; i += 4) h = Math.imul(h ^ px[i] ^ (px[i + 1] << 8) ^ (px[i + 2] << 16), 16777619);
    return h;
  };
  const w = { events: [], last: digest() };
  window.__mgwTrainer = w;
  const read = () => Number((epoch.textContent.match(/-?\\d+/) || ['NaN'])[0]);
  w.obs = new MutationObserver(() => {
    // the canvas may be painted in the same task or the next frame: look at the next frame
    const e = read(), t = performance.now();
    requestAnimationFrame(() => {
      const d = digest();
      w.events.push({ e, t, repainted: d !== w.last });
      w.last = d;
    });
  });
  w.obs.observe(epoch, { characterData: true, childList: true, subtree: true });
}
"""

_PAUSE_JS = """
async () => {
  const w = window.__mgwTrainer;
  const root = document.querySelector('.mgw-trainer');
  const t0 = performance.now();
  root.querySelector('button[aria-label="pause"]').click();
  await new Promise((ok) => setTimeout(ok, 2000));
  const after = w.events.filter((ev) => ev.t > t0);
  return { last_after_ms: after.length ? after[after.length - 1].t - t0 : 0, epochs_after: after.length };
}
"""

_STEP_JS = """
async () => {
  const root = document.querySelector('.mgw-trainer');
  const epoch = root.querySelector('[data-field="epoch"]');
  const read = () => Number((epoch.textContent.match(/-?\\d+/) || ['NaN'])[0]);
  const before = read();
  const t0 = performance.now();
  root.querySelector('button[aria-label="step"]').click();
  return await new Promise((resolve) => {
    const poll = () => {
      if (read() === before + 1) return resolve(performance.now() - t0);
      if (performance.now() - t0 > 10000) return resolve(null);
      requestAnimationFrame(poll);
    };
    poll();
  });
}
"""


def kernel_epochs(page) -> int:
    return kernel_state(page)[0]


def kernel_state(page) -> tuple:
    """(epochs trained, the kernel's CPU seconds so far)."""
    out = run_cell(page, 1)
    fields = next(line for line in out.splitlines() if line.startswith("STATE")).split()
    return int(fields[1]), float(fields[2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 5 s window instead of 15 s")
    parser.add_argument("--rounds", type=int, default=3, help="ABAB rounds of page vs kernel-only (default 3)")
    args = parser.parse_args()
    window_s = 5 if args.quick else 15
    rounds = args.rounds

    reason = browser_unavailable_reason()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    server = start_jupyter_server()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = new_page(browser)
            cells = [cell.replace("WINDOW", str(window_s)) for cell in CELLS]
            nb = write_notebook(server.root_dir, "bench-trainer", cells)
            open_in_lab(page, server, nb)
            run_cell(page, 0)
            page.wait_for_selector(".mgw-trainer canvas[data-role='boundary']", timeout=120_000)
            wait_kernel_idle(page)
            page.evaluate(_WATCH_JS)

            run_cell(page, 3)  # the bare session for the kernel-only rate, warmed up
            page_rates, kernel_rates, page_cpu, kernel_cpu = [], [], [], []
            for r in range(rounds):  # ABAB: the page playing, then the kernel alone, in the same kernel
                page.locator('.mgw-trainer button[aria-label="play"]').click()
                page.wait_for_timeout(2000)  # warm-up
                (k0, c0), t0 = kernel_state(page), time.monotonic()
                start_ms = page.evaluate("performance.now()")
                page.wait_for_timeout(window_s * 1000)
                end_ms = page.evaluate("performance.now()")
                (k1, c1), t1 = kernel_state(page), time.monotonic()
                page_cpu.append((c1 - c0) / max(1, k1 - k0))
                events = page.evaluate(
                    "([a, b]) => window.__mgwTrainer.events.filter(ev => ev.t >= a && ev.t <= b)", [start_ms, end_ms]
                )
                seen = (events[-1]["e"] - events[0]["e"]) if len(events) > 1 else 0
                page_rates.append(seen / ((end_ms - start_ms) / 1000))
                if r == rounds - 1:
                    pause = page.evaluate(_PAUSE_JS)
                else:
                    page.locator('.mgw-trainer button[aria-label="pause"]').click()
                wait_kernel_idle(page)
                out = run_cell(page, 4, timeout_ms=600_000)
                fields = next(x for x in out.splitlines() if x.startswith("KERNEL")).split()
                kernel_rates.append(float(fields[1]))
                kernel_cpu.append(float(fields[2]))
            stats_out = run_cell(page, 5)
            stats = json.loads(next(x for x in stats_out.splitlines() if x.startswith("STATS")).split(" ", 1)[1])
            steps = [page.evaluate(_STEP_JS) for _ in range(5)]
            wait_kernel_idle(page)
            sync_out = run_cell(page, 2, timeout_ms=600_000)
            page.context.close()
            browser.close()
    finally:
        server.stop()

    shown = len(events)
    repainted = sum(1 for ev in events if ev["repainted"])
    epochs_seen = (events[-1]["e"] - events[0]["e"]) if len(events) > 1 else 0
    span = (end_ms - start_ms) / 1000
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise(events)]
    sync_line = next(line for line in sync_out.splitlines() if line.startswith("SYNC")).split()
    sync_rate, acc100, test_acc100 = float(sync_line[1]), float(sync_line[2]), float(sync_line[3])
    valid_steps = [s for s in steps if s is not None]

    print()
    print(f"Trainer, default moons setup, Chromium (headless) + JupyterLab on this machine; {window_s} s window")
    print(
        f"{'epochs/s shown on the page':<48} {epochs_seen / span:8.1f}"
        f"   (counter advanced {epochs_seen} in {span:.1f} s)"
    )
    print(f"{'counter updates seen / with boundary repainted':<48} {shown:5d} / {repainted}")
    if gaps:
        print(
            f"{'gap between shown epochs p50 / p95 (ms)':<48} {statistics.median(gaps):8.1f}"
            f" / {sorted(gaps)[int(0.95 * (len(gaps) - 1))]:.1f}"
        )
    print(
        f"{'epochs/s in the kernel over the window':<48} {(k1 - k0) / (t1 - t0):8.1f}"
        "   (len(t.history); includes two probe cells)"
    )
    print(f"{'epochs/s, t.train(100) in the kernel, no page':<48} {sync_rate:8.1f}")
    print(
        f"{'pause -> last epoch shown (ms)':<48} {pause['last_after_ms']:8.1f}"
        f"   ({pause['epochs_after']} epochs shown after the click)"
    )
    step_label = f"step -> counter +1 (ms), median of {len(steps)}"
    print(
        f"{step_label:<48} {statistics.median(valid_steps) if valid_steps else float('nan'):8.1f}"
        f"   (missed {len(steps) - len(valid_steps)})"
    )
    print(f"{'training / test accuracy at epoch 100':<48} {acc100:8.4f} / {test_acc100:.4f}")
    ratios = [a / b for a, b in zip(page_rates, kernel_rates, strict=True)]
    print(f"\nPage rate vs kernel-only rate (a bare Session in the same kernel), {rounds} ABAB rounds of {window_s} s:")
    for label, values in (
        ("page epochs/s", page_rates),
        ("kernel-only epochs/s", kernel_rates),
        ("page / kernel", ratios),
    ):
        print(
            f"  {label:<22} median {statistics.median(values):7.2f}   min {min(values):7.2f}   max {max(values):7.2f}"
        )
    # CPU seconds per epoch hold when the machine is busy (wall-clock rates swing with its load)
    cpu_ratios = [k / p for p, k in zip(page_cpu, kernel_cpu, strict=True)]
    for label, values in (
        ("page CPU ms/epoch", [1000 * v for v in page_cpu]),
        ("kernel-only CPU ms/ep.", [1000 * v for v in kernel_cpu]),
        ("kernel-only / page", cpu_ratios),
    ):
        print(
            f"  {label:<22} median {statistics.median(values):7.2f}   min {min(values):7.2f}   max {max(values):7.2f}"
        )
    per_epoch = stats["train_seconds"] / max(1, stats["epochs"])
    per_send = stats["send_seconds"] / max(1, stats["sends"])
    print(
        f"  the playing kernel over the whole run: {stats['epochs']} epochs at {1000 * per_epoch:.1f} ms,"
        f" {stats['sends']} states sent at {1000 * per_send:.1f} ms each"
        f" ({100 * stats['send_seconds'] / max(1e-9, stats['train_seconds'] + stats['send_seconds']):.0f} %)"
    )
    print("  target: the page rate within 10 % of the kernel-only rate (page / kernel >= 0.90)")
    print(
        f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        " (other work on the machine lowers the rates)"
    )
    print(
        f"targets: >= {TARGET_EPOCHS_PER_S} epochs/s with the boundary repainted every epoch;"
        " >= 0.97 training accuracy within 100 epochs; controls answer within 100 ms"
    )


if __name__ == "__main__":
    main()
