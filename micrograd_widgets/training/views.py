"""Which views of a widget are on a page right now.

NOTE [views say they are there]
The kernel cannot see the page: a cell re-run, a cleared output or a closed tab
removes a view without telling Python. So each view says so itself: "open" when
it renders, "close" when its cleanup runs, and "beat" every few seconds in
between. A tab that is killed sends nothing, so a view silent for ``timeout``
seconds counts as gone. A beat from a view already counted as gone brings it
back (a throttled background tab sends them late).
While IPython runs a cell, the messages wait in the kernel's queue: silence
then proves nothing, so no view expires during a cell, and each gets a whole
``timeout`` after it.
The clock is injectable, so tests need not wait ``timeout`` seconds.
"""

import threading
import time

TIMEOUT = 10.0  # seconds of silence after which a view counts as gone (views beat every 3 s)
EVENTS = ("open", "beat", "close")


class Shell:
    """Whether IPython is running a cell now, and since when it has not been (time.monotonic)."""

    def __init__(self):
        self.busy = False
        self.free_since = float("-inf")
        self.watching = False

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

    def _started(self, info=None):
        self.busy = True

    def _finished(self, result=None):
        self.busy = False
        self.free_since = time.monotonic()


SHELL = Shell()


class Views:
    """Live views by id, from their open / beat / close messages; ``count()`` drops the silent ones."""

    def __init__(self, timeout=TIMEOUT, clock=time.monotonic, shell=None):
        self.timeout = timeout
        self.clock = clock
        if shell is None:
            shell = SHELL
            shell.watch()
        self.shell = shell  # its free_since is on the same clock
        self.ever = False  # a view has attached at least once: from then on, no view means pause
        self._heard = {}  # view id -> when it last spoke
        self._lock = threading.Lock()  # messages arrive on the main thread, the training loop counts

    def message(self, event, view) -> bool:
        """Record one message; True if it was a well-formed view message (anything else is ignored)."""
        if event not in EVENTS or not isinstance(view, str) or not 0 < len(view) <= 100:
            return False
        with self._lock:
            if event == "close":
                self._heard.pop(view, None)
            else:
                self._heard[view] = self.clock()
                self.ever = True
        return True

    def count(self) -> int:
        """How many views are on a page now (views silent for ``timeout`` seconds are forgotten)."""
        with self._lock:
            if self.shell.busy:
                return len(self._heard)
            now, free_since = self.clock(), self.shell.free_since
            for view in [v for v, heard in self._heard.items() if now - max(heard, free_since) > self.timeout]:
                del self._heard[view]
            return len(self._heard)

    def unseen(self) -> bool:
        """True when a view has been attached before and none is now: nobody is looking."""
        return self.ever and self.count() == 0
