"""GraphWidget's model, without a browser: set, replay, buffers, the set/state protocol, errors, options."""

import math

import pytest
import traitlets
from expressions import micrograd_readme_expression as readme_expression
from helpers import Recorder, node_of, send_from_browser

from micrograd_widgets import Value
from micrograd_widgets.widgets import GraphWidget
from micrograd_widgets.wire import format_number, unpack


def test_widget_shows_the_replayed_numbers_of_every_node():
    a, b, g = readme_expression()
    w = g.widget()
    assert isinstance(w, GraphWidget)
    nodes = g.topo()
    assert unpack(w.data) == [n.data for n in nodes]
    assert unpack(w.grad) == [n.grad for n in nodes]
    assert format_number(g.data) == "24.7041"
    assert (format_number(a.grad), format_number(b.grad)) == ("138.8338", "645.5773")
    assert w.structure["n"] == len(nodes) and w.errors == {}


def test_set_by_label_updates_the_values_and_the_buffers():
    a, b, g = readme_expression()
    w = g.widget()
    w.set("a", 3.0)
    expected = readme_expression()
    expected[0].data = 3.0
    expected[2].replay()
    assert a.data == 3.0 and g.data == expected[2].data and a.grad == expected[0].grad
    assert unpack(w.data)[-1] == g.data
    assert unpack(w.grad)[node_of(w, a)] == a.grad


def test_set_accepts_the_value_itself():
    a, b, g = readme_expression()
    w = g.widget()
    w.set(b, -1.5)
    assert b.data == -1.5 and unpack(w.data)[node_of(w, b)] == -1.5


def test_set_with_a_duplicated_label_names_the_duplicates():
    x1, x2 = Value(1.0, label="x"), Value(2.0, label="x")
    w = (x1 * x2).widget()
    with pytest.raises(ValueError, match=r"2 leaves are named 'x'"):
        w.set("x", 3.0)
    w.set(x2, 3.0)  # the Value itself is unambiguous
    assert w.root.data == 3.0


def test_set_with_an_unknown_label_lists_the_known_ones():
    a, b, g = readme_expression()
    with pytest.raises(KeyError, match=r"'z'.*'a', 'b'"):
        g.widget().set("z", 1.0)


@pytest.mark.parametrize("bad", ["3", None, True, [1.0]])
def test_set_with_a_non_number_raises_type_error(bad):
    a, b, g = readme_expression()
    w = g.widget()
    with pytest.raises(TypeError, match="real number"):
        w.set("a", bad)
    assert a.data == -4.0


def test_set_refuses_computed_nodes_and_values_from_another_graph():
    a, b, g = readme_expression()
    w = g.widget()
    with pytest.raises(ValueError, match="not a leaf"):
        w.set(g, 1.0)
    with pytest.raises(ValueError, match="not part of this graph"):
        w.set(Value(1.0), 1.0)


def test_set_message_is_answered_with_its_seq_and_the_buffers():
    a, b, g = readme_expression()
    w = g.widget()
    rec = Recorder(w)
    send_from_browser(w, {"type": "set", "seq": 7, "client": "view-1", "values": {str(node_of(w, a)): 3.0}})
    [(content, buffers)] = rec.custom()
    assert content == {"type": "state", "seq": 7, "client": "view-1", "errors": {}}
    data, grad = (unpack(bytes(buf)) for buf in buffers)
    assert a.data == 3.0 and data[-1] == g.data and grad[node_of(w, a)] == a.grad


def test_set_message_with_an_unchanged_value_is_still_answered():
    # a traitlet set to an equal value syncs nothing; the custom answer must come anyway
    a, b, g = readme_expression()
    w = g.widget()
    rec = Recorder(w)
    send_from_browser(w, {"type": "set", "seq": 1, "client": "c", "values": {str(node_of(w, a)): -4.0}})
    assert [content["seq"] for content, _ in rec.custom()] == [1]
    assert rec.updates() == []


