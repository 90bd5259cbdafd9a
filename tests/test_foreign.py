"""micrograd's own Values in GraphWidget: the graph copied into this engine, checked against micrograd itself.

The oracle is micrograd 0.1.0 (a pinned test dependency): its forward numbers,
and its own backward on the same graph (the copy never writes the user's
objects, so their grads are still micrograd's zeros when it runs).
"""

import importlib.metadata
import math

import pytest
from student_graphs import VERBATIM  # micrograd's README example as a user pastes it

from micrograd_widgets.foreign import ForeignGraph
from micrograd_widgets.widgets import GraphWidget
from micrograd_widgets.wire import unpack

# the same cell, written with micrograd's own Value
MICROGRAD_README = VERBATIM.replace("from micrograd_widgets import Value", "from micrograd.engine import Value")
assert MICROGRAD_README != VERBATIM

# karpathy's lecture ("the spelled-out intro to neural networks and backpropagation"): its Value has
# labels, tanh and exp; '-' and '/' are built from '+', '*' and '**' as in micrograd
LECTURE_VALUE = """\
import math

class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        out = Value(self.data**other, (self,), f'**{other}')
        def _backward():
            self.grad += other * (self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other):
        return self * other

    def __radd__(self, other):
        return self + other

    def __truediv__(self, other):
        return self * other**-1

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def tanh(self):
        x = self.data
        t = (math.exp(2*x) - 1)/(math.exp(2*x) + 1)
        out = Value(t, (self, ), 'tanh')
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        x = self.data
        out = Value(math.exp(x), (self, ), 'exp')
        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
"""

# the lecture's neuron, tanh written out with exp: every op of the lecture's Value
LECTURE_NEURON = """\
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
b = Value(6.8813735870195432, label='b')
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
n = x1w1 + x2w2 + b; n.label = 'n'
e = (2*n).exp()
o = (e - 1) / (e + 1); o.label = 'o'
t = n.tanh()
"""

MLP_CELL = """\
import random
random.seed(1337)
from micrograd.nn import MLP
model = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
ypred = [model(x) for x in xs]
loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
"""


def run_cell(code, namespace=None):
    """Run ``code`` as a notebook cell runs: module-level code whose globals are the user's namespace."""
    namespace = {"__name__": "__main__"} if namespace is None else namespace
    exec(compile(code, "<cell>", "exec"), namespace)
    return namespace


def by_name(widget):
    """{shown name: node id} of the widget's named nodes."""
    return {name: i for i, name in enumerate(widget.structure["name"]) if name}


def originals_and_copies(root):
    """Every node of ``root``'s graph beside its copy, and the copy's grads after the engine's backward."""
    foreign = ForeignGraph(root)
    foreign.root.backward()
    return list(zip(foreign.originals, foreign.nodes, strict=True))


def snapshot(root):
    """What the user can see on every node of a micrograd graph: data, grad, label, op and the inputs' identities."""
    seen, stack, out = set(), [root], []
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        out.append((v, v.data, v.grad, getattr(v, "label", None), v._op, frozenset(map(id, v._prev))))
        stack.extend(v._prev)
    return out


def test_micrograd_is_the_pinned_version_the_readme_numbers_come_from():
    assert importlib.metadata.version("micrograd") == "0.1.0"


def test_readme_example_opens_with_micrograds_numbers_names_and_two_sliders():
    ns = run_cell(MICROGRAD_README + "from micrograd_widgets.widgets import GraphWidget\nw = GraphWidget(g)\n")
    w, g = ns["w"], ns["g"]
    names = by_name(w)
    assert sorted(names) == list("abcdefg"), "the notebook's variables name the copies"
    data, grad = unpack(w.data), unpack(w.grad)
    assert f"{data[names['g']]:.4f}" == "24.7041"
    assert f"{grad[names['a']]:.4f}" == "138.8338"
    assert f"{grad[names['b']]:.4f}" == "645.5773"
    assert [s["label"] for s in w.sliders] == ["a", "b"] and w.slider_note == ""
    kinds = w.structure["kind"]
    leaves = [i for i, op in enumerate(w.structure["op"]) if op == ""]
    constants = sorted(data[i] for i in leaves if kinds[i] == "constant")
    # a + 1, 1 + c, -a and b - a and c - d (* -1), d * 2, 3 * d, / 2.0 (* 0.5), 10.0 / f (* 10.0)
    assert constants == [-1.0, -1.0, -1.0, 0.5, 1.0, 1.0, 2.0, 3.0, 10.0]
    assert {kinds[i] for i in leaves} - {"constant"} == {"input"} and len(leaves) == 11

    fresh = run_cell(MICROGRAD_README)  # micrograd's own backward, on a graph the widget never saw
    fresh["g"].backward()
    assert data[names["g"]] == fresh["g"].data == g.data
    assert grad[names["a"]] == pytest.approx(fresh["a"].grad, rel=1e-12)
    assert grad[names["b"]] == pytest.approx(fresh["b"].grad, rel=1e-12)


