"""Every rule that exists in both Python and JS gives the same answers on the same inputs.

These rules live twice, once per language: the op table (``_ops.py`` and
``js/core/ops.js``), replay (``engine`` and ``js/core/replay.js``), the number
format (``wire.format_number`` and ``js/core/format.js``), answer parsing and
checking (``widgets/_teaching.py`` and ``js/teaching/stepper.js``), the
answer to a slider's ``set`` message (``GraphWidget._on_message`` and
``js/offline/offline_model.js``), a node's name in text (``_teaching.node_name``
and ``js/core/names.js``), packed numbers and the structure's columns
(``wire.pack``/``structure``/``errors`` and ``js/core/codecs.js``), and the
step-through's and the exercise's node lists (``_teaching`` and ``stepper.js``).
Each test builds the inputs here, computes Python's answers, and has
``js/tests/cross_check_cli.mjs`` compute the JS ones in node. A second copy
of a rule with no test beside it drifts; these keep the copies honest.
"""

import base64
import itertools
import json
import math
import os
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from expressions import micrograd_readme_expression
from student_graphs import VERBATIM, build

from micrograd_widgets import Value, dot, gradcheck, nn, vsum
from micrograd_widgets._ops import (
    ADD,
    DIV,
    DOT,
    EXP,
    LEAF,
    LOG,
    LOGSUMEXP,
    MUL,
    NEG,
    OPS,
    POW,
    POWC,
    RELU,
    SIGMOID,
    SOFTPLUS,
    SUB,
    SUM,
    TANH,
)
from micrograd_widgets.engine import logsumexp
from micrograd_widgets.widgets import _html
from micrograd_widgets.widgets import _teaching as teaching
from micrograd_widgets.wire import errors, format_number, pack, structure, unpack

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "js" / "tests" / "cross_check_cli.mjs"
NODE = shutil.which("node")

if NODE is None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):  # the browser tests' rule (browser/conftest.py)
        raise RuntimeError("node is required for the Python/JS cross-check under CI=true")
    pytest.skip(
        "node is not installed: install Node 20 (apt-get install nodejs) to cross-check the JS rules",
        allow_module_level=True,
    )

REL = 1e-12
ABS = 1e-12

# how many inputs each op row takes; a row missing here fails test_every_op_row_is_cross_checked
UNARY = {NEG, POWC, RELU, TANH, EXP, LOG, SIGMOID, SOFTPLUS}
BINARY = {ADD, SUB, MUL, DIV, POW}
NARY = {DOT, SUM, LOGSUMEXP}


def _encode(x):
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _decode(x):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0": -0.0}.get(x, x) if isinstance(x, str) else x


