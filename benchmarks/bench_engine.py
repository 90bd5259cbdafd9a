"""Training-step speed on three loops, side by side: this engine vs micrograd 0.1.0 (and torch).

The data is micrograd's moons demo: 100 points (noise 0.1), labels -1/+1,
MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2, full batch, plain SGD. Each loop runs
on each engine with the same code shape and the same starting weights:

  n-ary     the package's own loop, as the Trainer does it: nn.MLP (one dot node
            per neuron), nn.hinge_loss + nn.l2_penalty (one sum node, one dot node).
            micrograd runs its demo loss, the same maths, on its own MLP.
  student   Karpathy's demo.ipynb loop as a student writes it with the package's
            MLP: Python sum() over 100 hinge losses, alpha * sum(p * p ...),
            model.zero_grad(), total_loss.backward(), p.data -= lr * p.grad.
  by hand   a lecture-style MLP written from binary ops (a Neuron's
            sum(wi * xi ...) + b, then relu): no n-ary node anywhere, so only
            the cost per node differs.

Engines alternate A B A B within one process; before each engine's turn the
collector clears what the other left, then one untimed step brings the engine to
its own steady state (a loop that frees, or leaves for the collector, the previous
step's graph) and the next steps are timed. Python's garbage collector stays on, as
users run it. Each repeat gives a per-step time per engine and their ratio; the
table shows min / median / max of both, with the date and the load average before
and after.

Run it from the repository root (a few minutes; micrograd takes 1-3 s per step):

    pip install -e '.[bench]'
    python benchmarks/bench_engine.py              # 5 repeats
    python benchmarks/bench_engine.py --repeats 9  # narrower ranges
    python benchmarks/bench_engine.py --quick      # smoke run: 2 repeats, one timed step each

It asserts nothing: no test depends on a time.
"""

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import time

import micrograd.engine
import micrograd.nn
import torch

from micrograd_widgets import Value, data, nn

SIZES = [16, 16, 1]
ALPHA = 1e-4
TARGETS = {"n-ary": 40.0, "student": 40.0, "by hand": 4.0}  # median of the interleaved ratios


def demo_lr(k: int) -> float:
    return 1.0 - 0.9 * k / 100  # demo.ipynb's schedule


# ---- the loops, each written once and run on either engine ---------------------------


def nary_step(model, X, y, k):
    """The package's loop (nn.hinge_loss and nn.l2_penalty: one sum node, one dot node)."""
    scores = [model(row) for row in X]
    loss = nn.hinge_loss(scores, y) + nn.l2_penalty(model.parameters(), ALPHA)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= demo_lr(k) * p.grad
    return loss