def test_every_node_of_the_copy_holds_micrograds_data_and_after_backward_its_grad():
    ns = run_cell(MICROGRAD_README)
    pairs = originals_and_copies(ns["g"])
    assert len(pairs) == 39 and all(original.grad == 0 for original, _ in pairs), "the copy wrote no grad"
    assert [copy.data for _, copy in pairs] == [original.data for original, _ in pairs]
    ns["g"].backward()
    for original, copy in pairs:
        assert copy.grad == pytest.approx(original.grad, rel=1e-12, abs=1e-12), (original, copy)


@pytest.mark.parametrize(
    ("cell", "op", "distinct"),
    [
        ("out = a + a", "+", 1),
        ("out = a * a", "*", 1),
        ("h = a + 1\nout = h * h", "*", 1),
        ("out = (a + 1) * (a + 1)", "*", 2),
        ("out = a * 3 + a", "+", 2),
    ],
)
def test_a_value_used_twice_by_one_op_counts_twice_though_prev_holds_it_once(cell, op, distinct):
    ns = run_cell(f"from micrograd.engine import Value\na = Value(3.0)\n{cell}\n")
    out = ns["out"]
    assert len(out._prev) == distinct
    w = run_cell("w = GraphWidget(out)", {**ns, "GraphWidget": GraphWidget})["w"]
    assert w.structure["op"][-1] == op
    out.backward()
    names = by_name(w)
    assert unpack(w.data)[names["out"]] == out.data
    # the bug this names: a one-element set read as one input gives a + a the grad 1, a * a the grad 3
    assert unpack(w.grad)[names["a"]] == pytest.approx(ns["a"].grad, rel=1e-12)


def test_lecture_value_with_labels_tanh_and_exp_matches_the_lectures_own_backward():
    ns = run_cell(
        LECTURE_VALUE + LECTURE_NEURON + "from micrograd_widgets.widgets import GraphWidget\nw = GraphWidget(o)\n"
    )
    w = ns["w"]
    names = by_name(w)
    assert {"x1", "x2", "w1", "w2", "b", "x1*w1", "x2*w2", "n", "o"} <= set(names), "labels are used"
    assert sorted(s["label"] for s in w.sliders) == ["b", "w1", "w2", "x1", "x2"]
    assert {op for op in w.structure["op"]} == {"", "+", "*", "exp", "**-1"}
    pairs = originals_and_copies(ns["o"])
    for original, copy in pairs:  # the lecture computes exp and tanh its own way: equal to rounding
        assert copy.data == pytest.approx(original.data, rel=1e-12, abs=1e-15)
    ns["o"].backward()
    for original, copy in pairs:
        assert copy.grad == pytest.approx(original.grad, rel=1e-12, abs=1e-12), original.label
    assert f"{unpack(w.grad)[names['x1']]:.4f}" == "-1.5000" and f"{unpack(w.grad)[names['w1']]:.4f}" == "1.0000"

    fresh = run_cell(LECTURE_VALUE + LECTURE_NEURON)  # the lecture's tanh op; its grads accumulate: a new graph
    pairs = originals_and_copies(fresh["t"])
    assert pairs[-1][1].op == "tanh"
    fresh["t"].backward()
    for original, copy in pairs:
        assert copy.grad == pytest.approx(original.grad, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("op", "children", "said"),
    [
        ("-", 2, ["'-'", "set", "'+'", "'tanh'"]),
        ("/", 2, ["'/'", "set"]),
        ("sigmoid", 1, ["'sigmoid'", "'ReLU'", "'exp'", "'**k'"]),
        ("**x", 1, ["'**x'", "exponent is not a number"]),
        ("+", 3, ["'+'", "3 inputs"]),
        ("ReLU", 2, ["'ReLU'", "2 inputs", "expected 1"]),
    ],
)
def test_an_op_the_engine_does_not_know_is_refused_with_its_name(op, children, said):
    ns = run_cell(LECTURE_VALUE)
    value = ns["Value"]
    inputs = [value(float(k + 1)) for k in range(children)]
    node = value(1.0, tuple(inputs), op)
    with pytest.raises(ValueError) as error:
        GraphWidget(node)
    for text in said:
        assert text in str(error.value)


def test_a_non_value_is_refused_naming_what_a_graph_is():
    with pytest.raises(TypeError, match="micrograd's data, grad, _prev and _op.*got float"):
        GraphWidget(3.0)


def test_a_cycle_in_prev_is_refused_instead_of_looping():
    ns = run_cell("from micrograd.engine import Value\na = Value(1.0)\nb = a + 1\n")
    ns["a"]._prev = {ns["b"]}
    ns["a"]._op = "+"
    with pytest.raises(ValueError, match="cycle"):
        GraphWidget(ns["b"])