def run_js(request: dict) -> dict:
    """One run of the node CLI on ``request`` (a section per rule)."""
    done = subprocess.run(
        [NODE, str(CLI)], input=json.dumps(request), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _close(js, py):
    if math.isnan(py) or math.isnan(js):
        return math.isnan(py) and math.isnan(js)
    if math.isinf(py) or math.isinf(js):
        return js == py
    return abs(js - py) <= REL * max(abs(js), abs(py)) + ABS


def _compare(name, js_values, py_values):
    assert len(js_values) == len(py_values), f"{name}: js has {len(js_values)} values, python {len(py_values)}"
    pairs = zip((_decode(x) for x in js_values), py_values, strict=True)
    return [f"{name}[{i}]: js {js!r} != python {py!r}" for i, (js, py) in enumerate(pairs) if not _close(js, py)]


# ---- the op table ----------------------------------------------------------------------

CORNERS = [0.0, -0.0, 1.0, -1.0, 2.0, -2.5, 0.5, 1e-300, 710.0, -710.0, 1e308, math.inf, -math.inf, math.nan]


def _op_cases():
    """(code, inputs, const) for every row: a grid of IEEE corners, and n-ary rows on vectors of corners."""
    rng = random.Random(5)
    for code in sorted(UNARY | BINARY):
        arity = 1 if code in UNARY else 2
        for x in itertools.product(CORNERS, repeat=arity):
            for c in CORNERS if code == POWC else [0.0]:
                yield code, x, c
    for code in sorted(NARY):
        for n in range(1, 8):
            for _ in range(40):
                yield code, tuple(rng.choice(CORNERS + [rng.uniform(-3, 3)]) for _ in range(n)), 0.0
        yield code, (), 0.0  # no inputs at all: sum() of nothing, an empty dot


def test_every_op_row_is_cross_checked_and_both_tables_have_the_same_rows():
    assert UNARY | BINARY | NARY | {LEAF} == set(range(len(OPS))), "classify the new op's arity above"
    assert run_js({})["op_count"] == len(OPS)


def test_op_rows_give_the_same_forward_local_derivatives_and_domain_errors_on_ieee_corners():
    cases = list(_op_cases())
    got = run_js({"ops": [{"code": code, "x": [_encode(v) for v in x], "c": _encode(c)} for code, x, c in cases]})
    problems = []
    for result, (code, x, c) in zip(got["ops"], cases, strict=True):
        op = OPS[code]
        where = f"{op.name or 'leaf'}{x} c={c}"
        if result["name"] != op.name:
            problems.append(f"code {code}: js name {result['name']!r} != python {op.name!r}")
        problem = op.domain(x, c) if op.domain else None
        if result["domain"] != problem:
            problems.append(f"{where}: domain js {result['domain']!r} != python {problem!r}")
        out = op.forward(x, c)
        if not _close(_decode(result["out"]), out):
            problems.append(f"{where}: forward js {result['out']} != python {out}")
        local = list(op.local_grads(x, out, c))
        problems += [f"{where}: {p}" for p in _compare("local", result["local"], local)]
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:30])
    # the corners must reach every kind of answer, or the comparison proves little
    outs = [_decode(r["out"]) for r in got["ops"]]
    assert any(math.isnan(x) for x in outs) and any(math.isinf(x) for x in outs)
    assert sum(r["domain"] is not None for r in got["ops"]) > 50


# ---- replay on random graphs -------------------------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 1e-8, -1e-8, 3.0, 700.0, -700.0, 1e300]
GRAPHS = 240


def _random_graph(rng: random.Random):
    """A random expression with reused nodes; leaves start at safe values so that building never raises."""
    leaves = [Value(rng.uniform(0.5, 2.0), label=f"x{i}") for i in range(rng.randint(2, 6))]
    nodes = list(leaves)

    def pick():
        return rng.choice(nodes[-6:] if rng.random() < 0.6 else nodes)

    unary = [
        lambda a: -a,
        lambda a: a ** rng.choice([2, 3, -1, 0.5, -1.5, 0]),
        lambda a: a.tanh(),
        lambda a: a.exp(),
        lambda a: a.log(),
        lambda a: a.relu(),
        lambda a: a.sigmoid(),
        lambda a: a.softplus(),
        lambda a: a * 2.5 + 1.0,  # constants enter the graph
    ]
    binary = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b, lambda a, b: a**b]
    for _ in range(rng.randint(3, 25)):
        kind = rng.randrange(len(unary) + len(binary) + 3)
        try:
            if kind < len(unary):
                out = unary[kind](pick())
            elif kind < len(unary) + len(binary):
                out = binary[kind - len(unary)](pick(), pick())
            elif kind == len(unary) + len(binary):
                k = rng.randint(1, 3)
                out = dot(
                    [pick() for _ in range(k)], [pick() for _ in range(k)], pick() if rng.random() < 0.5 else None
                )
            elif kind == len(unary) + len(binary) + 1:
                out = vsum([pick() for _ in range(rng.randint(1, 4))])
            else:
                out = logsumexp([pick() for _ in range(rng.randint(1, 4))])
        except (ValueError, ZeroDivisionError):
            continue
        nodes.append(out)
    root = vsum(nodes[-3:]) if len(nodes) > 3 else nodes[-1] * 1.0
    return root, leaves


def _graph_request(root, gradcheck_too=False):
    topo = root.topo()
    s = structure(topo)
    s["const"] = [_encode(x) for x in unpack(s["const"])]
    return {"structure": s, "data": [_encode(n.data) for n in topo], "gradcheck": gradcheck_too}


