"""The page trains and paints as the kernel does: the same weights after N epochs, the same pictures.

The page (js/trainer/) replays the loss graphs the kernel recorded, shuffles
with Python's Mersenne Twister, takes the optimizer's step and computes each
history row and every picture from the weights. Each test here runs the
kernel's side (the Session, the engine) and the page's (through node and
js/tests/trainer_cli.mjs) on the same state, and compares:

- weights bit for bit where every operation is exactly rounded (relu; hinge,
  mse, huber; SGD, momentum and Adam; constant and step schedules), else within
  1e-9 of max(1, |w|) after 50 epochs (tanh, sigmoid, bce, cross-entropy, sin
  features, the cosine schedule: each side's exp, log and trig may round the
  last bit differently);
- history rows to 1e-12, the shuffle's state exactly;
- the plane, the curve and the neuron maps to the engine's own forward at every grid point, to 1e-12.
"""

import base64
import json
import math
import os
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from trainer_requests import as_text, page_request

from micrograd_widgets import data as datasets
from micrograd_widgets.training import Session
from micrograd_widgets.training.page import apply_report
from micrograd_widgets.widgets import _trainer_state as wire_state

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "js" / "tests" / "trainer_cli.mjs"
NODE = shutil.which("node")

if NODE is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("node is required for the Python/JS cross-check under CI=true")
    pytest.skip("node is not installed: install Node 20 to cross-check the page's trainer", allow_module_level=True)


def _floats(text) -> list:
    raw = base64.b64decode(text)
    return list(struct.unpack(f"<{len(raw) // 8}d", raw))


def run_js(request: dict) -> dict:
    done = subprocess.run([NODE, str(CLI)], input=json.dumps(request), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def relative(a, b) -> float:
    if math.isnan(a) and math.isnan(b) or a == b:
        return 0.0
    return abs(a - b) / max(1.0, abs(a), abs(b))


SMALL = {"hidden": [6, 5], "n": 48}
# every operation exactly rounded on both sides: the same weights to the bit
EXACT = [
    {"data": "moons", "loss": "hinge", "optimizer": "sgd"},
    {"data": "moons", "loss": "mse", "optimizer": "momentum", "batch_size": 8, "lr_schedule": "step", "lr_period": 3},
    {"data": "circles", "loss": "hinge", "optimizer": "adam", "batch_size": 16, "l2": 1e-2},
    {"data": "reg-plane", "loss": "huber", "optimizer": "sgd", "lr": 0.05, "batch_size": 5},
    {"data": "reg-gauss", "loss": "mse", "optimizer": "momentum", "lr": 0.01, "zero_grad": False},
    {"data": "xor", "loss": "hinge", "features": ["x1", "x2", "x1*x2", "x1^2"], "batch_size": 1, "l2": 0.0},
    {"data": "blobs", "loss": "mse", "optimizer": "adam", "lr_schedule": "step", "lr_period": 2, "batch_size": 7},
]
# exp, log, tanh or trig on one side's maths library: within 1e-9 after 50 epochs
CLOSE = [
    {"data": "moons", "loss": "bce", "activation": "tanh", "optimizer": "adam", "batch_size": 16},
    {
        "data": "spiral",
        "classes": 3,
        "activation": "sigmoid",
        "batch_size": 10,
        "lr_schedule": "cosine",
        "lr_period": 7,
    },  # noqa: E501
    {"data": "yinyang", "optimizer": "momentum", "lr": 0.05, "features": ["x1", "x2", "sin(x1)", "sin(x2)"]},
    {"data": "sine", "activation": "tanh", "loss": "huber", "batch_size": 9},
    {"data": "blobs", "classes": 4, "optimizer": "sgd", "lr": 0.1, "zero_grad": False},
]


def _kernel_and_page(settings, epochs):
    kernel = Session(seed=3, **SMALL, **settings)
    kernel.train(2)  # from a state mid-run: moments, shuffle and history under way
    request = page_request(kernel, epochs)
    rows = kernel.train(epochs)
    return kernel, rows, run_js({"epochs": [request]})["epochs"][0]


def _history_close(rows, page_history):
    flat = [v for row in wire_state.curve_rows(rows) for v in row]
    assert len(flat) == len(page_history)
    return max((relative(a, b) for a, b in zip(flat, page_history, strict=True)), default=0.0)


@pytest.mark.parametrize("settings", EXACT, ids=lambda s: "-".join(f"{v}" for v in s.values()))
def test_the_page_trains_to_the_kernels_weights_bit_for_bit(settings):
    kernel, rows, page = _kernel_and_page(settings, 12)
    assert page["epoch"] == kernel.epoch and page["diverged"] == kernel.diverged
    assert base64.b64decode(page["weights"]) == b"".join(struct.pack("<d", p.data) for p in kernel.params)
    assert page["shuffle"] == list(kernel.shuffle.getstate()[1])
    assert _history_close(rows, _floats(page["history"])) <= 1e-12


@pytest.mark.parametrize("settings", CLOSE, ids=lambda s: "-".join(f"{v}" for v in s.values()))
def test_the_page_trains_to_the_kernels_weights_within_1e_9_where_maths_libraries_round(settings):
    kernel, rows, page = _kernel_and_page(settings, 50)
    weights = _floats(page["weights"])
    worst = max(relative(w, p.data) for w, p in zip(weights, kernel.params, strict=True))
    assert worst <= 1e-9, f"worst relative difference {worst:.3g}"
    assert page["shuffle"] == list(kernel.shuffle.getstate()[1])
    assert _history_close(rows, _floats(page["history"])) <= 1e-9


def test_a_diverging_run_diverges_at_the_same_epoch_in_the_page():
    kernel, rows, page = _kernel_and_page({"data": "moons", "lr": 1e4}, 6)
    assert kernel.diverged and page["diverged"] and page["epoch"] == kernel.epoch


def test_the_pages_shuffle_is_pythons():
    for seed in (0, 7, 2**40 + 3):
        rng = random.Random(seed)
        rng.random()  # somewhere mid-stream
        request = {"words": list(rng.getstate()[1]), "n": 37, "times": 4}
        orders = run_js({"shuffles": [request]})["shuffles"][0]
        for order in orders:
            expected = list(range(37))
            datasets.shuffle(rng, expected)
            assert order == expected


def _engine_outputs(session, point):
    """The engine's own forward (a Value graph) at one plane point, and its hidden layers."""
    x = session.data.inputs([point])[0]
    row = datasets.feature_rows([x], session.settings["features"])[0]
    hidden, a = [], row
    for layer in session.model.layers:
        out = layer(a)
        a = out if isinstance(out, list) else [out]
        hidden.append([v.data for v in a])
    return row, hidden[:-1], hidden[-1]


def _grid(lo, hi, cells):
    return [lo + (hi - lo) * i / (cells - 1) for i in range(cells)]


PICTURES = [
    {"data": "moons", "activation": "relu"},
    {"data": "spiral", "classes": 3, "activation": "tanh"},
    {"data": "reg-gauss", "activation": "sigmoid", "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2"]},
    {"data": "xor", "features": ["x1", "sin(x1)", "sin(x2)", "x1*x2"]},
    {"data": "sine", "hidden": [5]},
]