def test_sliders_and_replay_work_on_the_copy_and_leave_the_users_objects_as_they_were():
    ns = run_cell(MICROGRAD_README)
    before = snapshot(ns["g"])
    w = run_cell("w = GraphWidget(g)", {**ns, "GraphWidget": GraphWidget})["w"]
    w.set("a", 1.5)
    moved = run_cell(MICROGRAD_README.replace("Value(-4.0)", "Value(1.5)"))
    moved["g"].backward()
    names = by_name(w)
    assert unpack(w.data)[names["g"]] == moved["g"].data
    assert unpack(w.grad)[names["b"]] == pytest.approx(moved["b"].grad, rel=1e-12)
    w.reset()
    assert unpack(w.data)[names["g"]] == ns["g"].data
    after = snapshot(ns["g"])
    # the bug this names: a widget that replays the user's own objects (their data moves, their grads fill)
    assert [entry[1:] for entry in after] == [entry[1:] for entry in before]
    assert all(x[0] is y[0] for x, y in zip(after, before, strict=True))
    assert ns["a"].data == -4.0 and ns["a"].grad == 0 and not hasattr(ns["a"], "label")


def test_options_take_micrograds_values_and_an_unnamed_leaf_asked_for_gets_a_slider():
    ns = run_cell("from micrograd.engine import Value\na = Value(2.0)\nb = Value(3.0)\nout = (a + 1) * b\n")
    a, b, out = ns["a"], ns["b"], ns["out"]
    one = next(v for v in next(v for v in out._prev if v._op == "+")._prev if v is not a)
    w = GraphWidget(out, names={a: "alpha"}, sliders=[b, one], ranges={b: (0, 10, 0.5)})
    assert [(s["label"], s["min"], s["max"], s["step"]) for s in w.sliders][0] == ("b", 0.0, 10.0, 0.5)
    assert len(w.sliders) == 2 and w.sliders[1]["value"] == 1.0, "the unnamed 1 asked for by Value gets a slider"
    assert "alpha" in w.structure["name"]
    stranger = run_cell("from micrograd.engine import Value\nz = Value(0.0)\n")["z"]
    with pytest.raises(ValueError, match="sliders: .* is not part of this graph"):
        GraphWidget(out, sliders=[stranger])
    with pytest.raises(ValueError, match="names: .* is not part of this graph"):
        GraphWidget(out, names={stranger: "z"})


def test_micrograd_mlp_loss_converts_and_its_grads_match_micrograds_backward():
    ns = run_cell(MLP_CELL + "from micrograd_widgets.widgets import GraphWidget\nw = GraphWidget(loss)\n")
    w, loss, model = ns["w"], ns["loss"], ns["model"]
    pairs = originals_and_copies(loss)
    assert len(pairs) > 300
    assert [copy.data for _, copy in pairs] == [original.data for original, _ in pairs]
    assert all(p.grad == 0 for p in model.parameters()), "converting wrote no grad"
    loss.backward()
    for original, copy in pairs:
        assert copy.grad == pytest.approx(original.grad, rel=1e-12, abs=1e-12)

    # the widget, end to end: every parameter named by its path in the notebook, with micrograd's grad
    names = by_name(w)
    grad = unpack(w.grad)
    parameters = [name for name in names if name.startswith("model.")]
    assert len(parameters) == len(model.parameters()) == 41
    for name in parameters:
        assert grad[names[name]] == pytest.approx(eval(name, ns).grad, rel=1e-12, abs=1e-12), name
    assert len(w.sliders) == 12 and "29 more input leaves" in w.slider_note
    leaves = [i for i, op in enumerate(w.structure["op"]) if op == ""]
    constants = [i for i in leaves if w.structure["kind"][i] == "constant"]
    # the points' coordinates, the targets' negations, sum's 0: unnamed, so constants
    assert len(constants) == len(leaves) - 41 and all(not w.structure["name"][i] for i in constants)


def test_a_deep_micrograd_chain_converts_without_recursing():
    ns = run_cell(
        "from micrograd.engine import Value\nx = Value(0.5)\ny = x\nfor _ in range(5000):\n    y = y * 1.0001 + 0.001\n"
    )
    foreign = ForeignGraph(ns["y"])
    assert len(foreign.nodes) == 1 + 5000 * 4
    assert foreign.root.data == ns["y"].data
    foreign.root.backward()
    assert foreign.copy_of(ns["x"], "x").grad == pytest.approx(1.0001**5000, rel=1e-9)


def test_value_like_objects_with_tuple_prev_and_int_data_convert_too():
    class Node:  # any object with data, grad, _prev, _op
        def __init__(self, data, prev=(), op=""):
            self.data, self.grad, self._prev, self._op = data, 0, tuple(prev), op

    x = Node(3)
    out = Node(math.exp(9), [Node(9, [x], "**2")], "exp")
    foreign = ForeignGraph(out)
    assert [n.op for n in foreign.nodes] == ["", "**2", "exp"]
    assert foreign.root.data == out.data