def test_replay_gives_the_engines_numbers_and_errors_on_random_graphs_with_domain_errors():
    rng = random.Random(20261123)
    cases, expected = [], []
    for _ in range(GRAPHS):
        root, leaves = _random_graph(rng)
        for leaf in leaves:
            leaf.data = rng.choice(SPECIAL) if rng.random() < 0.3 else rng.uniform(-3.0, 3.0)
        # the request carries the moved leaves and stale op values: JS must recompute them all
        cases.append(_graph_request(root))
        root.replay()
        topo = root.topo()
        expected.append(([n.data for n in topo], [n.grad for n in topo], errors(topo), {n.code for n in topo}))
    results = run_js({"graphs": cases})["graphs"]
    problems = []
    for k, (result, (data, grad, errs, _codes)) in enumerate(zip(results, expected, strict=True)):
        problems += [f"graph {k}: {p}" for p in _compare("data", result["data"], data)]
        problems += [f"graph {k}: {p}" for p in _compare("grad", result["grad"], grad)]
        if result["errors"] != errs:
            problems.append(f"graph {k}: errors js {result['errors']} != python {errs}")
    assert not problems, "\n".join(problems[:20])
    # the seeds must reach the interesting corners and every op, or this test proves little
    flat = [x for data, grad, _e, _c in expected for x in data + grad]
    assert any(math.isnan(x) for x in flat) and any(math.isinf(x) for x in flat)
    assert sum(bool(e) for _d, _g, e, _c in expected) >= 10
    assert set().union(*(codes for *_rest, codes in expected)) == set(range(len(OPS)))


def test_finite_differences_match_the_engines_gradcheck():
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
    results = run_js({"graphs": cases})["graphs"]
    checked = 0
    for result, numeric in zip(results, expected, strict=True):
        for js, py in zip((_decode(x) for x in result["numeric"]), numeric, strict=True):
            # finite differences of slightly different forward passes: compare loosely
            assert (math.isnan(js) and math.isnan(py)) or js == py or abs(js - py) <= 1e-6 * max(1.0, abs(py))
            checked += not math.isnan(py)
    assert checked > 50


def test_the_trainers_point_graphs_replay_in_js_for_every_task():
    # what the trainer sends when a point is clicked: its loss graph (cross-entropy through
    # logsumexp, huber, features as inputs) must recompute in the page to the engine's numbers
    from micrograd_widgets.training import Session

    sessions = [
        Session(data="spiral", classes=3, hidden=[4], n=30, features=["x1", "x2", "sin(x1)"]),
        Session(data="reg-gauss", hidden=[4], n=30, loss="huber"),
        Session(data="sine", hidden=[4], n=30),
        Session(hidden=[4], n=30, loss="bce", features=["x1^2", "x1*x2"]),
    ]
    cases, expected = [], []
    for session in sessions:
        session.train(2)
        for i in (0, 5):
            topo = session.point_graph(i)
            root = topo[-1]
            for node in topo:  # move the parameters, as a slider would: JS must recompute the rest
                if node.kind == "parameter":
                    node.data += 0.125
            cases.append(_graph_request(root))
            root.replay()
            expected.append(([n.data for n in topo], [n.grad for n in topo]))
    results = run_js({"graphs": cases})["graphs"]
    problems = []
    for k, (result, (data, grad)) in enumerate(zip(results, expected, strict=True)):
        problems += [f"graph {k}: {p}" for p in _compare("data", result["data"], data)]
        problems += [f"graph {k}: {p}" for p in _compare("grad", result["grad"], grad)]
    assert not problems, "\n".join(problems[:20])
    assert any(c == LOGSUMEXP for case in cases for c in case["structure"]["code"])


# ---- the number format -------------------------------------------------------------------


