"""The package as a user receives it, built by `python -m build` (sdist, then the wheel from the sdist).

twine accepts both; the wheel holds the package, its built front-end and its metadata, nothing of the
repository's tooling; installed into a fresh venv (pip fetches anywidget and ipywidgets, nothing else is
there), it runs the README's micrograd example, shows a graph widget and trains.

The build runs the package's own build hook, so `npm install` and `npm run build` run in the checkout
(as `pip install -e .` does), and building the wheel from the sdist runs `npm install` in a temp copy:
these tests need node, npm and both package registries. Everything is built once for the module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# what the widgets load at run time (widgets/graph.py, widgets/trainer.py, save_html)
FRONT_END = ["graph.js", "graph.css", "trainer.js", "trainer.css", "offline.js"]
# repository tooling and build input that a wheel or sdist must never carry
NEVER_SHIPPED = ("node_modules/", "test-output/", ".venv/", "__pycache__/", ".pytest_cache/")


def _run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    """Run `cmd`; on failure, fail the test with the command's own output (a CalledProcessError hides it)."""
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {result.returncode}\n{result.stdout[-4000:]}\n"
                    f"{result.stderr[-4000:]}", pytrace=False)  # fmt: skip
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT])
    found = {"sdist": sorted(out.glob("*.tar.gz")), "wheel": sorted(out.glob("*.whl"))}
    assert [len(found["sdist"]), len(found["wheel"])] == [1, 1], found
    return {kind: paths[0] for kind, paths in found.items()}


@pytest.fixture(scope="module")
def venv_python(dist, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed and nothing else but what pip resolved for it."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", dist["wheel"]])
    return python


def _run_in_venv(python: Path, code: str, tmp_path: Path) -> list[str]:
    # cwd away from the checkout and no PYTHONPATH, so `import micrograd_widgets` can only find the wheel's copy
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    return _run([python, "-c", code], cwd=tmp_path, env=env).stdout.splitlines()


def _readme_example() -> tuple[str, list[str]]:
    """The README's first python block (micrograd's example) and what its `# prints X` comments say it prints."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    expected = []
    for line in code.splitlines():
        if "# prints " in line:
            said = line.split("# prints ", 1)[1]
            expected.append(said.split("`")[1] if said.startswith("`") else said.split(",")[0].strip())
    return code, expected


def test_twine_accepts_the_sdist_and_the_wheel(dist):
    # --strict: a README that PyPI would render as plain text, or missing metadata, fails too
    result = _run([sys.executable, "-m", "twine", "check", "--strict", dist["sdist"], dist["wheel"]])
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_wheel_holds_the_package_and_its_built_front_end_and_nothing_of_the_repository(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = wheel.namelist()
    dist_info = next(name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info"))
    assert {name.split("/")[0] for name in names} == {"micrograd_widgets", dist_info}
    missing = [name for name in FRONT_END if f"micrograd_widgets/static/{name}" not in names]
    assert missing == [], f"the wheel lacks the built front-end files {missing}"
    assert not [name for name in names if name.startswith(("tests/", "js/")) or any(n in name for n in NEVER_SHIPPED)]


def test_the_wheel_states_its_licence_and_needs_only_anywidget_and_ipywidgets(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        dist_info = next(name.split("/")[0] for name in wheel.namelist() if ".dist-info/" in name)
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
        licence = wheel.read(f"{dist_info}/licenses/LICENSE")
    fields = [line.split(": ", 1) for line in metadata.split("\n\n", 1)[0].splitlines() if ": " in line]
    assert ["License-Expression", "MIT"] in fields
    assert licence == (ROOT / "LICENSE").read_bytes()
    # a dependency without an extra marker is installed for everyone
    unconditional = sorted(value.split(">")[0] for key, value in fields if key == "Requires-Dist" and ";" not in value)
    assert unconditional == ["anywidget", "ipywidgets"]


def test_the_sdist_carries_no_build_tooling_output(dist):
    with tarfile.open(dist["sdist"]) as sdist:
        names = sdist.getnames()
    assert not [name for name in names if any(n in name for n in NEVER_SHIPPED)]
    # the wheel is built from the sdist, by the front-end's build script
    root = names[0].split("/")[0]
    assert {f"{root}/package.json", f"{root}/js/build.mjs", f"{root}/LICENSE"} <= set(names)


def test_the_readme_example_runs_from_the_wheel_in_a_clean_venv(venv_python, tmp_path):
    code, expected = _readme_example()
    assert expected[:1] == ["24.7041"], "the README's first python block is no longer micrograd's example"
    assert _run_in_venv(venv_python, code, tmp_path) == expected


def test_the_widgets_and_training_need_only_the_declared_dependencies(venv_python, tmp_path):
    # the same seeded trainer here (dev install, numpy present) and in the venv must train to the same losses
    probe = """
import importlib.util
import micrograd_widgets
from micrograd_widgets import Value
from micrograd_widgets.widgets import Trainer
print(micrograd_widgets.__file__)
print([name for name in ("numpy", "matplotlib", "graphviz", "sklearn") if importlib.util.find_spec(name)])
w = (Value(2.0) * Value(3.0)).widget()
print(len(w._esm) > 1000, len(w._css) > 100)
print([row["loss"] for row in Trainer(seed=0).train(epochs=3)])
"""
    where, extras, widget, losses = _run_in_venv(venv_python, probe, tmp_path)
    assert Path(where).is_relative_to(venv_python.parent.parent), "the probe imported the checkout, not the wheel"
    assert extras == "[]", "pip installed an optional package with the wheel: the venv proves nothing then"
    assert widget == "True True", "the installed graph widget has no bundle"

    from micrograd_widgets.widgets import Trainer

    trainer = Trainer(seed=0)
    try:
        assert losses == repr([row["loss"] for row in trainer.train(epochs=3)])
    finally:
        trainer.close()
