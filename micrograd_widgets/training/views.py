"""Which views of a widget are on a page right now.

NOTE [views say they are there]
The kernel cannot see the page: a cell re-run, a cleared output or a closed tab
removes a view without telling Python. So each view says so itself: "open" when
it renders, "close" when its cleanup runs, and "beat" every few seconds in
between. A tab that is killed sends nothing, so a view silent for ``timeout``
seconds counts as gone. A beat from a view already counted as gone brings it
back (a busy kernel queues the beats, a throttled background tab sends them late).
The clock is injectable, so tests need not wait ``timeout`` seconds.
"""

import threading
import time

TIMEOUT = 10.0  # seconds of silence after which a view counts as gone (views beat every 3 s)
EVENTS = ("open", "beat", "close")


class Views:
    """Live views by id, from their open / beat / close messages; ``count()`` drops the silent ones."""

    def __init__(self, timeout=TIMEOUT, clock=time.monotonic):
        self.timeout = timeout
        self.clock = clock
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
            now = self.clock()
            for view in [v for v, heard in self._heard.items() if now - heard > self.timeout]:
                del self._heard[view]
            return len(self._heard)

    def unseen(self) -> bool:
        """True when a view has been attached before and none is now: nobody is looking."""
        return self.ever and self.count() == 0