def test_numbers_read_the_same_on_both_sides():
    rng = random.Random(3)
    numbers = [0.03125, -0.09375, 1234500.0, 1e-3, 1e6, 1e6 + 0.5, -0.0, math.nan, math.inf, -math.inf, 5e-324]
    numbers += [12345000.0, 12355000.0, 0.00099995, 999999.99995, 1.5e300, -2.5e-300]
    numbers += [rng.uniform(-1, 1) * 10 ** rng.uniform(-8, 9) for _ in range(2000)]
    numbers += [round(rng.uniform(-10, 10), rng.randint(1, 5)) for _ in range(500)]
    got = run_js({"format": [_encode(x) for x in numbers]})["format"]
    mismatches = [(x, js, format_number(x)) for x, js in zip(numbers, got, strict=True) if js != format_number(x)]
    assert not mismatches, mismatches[:10]


# ---- answer parsing and checking -----------------------------------------------------------

ANSWER_TEXTS = [
    # read as numbers
    "1.5",
    " -1.5 ",
    "+2",
    "\u22121,5",
    "1,5",
    ".25",
    "5.",
    "-.5",
    "1e-3",
    "1E+4",
    "2e0",
    "007",
    "0",
    "-0",
    "\t3\n",
    "\u00a042\u00a0",
    "1e-400",
    "123456789012345678901234567890",
    "0.1000000000000000055511151231257827",
    "4.9406564584124654e-324",
    "1.7976931348623157e308",
    "1e\u22123",
    # not finite: rejected with a message
    "nan",
    "NaN",
    "-nan",
    "+nan",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "-infinity",
    "+INFINITY",
    "1e400",
    "-1e999",
    # other scripts' digits and look-alikes: rejected
    "\u0661\u0662",
    "\u0661.\u0665",
    "\uff11\uff12",
    "\u0967",
    "\u00b2",
    "\u2153",
    "\U0001d7ce",
    "1\u00a05",
    # not numbers: rejected
    "abc",
    "1.2.3",
    "1,2,3",
    "1,234.5",
    "--1",
    "+-1",
    "1e",
    "e5",
    ".",
    "+",
    "-",
    "1_000",
    "0x10",
    "1 2",
    "1e5.5",
    "\u2212",
    "12abc",
    "1/2",
    "(1)",
    "∞",
    "1e+",
    "\u200b1",
    # no answer at all
    "",
    "   ",
    "\u00a0",
]
ANSWER_NUMBERS = [1.5, -0.0, 0.0, 1e300, 5e-324, math.nan, math.inf, -math.inf, 3, -7]
ANSWER_OTHERS = [None, True, False, [1], {"a": 1}]


def test_answers_are_read_the_same_on_both_sides_and_rejected_ones_say_why():
    items = (
        [{"text": t} for t in ANSWER_TEXTS]
        + [{"number": _encode(float(x))} for x in ANSWER_NUMBERS]
        + [{"text": x} for x in ANSWER_OTHERS]
    )
    inputs = ANSWER_TEXTS + [float(x) for x in ANSWER_NUMBERS] + ANSWER_OTHERS
    got = run_js({"answers": items})["answers"]
    mismatches = []
    for text, js in zip(inputs, got, strict=True):
        value, problem = teaching.parse_answer(text)
        js_value = None if js["value"] is None else _decode(js["value"])
        same_value = value == js_value and (value is None or math.copysign(1, value) == math.copysign(1, js_value))
        if not same_value or problem != js["problem"]:
            mismatches.append(f"{text!r}: js {js_value!r} {js['problem']!r} != python {value!r} {problem!r}")
    assert not mismatches, "\n".join(mismatches)
    # the rule itself, on the Python side (the JS side equals it, above): finite ASCII decimals only,
    # a decimal comma and the Unicode minus read kindly, every rejection with a reason, a cleared box no answer
    parse = teaching.parse_answer
    assert parse("\u22121,5") == (-1.5, None) and parse(" 1E+4 ") == (1e4, None) and parse(".25") == (0.25, None)
    for text in ["nan", "-nan", "+infinity", "inf", "1e400", "\u0661\u0662", "abc", "1,234.5", math.nan, -math.inf]:
        assert parse(text).value is None and parse(text).problem, text
    assert parse("") == (None, None) and parse(" ") == (None, None) and parse(None) == (None, None)
    assert any("\u2212" in t for t in ANSWER_TEXTS) and sum(js["problem"] is not None for js in got) > 40


