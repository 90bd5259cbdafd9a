"""The package where Pyodide puts it: no numpy, scikit-learn, scipy, matplotlib or pandas, no
Graphviz `dot` program, and no threads. Importing, every graph-widget feature, the data sets and the
trainer work; what truly needs a missing package says which at its own call.

Each test runs a script in a fresh interpreter whose imports of those packages fail and whose
threads can't start (as in Pyodide: RuntimeError: can't start new thread).
"""

import subprocess
import sys
import textwrap

import pytest
from student_graphs import VERBATIM

pytestmark = pytest.mark.slow

PRELUDE = textwrap.dedent(
    """
    import shutil, sys, threading
    BLOCKED = {"numpy", "sklearn", "scipy", "matplotlib", "pandas"}

    class Blocked:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, Blocked())

    def no_thread(self):
        raise RuntimeError("can't start new thread")

    threading.Thread.start = no_thread
    shutil.which = lambda name, *args, **kwargs: None  # no Graphviz dot program either
    """
)


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_graph_widget_works_without_numpy_graphviz_or_threads(tmp_path):
    # micrograd's README example, unlabelled (a, b, ..., g; out = g)
    out = run(
        VERBATIM
        + textwrap.dedent(f"""
        from micrograd_widgets import draw_dot, gradcheck
        from micrograd_widgets.widgets import GraphWidget
        w = GraphWidget(g, names={{a: "a", b: "b"}})
        w.set("a", 3.0)
        print(f"{{g.data:.4f}} {{a.grad:.4f}}")
        assert len(gradcheck(g)) == 2
        w.save_html({str(tmp_path / "g.html")!r})
        picture = draw_dot(g)
        assert "digraph" in picture.source and "<svg" in picture._repr_mimebundle_()["text/html"]
        print(sorted(sys.modules.keys() & BLOCKED))
        """)
    )
    assert out.splitlines() == ["14112.0004 4199.9999", "[]"]


def test_the_trainer_trains_plays_in_the_page_and_saves_a_page_without_numpy_or_threads(tmp_path):
    out = run(
        f"""
        from micrograd_widgets import data
        from micrograd_widgets.widgets import Trainer
        X, y = data.moons(20, seed=0)
        assert isinstance(X, list) and isinstance(y, list)
        t = Trainer(seed=0, hidden=[4], n=30)
        rows = t.train(3)
        t.play()  # no view to train in, no thread to train on: it says so and stays paused
        print(t.running, "can't play here" in t.status)
        t._on_message(t, {{"type": "view", "event": "open", "view": "v1", "engine": "page-1"}}, [])
        t.play()  # a view is on a page: the page trains it
        print(t.running, t.driver)
        t.pause()
        own = Trainer(X=[[0, 0], [1, 1], [2, 0], [0, 2], [1, 0], [2, 2]], y=["a", "b"] * 3, hidden=[3])
        print(own.get_data()[1], len(own.train(2)))
        t.save_html({str(tmp_path / "t.html")!r})
        copy = Trainer.from_state(t.state())
        print(copy.train(1) == t.train(1), sorted(sys.modules.keys() & BLOCKED))
        """
    )
    assert out.splitlines() == ["False True", "True page-1", "['a', 'b', 'a', 'b', 'a', 'b'] 2", "True []"]


def test_what_needs_a_missing_package_says_which_at_its_own_call():
    out = run(
        """
        from micrograd_widgets import MLP, plot_decision_boundary
        try:
            plot_decision_boundary(MLP(2, [1]), [[0, 0]], [1])
        except ImportError as error:
            print(error)
        """
    )
    assert "matplotlib" in out
