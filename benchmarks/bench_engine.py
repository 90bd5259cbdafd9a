"""Training-step speed, replay cost and graph depth: micrograd 0.1.0 vs this engine vs torch.

The workload is micrograd's moons demo: 100 points (noise 0.1), MLP(2, [16, 16, 1]),
hinge loss mean(relu(1 - y * score)) + 1e-4 * sum(p * p), full batch, SGD lr 0.1.
All three start from micrograd's random weights, so their losses must agree.
Python's garbage collector stays on, as users run it.

Run it from the repository root:

    pip install -e '.[bench]'
    python benchmarks/bench_engine.py           # about a minute
    python benchmarks/bench_engine.py --quick   # smoke run: fewer repeats, shallower chains

It prints a table and asserts nothing: no test depends on a time. Other work on
the machine slows every column; the header shows the load average.
"""

import argparse
import gc
import os
import random
import signal
import statistics
import sys
import time

import micrograd.engine
import micrograd.nn
import torch

from micrograd_widgets import Value, data, nn

SIZES = [16, 16, 1]
ALPHA = 1e-4
LR = 0.1
TARGET = 40.0  # issue 3: at least 40x faster per step than micrograd 0.1.0
RUNG_SECONDS = 60  # time box for one rung of the depth ladder
ENGINES = {"micrograd": "micrograd 0.1.0", "ours": "ours", "torch": "torch f64"}


# ---- one training step each: returns (loss, seconds to build the graph and backprop) ----


def micrograd_step(model, X, y):
    start = time.perf_counter()
    scores = list(map(model, [list(map(micrograd.engine.Value, row)) for row in X]))  # micrograd's demo loss
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    built = time.perf_counter() - start
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss, built


def ours_step(model, optimizer, X, y):
    start = time.perf_counter()
    loss = nn.hinge_loss([model(row) for row in X], y) + nn.l2_penalty(model.parameters(), ALPHA)
    optimizer.zero_grad()
    loss.backward()
    built = time.perf_counter() - start
    optimizer.step()
    return loss, built


def torch_step(model, optimizer, X, y):
    loss = torch.relu(1 - y * model(X).squeeze(1)).mean() + ALPHA * sum((p * p).sum() for p in model.parameters())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss, None


def torch_model(mlp):
    """nn.Sequential of float64 Linear layers holding micrograd's weights."""
    layers = []
    for layer in mlp.layers:
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # the last layer is linear


def measure(step, repeats):
    """Run step() repeats times: per-step wall and CPU ms (lists and medians), losses, build seconds.

    Only the last graph stays alive (as "graph"): holding every step's graph would
    make each garbage collection walk all of them and slow the later steps down.
    """
    gc.collect()  # start clean: no engine pays for collecting another's garbage
    run = {"walls": [], "cpus": [], "loss": [], "built": []}
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        loss, built = step()
        run["walls"].append(1e3 * (time.perf_counter() - start))
        run["cpus"].append(1e3 * (time.process_time() - cpu_start))
        run["loss"].append(loss.item() if isinstance(loss, torch.Tensor) else loss.data)
        run["built"].append(built)
    return {**run, "wall": statistics.median(run["walls"]), "cpu": statistics.median(run["cpus"]), "graph": loss}


def count_nodes(root):
    """Nodes of a micrograd graph, walked without recursion."""
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def replay_seconds(loss, leaf, repeats):
    """Median time of loss.replay() after nudging a leaf (alternately up and down)."""
    loss.backward()
    times = []
    for i in range(repeats):
        leaf.data += 1e-3 if i % 2 == 0 else -1e-3
        start = time.perf_counter()
        loss.replay()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---- depth ladder -------------------------------------------------------------------


class _TimeUp(Exception):
    pass


def _alarm(signum, frame):
    raise _TimeUp