def test_answers_are_checked_the_same_on_both_sides():
    truths = [0.0, -0.0, 138.8338, -138.8338, 2e-7, 1e-3, 0.1, 1e300, 5e-324, math.nan, math.inf, -math.inf]
    pairs = []
    for truth in truths:
        near = [truth * (1 + f) for f in (0.0, 0.0099, 0.01, 0.0101, -0.0099, -0.0101)] if math.isfinite(truth) else []
        for answer in near + [truth + 0.001, truth - 0.00101, 0.0, 0.0004, -0.0011, 1.0, math.nan, math.inf, -math.inf]:
            pairs.append((answer, truth))
    got = run_js({"checks": [[_encode(a), _encode(t)] for a, t in pairs]})["checks"]
    expected = [teaching.check_answer(a, t) for a, t in pairs]
    mismatches = [(a, t, js, py) for (a, t), js, py in zip(pairs, got, expected, strict=True) if js != py]
    assert not mismatches, mismatches[:10]
    assert 0.3 < sum(expected) / len(expected) < 0.7, "the pairs must sit on both sides of the tolerance"


# ---- the offline answer to a slider's set message ------------------------------------------


def _set_widget(gradcheck_on=False):
    """A graph with inputs, a constant, op nodes and a log that a slider on b can drive into a domain error."""
    a, b, g = micrograd_readme_expression()
    c = Value(0.5, label="c")
    out = g + (b * c).log() + c * 3.0
    return out.widget(gradcheck=gradcheck_on)


def _python_set(widget, content):
    """GraphWidget._on_message's answer: the message it sends back, with its buffers unpacked."""
    sent = []
    widget.send = lambda message, buffers=None: sent.append((message, buffers))
    widget._on_message(widget, content, [])
    assert len(sent) == 1, "every set message gets exactly one answer"
    message, buffers = sent[0]
    return message, [unpack(bytes(b)) for b in buffers]


def _set_messages(nodes):
    """Set messages as JSON text, as a browser's arrive: good entries, and every kind of bad one."""
    b = next(i for i, n in enumerate(nodes) if n.label == "b")
    a = next(i for i, n in enumerate(nodes) if n.label == "a")
    constant = next(i for i, n in enumerate(nodes) if n.kind == "constant")
    op = next(i for i, n in enumerate(nodes) if n.inputs)
    n = len(nodes)
    big = "1" + "0" * 400  # an integer JSON number beyond a float: inf in JS, an int in Python
    messages = [
        {"type": "set", "seq": 1, "client": "view-1", "values": {str(b): 1.25}},
        {"type": "set", "seq": 2, "client": "view-1", "values": {str(b): 3, str(a): -2.0}},
        {"type": "set", "seq": 3, "client": "v", "values": {str(b): -1.0}},  # log of a negative: a domain error
        {"type": "set", "seq": 4, "values": {str(b): 0.0, str(a): 0.0}},  # no client: answered with null
        {"type": "set", "values": {str(op): 5.0, str(constant): 9.0}},  # not leaves: skipped
        {"type": "set", "seq": 5, "values": {str(n): 1.0, "-1": 1.0, str(10**30): 1.0}},  # out of range
        {"type": "set", "seq": 6, "values": {f"0{b}": 7.0, f" {b}": 7.0, f"+{b}": 7.0, f"{b}.0": 7.0}},
        {"type": "set", "seq": 7, "values": {"\u0661": 7.0, "": 7.0, "1e0": 7.0, "0x1": 7.0, "abc": 7.0}},
        {"type": "set", "seq": 8, "values": {str(b): "2.5", str(a): True}},  # not numbers: skipped
        {"type": "set", "seq": 9, "values": {str(b): None, str(a): [1.0]}},
        {"type": "set", "seq": 10, "values": {str(b): 1e400, str(a): -1e400}},  # JSON's inf: skipped
        {"type": "set", "seq": 11, "values": {str(b): "__BIG__", str(a): 0.75}},
        {"type": "set", "seq": 12, "values": [1.0, 2.0]},  # not an object: nothing set
        {"type": "set", "seq": 13, "values": "1"},
        {"type": "set", "seq": 14},
        {"type": "set", "seq": 15, "client": {"id": 3}, "values": {str(b): 2.0, str(a): 1e-300}},
    ]
    return [json.dumps(m).replace('"__BIG__"', big).replace("Infinity", "1e400") for m in messages]


