"""Training speed of each task against binary classification, kernel only (no page), in one run.

Every task trains the same network size, MLP(2, [16, 16, out]), on 100 points
(80 train), full batch, its default loss and optimizer: binary moons (1 output,
hinge, SGD), 3-class spiral and 4-class blobs (3 and 4 outputs, cross-entropy,
Adam), reg-plane (1 output, mse, Adam), and the 1-D sine fit (1 input). A
round times a fixed number of ``Session.step()`` calls (an epoch on Value
graphs plus the numpy figures) for each task in turn, binary first, then the
same in reverse order (ABBA); several rounds give min / median / max epochs per
second, and each task's rate over the binary rate of the same round. On a shared
machine the wall-clock rates swing with the load, so the rates per second of
this process's CPU time (time.process_time) are printed beside them.

The target: every task trains at >= half the binary rate.

    python benchmarks/bench_tasks.py            # about a minute on an idle machine
    python benchmarks/bench_tasks.py --quick

It prints a table and asserts nothing: no test depends on a time.
"""

import argparse
import datetime
import os
import statistics
import time

from micrograd_widgets.training import Session

TASKS = {
    "binary moons": {"data": "moons"},
    "3-class spiral": {"data": "spiral", "classes": 3},
    "4-class blobs": {"data": "blobs", "classes": 4},
    "reg-plane": {"data": "reg-plane"},
    "sine (1-D)": {"data": "sine"},
}
TARGET_RATIO = 0.5


def rate(session, epochs):
    """(wall, CPU) epochs per second over ``epochs`` steps (reset first: every round trains the same epochs)."""
    session.reset()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        session.step()
    return epochs / (time.perf_counter() - started), epochs / (time.process_time() - cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and epochs")
    args = parser.parse_args()
    rounds, epochs = (3, 5) if args.quick else (6, 10)
    sessions = {name: Session(seed=0, **settings) for name, settings in TASKS.items()}
    for session in sessions.values():  # warm up: imports, first allocations
        rate(session, 2)
    rates = {name: [] for name in TASKS}
    ratios = {name: [] for name in TASKS}
    cpu_rates = {name: [] for name in TASKS}
    cpu_ratios = {name: [] for name in TASKS}
    names = list(TASKS)
    for k in range(rounds):
        order = names if k % 2 == 0 else names[::-1]  # ABBA: drift in load hits every task alike
        now = {name: rate(sessions[name], epochs) for name in order}
        for name in names:
            rates[name].append(now[name][0])
            ratios[name].append(now[name][0] / now["binary moons"][0])
            cpu_rates[name].append(now[name][1])
            cpu_ratios[name].append(now[name][1] / now["binary moons"][1])
    print(f"date {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()}")
    print(f"{rounds} rounds x {epochs} epochs per task, MLP(2, [16, 16, out]), 100 points, full batch\n")
    for label, r_all, q_all in (("wall clock", rates, ratios), ("CPU time", cpu_rates, cpu_ratios)):
        print(f"{label}:")
        header = f"{'task':<16} {'outputs':>7} {'optimizer':>9}  {'epochs/s min / median / max':>28}"
        print(f"{header}  x binary (median, min)")
        for name in names:
            s = sessions[name]
            r, q = r_all[name], q_all[name]
            print(
                f"{name:<16} {s.model.sizes[-1]:>7} {s.settings['optimizer']:>9}  "
                f"{min(r):8.1f} / {statistics.median(r):6.1f} / {max(r):6.1f}  "
                f"{statistics.median(q):14.2f}, {min(q):.2f}"
            )
        worst = min(statistics.median(q) for name, q in q_all.items() if name != "binary moons")
        print(f"target: every task >= {TARGET_RATIO} x the binary rate; lowest median ratio {worst:.2f}\n")


if __name__ == "__main__":
    main()
