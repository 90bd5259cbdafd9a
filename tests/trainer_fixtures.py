"""The trainer's state as real kernels send it, for the JS unit tests of the view (js/tests/trainer_*.test.js).

``python tests/trainer_fixtures.py`` writes js/tests/fixtures/trainer_states.json;
tests/test_cross_check_trainer.py fails when the file is not what the kernel
sends today, so the JS tests never run on a state the kernel no longer makes.
"""

import json
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "js" / "tests" / "fixtures" / "trainer_states.json"
SMALL = {"hidden": [4], "n": 20, "seed": 0}


def trainers() -> dict:
    """name -> a Trainer in a state the view tests read."""
    from micrograd_widgets.widgets import Trainer

    moons = Trainer(**SMALL)
    moons.train(2)
    point = Trainer(**SMALL)
    point.select(3)
    custom = Trainer(X=[[0, 0], [1, 1], [2, 0], [0, 2], [1, 0], [2, 2], [0, 1], [1, 2]], y=["<b>cat</b>", "dog"] * 4,
                     hidden=[3])  # fmt: skip
    return {
        "moons": moons,
        "point": point,
        "spiral3": Trainer(data="spiral", classes=3, **SMALL),
        "regression": Trainer(data="reg-gauss", **SMALL),
        "sine": Trainer(data="sine", **SMALL),
        "custom": custom,
        "locked": Trainer(**SMALL, hide=["loss", "l2"], lock=["data", "lr"]),
    }


def states() -> dict:
    from micrograd_widgets.widgets._html import widget_state

    # each kernel object has a random uid; the tests give each model their own
    return {name: widget_state(t, {"uid": name}) for name, t in trainers().items()}


def text() -> str:
    return json.dumps(states(), indent=None, separators=(",", ":"), sort_keys=True) + "\n"


if __name__ == "__main__":
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text())
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size:,} bytes)", file=sys.stderr)