def chain(leaf, n):
    """Backprop through n ops (n / 2 steps of x * 1.0000001 + 0.0); returns d out / d leaf."""
    y = leaf
    for _ in range(n // 2):
        y = y * 1.0000001 + 0.0
    y.backward()
    return float(leaf.grad)


CHAINS = {
    "micrograd": lambda n: chain(micrograd.engine.Value(0.5), n),
    "ours": lambda n: chain(Value(0.5), n),
    "torch": lambda n: chain(torch.tensor(0.5, dtype=torch.float64, requires_grad=True), n),
}


def try_rung(chain, n):
    """(passed, 'ok (1.2 s)' or what went wrong), time-boxed to RUNG_SECONDS."""
    gc.collect()  # micrograd's graphs are reference cycles: only the collector frees them
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(RUNG_SECONDS)
    start = time.perf_counter()
    try:
        grad = chain(n)
    except _TimeUp:
        return False, f"> {RUNG_SECONDS} s, stopped"
    except (RecursionError, MemoryError) as error:
        return False, type(error).__name__
    finally:
        signal.alarm(0)
    if not abs(grad - 1.0000001 ** (n // 2)) <= 1e-9 * grad:  # NaN fails too
        return False, f"wrong grad {grad!r}"
    return True, f"ok ({time.perf_counter() - start:.1f} s)"


def depth_ladder(chain, rungs):
    """Climb until a rung fails, bisecting a RecursionError (quick) down to the exact depth.

    Returns the deepest chain that backpropagated, as text, and one cell of text per rung.
    """
    deepest, cells = 0, []
    for n in rungs:
        if cells and not cells[-1][0]:
            cells.append((False, "not tried"))
            continue
        cells.append(try_rung(chain, n))
        if cells[-1][0]:
            deepest = n
        elif cells[-1][1] == "RecursionError":
            good, bad = deepest, n
            while bad - good > 2:
                middle = (good + bad) // 4 * 2  # whole x * c + 0.0 steps: even op counts
                good, bad = (middle, bad) if try_rung(chain, middle)[0] else (good, middle)
            deepest = good
    text = f">= {deepest:,} ops" if deepest == rungs[-1] else f"{deepest:,} ops" if deepest else f"< {rungs[0]} ops"
    return text, [cell for _, cell in cells]


# ---- the run ------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and shallower chains (a smoke run)")
    parser.add_argument("--seed", type=int, default=1337, help="seed of the data set and of micrograd's weights")
    args = parser.parse_args()
    steps = {"micrograd": 5, "ours": 10, "torch": 50} if args.quick else {"micrograd": 9, "ours": 40, "torch": 300}
    rungs = [100, 1_000, 10_000, 100_000] + ([] if args.quick else [1_000_000])

    X, y = data.moons(100, noise=0.1, seed=args.seed)
    rows, labels = X.tolist(), [float(v) for v in y]
    random.seed(args.seed)
    theirs, ours = micrograd.nn.MLP(2, list(SIZES)), nn.MLP(2, SIZES)
    for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
        mine.data = float(their.data)
    tmodel = torch_model(theirs)  # before micrograd trains
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)
    optimizer, toptimizer = nn.SGD(ours.parameters(), lr=LR), torch.optim.SGD(tmodel.parameters(), lr=LR)

    # The collector stays on, but torch's ~200k objects, which a micrograd user does
    # not have, would make every full collection slower: freeze() hides them from it.
    gc.collect()
    gc.freeze()
    runs = {
        "ours": measure(lambda: ours_step(ours, optimizer, rows, labels), steps["ours"]),
        "torch": measure(lambda: torch_step(tmodel, toptimizer, Xt, yt), steps["torch"]),
        "micrograd": measure(lambda: micrograd_step(theirs, rows, labels), steps["micrograd"]),
    }
    mg, us, pt = runs["micrograd"], runs["ours"], runs["torch"]
    mg["nodes"] = count_nodes(mg.pop("graph"))  # and let micrograd's graph go
    us["nodes"] = len(us["graph"].topo())
    rebuild = {k: 1e6 * statistics.median(runs[k]["built"]) / runs[k]["nodes"] for k in ("micrograd", "ours")}
    replay = 1e6 * replay_seconds(us["graph"], ours.parameters()[0], 10 if args.quick else 100) / us["nodes"]

    print(
        f"micrograd_widgets benchmark: moons(100, noise=0.1, seed={args.seed}), MLP(2, {SIZES}),"
        f" hinge + {ALPHA:g} L2, SGD lr {LR}\nPython {sys.version.split()[0]}, torch {torch.__version__},"
        f" gc on, load average {os.getloadavg()[0]:.2f}" + (", --quick" if args.quick else "")
    )
    print(f"depth ladder: x = x * 1.0000001 + 0.0 chains, backward, {RUNG_SECONDS} s per rung at most ...", flush=True)
    ladders = {k: depth_ladder(CHAINS[k], rungs) for k in ENGINES}

    table = [
        ("training step, median ms", [f"{runs[k]['wall']:.2f}" for k in ENGINES]),
        ("  fastest .. slowest, ms", [f"{min(runs[k]['walls']):.2f} .. {max(runs[k]['walls']):.2f}" for k in ENGINES]),
        ("  median CPU ms (this process)", [f"{runs[k]['cpu']:.2f}" for k in ENGINES]),
        ("  steps timed", [str(steps[k]) for k in ENGINES]),
        ("loss at step 0", [f"{runs[k]['loss'][0]:.15f}" for k in ENGINES]),
        ("  |diff| from micrograd", [f"{abs(runs[k]['loss'][0] - mg['loss'][0]):.1e}" for k in ENGINES]),
        ("loss at step 4", [f"{runs[k]['loss'][4]:.15f}" for k in ENGINES]),
        ("graph nodes per step", [f"{mg['nodes']:,}", f"{us['nodes']:,}", "(vectorized)"]),
        ("rebuild fwd+bwd, µs per node", [f"{rebuild['micrograd']:.2f}", f"{rebuild['ours']:.2f}", "-"]),
        ("replay (fwd+bwd), µs per node", ["(cannot)", f"{replay:.2f}", "-"]),
        ("deepest chain that backprops", [ladders[k][0] for k in ENGINES]),
    ]
    table += [(f"  chain of {n:,} ops", [ladders[k][1][i] for k in ENGINES]) for i, n in enumerate(rungs)]
    width = max(len(label) for label, _ in table)
    cols = [max(len(name), *(len(cells[i]) for _, cells in table)) for i, name in enumerate(ENGINES.values())]
    print("\n" + " " * width + "  " + "  ".join(name.rjust(w) for name, w in zip(ENGINES.values(), cols)))
    for label, cells in table:
        print(label.ljust(width) + "  " + "  ".join(cell.rjust(w) for cell, w in zip(cells, cols)))
    speedup = mg["wall"] / us["wall"]
    print(
        f"\nmicrograd / ours per step: {speedup:.1f}x (CPU time {mg['cpu'] / us['cpu']:.1f}x);"
        f" ours / torch: {us['wall'] / pt['wall']:.1f}x (CPU time {us['cpu'] / pt['cpu']:.1f}x)"
    )
    print(f"ours is {speedup:.1f}x faster than micrograd 0.1.0 per step (target >= {TARGET:g}x)")


if __name__ == "__main__":
    main()