@pytest.mark.parametrize("settings", PICTURES, ids=lambda s: s["data"])
def test_the_pages_pictures_are_the_engines_forward_at_every_grid_point(settings):
    session = Session(seed=1, **{**SMALL, **settings})
    session.train(3)
    m = {
        "weights": base64.b64encode(b"".join(struct.pack("<d", p.data) for p in session.params)).decode(),
        "sizes": session.model.sizes,
        "activation": session.settings["activation"],
        "features": session.settings["features"],
        "scale": session.data.scale,
        "task": session.task,
        "dims": session.dims,
        "extent": session.data.extent,
    }
    cells = {"plane": 9, "hidden": 6, "curve": 11}
    page = run_js({"pictures": [{"model": m, "cells": cells}]})["pictures"][0]
    x0, x1, y0, y1 = session.data.extent
    worst = 0.0
    if session.dims == 2:
        field, K = _floats(page["field"]), (session.settings["classes"] if session.task == "multiclass" else 1)
        assert len(field) == cells["plane"] ** 2 * K
        for r, y in enumerate(_grid(y0, y1, cells["plane"])):
            for c, x in enumerate(_grid(x0, x1, cells["plane"])):
                _, _, out = _engine_outputs(session, [x, y])
                if K > 1:
                    top = max(out)
                    e = [math.exp(z - top) for z in out]
                    out = [v / sum(e) for v in e]
                cell = (r * cells["plane"] + c) * K
                worst = max(worst, *(relative(a, b) for a, b in zip(field[cell : cell + K], out, strict=True)))
    else:
        curve = _floats(page["curve"])
        xs, preds = curve[: cells["curve"]], curve[cells["curve"] :]
        assert xs == pytest.approx(_grid(x0, x1, cells["curve"]), rel=1e-15)
        for x, pred in zip(xs, preds, strict=True):
            worst = max(worst, relative(pred, _engine_outputs(session, [x])[2][0]))
    hidden, features = _floats(page["hidden"]), _floats(page["features"])
    n = cells["hidden"] ** 2
    for r, y in enumerate(_grid(y0, y1, cells["hidden"])):
        for c, x in enumerate(_grid(x0, x1, cells["hidden"])):
            row, layers, _ = _engine_outputs(session, [x, y] if session.dims == 2 else [x])
            i = r * cells["hidden"] + c
            worst = max(worst, *(relative(features[k * n + i], v) for k, v in enumerate(row)))
            neurons = [v for layer in layers[:2] for v in layer]
            worst = max(worst, *(relative(hidden[k * n + i], v) for k, v in enumerate(neurons)))
    assert worst <= 1e-12, f"worst relative difference {worst:.3g}"