def test_set_message_with_bad_entries_skips_them_and_still_answers():
    a, b, g = readme_expression()
    w = g.widget()
    rec = Recorder(w)
    root_id = len(g.topo()) - 1
    values = {"999": 1.0, "x": 2.0, str(root_id): 5.0, str(node_of(w, b)): "nan", str(node_of(w, a)): 1.0}
    send_from_browser(w, {"type": "set", "seq": 3, "client": "c", "values": values})
    assert [content["seq"] for content, _ in rec.custom()] == [3]
    assert a.data == 1.0 and b.data == 2.0


def test_state_changes_travel_in_one_update_without_the_structure():
    a, b, g = readme_expression()
    w = g.widget()
    rec = Recorder(w)
    w.set("a", 1.0)
    [names] = rec.updates()
    assert names == {"data", "grad"}  # errors unchanged, structure never resent


def test_domain_error_shows_on_its_node_with_nan_downstream_and_recovers():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    p = a * b
    out = p.log() + 1.0
    w = out.widget()
    rec = Recorder(w)
    send_from_browser(w, {"type": "set", "seq": 1, "client": "c", "values": {str(node_of(w, a)): -2.0}})
    log_id = node_of(w, out.inputs[0])
    assert w.errors == {str(log_id): "log(-6): log of a number <= 0"}
    assert rec.custom()[-1][0]["errors"] == w.errors
    data = unpack(w.data)
    assert math.isnan(data[log_id]) and math.isnan(data[-1]) and math.isnan(out.data)
    w.set("a", 2.0)
    assert w.errors == {} and out.data == pytest.approx(math.log(6) + 1) and a.grad == pytest.approx(0.5)


def test_refresh_rereads_leaves_changed_in_a_cell():
    a, b, g = readme_expression()
    w = g.widget()
    a.data = 3.0
    w.refresh()
    assert unpack(w.data)[node_of(w, a)] == 3.0 and unpack(w.data)[-1] == g.data != 24.70408163265306


def test_reset_puts_every_slider_back_where_it_started():
    a, b, g = readme_expression()
    w = g.widget()
    w.set("a", 3.0).set("b", 1.0)
    w.reset()
    assert (a.data, b.data) == (-4.0, 2.0) and g.data == pytest.approx(24.70408163265306)


def test_default_sliders_are_named_inputs_first_then_unnamed_capped_at_max_sliders():
    leaves = [Value(float(i), label=f"x{i}") for i in range(15)]
    w_param = Value(0.5, label="w", _kind="parameter")
    total = w_param * Value(1.0)  # an unnamed input, used first
    for leaf in leaves:
        total = total + leaf * 2.0
    w = total.widget()
    labels = [spec["label"] for spec in w.sliders]
    assert labels == [f"x{i}" for i in range(12)]
    assert "4 more input leaves have no slider" in w.slider_note and "sliders=[...]" in w.slider_note
    assert [s["label"] for s in total.widget(max_sliders=3).sliders] == ["x0", "x1", "x2"]
    assert [s["label"] for s in total.widget(max_sliders=16).sliders][-1] == "input #1"
    assert total.widget(max_sliders=16).slider_note == ""
    named = total.widget(sliders=["w", leaves[14]]).sliders
    assert [s["label"] for s in named] == ["w", "x14"]


def test_ranges_choose_the_slider_range_and_default_is_centred_on_the_value():
    a, b, g = readme_expression()
    w = g.widget(ranges={"a": (-5, 5, 0.5)})
    spec_a, spec_b = w.sliders
    assert (spec_a["min"], spec_a["max"], spec_a["step"], spec_a["value"]) == (-5.0, 5.0, 0.5, -4.0)
    assert (spec_b["min"] + spec_b["max"]) / 2 == pytest.approx(2.0) and spec_b["min"] < 0 < spec_b["max"]


@pytest.mark.parametrize(
    "options, error",
    [
        ({"ranges": {"a": (5, -5)}}, ValueError),
        ({"ranges": {"a": (0, 1, 0)}}, ValueError),
        ({"ranges": {"a": "wide"}}, TypeError),
        ({"ranges": {"zz": (0, 1)}}, KeyError),
        ({"sliders": ["zz"]}, KeyError),
        ({"max_sliders": -1}, ValueError),
        ({"group_threshold": -1}, ValueError),
        ({"group_threshold": 2.5}, ValueError),
    ],
)
def test_bad_options_raise_at_the_call(options, error):
    a, b, g = readme_expression()
    with pytest.raises(error):
        g.widget(**options)


