"""A session as plain data, and back: ``state()`` and ``from_state()``, and the compact text *copy setup* pastes.

The state holds everything the next epochs depend on (settings, data and split,
weights and the snapshot, optimizer state, schedule position, the shuffle's
random state, grads when they pile up), so a session rebuilt from it continues
bit for bit. Non-finite numbers travel as text ("nan", "inf"): JSON has none.

Version 2 (pure-Python data sets, standardised own data, fixed axes) reads
version 1 states too: their data and weights are kept as they were.
"""

import base64
import json
import math
import random
import struct
import threading
import zlib

from ..nn import MLP
from .dataset import Dataset, split
from .settings import SESSION_SETTINGS, validate
from .userdata import Labels

VERSION = 2
PACKED = "mgw2:"  # what a packed state's text starts with
HISTORY_KEPT = 200  # rows a packed state keeps of a long history (thinned, the last one always)


def _enc(x):
    """A float for a JSON or Python-literal state: non-finite numbers as text."""
    x = float(x)
    return x if math.isfinite(x) else repr(x)


def _dec(x):
    return float(x)  # float("nan"), float("inf") read the text back


def _floats(values) -> list:
    return [_enc(v) for v in values]


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return _enc(value) if isinstance(value, float) else value


def session_state(session) -> dict:
    """Everything the next epochs of ``session`` depend on, as plain data."""
    data = session.data
    rng = session.shuffle.getstate()
    return {
        "version": VERSION,
        "settings": {k: _plain(v) for k, v in session.settings.items()},
        "lr_given": session.lr_given,
        "optimizer_given": session.optimizer_given,
        "seed": session.seed,
        "data": {
            "X": [_floats(p) for p in data.X],
            "y": _floats(data.y),
            "is_test": [int(t) for t in data.is_test],
            "added_X": [_floats(p) for p in data.added_X],
            "added_y": _floats(data.added_y),
            "custom": data.custom,
            "dims": data.dims,
            "task": data.labels.task,
            "class_labels": list(data.labels.class_labels),
            "axis_labels": data.axis_labels,
            "seed": data.seed,
            "test_fraction": data.test_fraction,
            "scale": None if data.scale is None else [list(pair) for pair in data.scale],
            "extent": _floats(data.extent),
        },
        "weights": [_enc(p.data) for p in session.params],
        "snapshot": [_enc(v) for v in session.snapshot.values()],
        "grads": None if session.settings["zero_grad"] else [_enc(p.grad) for p in session.params],
        "optimizer": {k: _plain(v) for k, v in session.optimizer.state_dict().items()},
        "epoch": session.epoch,
        "lr_now": session.lr_now,
        "history": [{k: _enc(v) if isinstance(v, float) else v for k, v in row.items()} for row in session.history],
        "shuffle_rng": [rng[0], list(rng[1]), rng[2]],
        "diverged": session.diverged,
        "status": session.status,
    }


def _upgrade(state: dict) -> dict:
    """A version 1 state as version 2: its data and weights as they were, its own data not standardised."""
    state = json.loads(json.dumps(state))
    d = state["data"]
    d.update(seed=state["data_seed"], test_fraction=state["settings"]["test_fraction"], scale=None, extent=None)
    state["settings"]["standardize"] = False
    state["version"] = 2
    return state


def session_from_state(cls, state):
    """The session ``state`` describes (a dict from ``state()``, or the text of ``pack``)."""
    if isinstance(state, str) and state.startswith(PACKED):
        state = unpack(state)
    version = state.get("version") if isinstance(state, dict) else None
    if version == 1:
        state = _upgrade(state)
    elif version != VERSION:
        seen = f"version {version}" if version is not None else repr(str(state)[:60])
        raise ValueError(f"not a trainer state this package reads (it reads versions 1 and {VERSION}): got {seen}")
    s, d = dict(state["settings"]), state["data"]
    self = cls.__new__(cls)
    self.seed = int(state["seed"])
    self.lock = threading.RLock()
    self.lr_given, self.optimizer_given = bool(state["lr_given"]), bool(state["optimizer_given"])
    labels = Labels(d["task"], d["class_labels"])
    X = [[_dec(v) for v in p] for p in d["X"]]
    data = Dataset.__new__(Dataset)
    data.X, data.y, data.labels, data.seed = X, [_dec(v) for v in d["y"]], labels, int(d["seed"])
    data.custom, data.axis_labels, data.dims = bool(d["custom"]), d["axis_labels"], int(d["dims"])
    data.is_test = [bool(t) for t in d["is_test"]]
    data.test_fraction = float(d["test_fraction"])
    data.added_X = [[_dec(v) for v in p] for p in d["added_X"]]
    data.added_y = [_dec(v) for v in d["added_y"]]
    data.scale = None if d["scale"] is None else [(float(m), float(sd)) for m, sd in d["scale"]]
    data.extent = [_dec(v) for v in d["extent"]] if d.get("extent") else data.fitted_extent()
    self.data = data
    settings = validate(**{k: v for k, v in s.items() if k in SESSION_SETTINGS and k != "data"})
    settings["data"] = s["data"]
    self.settings = {name: settings[name] for name in SESSION_SETTINGS if name in settings}
    self._assemble()
    self.model = self._new_model()
    self.params = self.model.parameters()
    names = [name for name, _ in self.model.named_parameters()]
    if len(names) != len(state["weights"]):
        raise ValueError(f"the state holds {len(state['weights'])} weights, the network has {len(names)}")
    self.snapshot = dict(zip(names, map(_dec, state["snapshot"]), strict=True))
    self.reset()
    for p, w in zip(self.params, state["weights"], strict=True):
        p.data = _dec(w)
    if state["grads"] is not None:
        for p, g in zip(self.params, state["grads"], strict=True):
            p.grad = _dec(g)
    self.optimizer.load_state_dict(state["optimizer"])
    self.epoch = int(state["epoch"])
    self.history = [{k: _dec(v) if k != "epoch" else v for k, v in row.items()} for row in state["history"]]
    version, internal, gauss = state["shuffle_rng"]
    self.shuffle = random.Random()
    self.shuffle.setstate((version, tuple(internal), gauss))
    self.diverged, self.status = bool(state["diverged"]), state["status"]
    return self


