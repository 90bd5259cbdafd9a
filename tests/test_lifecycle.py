"""A trainer plays only while a view of it is on a page; close() releases threads and graphs.

The views are driven as the browser drives them (their open / beat / close
messages, handlers called directly); the clock is injected, so no test waits
for the 10 s timeout.
"""

import gc
import subprocess
import sys
import textwrap
import threading
import time
import weakref
from functools import partial

import pytest
from expressions import micrograd_readme_expression
from helpers import wait_for as wait_until

from micrograd_widgets.training.views import TIMEOUT, Shell, Views
from micrograd_widgets.widgets import GraphWidget, Trainer
from micrograd_widgets.widgets._trainer_options import NO_VIEW


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def small(**kwargs):
    return Trainer(**{"hidden": [4], "n": 40, **kwargs})


def view(trainer, event, view_id="v1"):
    trainer._on_message(trainer, {"type": "view", "event": event, "view": view_id}, [])


# this module's deadline: a trainer thread may start behind another test's last epoch
wait_for = partial(wait_until, timeout=20.0)


def trainer_threads():
    return [t for t in threading.enumerate() if t.name.startswith("mgw-trainer") and t.is_alive()]


def record_messages(widget):
    """Every comm message the widget sends from now on (its state dicts), in order."""
    sent = []
    original = widget.comm.send

    def send(data=None, metadata=None, buffers=None):
        sent.append(data)
        return original(data=data, metadata=metadata, buffers=buffers)

    widget.comm.send = send
    return sent


def picture_messages(sent):
    # the weights the page paints from; bytes travel as buffers: their paths are in buffer_paths
    return [m for m in sent if ["train_state", "weights"] in (m or {}).get("buffer_paths", [])]


# ---- the bookkeeping ------------------------------------------------------------------


def test_views_count_opens_and_closes_and_forget_silent_ones():
    clock = Clock()
    views = Views(clock=clock, shell=Shell(clock=clock))
    assert views.count() == 0 and not views.unseen(), "never seen: no rule yet"
    assert views.message("open", "a") and views.message("open", "b")
    assert views.count() == 2
    views.message("close", "a")
    assert views.count() == 1
    clock.now += TIMEOUT - 1
    views.message("beat", "b")  # a beat keeps it alive past the timeout
    clock.now += TIMEOUT - 1
    assert views.count() == 1
    clock.now += 2  # silent for longer than the timeout: a killed tab
    assert views.count() == 0 and views.unseen()
    views.message("beat", "b")  # late beats (a busy kernel, a throttled tab) bring it back
    assert views.count() == 1


def test_time_spent_in_cells_is_not_silence():
    # a running cell holds the kernel's queue: the views' beats wait there, so silence proves nothing
    clock = Clock()
    shell = Shell(clock=clock)
    views = Views(clock=clock, shell=shell)
    views.message("open", "a")
    clock.now += TIMEOUT / 2
    shell._started()
    clock.now += 3 * TIMEOUT  # a long cell
    assert views.count() == 1
    shell._finished()
    clock.now += TIMEOUT / 2 - 1
    assert views.count() == 1, "silent for TIMEOUT - 1 s outside cells"
    for _ in range(4):  # short cells (a probe) now and then must not keep a silent view alive
        clock.now += 1
        shell._started()
        clock.now += 0.5
        shell._finished()
    assert views.count() == 0


def test_views_ignore_malformed_messages():
    views = Views(clock=Clock(), shell=Shell())
    for event, view_id in [("open", None), ("open", ""), ("open", 7), ("hello", "a"), ("open", "x" * 101)]:
        assert not views.message(event, view_id)
    assert views.count() == 0 and not views.ever


# ---- the trainer follows its views --------------------------------------------------------


def test_a_trainer_never_displayed_plays_as_told():
    t = small()
    t.play()
    assert wait_for(lambda: len(t.history) >= 3)
    t.pause()
    t.wait(10)
    assert t.status != NO_VIEW
    t.close()


def test_training_pauses_when_its_last_view_closes_and_a_new_view_plays_on():
    t = small()
    view(t, "open", "a")
    view(t, "open", "b")
    t.play()
    assert wait_for(lambda: len(t.history) >= 2)
    view(t, "close", "a")
    assert t._runner.playing, "one view is still there"
    view(t, "close", "b")
    assert t.wait(20), "the thread stops with the last view"
    assert t.status == NO_VIEW and not t.running
    stopped = len(t.history)
    time.sleep(0.2)
    assert len(t.history) == stopped
    assert not trainer_threads()
    view(t, "open", "c")
    assert wait_for(lambda: len(t.history) > stopped + 2), "a new view plays on"
    assert wait_for(lambda: t.status != NO_VIEW)
    t.close()


