"""Names from the notebook: inference from the caller's namespace, the rules between names, the APIs that take one."""

import gc
import json
import math
import random
import re
import types
import weakref

import numpy as np
import pytest
from helpers import Recorder
from student_graphs import VERBATIM  # micrograd's README example as a user pastes it: no labels

from micrograd_widgets import MLP, SGD, Value
from micrograd_widgets import names as names_module
from micrograd_widgets.names import NodeNames, infer
from micrograd_widgets.widgets._graph_state import default_range
from micrograd_widgets.widgets._html import widget_state


def run_cell(code, namespace):
    """Run ``code`` the way a notebook cell runs: module-level code whose globals are the user's namespace."""
    exec(compile(code, "<cell>", "exec"), namespace)
    return namespace


def run_cells(cells, namespace):
    """Run ``cells`` one after another as IPython does: each is in ``In`` before it runs."""
    namespace.setdefault("In", [""])
    for cell in cells:
        namespace["In"].append(cell)
        run_cell(cell, namespace)
    return namespace


def shown(widget, value):
    return widget.structure["name"][widget.root.topo().index(value)]


class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b).relu()


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out


class HandMLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


# ---- inference -------------------------------------------------------------------


def test_verbatim_readme_example_in_a_cell_names_its_variables_and_gets_two_sliders():
    ns = run_cell(VERBATIM + "w = g.widget()\n", {"__name__": "__main__"})
    w, a = ns["w"], ns["a"]
    for name in "abdefg":
        assert shown(w, ns[name]) == name
    assert w.structure["name"][-1] == "g"
    assert [s["label"] for s in w.sliders] == ["a", "b"]
    assert a.label == "" and ns["g"].label == "", "inference never writes .label"
    assert w.slider_note == ""


def test_graphwidget_called_directly_and_display_of_widget_name_the_same_way():
    ns = run_cell(
        VERBATIM + "from micrograd_widgets.widgets import GraphWidget\nw1 = GraphWidget(g)\nw2 = g.widget()\n", {}
    )
    assert ns["w1"].structure["name"] == ns["w2"].structure["name"]
    assert ns["w1"].structure["name"][-1] == "g"


def test_items_of_lists_tuples_and_dicts_are_named():
    x = [Value(1.0), Value(2.0)]
    pair = (Value(3.0),)
    params = {"w": Value(4.0), 7: Value(5.0)}
    out = x[0] * x[1] + pair[0] * params["w"] + params[7]
    w = out.widget()
    assert [shown(w, v) for v in (x[0], x[1], pair[0], params["w"], params[7], out)] == [
        "x[0]",
        "x[1]",
        "pair[0]",
        "params['w']",
        "params[7]",
        "out",
    ]


def test_a_hand_written_mlp_names_its_weights_by_attribute_path_six_steps_deep():
    random.seed(0)
    model = HandMLP(2, [4, 4, 1])
    out = model([1.0, -2.0])
    w = out.widget()
    assert shown(w, model.layers[0].neurons[3].w[1]) == "model.layers[0].neurons[3].w[1]"
    assert shown(w, model.layers[2].neurons[0].b) == "model.layers[2].neurons[0].b"
    n = model.layers[1].neurons[2]
    w2 = out.widget()
    assert shown(w2, n.b) == "n.b", "the shortest name wins"


def test_package_mlp_names_parameters_by_module_path_with_or_without_the_model():
    model = MLP(2, [4, 1], seed=1)
    out = model([1.0, 2.0])
    w = out.widget()
    assert shown(w, model.layers[0].neurons[3].w[1]) == "model.layers[0].neurons[3].w[1]"
    assert model.layers[0].neurons[3].w[1].label == "w1"
    anonymous = MLP(2, [4, 1], seed=1)([1.0, 2.0])
    del model, out
    w = anonymous.widget(names=False)
    names = set(w.structure["name"])
    assert "layers.0.neurons.3.w1" in names and "layers.1.neurons.0.b" in names
    assert "w0" not in names, "nn's own labels never show alone"


def test_user_label_wins_and_the_inferred_name_still_works_everywhere():
    x = Value(1.0, label="input x")
    y = Value(2.0)
    out = x * y
    w = out.widget()
    assert shown(w, x) == "input x" and shown(w, y) == "y"
    w.set("x", 3.0)  # the inferred name of a labelled leaf
    assert x.data == 3.0 and x.label == "input x"
    assert w.find("x") == w.find("input x")


