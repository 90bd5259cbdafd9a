"""Kernel memory after ``Trainer()``, in fresh kernels, one checkout or two alternating (bench_costs.py's part).

A fresh python3 kernel per measurement (jupyter_client, the python3 kernel
spec), PYTHONPATH at the tree measured: VmRSS after start and after
``from micrograd_widgets.widgets import Trainer; t = Trainer()``, after
gc.collect(), with the modules imported and which of the heavy ones.
"""

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from page_costs import REPO

KERNEL_PROBE = """\
import gc as _gc, json as _json, sys as _sys
_gc.collect()
print('MEM', _json.dumps({
    'rss_mb': int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024,
    'modules': len(_sys.modules),
    'heavy': sorted(m for m in ('numpy', 'scipy', 'sklearn', 'matplotlib', 'pandas') if m in _sys.modules),
    'package': getattr(_sys.modules.get('micrograd_widgets'), '__file__', None)}))"""


def kernel_probe(client, code) -> dict:
    lines = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            lines.extend(msg["content"]["text"].splitlines())
        elif msg["msg_type"] == "error":
            lines.append("ERROR " + " ".join(msg["content"]["traceback"])[-2000:])

    client.execute_interactive(code + "\n" + KERNEL_PROBE, output_hook=hook, timeout=600)
    found = [line for line in lines if line.startswith("MEM ")]
    if not found:
        raise RuntimeError(f"the kernel printed no figures: {lines[-5:]}")
    return json.loads(found[0].split(" ", 1)[1])


def kernel_memory(trees: dict, repeats: int) -> dict:
    """A fresh python3 kernel per measurement, PYTHONPATH at each tree in turn: VmRSS at start and after Trainer()."""
    from jupyter_client.manager import KernelManager

    out = {label: [] for label in trees}
    for _ in range(repeats):
        for label, tree in trees.items():  # alternating: the machine's load drifts
            km = KernelManager(kernel_name="python3")
            km.start_kernel(env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tempfile.gettempdir())
            client = km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=120)
                bare = kernel_probe(client, "")
                made = kernel_probe(client, "from micrograd_widgets.widgets import Trainer\nt = Trainer()")
            finally:
                client.stop_channels()
                km.shutdown_kernel(now=True)
            if not str(made["package"]).startswith(str(tree)):
                raise RuntimeError(f"{label}: the kernel imported {made['package']}, not {tree}")
            out[label].append({"bare": bare, "trainer": made})
    return out


def tree_label(tree) -> str:
    """The checkout's commit (and its directory when it is not this one)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    where = "" if Path(tree).resolve() == REPO else f" ({tree})"
    return (head.stdout.strip() or "?") + where


def report_kernel_memory(runs, spread) -> list:
    n = len(next(iter(runs.values())))
    out = [f"\nKernel memory after Trainer(): a fresh python3 kernel each time, {n} per tree,"
           " trees alternating; median (min .. max)"]  # fmt: skip
    for label, ms in runs.items():
        bare, made = [m["bare"]["rss_mb"] for m in ms], [m["trainer"]["rss_mb"] for m in ms]
        added = [m["trainer"]["rss_mb"] - m["bare"]["rss_mb"] for m in ms]
        modules = [m["trainer"]["modules"] - m["bare"]["modules"] for m in ms]
        out.append(
            f"  {label}: kernel at start {spread(bare)} MB, after Trainer() {spread(made)} MB,"
            f" added {spread(added)} MB;\n      {statistics.median(modules):.0f} modules imported, of them"
            f" numpy/scipy/sklearn/matplotlib/pandas: {', '.join(ms[-1]['trainer']['heavy']) or 'none'}"
        )
    return out