def test_a_view_silent_for_the_timeout_counts_as_gone():
    t = small()
    clock = Clock()
    t._views.clock = clock
    view(t, "open")
    t.play()
    assert wait_for(lambda: len(t.history) >= 2)
    clock.now += TIMEOUT / 2
    view(t, "beat")
    clock.now += TIMEOUT / 2 + 1
    assert t._runner.playing, "it beat within the timeout"
    clock.now += TIMEOUT  # a killed tab: no close, no beat
    assert t.wait(20), "the training loop notices the silence and pauses"
    assert t.status == NO_VIEW


def test_a_user_pause_is_not_undone_by_a_new_view():
    t = small()
    view(t, "open", "a")
    t.play()
    assert wait_for(lambda: len(t.history) >= 1)
    view(t, "close", "a")
    t.wait(20)
    t.pause()  # paused on purpose: a view that opens later must not start it again
    view(t, "open", "b")
    time.sleep(0.2)
    assert not t._runner.playing
    t.close()


def test_nothing_is_drawn_for_nobody_and_the_next_view_gets_where_training_stopped():
    t = small()
    view(t, "open", "a")
    view(t, "close", "a")
    sent = record_messages(t)
    t.train(3)
    assert not picture_messages(sent), "no weights, history or data sent while no view is on a page"
    assert t.epoch == 3, "what Python reads stays true"
    view(t, "open", "b")
    pictures = picture_messages(sent)
    assert pictures, "the new view is brought up to date"
    t.close()


# ---- close() releases the thread and the graphs ------------------------------------------


def test_trainer_threads_are_named_for_their_model_and_are_daemons():
    t = small()
    t.play()
    assert wait_for(lambda: len(t.history) >= 1)
    names = {th.name: th.daemon for th in trainer_threads()}
    assert names == {f"mgw-trainer-{id(t.model)}": True}
    t.close()


def test_closing_a_playing_trainer_releases_its_thread_and_its_model():
    t = small()
    t.play()
    assert wait_for(lambda: len(t.history) >= 2)
    model = weakref.ref(t.model)
    weight = weakref.ref(t.model.parameters()[0])
    t.close()
    gc.collect()
    assert not trainer_threads()
    assert model() is None and weight() is None, "the closed widget object still holds the model"
    assert len(t.history) >= 2, "the history stays readable"
    with pytest.raises(RuntimeError, match="closed"):
        t.play()
    with pytest.raises(RuntimeError, match="closed"):
        t.model  # noqa: B018
    assert "closed" in repr(t)


def test_closing_a_graph_widget_releases_its_graph():
    a, b, root = micrograd_readme_expression()
    w = GraphWidget(root)
    ref = weakref.ref(root)
    del a, b, root
    gc.collect()
    assert ref() is not None, "the open widget holds its graph"
    w.close()
    gc.collect()
    assert ref() is None, "the closed widget still holds its graph"
    with pytest.raises(RuntimeError, match="closed"):
        w.refresh()


RSS_SCRIPT = textwrap.dedent(
    """
    import gc, sys
    sys.path.insert(0, sys.argv[1])
    from expressions import micrograd_readme_expression
    from micrograd_widgets.widgets import GraphWidget

    def rss_kb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))

    def cycle(n):
        for _ in range(n):
            GraphWidget(micrograd_readme_expression()[-1]).close()
        gc.collect()

    cycle(20)  # warm up: imports, caches, the allocator's first pools
    before = rss_kb()
    cycle(100)
    print(rss_kb() - before)
    """
)


@pytest.mark.slow
@pytest.mark.slow  # a fresh interpreter, 120 widgets
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_creating_and_closing_100_readme_widgets_keeps_the_kernel_rss_within_5_mb(tmp_path):
    script = tmp_path / "rss.py"
    script.write_text(RSS_SCRIPT)
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    out = subprocess.run([sys.executable, str(script), tests_dir], capture_output=True, text=True, check=True)
    grown_kb = int(out.stdout.split()[-1])
    assert grown_kb < 5 * 1024, f"RSS grew {grown_kb / 1024:.1f} MB over 100 widgets"
