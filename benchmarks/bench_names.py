"""What naming nodes from the notebook costs when a graph widget is made, side by side with names=False.

The graph is the lecture's MLP written by hand (examples/08_lecture_mlp_by_hand.ipynb:
Neuron/Layer/MLP(2, [16, 16, 1]) from binary ops, hinge loss over 100 moons points
with Python's sum, L2): 65,818 nodes, no labels, no scopes. Its cells run in one
namespace, as a notebook's do; then, A B A B in one process:

  names     GraphWidget(total_loss): the default, names inferred from the namespace
  no names  GraphWidget(total_loss, names=False)

and, alone, ``names.infer`` (the walk itself). Then labels, A B A B: a sum of
50,000 leaves (``--leaves``) that all carry one label, beside the same sum
unlabelled. Names must cost about the same whatever the labels (a list searched
for each alias once made the labelled one 20 times slower). Each repeat times
each once; the tables show min / median / max and their ratio, with the date and
the load average before and after. Run it from the repository root:

    python benchmarks/bench_names.py              # 5 repeats
    python benchmarks/bench_names.py --repeats 9
    python benchmarks/bench_names.py --only labels --leaves 20000

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

from micrograd_widgets import Value
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


def labels_namespace(leaves: int) -> dict:
    """Two sums of ``leaves`` leaves, each list in a variable: every leaf labelled 'x', and none labelled."""
    namespace = {"__name__": "__main__", "GraphWidget": GraphWidget, "Value": Value}
    cell = f"xs = [Value(1.0, label='x') for _ in range({leaves})]\nys = [Value(1.0) for _ in range({leaves})]\n"
    exec(cell + "same_label = sum(xs)\nno_label = sum(ys)\n", namespace)
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
    parser.add_argument("--leaves", type=int, default=50_000, help="leaves of the labels benchmark")
    parser.add_argument("--only", choices=["lecture", "labels"], help="run one of the two benchmarks")
    args = parser.parse_args()
    if args.only != "labels":
        lecture(args.repeats)
    if args.only != "lecture":
        labels(args.repeats, args.leaves)


def header(nodes: int, repeats: int, load_before) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"{now:%Y-%m-%d %H:%M} UTC, {nodes} nodes, {repeats} repeats")
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print(f"{'seconds':<22} {'min':>8} {'median':>8} {'max':>8}")


def lecture(repeats: int) -> None:
    load_before = os.getloadavg()
    namespace = lecture_namespace()
    nodes = namespace["total_loss"].topo()
    timed("w = GraphWidget(total_loss); del w", namespace)  # warm up: first widget, imports
    with_names, without, walks = [], [], []
    for _ in range(repeats):
        with_names.append(timed("w = GraphWidget(total_loss); del w", namespace))
        without.append(timed("w = GraphWidget(total_loss, names=False); del w", namespace))
        start = time.perf_counter()
        infer(nodes, namespace)
        walks.append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(with_names, without, strict=True)]
    header(len(nodes), repeats, load_before)
    print(row("widget, names", with_names))
    print(row("widget, names=False", without))
    print(row("names.infer alone", walks))
    print(row("ratio names/no names", ratios))


def labels(repeats: int, leaves: int) -> None:
    load_before = os.getloadavg()
    namespace = labels_namespace(leaves)
    timed("w = GraphWidget(no_label); del w", namespace)  # warm up
    same, none = [], []
    for _ in range(repeats):
        same.append(timed("w = GraphWidget(same_label); del w", namespace))
        none.append(timed("w = GraphWidget(no_label); del w", namespace))
    print()
    header(len(namespace["no_label"].topo()), repeats, load_before)
    print(row(f"widget, {leaves} x", same))
    print(row("widget, no labels", none))
    print(row("ratio labelled/not", [a / b for a, b in zip(same, none, strict=True)]))


if __name__ == "__main__":
    main()
