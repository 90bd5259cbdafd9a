"""What a request to js/tests/trainer_cli.mjs carries: a trainer's state as the kernel sends it, in JSON.

The cross-check (tests/test_cross_check_trainer.py) and the own-data benchmark
(benchmarks/bench_big_data.py) both run the page's trainer in node on a
Session's state; this is the one place that writes that request.
"""

import base64
import math

from micrograd_widgets.widgets import _trainer_state as wire_state

# the settings the page reads from its traits on every epoch (the rest come with the state)
KNOBS = ("lr", "lr_schedule", "lr_period", "l2", "zero_grad", "batch_size")


def as_text(value):
    """Bytes as base64 text, everywhere in a trait (JSON carries no bytes); NaN and infinities as null."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def knobs(session) -> dict:
    return {k: session.settings[k] for k in KNOBS}


def page_request(session, epochs=None, program=None) -> dict:
    """The state a page starts from: training state, data set, recorded program (``program``: one
    already recorded) and knobs; ``epochs`` to train, when given."""
    request = {
        "train": as_text(wire_state.train_state(session, 1)),
        "dataset": as_text(wire_state.dataset_state(session)),
        "program": as_text(program if program is not None else wire_state.program_state(session)),
        "knobs": knobs(session),
    }
    if epochs is not None:
        request["epochs"] = epochs
    return request
