"""The settings table is the one place a trainer setting is spelled: traits, signatures, checks,
the page's controls and the docs' table are read from it."""

import inspect
import re
from dataclasses import replace
from pathlib import Path

import pytest

from micrograd_widgets.training import Session, settings
from micrograd_widgets.training.settings import SETTINGS, Setting
from micrograd_widgets.widgets import Trainer

ROOT = Path(__file__).resolve().parent.parent


def test_the_docs_table_is_the_settings_table():
    text = (ROOT / "docs" / "trainer.md").read_text()
    table = re.search(r"<!-- settings table: .*? -->\n(.*?)\n<!-- /settings table -->", text, re.S).group(1)
    assert table == settings.markdown(), "docs/trainer.md's table is stale: paste settings.markdown() in it"


def test_a_new_row_reaches_the_signature_the_page_and_the_docs():
    # what "adding a setting" means: one row, and these come from it
    row = Setting("momentum_k", 0.9, float, "a made-up setting for this test", "momentum k", "range", "optimizer",
                  "epoch", bounds=(0, 0.99, 0.01))  # fmt: skip
    rows = (*SETTINGS, row)
    signature = settings.signature(rows)
    assert signature.parameters["momentum_k"].default == 0.9
    assert signature.parameters["momentum_k"].kind == inspect.Parameter.KEYWORD_ONLY
    spec = settings.view_specs(rows)[-1]
    assert spec["name"] == "momentum_k" and spec["bounds"] == [0, 0.99, 0.01] and spec["page"] is True
    doc_row = "| `momentum_k` | `0.9` | a made-up setting for this test | 0 to 0.99 | next epoch |"
    assert doc_row in settings.markdown(rows)
    assert "momentum_k: a made-up setting for this test (default 0.9)" in settings.docstring(rows)
    assert settings.validate(rows, momentum_k="0.5") == {"momentum_k": 0.5}


def test_the_trainers_signature_traits_and_help_come_from_the_table():
    parameters = inspect.signature(Trainer).parameters
    positional = [p for p in parameters.values() if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD]
    assert [p.name for p in positional] == [s.name for s in SETTINGS if s.positional] + ["seed"]
    for row in SETTINGS:
        assert parameters[row.name].default == row.default, row.name
        assert Trainer.class_traits()[row.name].metadata.get("sync"), row.name
        assert f"{row.name}: {row.doc}" in Trainer.__init__.__doc__
    assert set(inspect.signature(Session).parameters) >= {s.name for s in SETTINGS if s.needs != "view"}
    assert Trainer(hidden=[3], n=20).setting_specs == settings.view_specs()


def test_a_value_is_checked_once_whichever_way_it_comes(monkeypatch):
    calls = []
    row = settings.BY_NAME["lr"]
    counted = replace(row, check=lambda v: calls.append(v) or row.check(v))
    monkeypatch.setitem(settings.BY_NAME, "lr", counted)
    from micrograd_widgets.widgets import trainer as module

    monkeypatch.setitem(module.BY_NAME, "lr", counted)
    t = Trainer(hidden=[3], n=20)
    calls.clear()
    t.lr = 0.2  # from Python
    t.set_state({"lr": 0.3})  # from the view
    assert calls == [0.2, 0.3] and t.session.settings["lr"] == 0.3


@pytest.mark.parametrize("text", ['"reg-gauss"', '"yinyang"', '"cross_entropy", ', "1e-5", "[16, 16]", "MAX_NEURONS"])
def test_the_page_keeps_no_list_of_its_own(text):
    # the data sets, losses, L2 values, sizes and limits come from the kernel's specs
    found = [p.name for p in (ROOT / "js" / "trainer").glob("*.js") if text in p.read_text()]
    assert found == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Trainer(dat="spiral"), "did you mean 'data'"),
        (lambda: Trainer(epoch=5), "unexpected keyword argument 'epoch'"),
        (lambda: Session(lrr=0.1), "did you mean 'lr'"),
    ],
)
def test_a_typo_is_a_type_error_naming_the_closest(call, message):
    with pytest.raises(TypeError, match=message):
        call()
