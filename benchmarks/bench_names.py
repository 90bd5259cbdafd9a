"""What naming nodes from the notebook costs when a graph widget is made, side by side with names=False.

The graph is the lecture's MLP written by hand (examples/08_lecture_mlp_by_hand.ipynb:
Neuron/Layer/MLP(2, [16, 16, 1]) from binary ops, hinge loss over 100 moons points
with Python's sum, L2): 65,818 nodes, no labels, no scopes. Its cells run in one
namespace, as a notebook's do; then, A B A B in one process:

  names     GraphWidget(total_loss): the default, names inferred from the namespace
  no names  GraphWidget(total_loss, names=False)

and, alone, ``names.infer`` (the walk itself). Each repeat times each once; the
table shows min / median / max and their ratio, with the date and the load
average before and after. Run it from the repository root:

    python benchmarks/bench_names.py              # 5 repeats
    python benchmarks/bench_names.py --repeats 9

It asserts nothing: no test depends on a time.
"""

import argparse
import datetime
import gc
import os
import pathlib
import statistics
import time

import nbformat

from micrograd_widgets.names import infer
from micrograd_widgets.widgets import GraphWidget

NOTEBOOK = pathlib.Path(__file__).parent.parent / "examples" / "08_lecture_mlp_by_hand.ipynb"


def lecture_namespace() -> dict:
    """The notebook's cells up to the loss, run in one namespace (the widget cells are left out)."""
    namespace = {"__name__": "__main__", "GraphWidget": GraphWidget}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        if "widget(" in cell.source or "w.find" in cell.source:
            break
        exec(compile(cell.source, "<cell>", "exec"), namespace)
    return namespace


def timed(code: str, namespace: dict) -> float:
    gc.collect()
    start = time.perf_counter()
    exec(code, namespace)  # from a "<cell>" frame, as a notebook runs it
    return time.perf_counter() - start


def row(name, values):
    return f"{name:<22} {min(values):8.3f} {statistics.median(values):8.3f} {max(values):8.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    namespace = lecture_namespace()
    nodes = namespace["total_loss"].topo()
    timed("w = GraphWidget(total_loss); del w", namespace)  # warm up: first widget, imports
    with_names, without, walks = [], [], []
    for _ in range(args.repeats):
        with_names.append(timed("w = GraphWidget(total_loss); del w", namespace))
        without.append(timed("w = GraphWidget(total_loss, names=False); del w", namespace))
        start = time.perf_counter()
        infer(nodes, namespace)
        walks.append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(with_names, without, strict=True)]
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"{now:%Y-%m-%d %H:%M} UTC, {len(nodes)} nodes, {args.repeats} repeats")
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print(f"{'seconds':<22} {'min':>8} {'median':>8} {'max':>8}")
    print(row("widget, names", with_names))
    print(row("widget, names=False", without))
    print(row("names.infer alone", walks))
    print(row("ratio names/no names", ratios))


if __name__ == "__main__":
    main()
