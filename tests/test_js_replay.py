"""The browser's replay (js/core/replay.js) gives the engine's numbers on random graphs.

Each graph is built from seeded random ops with reused nodes, then its leaves
are moved to new values, some of which drive nodes into domain errors (log of
a negative, 0 to a negative power, division by zero) or overflow. Python's
``root.replay()`` is the truth; a node CLI replays the same structure in JS.
"""

import json
import math
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from micrograd_widgets import Value, dot, gradcheck, vsum
from micrograd_widgets.engine import logsumexp
from micrograd_widgets.wire import errors, structure, unpack

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "js" / "tests" / "replay_cli.mjs"
NODE = shutil.which("node")

if NODE is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("node is required for the JS replay cross-check under CI=true")
    pytest.skip(
        "node is not installed: install Node 20 (apt-get install nodejs) to cross-check js/core/replay.js",
        allow_module_level=True,
    )

SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 1e-8, -1e-8, 3.0, 700.0, -700.0, 1e300]
GRAPHS = 240
REL = 1e-12
ABS = 1e-12


def _encode(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _decode(x):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(x, x) if isinstance(x, str) else x


def _random_graph(rng: random.Random):
    """A random expression with reused nodes; leaves start at safe values so that building never raises."""
    leaves = [Value(rng.uniform(0.5, 2.0), label=f"x{i}") for i in range(rng.randint(2, 6))]
    nodes = list(leaves)
    for _ in range(rng.randint(3, 25)):
        pick = lambda: rng.choice(nodes[-6:] if rng.random() < 0.6 else nodes)  # noqa: E731
        kind = rng.randrange(17)
        a, b = pick(), pick()
        try:
            if kind == 0:
                out = a + b
            elif kind == 1:
                out = a - b
            elif kind == 2:
                out = a * b
            elif kind == 3:
                out = a / b
            elif kind == 4:
                out = -a
            elif kind == 5:
                out = a ** rng.choice([2, 3, -1, 0.5, -1.5, 0])
            elif kind == 6:
                out = a.tanh()
            elif kind == 7:
                out = a.exp()
            elif kind == 8:
                out = a.log()
            elif kind == 9:
                out = a.relu()
            elif kind == 10:
                out = a.sigmoid()
            elif kind == 11:
                out = a.softplus()
            elif kind == 12:
                out = a**b
            elif kind == 13:
                k = rng.randint(1, 3)
                ws, xs = [pick() for _ in range(k)], [pick() for _ in range(k)]
                out = dot(ws, xs, pick() if rng.random() < 0.5 else None)
            elif kind == 14:
                out = vsum([pick() for _ in range(rng.randint(1, 4))])
            elif kind == 16:
                out = logsumexp([pick() for _ in range(rng.randint(1, 4))])
            else:
                out = a * 2.5 + 1.0  # constants enter the graph
        except (ValueError, ZeroDivisionError):
            continue
        nodes.append(out)
    root = vsum(nodes[-3:]) if len(nodes) > 3 else nodes[-1] * 1.0
    return root, leaves


def _move_leaves(rng, leaves):
    for leaf in leaves:
        leaf.data = rng.choice(SPECIAL) if rng.random() < 0.3 else rng.uniform(-3.0, 3.0)


def _run_cli(graphs):
    request = json.dumps({"graphs": graphs})
    done = subprocess.run([NODE, str(CLI)], input=request, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["results"]


def _close(js, py):
    if math.isnan(py) or math.isnan(js):
        return math.isnan(py) and math.isnan(js)
    if math.isinf(py) or math.isinf(js):
        return js == py
    return abs(js - py) <= REL * max(abs(js), abs(py)) + ABS


def _compare(name, js_values, py_values):
    js_values = [_decode(x) for x in js_values]
    bad = [(i, js, py) for i, (js, py) in enumerate(zip(js_values, py_values, strict=True)) if not _close(js, py)]
    assert len(js_values) == len(py_values)
    return [f"{name}[{i}]: js {js!r} != python {py!r}" for i, js, py in bad]


def _graph_request(root, gradcheck_too=False):
    topo = root.topo()
    s = structure(topo)
    s["const"] = [_encode(x) for x in unpack(s["const"])]
    return {"structure": s, "data": [_encode(n.data) for n in topo], "gradcheck": gradcheck_too}


def test_js_replay_matches_python_on_random_graphs_with_domain_errors():
    rng = random.Random(20261123)
    cases, expected = [], []
    for _ in range(GRAPHS):
        root, leaves = _random_graph(rng)
        _move_leaves(rng, leaves)
        # the request carries the moved leaves and stale op values: JS must recompute them all
        cases.append(_graph_request(root))
        root.replay()
        topo = root.topo()
        expected.append(([n.data for n in topo], [n.grad for n in topo], errors(topo)))
    results = _run_cli(cases)
    problems = []
    for k, (result, (data, grad, errs)) in enumerate(zip(results, expected, strict=True)):
        problems += [f"graph {k}: {p}" for p in _compare("data", result["data"], data)]
        problems += [f"graph {k}: {p}" for p in _compare("grad", result["grad"], grad)]
        if result["errors"] != errs:
            problems.append(f"graph {k}: errors js {result['errors']} != python {errs}")
    assert not problems, "\n".join(problems[:20])
    # the seeds must actually reach the interesting corners, or this test proves little
    flat = [x for _, (data, grad, _e) in enumerate(expected) for x in data + grad]
    assert any(math.isnan(x) for x in flat) and any(math.isinf(x) for x in flat)
    assert sum(bool(e) for _, _, e in expected) >= 10


def test_js_finite_differences_match_engine_gradcheck():
    rng = random.Random(7)
    cases, expected = [], []
    for _ in range(30):
        root, leaves = _random_graph(rng)
        for leaf in leaves:
            leaf.data = rng.uniform(0.5, 2.0)
        root.replay()
        cases.append(_graph_request(root, gradcheck_too=True))
        rows = {id(row.leaf): row.numeric for row in gradcheck(root)}
        expected.append([rows.get(id(n), math.nan) for n in root.topo()])
    results = _run_cli(cases)
    for result, numeric in zip(results, expected, strict=True):
        got = [_decode(x) for x in result["numeric"]]
        for js, py in zip(got, numeric, strict=True):
            # finite differences of slightly different forward passes: compare loosely
            assert (math.isnan(js) and math.isnan(py)) or js == py or abs(js - py) <= 1e-6 * max(1.0, abs(py))


def test_js_op_table_matches_python_on_ieee_corners():
    from micrograd_widgets._ops import DOT, LEAF, OPS, POWC, SUM

    corners = [0.0, -0.0, 1.0, -1.0, 2.0, -2.5, 0.5, 1e-300, 710.0, -710.0, 1e308, math.inf, -math.inf, math.nan]
    rows, expected = [], []
    for code, op in enumerate(OPS):
        if code in (LEAF, DOT, SUM):
            continue
        arity = 1 if code == POWC or op.name in ("neg", "relu", "tanh", "exp", "log", "sigmoid", "softplus") else 2
        for a in corners:
            for b in corners if arity == 2 else [0.0]:
                for c in corners if code == POWC else [0.0]:
                    v = (a, b) if arity == 2 else (a,)
                    problem = op.domain(v, c) if op.domain else None
                    out = op.forward(v, c)
                    local = list(op.local_grads(v, out, c))
                    rows.append({"code": code, "a": _encode(a), "b": _encode(b), "c": _encode(c)})
                    expected.append((code, v, c, out, local, problem))
    done = subprocess.run(
        [NODE, str(CLI)], input=json.dumps({"ops": rows}), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    problems = []
    for got, (code, v, c, out, local, problem) in zip(json.loads(done.stdout)["ops"], expected, strict=True):
        where = f"{OPS[code].name}{v} c={c}"
        if not _close(_decode(got["out"]), out):
            problems.append(f"{where}: forward js {got['out']} != python {out}")
        for k, d in enumerate(local):
            if not _close(_decode(got["local"][k]), d):
                problems.append(f"{where}: local[{k}] js {got['local'][k]} != python {d}")
        if got["domain"] != problem:
            problems.append(f"{where}: domain js {got['domain']!r} != python {problem!r}")
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:30])


def test_js_and_python_format_numbers_identically():
    from micrograd_widgets.wire import format_number

    rng = random.Random(3)
    numbers = [0.03125, -0.09375, 1234500.0, 1e-3, 1e6, 1e6 + 0.5, -0.0, math.nan, math.inf, -math.inf, 5e-324]
    numbers += [rng.uniform(-1, 1) * 10 ** rng.uniform(-8, 9) for _ in range(2000)]
    numbers += [round(rng.uniform(-10, 10), rng.randint(1, 5)) for _ in range(500)]
    done = subprocess.run(
        [NODE, str(CLI)], input=json.dumps({"format": [_encode(x) for x in numbers]}), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)["format"]
    mismatches = [(x, js, format_number(x)) for x, js in zip(numbers, got, strict=True) if js != format_number(x)]
    assert not mismatches, mismatches[:10]