def test_gradcheck_toggle_sends_finite_differences_beside_leaf_grads():
    a, b, g = readme_expression()
    w = g.widget()
    assert w.numeric_grad == b""
    w.show_gradcheck = True
    numeric = unpack(w.numeric_grad)
    assert numeric[node_of(w, a)] == pytest.approx(a.grad, rel=1e-5)
    assert math.isnan(numeric[-1])  # not a leaf
    rec = Recorder(w)
    send_from_browser(w, {"type": "set", "seq": 2, "client": "c", "values": {str(node_of(w, a)): 1.0}})
    [(_, buffers)] = rec.custom()
    assert len(buffers) == 3 and unpack(bytes(buffers[2]))[node_of(w, a)] == pytest.approx(a.grad, rel=1e-5)


def test_widget_of_a_non_value_raises_type_error():
    with pytest.raises(TypeError):
        GraphWidget(3.0)


def test_a_lone_leaf_is_a_graph_of_one_node_with_its_slider():
    a = Value(3.0, label="a")
    w = a.widget()
    assert w.structure["n"] == 1 and [s["label"] for s in w.sliders] == ["a"]
    w.set("a", 5.0)
    assert unpack(w.data) == [5.0] and unpack(w.grad) == [1.0]


def test_without_local_replay_the_view_is_told_so_and_the_kernel_answers_every_move():
    a, b, g = readme_expression()
    assert g.widget().get_state()["local_replay"] is True
    w = g.widget(local_replay=False)
    assert w.get_state()["local_replay"] is False  # js/graph/index.js then waits for the kernel
    rec = Recorder(w)
    send_from_browser(w, {"type": "set", "seq": 1, "client": "c", "values": {str(node_of(w, a)): 3.0}})
    [(content, buffers)] = rec.custom()
    data, grad = (unpack(bytes(buf)) for buf in buffers)
    a3, b3, g3 = readme_expression(3.0)  # built afresh at a = 3
    g3.backward()
    assert content["seq"] == 1
    assert data[-1] == g3.data and (grad[node_of(w, a)], grad[node_of(w, b)]) == (a3.grad, b3.grad)


@pytest.mark.parametrize("option", ["local_replay", "gradcheck"])
def test_a_non_boolean_switch_is_refused_at_the_call(option):
    # bool("no") is True: a string must not silently switch the option on
    a, b = readme_expression()[:2]
    with pytest.raises(traitlets.TraitError, match="boolean"):
        (a * b).widget(**{option: "no"})


@pytest.mark.parametrize(
    "typo, hint",
    [
        ({"excercise": True}, "did you mean 'exercise'?"),  # a class would see every answer
        ({"slider": ["a"]}, "did you mean 'sliders'"),
        ({"range": {"a": (0, 1)}}, "did you mean 'ranges'?"),
        ({"presentor": True}, "did you mean 'presenter'?"),
        ({"hide_grad": True}, "did you mean 'hide_grads'"),
    ],
)
def test_a_mistyped_option_is_refused_at_the_call_naming_the_closest(typo, hint):
    # traitlets would take the unknown keyword and ignore it: the widget opened without the option
    a, b, g = readme_expression()
    [name] = typo
    with pytest.raises(TypeError, match=rf"^Value\.widget\(\) got an unexpected keyword argument '{name}'") as caught:
        g.widget(**typo)
    assert hint in str(caught.value)
    with pytest.raises(TypeError, match=rf"^GraphWidget\(\) got an unexpected keyword argument '{name}'"):
        GraphWidget(g, **typo)


def test_every_documented_option_and_ipywidgets_layout_are_accepted():
    a, b, g = readme_expression()
    w = g.widget(
        sliders=["a"], ranges={"a": (-5, 5)}, max_sliders=3, names=True, group_threshold=50, gradcheck=True,
        local_replay=True, exercise=True, presenter=True, hide_values=True, hide_grads=True, layout={"width": "500px"},
    )  # fmt: skip
    assert (w.exercise, w.presenter, w.hide_values, w.hide_grads) == (True, True, True, True)
    assert w.layout.width == "500px" and w.group_threshold == 50 and [s["label"] for s in w.sliders] == ["a"]