def student_step(model, X, y, k, value=Value):
    """demo.ipynb's loop, unchanged but for the Value class its inputs are wrapped in."""
    inputs = [list(map(value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    model.zero_grad()
    total_loss.backward()
    for p in model.parameters():
        p.data -= demo_lr(k) * p.grad
    return total_loss


def micrograd_step(model, X, y, k):
    """The same loop on micrograd 0.1.0's Value (its demo's loss, on either MLP)."""
    return student_step(model, X, y, k, micrograd.engine.Value)


def torch_step(model, X, y, k):
    scores = model(X).squeeze(1)
    loss = torch.relu(1 - y * scores).mean() + ALPHA * sum((p * p).sum() for p in model.parameters())
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= demo_lr(k) * p.grad
    return loss


def hand_written_mlp(value):
    """A lecture's MLP on ``value`` (either engine's Value class), written from binary ops."""

    class Neuron:
        def __init__(self, nin, nonlin=True):
            self.w = [value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = value(0)
            self.nonlin = nonlin

        def __call__(self, x):
            act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
            return act.relu() if self.nonlin else act

        def parameters(self):
            return self.w + [self.b]

    class Layer:
        def __init__(self, nin, nout, **kwargs):
            self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

        def __call__(self, x):
            out = [n(x) for n in self.neurons]
            return out[0] if len(out) == 1 else out

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    class MLP:
        def __init__(self, nin, nouts):
            sz = [nin] + nouts
            self.layers = [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return [p for layer in self.layers for p in layer.parameters()]

        def zero_grad(self):
            for p in self.parameters():
                p.grad = 0

    return MLP


def torch_model(mlp):
    """nn.Sequential of float64 Linear layers holding a micrograd MLP's weights."""
    layers = []
    for layer in mlp.layers:
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # the last layer is linear


# ---- measuring ------------------------------------------------------------------------


class Runner:
    """One engine on one loop: its model, its step function and the step counter."""

    def __init__(self, step, model, X, y, steps):
        self.step, self.model, self.X, self.y, self.steps = step, model, X, y, steps
        self.k = 0
        self.first_loss = None

    def one(self):
        loss = self.step(self.model, self.X, self.y, self.k % 100)
        self.k += 1
        value = loss.item() if isinstance(loss, torch.Tensor) else loss.data
        if self.first_loss is None:
            self.first_loss = value
        return loss

    def turn(self):
        """(wall, CPU) ms per step: clear the other engine's garbage, one untimed step, then ``steps`` timed ones."""
        gc.collect()
        loss = self.one()  # this engine's steady state: the loop holds last step's loss
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(self.steps):
            loss = self.one()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        del loss
        return 1e3 * wall / self.steps, 1e3 * cpu / self.steps


def spread(xs, fmt):
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))} .. {fmt.format(max(xs))})"


def compare(name, runners, repeats):
    """Interleave the engines; returns {engine: [(wall, CPU) ms per step]}, one pair per repeat."""
    times = {engine: [] for engine in runners}
    order = list(runners)
    for r in range(repeats):
        for engine in order if r % 2 == 0 else order[::-1]:  # A B, then B A: neither always goes first
            times[engine].append(runners[engine].turn())
        line = ", ".join(f"{e} {times[e][-1][0]:.1f} ms (CPU {times[e][-1][1]:.1f})" for e in order)
        print(f"  {name} repeat {r + 1}/{repeats}: {line}", flush=True)
    return times


def ratios(times, which):
    """micrograd's time / each other engine's, repeat by repeat (which: 0 wall, 1 CPU)."""
    mine = [t[which] for t in times["micrograd"]]
    return {e: [m / t[which] for m, t in zip(mine, ts, strict=True)] for e, ts in times.items() if e != "micrograd"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="A B turns per engine and loop (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 repeats, one timed step per turn")
    parser.add_argument("--seed", type=int, default=1337, help="seed of the data set and of the weights")
    args = parser.parse_args()
    repeats = 2 if args.quick else args.repeats
    steps = {"micrograd": 1, "ours": 1, "torch": 20} if args.quick else {"micrograd": 1, "ours": 5, "torch": 100}

    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    X, y = data.moons(100, noise=0.1, seed=args.seed)
    rows, labels = X.tolist(), [float(v) for v in y]
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)

    def package_mlps():
        random.seed(args.seed)
        theirs, ours = micrograd.nn.MLP(2, list(SIZES)), nn.MLP(2, SIZES)
        for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
            mine.data = float(their.data)
        return theirs, ours, torch_model(theirs)

    theirs, ours, tmodel = package_mlps()
    nary = {
        "micrograd": Runner(micrograd_step, theirs, rows, labels, 0),
        "ours": Runner(nary_step, ours, rows, labels, 0),
        "torch": Runner(torch_step, tmodel, Xt, yt, 0),
    }
    theirs, ours, tmodel = package_mlps()
    student = {
        "micrograd": Runner(micrograd_step, theirs, rows, labels, 0),
        "ours": Runner(student_step, ours, rows, labels, 0),
        "torch": Runner(torch_step, tmodel, Xt, yt, 0),
    }
    random.seed(args.seed)
    hand_theirs = hand_written_mlp(micrograd.engine.Value)(2, list(SIZES))
    random.seed(args.seed)
    hand_ours = hand_written_mlp(Value)(2, list(SIZES))
    by_hand = {
        "micrograd": Runner(micrograd_step, hand_theirs, rows, labels, 0),
        "ours": Runner(student_step, hand_ours, rows, labels, 0),
    }
    loops = {"n-ary": nary, "student": student, "by hand": by_hand}
    for runners in loops.values():
        for engine, runner in runners.items():
            runner.steps = steps[engine]

    print(
        f"bench_engine {started:%Y-%m-%d %H:%M} UTC: moons(100, noise=0.1, seed={args.seed}), MLP(2, {SIZES}),"
        f" hinge + {ALPHA:g} L2, SGD\nPython {sys.version.split()[0]}, torch {torch.__version__}"
        f" ({torch.get_num_threads()} threads), gc on, {len(gc.get_objects()):,} objects tracked at start,"
        f" {repeats} repeats, timed steps per turn {steps}\nload average before: "
        + " ".join(f"{x:.2f}" for x in load_before),
        flush=True,
    )
    results = {name: compare(name, runners, repeats) for name, runners in loops.items()}
    load_after = os.getloadavg()

    for which, what in ((0, "wall"), (1, "CPU time of this process")):
        print(f"\n{what}: ms per step, median (min .. max)")
        for name, times in results.items():
            cells = [f"{e} {spread([t[which] for t in ts], '{:.1f}')}" for e, ts in times.items()]
            print(f"  {name:8s} " + "   ".join(cells))
        print(f"{what}: micrograd / engine, the ratio of each interleaved repeat, median (min .. max)")
        for name, times in results.items():
            cells = [f"{e} {spread(r, '{:.1f}x')}" for e, r in ratios(times, which).items()]
            print(f"  {name:8s} " + "   ".join(cells) + f"   (target for ours: >= {TARGETS[name]:g}x)")
    print("\nfirst loss, micrograd vs ours (same weights, same maths):")
    for name, runners in loops.items():
        mg, us = runners["micrograd"].first_loss, runners["ours"].first_loss
        print(f"  {name:8s} {mg:.15f} {us:.15f}  |diff| {abs(mg - us):.1e}")
    ended = datetime.datetime.now(datetime.timezone.utc)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)} ({ended:%H:%M} UTC)")


if __name__ == "__main__":
    main()