@pytest.mark.parametrize("optimizer, zero_grad", [("adam", True), ("momentum", False)])
def test_a_pages_report_puts_the_pages_numbers_into_the_session(optimizer, zero_grad):
    # the page's report of 5 epochs (built by the page from the state it trained to), read by a twin
    # session that stayed at epoch 0: it must continue exactly as the session that trained them
    kernel = Session(seed=2, optimizer=optimizer, zero_grad=zero_grad, batch_size=8, **SMALL)
    twin = Session.from_state(kernel.state())
    kernel.train(5)
    state = as_text(wire_state.train_state(kernel, 1))
    reported = run_js({"reports": [{"train": state, "since": 0, "grads": not zero_grad}]})["reports"][0]
    assert reported["content"]["epoch"] == 5 and reported["content"]["rows"] == 5
    assert apply_report(twin, reported["content"], [base64.b64decode(b) for b in reported["buffers"]])
    assert [p.data for p in twin.params] == [p.data for p in kernel.params]
    assert [p.grad for p in twin.params] == [p.grad for p in kernel.params] or zero_grad
    assert twin.optimizer.state_dict() == kernel.optimizer.state_dict()
    assert twin.shuffle.getstate() == kernel.shuffle.getstate()
    assert wire_state.curve_rows(twin.history) == wire_state.curve_rows(kernel.history)
    assert twin.train(3) == kernel.train(3)


def test_a_long_report_carries_100_evenly_spaced_rows_and_the_session_follows_on():
    # 250 epochs trained in the page reach the kernel as 100 of their rows (the first and the last among them)
    kernel = Session(seed=2, **SMALL)
    twin = Session.from_state(kernel.state())
    kernel.train(250)
    state = as_text(wire_state.train_state(kernel, 1))
    reported = run_js({"reports": [{"train": state, "since": 0, "grads": False}]})["reports"][0]
    assert reported["content"]["epoch"] == 250 and reported["content"]["rows"] == 100
    assert apply_report(twin, reported["content"], [base64.b64decode(b) for b in reported["buffers"]])
    epochs = [row["epoch"] for row in twin.history]
    assert len(epochs) == 100 and epochs[0] == 1 and epochs[-1] == 250
    assert max(b - a for a, b in zip(epochs, epochs[1:], strict=False)) <= 3
    assert all(row == kernel.history[row["epoch"] - 1] for row in twin.history)
    assert twin.train(3) == kernel.train(3)
    # the same report again: its rows are not after the session's last, so it is refused
    assert not apply_report(twin, reported["content"], [base64.b64decode(b) for b in reported["buffers"]])


def test_a_report_that_does_not_fit_the_session_changes_nothing():
    kernel = Session(seed=2, **SMALL)
    before = kernel.state()
    reported = run_js({"reports": [{"train": as_text(wire_state.train_state(kernel, 1)), "since": 0, "grads": False}]})
    content = reported["reports"][0]["content"]
    buffers = [base64.b64decode(b) for b in reported["reports"][0]["buffers"]]
    assert not apply_report(kernel, {**content, "optimizer": {"kind": "adam"}}, buffers)  # from before a rebuild
    assert not apply_report(kernel, content, [buffers[0][:-8], buffers[1]])  # a weight short
    assert not apply_report(kernel, {**content, "epoch": 5, "rows": 0}, buffers)  # epochs missing in between
    assert kernel.state() == before


def test_the_js_tests_read_the_state_the_kernel_sends_today():
    import trainer_fixtures

    assert trainer_fixtures.FIXTURE.read_text() == trainer_fixtures.text(), (
        "js/tests/fixtures/trainer_states.json is stale: run `python tests/trainer_fixtures.py`"
    )


if __name__ == "__main__":
    # The parity figures: python tests/test_cross_check_trainer.py prints, for every setting above,
    # the worst relative difference between the page's and the kernel's weights and history rows.
    for group, epochs in ((EXACT, 12), (CLOSE, 50)):
        for settings in group:
            kernel, rows, page = _kernel_and_page(settings, epochs)
            weights = _floats(page["weights"])
            worst = max(relative(w, p.data) for w, p in zip(weights, kernel.params, strict=True))
            name = " ".join(f"{k}={v}" for k, v in settings.items())
            history = _history_close(rows, _floats(page["history"]))
            print(f"{epochs:3d} epochs  weights {worst:8.2g}  history {history:8.2g}  {name}")
