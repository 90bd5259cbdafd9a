"""Which views of a widget are on a page right now.

NOTE [views say they are there]
The kernel cannot see the page: a cell re-run, a cleared output or a closed tab
removes a view without telling Python. So each view says so itself: "open" when
it renders, "close" when its cleanup runs, and "beat" every few seconds in
between. A tab that is killed sends nothing, so a view silent for ``timeout``
seconds counts as gone. A beat from a view already counted as gone brings it
back (a throttled background tab sends them late).
While IPython runs a cell, the messages wait in the kernel's queue: silence
then proves nothing, so the time spent in cells does not count as silence.
The clock is injectable, so tests need not wait ``timeout`` seconds.
"""

import threading
import time
import weakref

BEAT_SECONDS = 3.0  # how often a view says it is there (sent to the view: the trait beat_ms)
TIMEOUT = 10.0  # seconds of silence after which a view counts as gone: three missed beats and a margin
EVENTS = ("open", "beat", "close")


class Shell:
    """How long IPython has spent running cells: ``busy_seconds()`` grows while a cell runs."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.busy = False
        self._since = 0.0  # when the running cell started
        self._total = 0.0  # seconds in cells that have finished
        self.watching = False
        self._before_cell = []  # weak methods called as each cell starts

    def busy_seconds(self) -> float:
        return self._total + (self.clock() - self._since if self.busy else 0.0)

    def watch(self):
        """Follow IPython's cells, once per process (nothing to follow outside IPython)."""
        if self.watching:
            return
        self.watching = True
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is not None:
            shell.events.register("pre_run_cell", self._started)
            shell.events.register("post_run_cell", self._finished)

    def before_cell(self, method):
        """Call ``method`` (a bound method, held weakly) as each cell starts."""
        self._before_cell.append(weakref.WeakMethod(method))

    def _started(self, info=None):
        self._since = self.clock()
        self.busy = True
        alive = []
        for ref in self._before_cell:
            method = ref()
            if method is not None:
                alive.append(ref)
                method()
        self._before_cell = alive

    def _finished(self, result=None):
        if self.busy:
            self._total += self.clock() - self._since
        self.busy = False


SHELL = Shell()


class Views:
    """Live views by id, from their open / beat / close messages; ``count()`` drops the silent ones."""

    def __init__(self, timeout=TIMEOUT, clock=time.monotonic, shell=None):
        self.timeout = timeout
        self.clock = clock
        if shell is None:
            shell = SHELL
            shell.watch()
        self.shell = shell  # on the same clock
        self.ever = False  # a view has attached at least once: from then on, no view means pause
        self._heard = {}  # view id -> (when it last spoke, the shell's busy seconds then, its page's engine)
        self._lock = threading.Lock()  # messages arrive on the main thread, the training loop counts

    def message(self, event, view, engine=None) -> bool:
        """Record one message; True if it was a well-formed view message (anything else is ignored).

        ``engine`` names the page the view is on (views on one page share one; it trains there).
        """
        if event not in EVENTS or not isinstance(view, str) or not 0 < len(view) <= 100:
            return False
        engine = engine if isinstance(engine, str) and 0 < len(engine) <= 100 else ""
        with self._lock:
            if event == "close":
                self._heard.pop(view, None)
            else:
                self._heard[view] = (self.clock(), self.shell.busy_seconds(), engine)
                self.ever = True
        return True

    def _live(self) -> dict:
        with self._lock:
            now, busy = self.clock(), self.shell.busy_seconds()
            silent = [v for v, (at, then, _) in self._heard.items() if (now - at) - (busy - then) > self.timeout]
            for view in silent:
                del self._heard[view]
            return dict(self._heard)

    def count(self) -> int:
        """How many views are on a page now (views silent for ``timeout`` seconds are forgotten)."""
        return len(self._live())

    def engines(self) -> set:
        """The pages (their engines) that show a live view."""
        return {engine for _, _, engine in self._live().values() if engine}

    def knows(self, engine) -> bool:
        return engine in self.engines()

    def latest_engine(self) -> str:
        """The page whose view spoke last ("" when none is live)."""
        live = sorted(self._live().values(), key=lambda heard: heard[0])
        engines = [engine for _, _, engine in live if engine]
        return engines[-1] if engines else ""

    def unseen(self) -> bool:
        """True when a view has been attached before and none is now: nobody is looking."""
        return self.ever and self.count() == 0