@pytest.mark.parametrize("gradcheck_on", [False, True], ids=["plain", "gradcheck"])
def test_the_offline_page_answers_set_messages_as_the_kernel_does(gradcheck_on):
    # each message goes to a fresh widget in Python and to its saved page in JS: the same starting state
    saved = _html.widget_state(_set_widget(gradcheck_on))
    messages = _set_messages(_set_widget()._nodes)
    got = run_js({"set": [{"saved": saved, "content": text} for text in messages]})["set"]
    problems = []
    for k, (text, js) in enumerate(zip(messages, got, strict=True)):
        widget = _set_widget(gradcheck_on)
        message, buffers = _python_set(widget, json.loads(text))
        assert "reply" in js, f"message {k}: the offline model sent {js.get('replies')} answers, not 1"
        if js["reply"] != message:
            problems.append(f"message {k}: reply js {js['reply']} != python {message}")
        if len(js["buffers"]) != len(buffers):
            problems.append(f"message {k}: js sends {len(js['buffers'])} buffers, python {len(buffers)}")
            continue
        problems += [f"message {k}: {p}" for p in _compare("data", js["buffers"][0], buffers[0])]
        problems += [f"message {k}: {p}" for p in _compare("grad", js["buffers"][1], buffers[1])]
        if len(buffers) > 2:  # finite differences: compare loosely, as the gradcheck test above does
            for js_x, py_x in zip(map(_decode, js["buffers"][2]), buffers[2], strict=True):
                if not ((math.isnan(js_x) and math.isnan(py_x)) or abs(js_x - py_x) <= 1e-5 * max(1.0, abs(py_x))):
                    problems.append(f"message {k}: numeric js {js_x} != python {py_x}")
        if js["traits"]["errors"] != widget.errors or js["traits"]["data"] != js["buffers"][0]:
            problems.append(f"message {k}: the offline model's traits do not follow its answer")
    assert not problems, "\n".join(problems[:20])
    # the messages must reach a domain error and leave some values unmoved, or this proves little
    replies = [js["reply"] for js in got]
    assert any(r["errors"] for r in replies) and any(not r["errors"] for r in replies)
    assert len(got[0]["buffers"]) == (3 if gradcheck_on else 2)


def test_nodes_are_named_in_text_the_same_on_both_sides():
    # labelled, named from the notebook, nn's own label, unnamed leaves, a constant and ops
    x = [Value(1.0), Value(2.0, label="two")]
    w = Value(0.5, label="w0", _kind="parameter")
    w.scope = "layers.0.neurons.3"
    out = (x[0] * x[1] + w * 3.0).tanh()
    nodes = out.topo()
    widget = out.widget()
    cases = [structure(nodes), widget.structure, structure(nodes, [""] * len(nodes))]
    js = run_js({"names": [{**s, "const": unpack(s["const"])} for s in cases]})["names"]
    python = [[teaching.node_name(nodes, i, s["name"]) for i in range(len(nodes))] for s in cases]
    assert js == python
    # unnamed nodes read as their boxes do: no ids, which no box shows
    assert python[0] == ["input", "two", "*", "layers.0.neurons.3.w0", "const", "*", "+", "tanh"]
    assert python[1][0] == "x[0]" and python[1][-1] == "out"


# ---- packed numbers and the structure's columns ---------------------------------------------

