"""The graph widget's teaching modes from Python: step-through backward, exercise checking, the mode flags."""

import math

import pytest
import traitlets
from expressions import micrograd_readme_expression as readme_expression
from helpers import Recorder

from micrograd_widgets import MLP, Value, vsum
from micrograd_widgets.widgets import _teaching as teaching
from micrograd_widgets.wire import unpack


def labelled_readme():
    a, b, g = readme_expression()
    g.label = "g"
    return a, b, g


def test_backward_step_walks_the_nodes_in_reverse_topological_order():
    a, b, g = labelled_readme()
    w = g.widget()
    nodes = g.topo()
    steps = []
    while (step := w.backward_step()) is not None:
        steps.append(step)
    assert [s.node for s in steps] == list(range(len(nodes) - 1, -1, -1))
    assert steps[0].name == "g" and steps[0].grad == 1.0
    assert [s.number for s in steps] == list(range(1, len(nodes) + 1))
    assert w.step_index == len(nodes)


def test_each_step_shows_the_engines_grads_for_the_nodes_done_and_none_for_the_rest():
    a, b, g = labelled_readme()
    w = g.widget()
    nodes = g.topo()
    truth = [node.grad for node in nodes]
    n = len(nodes)
    for k in range(1, n + 1):
        w.backward_step()
        shown = w.stepped_grads()
        assert shown[n - k :] == truth[n - k :], f"after {k} steps"
        assert all(x is None for x in shown[: n - k]), f"after {k} steps"
    assert math.isclose(w.stepped_grads()[nodes.index(a)], 138.8338, abs_tol=5e-5)
    assert math.isclose(w.stepped_grads()[nodes.index(b)], 645.5773, abs_tol=5e-5)


def test_a_step_says_what_the_node_sends_to_each_input():
    a = Value(2.0, label="a")
    b = Value(3.0, label="b")
    p = a * b
    p.label = "p"
    out = p.log() + a
    w = out.widget()
    w.backward_step()
    w.backward_step()
    step = w.backward_step()  # p = a * b, grad 1/6
    assert step.name == "p"
    assert [(s.input, s.local) for s in step.sends] == [("a", 3.0), ("b", 2.0)]
    assert step.sends[0].contribution == pytest.approx(0.5)
    assert "0.1667 × 3.0000 = 0.5000" in repr(step)


def test_stepping_matches_the_engine_through_neuron_dot_and_sum_nodes():
    model = MLP(2, [3, 1], seed=0)
    xs = [[Value(0.5, label="x0"), Value(-1.5, label="x1")], [Value(1.0), Value(2.0)]]
    loss = vsum([(model(x) - 1.0) ** 2 for x in xs])
    w = loss.widget()
    nodes = loss.topo()
    for k in range(len(nodes) + 1):
        shown = teaching.partial_grads(nodes, k)
        done = [x for x in shown if x is not None]
        assert done == [node.grad for node in nodes][len(nodes) - k :]
    w.backward_reset()
    assert w.stepped_grads() == [None] * len(nodes)


def test_reset_clears_and_stepping_past_the_end_does_nothing():
    a, b, g = labelled_readme()
    w = g.widget()
    assert w.step_index == -1
    assert w.stepped_grads() == [node.grad for node in g.topo()]  # not stepping: every grad
    w.backward_reset()
    assert w.step_index == 0
    assert w.backward_step().node == len(g.topo()) - 1
    w.step_index = 10_000
    assert w.step_index == len(g.topo())
    assert w.backward_step() is None


def test_step_index_travels_to_the_views():
    a, b, g = labelled_readme()
    w = g.widget()
    rec = Recorder(w)
    w.backward_step()
    assert {"step_index"} in rec.updates()


def test_check_marks_answers_within_the_documented_tolerance():
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    assert w.check("a", 138.83) is True
    assert w.check("b", "645.6") is True
    assert w.check(a, 130.0) is False
    assert w.answers == {str(g.topo().index(a)): "130.0", str(g.topo().index(b)): "645.6"}
    assert w.score == teaching.Score(right=1, attempted=2, total=len(teaching.exercise_nodes(g.topo())))


def test_answers_typed_in_the_browser_count_in_the_score():
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    nodes = g.topo()
    w.answers = {str(nodes.index(a)): "138.8", str(nodes.index(b)): "1,0", "999": "3"}
    assert w.score.right == 1 and w.score.attempted == 2


def test_the_outputs_grad_and_constants_are_not_asked():
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    with pytest.raises(ValueError, match="the output's grad is given"):
        w.check("g", 1.0)
    with pytest.raises(KeyError, match="no node named 'zz'"):
        w.check("zz", 1.0)
    with pytest.raises(TypeError, match="an answer is a number or its text"):
        w.check("a", [1.0])
    nodes = g.topo()
    # asked: every node but the output and the constants (an empty list would ask nothing)
    asked = [i for i, node in enumerate(nodes[:-1]) if node.kind != "constant"]
    assert list(teaching.exercise_nodes(nodes)) == asked and len(asked) > 2


def test_check_refuses_a_text_that_is_not_a_finite_ascii_number_and_says_why():
    # the rules themselves are cross-checked with the browser's in tests/test_cross_check.py
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    for text, why in [
        ("lots", '"lots" is not a number'),
        ("nan", "finite number"),
        ("-Infinity", "finite number"),
        ("\u0661\u0662", "digits 0-9"),
        ("1e400", "too large"),
        ("  ", "empty answer"),
    ]:
        with pytest.raises(ValueError, match=why):
            w.check("a", text)
    with pytest.raises(ValueError, match="finite number"):
        w.check("a", math.inf)
    assert w.answers == {}, "a refused answer is not stored"
    assert w.check("a", "138,8") is True  # a decimal comma is read as a point
    assert w.check("b", "\u2212645") is False  # the Unicode minus is a minus: -645 is wrong


def test_a_rejected_answer_typed_in_the_browser_is_not_an_attempt():
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    nodes = g.topo()
    w.answers = {str(nodes.index(a)): "inf", str(nodes.index(b)): "645.6"}
    assert w.score.attempted == 1 and w.score.right == 1


def test_exercise_mode_refuses_to_step_the_answers_out():
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    with pytest.raises(RuntimeError, match="exercise"):
        w.backward_step()


def test_exercise_grads_still_travel_for_offline_checking_and_the_flag_tells_the_view_to_hide_them():
    # NOTE: the grads are in the model (the browser checks answers with no kernel);
    # the view never shows them (js/tests/teaching.test.js). A teaching aid, not an exam.
    a, b, g = labelled_readme()
    w = g.widget(exercise=True)
    state = w.get_state()
    assert state["exercise"] is True
    assert unpack(w.grad)[g.topo().index(a)] == a.grad


def test_mode_flags_reach_the_views_state_and_refuse_non_booleans():
    a, b, g = labelled_readme()
    flags = ("presenter", "hide_values", "hide_grads", "exercise")
    assert [g.widget().get_state()[name] for name in flags] == [False] * 4
    state = g.widget(presenter=True, hide_values=True, hide_grads=True).get_state()
    assert [state[name] for name in flags] == [True, True, True, False]
    with pytest.raises(traitlets.TraitError, match="boolean"):
        g.widget(presenter="yes")  # a string would be truthy: refused at the call