def test_ipython_history_names_never_count():
    g = Value(1.0) * 2.0
    namespace = {"_": g, "__": g, "___": g, "_3": g, "_i3": g, "_oh": {3: g}, "Out": {3: g}, "In": [g]}
    namespace |= {"_ih": [g], "exit": g, "quit": g, "get_ipython": g, "result": g}
    assert infer(g.topo(), namespace)[-1] == "result"
    del namespace["result"]
    assert infer(g.topo(), namespace)[-1] == ""


def test_the_packages_own_objects_never_name_a_node():
    # the lecture notebook's second widget: the first widget's .root is shorter than the output's own name
    first = "from micrograd_widgets import Value\ntotal_loss = Value(2.0) * 3.0\nw = total_loss.widget()\n"
    ns = run_cells([first, "w2 = total_loss.widget()\n"], {})
    assert ns["w2"].structure["name"][-1] == "total_loss", "named through the first widget's root"
    # an optimizer keeps the user's list: opt.params[0] is shorter than the list's own name
    weights_of_layer_one = [Value(0.5), Value(-1.0)]
    opt = SGD(weights_of_layer_one, lr=0.1)
    out = weights_of_layer_one[0] * weights_of_layer_one[1]
    w = out.widget()
    assert shown(w, weights_of_layer_one[0]) == "weights_of_layer_one[0]"
    del opt
    # the package's Modules still name their parameters: they are the user's model
    model = MLP(2, [1], seed=0)
    assert shown(model([1.0, 2.0]).widget(), model.layers[0].neurons[0].b) == "model.layers[0].neurons[0].b"


def test_a_for_loop_variable_loses_to_a_path_through_a_container():
    ns = run_cells(
        [
            "from micrograd_widgets import Value\nws = [Value(1.0), Value(2.0), Value(3.0)]\n",
            "total = 0\nfor wi in ws:\n    total = total + wi * wi\n",
            "w = total.widget()\n",
        ],
        {},
    )
    ws, w = ns["ws"], ns["w"]
    assert ns["wi"] is ws[2]
    assert [shown(w, x) for x in ws] == ["ws[0]", "ws[1]", "ws[2]"], "the loop's leftover wi names ws[2]"
    assert [s["label"] for s in w.sliders] == ["ws[0]", "ws[1]", "ws[2]"]
    assert w.find("wi") == w.find("ws[2]"), "the loop variable still reaches its node"


def test_a_loop_variable_names_a_node_nothing_else_reaches_and_only_cell_level_loops_count():
    ns = run_cells(
        [
            "from micrograd_widgets import Value\nfor v in [Value(1.0)]:\n    pass\n",
            "def f(xs):\n    for a in xs:\n        pass\n\nclass C:\n    for k in []:\n        pass\n",
            "a = Value(2.0)\nkeep = [a]\nw = (v * a).widget()\n",
        ],
        {},
    )
    assert ns["w"].structure["name"][:2] == ["v", "a"], "a: a loop inside a def binds a local, not the notebook's a"
    assert names_module.loop_variables(ns) == {"v"}
    cells = ["for (i, (j, k)) in []: pass", "for x in", "%time 1"]  # a nested target; cells ast cannot read
    assert names_module.loop_variables({"In": cells}) == {"i", "j", "k"}
    assert names_module.loop_variables({"In": "not a list"}) == frozenset()


def test_a_missing_label_is_no_label():
    a, b = Value(1.0, label=None), Value(2.0, label=None)
    assert a.label == "" and "label" not in repr(a)
    w = (a * b).widget()
    assert [s["label"] for s in w.sliders] == ["a", "b"], "sliders read 'None', 'None (2)'"
    assert Value(1.0, label=0).label == "0", "only None is no label"


def test_many_nodes_sharing_a_label_each_answer_to_it_once_in_order():
    xs = [Value(float(i), label="x") for i in range(2_000)]
    nodes = sum(xs[1:], xs[0]).topo()
    table = NodeNames(nodes, [""] * len(nodes), aliases={"xs[0]": nodes.index(xs[0])})
    expected = [nodes.index(x) for x in xs]
    assert table.ids("x") == sorted(expected)
    assert table.ids("xs[0]") == [nodes.index(xs[0])]
    assert table.under("xs") == [nodes.index(xs[0])]


