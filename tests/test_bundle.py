import pytest

from micrograd_widgets import _bundle


def test_missing_bundle_error_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setattr(_bundle, "STATIC", tmp_path)
    with pytest.raises(FileNotFoundError, match=r"npm ci && npm run build"):
        _bundle.bundle_path("graph.js")


@pytest.mark.parametrize("name", ["graph.js", "graph.css", "trainer.js", "trainer.css", "offline.js"])
def test_built_bundle_is_one_self_contained_module(name):
    text = _bundle.bundle_path(name).read_text(encoding="utf-8")
    assert text.strip()
    if name.endswith(".js"):
        # anywidget loads _esm as one text: no imports left for a bundler to resolve
        assert "export" in text
        assert 'from "./' not in text and 'import("./' not in text