# ---- the compact text: one JSON header and the float arrays as float64, compressed, base64 -------------


class _Floats:
    """Collects float arrays into one float64 block; the JSON keeps {"f64": start, "n": count} in their place."""

    def __init__(self):
        self.values = []

    def put(self, values) -> dict:
        values = [_dec(v) for v in values]
        ref = {"f64": len(self.values), "n": len(values)}
        self.values.extend(values)
        return ref


def _initial_weights(state) -> list:
    """The weights a session with these settings starts from (MLP's seeded initialisation)."""
    s = state["settings"]
    outputs = s["classes"] if s["task"] == "multiclass" else 1
    model = MLP(len(s["features"]), [*s["hidden"], outputs], activation=s["activation"], seed=state["seed"])
    return list(model.state_dict().values())


def _thin(history: list) -> list:
    if len(history) <= HISTORY_KEPT:
        return history
    step = (len(history) - 1) / (HISTORY_KEPT - 1)
    return [history[round(k * step)] for k in range(HISTORY_KEPT)]


def pack(state: dict) -> str:
    """The state as one line of text (``PACKED`` + base64): every float of the data and the weights
    as float64, bit for bit (about 11 bytes a coordinate); the history thinned to HISTORY_KEPT rows."""
    block = _Floats()
    d = dict(state["data"])
    # what the seed gives again is left out: the split of the points, the initial weights
    if d["is_test"] == [int(t) for t in split(len(d["y"]), d["test_fraction"], d["seed"])]:
        d["is_test"] = "seed"
    for key in ("X", "added_X"):
        d[key] = block.put(v for p in d[key] for v in p)
    d["y"], d["added_y"] = block.put(d["y"]), block.put(d["added_y"])
    out = dict(state, data=d, history=_thin(state["history"]))
    if [_dec(v) for v in out["snapshot"]] == _initial_weights(state):
        out["snapshot"] = "seed"
    for key in ("weights", "snapshot", "grads"):
        if isinstance(out[key], list):
            out[key] = block.put(out[key])
    out["optimizer"] = {k: block.put(v) if isinstance(v, list) else v for k, v in out["optimizer"].items()}
    header = json.dumps(out, separators=(",", ":"), allow_nan=False).encode("utf-8")
    raw = struct.pack("<I", len(header)) + header + struct.pack(f"<{len(block.values)}d", *block.values)
    return PACKED + base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def unpack(text: str) -> dict:
    """The state ``pack`` wrote."""
    try:
        raw = zlib.decompress(base64.b64decode(text[len(PACKED) :], validate=True))
        (size,) = struct.unpack_from("<I", raw)
        state = json.loads(raw[4 : 4 + size])
        values = struct.unpack_from(f"<{(len(raw) - 4 - size) // 8}d", raw, 4 + size)
    except (ValueError, zlib.error, struct.error) as error:
        raise ValueError(f"not a packed trainer state ({error}): {text[:40]!r}...") from None
    take = lambda ref: list(values[ref["f64"] : ref["f64"] + ref["n"]]) if isinstance(ref, dict) else ref  # noqa: E731
    d = state["data"]
    dims = int(d["dims"])
    for key in ("X", "added_X"):
        flat = take(d[key])
        d[key] = [flat[i : i + dims] for i in range(0, len(flat), dims)]
    d["y"], d["added_y"] = take(d["y"]), take(d["added_y"])
    if d["is_test"] == "seed":
        d["is_test"] = [int(t) for t in split(len(d["y"]), d["test_fraction"], d["seed"])]
    for key in ("weights", "snapshot", "grads"):
        state[key] = take(state[key])
    if state["snapshot"] == "seed":
        state["snapshot"] = _initial_weights(state)
    state["optimizer"] = {k: take(v) for k, v in state["optimizer"].items()}
    return state