def test_modules_classes_functions_and_arrays_are_not_walked():
    v = Value(1.0)
    out = v * 2.0
    module = types.ModuleType("user_module")
    module.v = v

    class Holder:
        pass

    Holder.v = v

    def f():
        return v

    f.v = v
    array = np.array([v], dtype=object)
    found = infer(out.topo(), {"module": module, "Holder": Holder, "f": f, "array": array})
    assert found[0] == ""


def test_walk_stops_at_the_depth_bound_and_the_visit_budget(monkeypatch):
    v = Value(1.0)
    out = v + 1.0
    deep = v
    for _ in range(names_module.MAX_DEPTH + 1):
        deep = [deep]
    assert infer(out.topo(), {"deep": deep})[0] == ""
    assert infer(out.topo(), {"ok": [[[v]]]})[0] == "ok[0][0][0]"
    monkeypatch.setattr(names_module, "MAX_VISITS", 50)
    filler = [[0.0] * 10 for _ in range(20)]
    assert infer(out.topo(), {"aa": filler, "zzzzzzzzzz": [v]})[0] == "", "the budget ran out first"


def test_no_reference_to_the_callers_frame_or_objects_survives():
    class Big:
        pass

    def cell():
        big = Big()
        big.value = Value(1.0)
        w = (big.value * 2.0).widget()
        return w, weakref.ref(big)

    w, ref = cell()
    gc.collect()
    assert ref() is None, "the widget kept the caller's frame (or its namespace) alive"
    assert w.structure["name"][0] == "big.value"


def test_names_false_and_explicit_names():
    a, b = Value(1.0), Value(2.0)
    out = a * b
    w = out.widget(names=False)
    assert w.structure["name"] == ["", "", ""]
    assert [s["label"] for s in w.sliders] == ["input #0", "input #1"]
    w = out.widget(names={a: "alpha"})
    assert w.structure["name"] == ["alpha", "b", "out"]
    w.set("alpha", 5.0)
    assert a.data == 5.0 and a.label == ""
    with pytest.raises(TypeError):
        out.widget(names={"a": "alpha"})
    with pytest.raises(ValueError, match="not part of this graph"):
        out.widget(names={Value(9.0): "stranger"})
    with pytest.raises(TypeError):
        out.widget(names="yes")


def test_refresh_keeps_the_names_and_save_html_carries_them():
    a = Value(1.0)
    out = a.tanh()
    w = out.widget()
    before = list(w.structure["name"])
    a.data = 0.5
    w.refresh()
    assert w.structure["name"] == before == ["a", "out"]
    assert widget_state(w)["state"]["structure"]["name"] == ["a", "out"]


# ---- every API that takes a name -------------------------------------------------------


def test_sliders_ranges_set_and_check_accept_inferred_names():
    x = [Value(1.0), Value(2.0)]
    out = x[0] * x[1]
    w = out.widget(sliders=["x[1]"], ranges={"x[1]": (-1, 1)})
    assert [(s["label"], s["min"], s["max"]) for s in w.sliders] == [("x[1]", -1.0, 1.0)]
    w.set("x[0]", 4.0)
    assert out.data == 8.0
    w.exercise = True
    assert w.check("x[0]", x[0].grad) is True


def test_unknown_name_raises_key_error_listing_the_closest():
    alpha, beta = Value(1.0), Value(2.0)
    out = alpha * beta
    w = out.widget()
    with pytest.raises(KeyError, match="alpha"):
        w.set("alpah", 1.0)
    with pytest.raises(KeyError, match="beta"):
        w.find("betta")


def test_find_by_name_prefix_op_and_value_sends_the_ids_to_the_views():
    random.seed(0)
    model = HandMLP(2, [4, 1])
    out = model([1.0, -2.0])
    w = out.widget()
    nodes = out.topo()
    neuron = model.layers[0].neurons[3]
    rec = Recorder(w)
    ids = w.find("model.layers[0].neurons[3]")
    assert sorted(ids) == sorted(nodes.index(p) for p in [*neuron.w, neuron.b])
    assert rec.custom() == [({"type": "find", "ids": ids}, [])]
    assert w.find("model.layers[0].neurons[3].w[1]") == [nodes.index(neuron.w[1])]
    relus = w.find("relu")
    assert relus and all(nodes[i].op == "relu" for i in relus) and len(relus) == 5
    assert w.find(neuron.b) == [nodes.index(neuron.b)]
    with pytest.raises(KeyError, match=r"model\.layers\[0\]"):
        w.find("model.layers[0].neurons[9]")