PACK_CORNERS = [0.0, -0.0, 1.0, -1.0, 1 / 3, 24.7041, math.nan, -math.nan, math.inf, -math.inf]
PACK_CORNERS += [5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -1e-300]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _same_float(a: float, b: float) -> bool:
    """Equal as the page shows them: NaN with NaN, and 0.0 apart from -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def _bit_patterns(rng: random.Random, count: int) -> list:
    """Floats from random 64-bit patterns: subnormals, huge exponents, NaNs with payloads among them."""
    return [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(count)]


def test_packed_numbers_arrive_bit_for_bit_however_the_buffer_is_aligned_and_go_back_the_same():
    rng = random.Random(16)
    lists = [[], *([x] for x in PACK_CORNERS), PACK_CORNERS, _bit_patterns(rng, 300)]
    cases = []
    for numbers in lists:
        data = pack(numbers)
        for shift in range(8):  # anywidget's DataView may start anywhere in its message
            cases += [(numbers, data, shift, "dataview"), (numbers, data, shift, "uint8")]
        cases += [(numbers, data, 0, "buffer"), (numbers, data, 0, "base64")]
    got = run_js({"codecs": [{"b64": _b64(data), "shift": shift, "as": how} for _, data, shift, how in cases]})
    problems = []
    for (numbers, data, shift, how), js in zip(cases, got["codecs"], strict=True):
        where = f"{len(numbers)} numbers as {how} at byte {shift}"
        if js["bits"] != data.hex():
            problems.append(f"{where}: to_float64 gives {js['bits'][:48]}, the kernel sent {data.hex()[:48]}")
        back = unpack(bytes.fromhex(js["back"]))
        if len(back) != len(numbers) or not all(map(_same_float, back, numbers)):
            problems.append(f"{where}: to_bytes then unpack gives {back[:4]}, not {numbers[:4]}")
    assert not problems, "\n".join(problems[:20])
    # the numbers must hold what JSON cannot carry, or the bytes prove little
    assert any(math.isnan(x) for x in lists[-1]) or any(math.isnan(x) for x in PACK_CORNERS)
    assert "0000000000000080" in pack(PACK_CORNERS).hex() and len(cases) > 300


def _column_graphs():
    """Graphs whose columns say everything: random ops with domain errors, odd constants, names and scopes."""
    rng = random.Random(2026)
    graphs = []
    for _ in range(40):
        root, leaves = _random_graph(rng)
        for leaf in leaves:
            leaf.data = rng.choice(SPECIAL) if rng.random() < 0.3 else rng.uniform(-3.0, 3.0)
        root.replay()  # some ops fail: their errors travel too
        graphs.append((root.topo(), None))
    x = Value(2.0, label="<b>x</b> \u2212 \u00e9")
    odd = vsum([x**e for e in (-0.0, math.nan, math.inf, -1.5, 1e-300, 0.5)])
    graphs.append((odd.topo(), None))
    model = nn.MLP(2, [3, 1], seed=1)
    loss = model([Value(0.5), Value(-1.0)])
    graphs.append((loss.topo(), loss.widget().structure["name"]))
    readme = build(VERBATIM).topo()  # unlabelled: names as a notebook gives them (a path, a list item)
    graphs.append((readme, [f"model.v[{i}]" if i % 3 == 0 else "" for i in range(len(readme))]))
    return graphs


def test_the_structures_columns_and_errors_read_the_same_in_the_page():
    graphs = _column_graphs()
    cases = []
    for k, (topo, names) in enumerate(graphs):
        s = structure(topo, names)
        cases.append((s, errors(topo), {**s, "const": _b64(s["const"])}, k % 8))
    got = run_js({"columns": [{"structure": sent, "shift": shift, "errors": errs} for _, errs, sent, shift in cases]})
    problems = []
    for k, ((s, errs, _sent, _shift), js) in enumerate(zip(cases, got["columns"], strict=True)):
        for column in ("n", "code", "inputs", "offsets", "label", "name", "op", "kind", "scope"):
            if js[column] != s[column]:
                problems.append(f"graph {k}: {column} js {js[column]} != python {s[column]}")
        if js["const"] != s["const"].hex():
            problems.append(f"graph {k}: const js {js['const']} != python {s['const'].hex()}")
        expected_errors = [errs.get(str(i)) for i in range(s["n"])]
        if js["errors"] != expected_errors:
            problems.append(f"graph {k}: errors js {js['errors']} != python {expected_errors}")
    assert not problems, "\n".join(problems[:20])
    # errors, odd constants, names and scopes must all have been carried
    assert sum(bool(errs) for _, errs, _, _ in cases) >= 5
    assert any(math.isnan(x) for x in unpack(cases[-3][0]["const"]))
    assert any(scope for s, *_ in cases for scope in s["scope"]) and cases[-1][0]["name"][3] == "model.v[3]"


# ---- the step-through's and the exercise's node lists ----------------------------------------


def _step_graphs():
    rng = random.Random(19)
    graphs = [build(VERBATIM), micrograd_readme_expression()[2], Value(3.0, label="alone")]
    graphs.append(Value(3.0, _kind="constant"))  # a constant alone: the exercise asks nothing
    model = nn.MLP(2, [3, 1], seed=2)
    graphs.append(nn.hinge_loss([model([Value(0.5), Value(-1.0)]), model([Value(1.0), Value(2.0)])], [1, -1]))
    for _ in range(30):
        root, leaves = _random_graph(rng)
        for leaf in leaves:
            leaf.data = rng.choice(SPECIAL) if rng.random() < 0.2 else rng.uniform(-3.0, 3.0)
        root.replay()
        graphs.append(root)
    return graphs


def _step_problems(g: int, topo: list, shown: list, js: dict) -> list:
    """Where JS's steps of graph g differ from _teaching's: done nodes, their grads, what each step sends."""
    problems = []
    n = len(topo)
    for step in js["steps"]:
        k, where = step["k"], f"graph {g} step {step['k']}"
        grads = teaching.partial_grads(topo, k)
        done = [i for i, x in enumerate(grads) if x is not None]
        if step["done"] != done:
            problems.append(f"{where}: done js {step['done']} != python {done}")
            continue
        problems += [f"{where}: {p}" for p in _compare("grad", step["grad"], [grads[i] for i in done])]
        if not 1 <= k <= n:  # the widget holds step_index in [-1, n]; beyond it both sides clamp the lists
            continue
        described = teaching.describe_step(topo, k, shown)
        names = [send.input for send in described.sends]
        if step["current"] != described.node or [send["name"] for send in step["sends"]] != names:
            problems.append(f"{where}: js processes {step['current']} {step['sends']}, python {described}")
            continue
        for field in ("upstream", "local", "contribution"):
            python = [getattr(send, field) for send in described.sends]
            problems += [f"{where}: {p}" for p in _compare(field, [send[field] for send in step["sends"]], python)]
    if js["steps"][1]["current"] != -1:  # k = 0: reset, nothing processed yet
        problems.append(f"graph {g}: step 0 processed {js['steps'][1]['current']}")
    return problems


def test_step_through_and_exercise_node_lists_are_the_same_on_both_sides():
    graphs = _step_graphs()
    requests, topos, names = [], [], []
    for root in graphs:
        topo = root.topo()
        s = structure(topo, root.widget().structure["name"])
        topos.append(topo)
        names.append(s["name"])
        const = [_encode(x) for x in unpack(s["const"])]
        requests.append({"structure": {**s, "const": const}, "data": [_encode(n.data) for n in topo]})
    got = run_js({"steps": requests})["steps"]
    problems = []
    for g, (topo, shown, js) in enumerate(zip(topos, names, got, strict=True)):
        if js["exercise"] != teaching.exercise_nodes(topo):
            problems.append(f"graph {g}: exercise js {js['exercise']} != python {teaching.exercise_nodes(topo)}")
        assert [step["k"] for step in js["steps"]] == list(range(-1, len(topo) + 2))
        problems += _step_problems(g, topo, shown, js)
    assert not problems, "\n".join(problems[:20])
    # constants, parameters, one-node graphs and NaN grads must all have been stepped through
    kinds = {node.kind for topo in topos for node in topo}
    assert kinds == {"input", "parameter", "constant", "op"}
    assert any(len(topo) == 1 for topo in topos) and any(r["exercise"] == [] for r in got)
    assert any(math.isnan(n.grad) for topo in topos for n in topo)
