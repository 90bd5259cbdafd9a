"""The shared checks of user input: unknown keywords and unknown names are refused with the closest valid ones."""

import pytest

from micrograd_widgets._checks import check_keywords, name_list
from micrograd_widgets.data import check_features

OPTIONS = ("sliders", "ranges", "max_sliders", "exercise", "presenter", "layout")


def test_a_typo_in_a_keyword_is_refused_naming_the_closest_option():
    with pytest.raises(TypeError) as caught:
        check_keywords({"excercise": True}, OPTIONS, "GraphWidget()")
    # the same words as Python's own message for a function without **kwargs, then the hint
    assert str(caught.value) == "GraphWidget() got an unexpected keyword argument 'excercise'; did you mean 'exercise'?"


def test_several_close_options_are_all_named_and_no_close_option_lists_them_all():
    with pytest.raises(TypeError, match=r"'slider'; did you mean 'sliders' or 'max_sliders'\?"):
        check_keywords({"slider": ["a"]}, OPTIONS, "f()")
    with pytest.raises(TypeError, match=r"'zzz'; it takes sliders, ranges, max_sliders, exercise, presenter, layout$"):
        check_keywords({"zzz": 1}, OPTIONS, "f()")
    with pytest.raises(TypeError, match=r"arguments 'slider' \(did you mean .*\), 'range' \(did you mean 'ranges'\?\)"):
        check_keywords({"slider": 1, "range": 2, "exercise": True}, OPTIONS, "f()")


def test_the_accepted_keywords_pass():
    check_keywords({"exercise": True, "layout": {}}, OPTIONS, "f()")
    check_keywords({}, OPTIONS, "f()")


def test_an_unknown_name_keeps_its_message_and_adds_the_closest_name():
    known = ["data", "n", "noise", "loss", "lr"]
    with pytest.raises(ValueError) as caught:
        name_list(["los"], known, "control", where="hide: ")
    expected = "hide: unknown control(s) ['los']; accepted: data, n, noise, loss, lr; did you mean 'loss'?"
    assert str(caught.value) == expected
    with pytest.raises(
        ValueError, match=r"\['los', 'nois'\]; accepted: .*; for 'los': did you mean 'loss'\?; for 'nois'"
    ):
        name_list(["los", "nois"], known, "control")
    with pytest.raises(ValueError, match=r"\['zzz'\]; accepted: data, n, noise, loss, lr$"):
        name_list("zzz", known, "control")


def test_a_public_call_that_takes_names_suggests_the_closest():
    hint = r"did you mean 'sin\(x2\)' or 'sin\(x1\)'\?$"
    with pytest.raises(ValueError, match=r"unknown feature\(s\) \['sin\(x3\)'\]; accepted: .*; " + hint):
        check_features(["x1", "sin(x3)"])