# ---- sliders ------------------------------------------------------------------


def test_duplicate_names_are_told_apart_with_a_note():
    x1, x2 = Value(1.0, label="x"), Value(2.0, label="x")
    w = (x1 * x2).widget()
    assert [s["label"] for s in w.sliders] == ["x", "x (2)"]
    assert "2 sliders share the name 'x'" in w.slider_note and "x (2)" in w.slider_note


def test_more_leaves_than_sliders_say_how_many_are_hidden():
    xs = [Value(float(i)) for i in range(20)]
    out = sum(xs, Value(0.0))
    w = out.widget(max_sliders=5)
    assert len(w.sliders) == 5
    assert w.slider_note.startswith("16 more input leaves have no slider") and "sliders=[...]" in w.slider_note


def test_parameters_get_no_default_slider_and_the_note_says_how_to_name_them():
    model = MLP(2, [2, 1], seed=0)
    loss = model([1.0, 2.0]) ** 2
    w = loss.widget()
    assert w.sliders == []
    assert re.search(r"sliders=\['model\.layers\[\d\]\.neurons\[\d\]\.(w\[\d\]|b)'", w.slider_note), w.slider_note
    named = loss.widget(sliders=["model.layers[0].neurons[0].w[0]"]).sliders
    assert [s["label"] for s in named] == ["model.layers[0].neurons[0].w[0]"]


def test_named_leaves_come_first_then_the_rest_in_order_of_first_use():
    first, second = Value(1.0), Value(2.0)
    out = Value(3.0) * first + Value(4.0) * second
    w = out.widget(names={first: "first", second: "second"})
    # first-use order of the unnamed: out's inputs are built left to right
    labels = [s["label"] for s in w.sliders]
    assert labels[:2] == ["first", "second"] and all(x.startswith("input #") for x in labels[2:]) and len(labels) == 4


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinite_leaves_travel_as_json_and_reset_restores_them(value):
    a = Value(value)
    out = a * 2.0
    w = out.widget()
    json.dumps(w.get_state()["sliders"], allow_nan=False)  # raises on a bare NaN
    [spec] = w.sliders
    assert float(spec["value"]) == value or math.isnan(value)
    w.set("a", 1.0)
    w.reset()
    assert (math.isnan(a.data) and math.isnan(value)) or a.data == value


def test_slider_range_and_step_scale_with_the_value():
    low, high, step = default_range(1e-9)
    assert step == pytest.approx(1e-11) and low < 0 < 1e-9 < high < 1e-8
    low, high, step = default_range(1.03e12)
    assert low < 0 < 1.03e12 < high and high < 5e12 and step == pytest.approx(1e10)
    assert default_range(0.0) == (-2.0, 2.0, 0.01)
    assert default_range(-4.0) == (-12.0, 4.0, 0.01)


def test_nodenames_prefix_matches_whole_parts_only():
    a, ab = Value(1.0), Value(2.0)
    nodes = (a * ab).topo()
    table = NodeNames(nodes, ["m.a", "m.ab", ""])
    assert table.under("m") == [0, 1]
    assert table.under("m.a") == []
    assert table.ids("m.a") == [0]


def test_step_through_text_names_nodes_as_the_views_do():
    ns = run_cell(VERBATIM + "w = g.widget()\n", {})
    w = ns["w"]
    steps = []
    while (step := w.backward_step()) is not None:
        steps.append(step)
    names = [step.name for step in steps]
    assert names[0] == "g" and {"f", "e", "d", "c", "a", "b"} <= set(names)
    assert any(send.input == "f" for step in steps for send in step.sends)
    unnamed = (Value(1.0) * 2.0).widget(names=False)
    # an unnamed node is called what its box shows: its op, or a leaf's kind (no id: no box shows one)
    assert [send.input for send in unnamed.backward_step().sends] == ["input", "const"]


def test_a_longer_name_reaches_the_node_too_where_a_shorter_one_is_shown():
    random.seed(0)
    model = HandMLP(2, [4, 1])
    params = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    out = model([1.0, -2.0])
    w = out.widget()
    weight = model.layers[0].neurons[1].w[1]
    assert shown(w, weight) == f"params[{params.index(weight)}]"
    w.set("model.layers[0].neurons[1].w[1]", 0.25)
    assert weight.data == 0.25
    assert w.find("model.layers[0].neurons[1].w[1]") == [out.topo().index(weight)]
