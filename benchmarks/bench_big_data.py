"""What your own data costs per epoch: 100 to 10,000 points, in the page (V8, through node) and in the kernel.

Own data sets of 100, 1,000, 5,000 and 10,000 points (moons drawn by
``micrograd_widgets.data.generate`` with that n, seed 0, noise 0.1), passed
as ``Session(X=X, y=y, seed=0)``: own data, standardised, a test fraction of
0.2, the default network MLP(2, [16, 16, 1]), hinge loss, SGD; full batch,
and ``batch_size=32`` as a second row.

- The page: the kernel records the loss graphs a Trainer sends (timed), and
  bench_big_data.mjs runs js/trainer/epoch.js's ``run_epoch`` on them in node,
  standing in for Chromium's V8 (the same JS). A playing page trains at most
  this fast: it also paints (NOTE [training's share of a frame], js/trainer/engine.js).
- The kernel: ``Session.train(1)``, what ``t.train(epochs)`` costs per epoch
  (and a trainer no page trains: a script, Pyodide).

The first epoch of each is timed apart (node's JIT is cold then). Then rounds:
each times every case in turn in the page, then in the kernel (the order
reversed every other round), each running epochs for a minimum time; training
goes on from round to round. Times are medians (min .. max) over the rounds;
ratios are taken within a round. ``--chromium`` adds a check in real Chromium:
the 10,000-point trainer playing in JupyterLab, its epoch counter over 10 s.

    python benchmarks/bench_big_data.py              # 5 rounds, about two minutes
    python benchmarks/bench_big_data.py --rounds 3 --chromium

It prints a table and asserts nothing: no test depends on a time.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from micrograd_widgets import data as datasets
from micrograd_widgets.training import Session
from micrograd_widgets.widgets import _trainer_state as wire_state

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from trainer_requests import page_request  # noqa: E402  (the request the cross-check sends, too)

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "bench_big_data.mjs"
SIZES = (100, 1_000, 5_000, 10_000)
BATCHES = (None, 32)


def name_of(n, batch) -> str:
    return f"{n}/{batch or 'full'}"


def build(n, batch) -> tuple:
    """(session, what the kernel sends a page, facts about it) for n own points."""
    X, y = datasets.generate("moons", n, 0.1, seed=0)
    session = Session(X=X, y=y, seed=0, batch_size=batch)
    t0 = time.perf_counter()
    program = wire_state.program_state(session)
    record_s = time.perf_counter() - t0
    if program["reason"]:
        sys.exit(f"{name_of(n, batch)}: the page can't train it: {program['reason']}")
    request = {"name": name_of(n, batch), **page_request(session, program=program)}
    kb = sum(len(g["blob"]) for g in program["graphs"]) / 1024
    facts = {"batch": batch, "train_points": len(session.train_index), "record_s": record_s, "program_kb": kb}
    return session, request, facts


def kernel_round(sessions, order, min_s) -> dict:
    """{name: {"wall", "cpu"}} seconds per epoch of each session in ``order``, each training ``min_s`` or more."""
    out = {}
    for name in order:
        epochs, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < min_s or not epochs:
            sessions[name].train(1)
            epochs += 1
        out[name] = {"wall": (time.perf_counter() - t0) / epochs, "cpu": (time.process_time() - c0) / epochs}
    return out


def page_round(proc, order, min_s) -> dict:
    """The same, of the page's epoch, in the node driver."""
    proc.stdin.write(json.dumps({"order": order, "min_ms": 1000 * min_s}) + "\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    if any(c["diverged"] for c in answer.values()):
        sys.exit("a page's state diverged: its epochs do nothing, and their times mean nothing")
    return {k: {"wall": c["ms"] / c["epochs"] / 1e3, "cpu": c["cpu_ms"] / c["epochs"] / 1e3} for k, c in answer.items()}


def run(args) -> dict:
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed: install Node 20 to time the page's epoch")
    res = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_start": _load()}
    git = ["git", "rev-parse", "--short", "HEAD"]
    res["commit"] = subprocess.run(git, capture_output=True, text=True, cwd=HERE).stdout.strip()
    sessions, facts, requests = {}, {}, []
    for n in SIZES:
        for batch in BATCHES:
            name = name_of(n, batch)
            sessions[name], request, facts[name] = build(n, batch)
            requests.append(request)
            print(f"recorded {name}: {facts[name]['record_s']:.2f} s", file=sys.stderr)
    names = list(sessions)
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="mgw-big-data-", delete=False) as f:
        json.dump({"cases": requests}, f)
    proc = subprocess.Popen([node, str(DRIVER), f.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        res["page_once"] = json.loads(proc.stdout.readline())
        os.unlink(f.name)
        res["kernel_first"], res["rounds"] = {}, []
        for name in names:  # the kernel's first epoch
            t0 = time.perf_counter()
            sessions[name].train(1)
            res["kernel_first"][name] = time.perf_counter() - t0
        for r in range(args.rounds):
            order = names if r % 2 == 0 else names[::-1]
            page = page_round(proc, order, args.page_min)
            kernel = kernel_round(sessions, order, args.kernel_min)
            res["rounds"].append({"page": page, "kernel": kernel})
            big = name_of(SIZES[-1], None)
            print(f"round {r + 1}: {big}: page {1000 * page[big]['wall']:.1f} ms/epoch,"
                  f" kernel {kernel[big]['wall']:.2f} s/epoch", file=sys.stderr)  # fmt: skip
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    res["facts"] = facts
    if args.chromium:
        res["chromium"] = chromium_check(args.rounds)
    res["load_end"] = _load()
    return res


def _load() -> str:
    return Path("/proc/loadavg").read_text().strip()


# ---------------------------------------------------------------- the check in real Chromium

CELL = (
    "from micrograd_widgets import data as datasets\n"
    "from micrograd_widgets.widgets import Trainer\n"
    "X, y = datasets.generate('moons', 10000, 0.1, seed=0)\n"
    "t = Trainer(X=X, y=y, seed=0)\n"
    "t"
)
_READ_JS = """
() => { const root = document.querySelector('.mgw-trainer');
        const text = root.querySelector('[data-field="epoch"]').textContent;
        return { e: Number((text.match(/-?\\d+/) || ['NaN'])[0]), t: performance.now() }; }
"""


def chromium_check(windows, seconds=10) -> dict:
    """The 10,000-point trainer in JupyterLab + headless Chromium: seconds until it is shown and idle,
    and epochs/s while it plays (the page's epoch counter), per window."""
    sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
    import harness
    from bench_trainer import pause, play
    from playwright.sync_api import sync_playwright

    if reason := harness.browser_unavailable_reason():
        return {"skipped": reason}
    out: dict = {"rates": []}
    server = harness.start_jupyter_server()
    try:
        with sync_playwright() as p:
            browser = harness.launch_chromium(p)
            page = harness.new_page(browser)
            harness.open_in_lab(page, server, harness.write_notebook(server.root_dir, "bench-big-data", [CELL]))
            t0 = time.perf_counter()
            harness.run_cell(page, 0, timeout_ms=300_000)
            page.wait_for_selector(".mgw-trainer canvas[data-role='boundary']", timeout=120_000)
            harness.wait_kernel_idle(page, timeout_ms=300_000)
            out["shown_s"] = time.perf_counter() - t0
            play(page)
            page.wait_for_timeout(3000)  # warm-up
            for _ in range(windows):
                a = page.evaluate(_READ_JS)
                page.wait_for_timeout(seconds * 1000)
                b = page.evaluate(_READ_JS)
                out["rates"].append((b["e"] - a["e"]) / ((b["t"] - a["t"]) / 1000))
            pause(page)
            browser.close()
    finally:
        server.stop()
    return out


# ---------------------------------------------------------------- report


def spread(values, digits=1) -> str:
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}..{max(values):.{digits}f})"


def per_epoch(res, clock) -> list:
    """Rows of seconds per epoch on ``clock`` ("wall" or "cpu"), with ratios taken within each round."""
    rounds = res["rounds"]
    out = [
        f"{'points/batch':<13}{'page ms/epoch':>24}{'epochs/s':>10}{'page x100':>22}"
        f"{'kernel s/epoch':>26}{'kernel x100':>22}{'kernel / page':>20}"
    ]
    for name, facts in res["facts"].items():
        base = name_of(SIZES[0], facts["batch"])
        page = [r["page"][name][clock] for r in rounds]
        kernel = [r["kernel"][name][clock] for r in rounds]

        def ratio(side, a, b):
            return spread([r[side][a][clock] / r[side][b][clock] for r in rounds])

        out.append(
            f"{name:<13}{spread([1000 * v for v in page], 2):>24}{1 / statistics.median(page):>10.1f}"
            f"{ratio('page', name, base):>22}{spread(kernel, 3):>26}{ratio('kernel', name, base):>22}"
            f"{spread([r['kernel'][name][clock] / r['page'][name][clock] for r in rounds]):>20}"
        )
    return out


def report(res):
    once, facts = res["page_once"], res["facts"]
    out = [
        "",
        f"bench_big_data: {res['started']}, commit {res['commit']}, {os.cpu_count()} cores (shared)",
        f"load average (/proc/loadavg) at the start: {res['load_start']}",
        f"                             at the end:   {res['load_end']}",
        "own moons data (standardised, test fraction 0.2), MLP(2, [16, 16, 1]), hinge, SGD;"
        f" {len(res['rounds'])} rounds; median (min..max) over the rounds",
        "",
        "once, when the data arrives (record: the kernel records the page's graphs; load: the page decodes them):",
        f"{'points/batch':<13}{'train':>7}{'graph nodes':>13}{'record s':>10}{'program KB':>12}"
        f"{'page load ms':>14}{'page 1st ms':>13}{'kernel 1st s':>14}",
    ]
    for name in facts:
        f, o = facts[name], once[name]
        out.append(f"{name:<13}{f['train_points']:>7}{o['nodes']:>13,}{f['record_s']:>10.2f}{f['program_kb']:>12.0f}"
                   f"{o['load_ms']:>14.0f}{o['first_ms']:>13.1f}{res['kernel_first'][name]:>14.3f}")  # fmt: skip
    note = "page: node's V8, no painting; kernel: Session.train(1); x100: the ratio to the 100-point set, per round"
    out += ["", f"per epoch, wall clock ({note}):", *per_epoch(res, "wall")]
    out += ["", "per epoch, CPU time (each process's, every thread):", *per_epoch(res, "cpu")]
    check = res.get("chromium")
    if check and "skipped" in check:
        out.append(f"\nreal Chromium: {check['skipped']}")
    elif check:
        out += [
            "\nreal Chromium + JupyterLab, 10,000 points, full batch (Trainer(X=X, y=y, seed=0)):",
            f"  cell run -> trainer shown, kernel idle: {check['shown_s']:.1f} s",
            f"  playing, epochs/s per 10 s window (the epoch counter): {spread(check['rates'])}",
        ]
    print("\n".join(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--page-min", type=float, default=1.0, help="seconds of epochs per case per round, page")
    parser.add_argument("--kernel-min", type=float, default=0.5, help="seconds of epochs per case per round, kernel")
    parser.add_argument("--chromium", action="store_true", help="also play 10,000 points in real Chromium")
    report(run(parser.parse_args()))


if __name__ == "__main__":
    main()
