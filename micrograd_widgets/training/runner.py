"""The Trainer's training loop on a background thread, for when no page trains it.

A shown trainer trains in its page (js/trainer/engine.js); the kernel plays it
itself when no view is on a page (a script, nbclient) or when the page can't
replay its graph. Where threads can't start (Pyodide), play says so and
``t.train()`` runs in the cell.

NOTE [why a thread, and who touches the session]
Measured with ipykernel 7.4: widget updates sent from a background thread
reach the browser live, even while another cell runs; an asyncio task on the
kernel's loop freezes whenever a cell runs. So epochs run on a thread. Comm
handlers (play, pause, sliders) run on the main thread and must answer at
once, so they never wait for an epoch: they queue a job, and the
thread runs queued jobs between epochs, holding the session's lock. When no
thread is running, the caller runs its job itself. ``publish`` (one hold_sync
per call) is serialised by its own lock, taken before the session's lock, so two
threads never send at once and a stale picture never overtakes a newer one.
"""

import sys
import threading
import time
from collections import deque

MAX_SENDS_PER_SECOND = 30
# NOTE [what showing costs while playing fast]
# When the kernel trains (no page can: a model with a forward pass of its own,
# or no view), each state it sends (the weights, the new history rows, the
# settings, serialised and written to the socket) runs on the training thread
# and holds the GIL. Sending after every epoch made the kernel train markedly
# slower than alone, so at full speed a state goes out only when sending has
# taken at most MAX_SEND_SHARE of the time since the last one (smoothed): the
# epoch counter skips, the picture stays smooth. In slow motion (speed > 0)
# every epoch is shown. On a crowded machine (every step slow) at least
# MIN_SENDS_PER_SECOND still go out.
MAX_SEND_SHARE = 0.08
MIN_SENDS_PER_SECOND = 4
# NOTE [GIL switch interval while playing]
# The training thread is pure Python and never blocks, so every time the main
# thread (comm handlers) or ipykernel's IOPub thread gives up the GIL for I/O,
# it waits a whole switch interval (5 ms by default) to get it back; handling
# one "pause" message takes dozens of such hand-offs. While the trainer plays
# the interval is lowered, and put back when it stops.
SWITCH_INTERVAL = 0.0005
_playing_loops = 0  # how many trainers are playing (the interval is process-wide)
_loops_lock = threading.Lock()
_saved_interval = None


def _loop_started():
    global _playing_loops, _saved_interval
    with _loops_lock:
        if _playing_loops == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, SWITCH_INTERVAL))
        _playing_loops += 1


def _loop_stopped():
    global _playing_loops
    with _loops_lock:
        _playing_loops -= 1
        if _playing_loops == 0 and _saved_interval is not None:
            sys.setswitchinterval(_saved_interval)


class Runner:
    """Plays, pauses and steps a training Session; ``publish(session)`` sends the view's state."""

    def __init__(self, session, publish):
        self.session = session
        self._publish = publish
        self._state = threading.Lock()  # guards _playing, _budget, _running and _jobs
        self._publish_lock = threading.Lock()
        self._jobs = deque()
        self._playing = False
        self._budget = 0  # epochs still owed to "step" clicks
        self._running = False
        self._thread = None
        self._wake = threading.Event()  # cuts a slow-motion wait short on pause
        self.speed = 0.0  # epochs per second; 0 = as fast as it goes
        self._last_send = 0.0
        self._send_cost = 0.0  # seconds one publish takes, smoothed
        self.error = ""  # why the thread stopped, if it crashed (shown in the status field)
        self.stats = {"epochs": 0, "train_seconds": 0.0, "sends": 0, "send_seconds": 0.0}  # for benchmarks
        self.between_epochs = None  # called by the training thread after each epoch (may pause)
        self.closed = False

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def running(self) -> bool:
        """True while the training thread is working (playing or owing steps)."""
        return self._running

    # ---- controls (main thread) -------------------------------------------------------

    def play(self):
        with self._state:
            self._check_open()
            if self.session.diverged:
                return False
            self._playing = True
            self._wake.clear()  # a pause just before may have set it: slow motion must wait again
            self._start_locked()
        return True

    def pause(self):
        with self._state:
            self._playing = False
            self._budget = 0
        self._wake.set()

    def step(self):
        """One more epoch: while playing, stop after the next one."""
        with self._state:
            self._check_open()
            self._playing = False
            self._budget += 1
            self._start_locked()

    def submit(self, job):
        """Run ``job(session)`` between epochs (now, if nothing is training), then publish."""
        with self._state:
            self._check_open()
            self._jobs.append(job)
            if self._running:
                return
        with self.session.lock:
            self._drain()
        self.publish(final=True)

    def join(self, timeout=None):
        """Wait for the training thread to stop (after pause(), or when steps run out)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        return not self._running

    def close(self, timeout=5):
        """Stop the thread and drop the session (and so the model's graphs); later calls raise."""
        self.pause()
        self.join(timeout)
        with self._state:
            self.closed = True
            self._jobs.clear()
        self.between_epochs = None
        with self._publish_lock:  # a last publish in flight finishes before the session goes
            self.session = None
            self._publish = None

    def _check_open(self):
        if self.closed:
            raise RuntimeError("this trainer is closed: create a new one")

    # ---- the loop (training thread) ---------------------------------------------------

    def _start_locked(self):
        if not self._running:
            self._running = True
            self._wake.clear()
            # named for its model, so a thread dump says whose thread it is
            name = f"mgw-trainer-{id(self.session.model)}"
            thread = threading.Thread(target=self._loop, name=name, daemon=True)
            try:
                thread.start()
            except RuntimeError:  # no threads here (Pyodide): nothing plays; the caller says why
                self._running = self._playing = False
                self._budget = 0
                raise
            self._thread = thread

    def _drain(self):
        while True:
            with self._state:
                if not self._jobs:
                    return
                job = self._jobs.popleft()
            job(self.session)

    def _loop(self):
        _loop_started()
        try:
            while True:
                started = time.perf_counter()
                with self.session.lock:
                    self._drain()
                    with self._state:
                        if not (self._playing or self._budget > 0) and not self._jobs:
                            self._running = False
                            break
                        if self._jobs:
                            continue
                        stepping = not self._playing
                        if stepping:
                            self._budget -= 1
                    # a pause drops the epoch in progress (nothing is updated before its end)
                    if self.session.step(cancelled=None if stepping else self._paused) is None:
                        continue
                    self.stats["epochs"] += 1
                    self.stats["train_seconds"] += time.perf_counter() - started
                    if self.session.diverged:
                        with self._state:
                            self._playing, self._budget = False, 0
                if self.between_epochs is not None:
                    self.between_epochs()
                with self._state:
                    last = not (self._playing or self._budget > 0 or self._jobs)
                if not last:  # the last epoch's state goes out once, as the final publish below
                    self.publish(final=False)
                if self.speed > 0 and not last:
                    self._wake.wait(max(0.0, 1.0 / self.speed - (time.perf_counter() - started)))
        except Exception as error:  # a thread's exception would vanish: keep it for the status field
            self.error = f"training stopped: {type(error).__name__}: {error}"
            with self._state:
                self._playing, self._budget = False, 0
            raise
        finally:
            with self._state:
                self._running = False
            _loop_stopped()
            self.publish(final=True)

    def _paused(self) -> bool:
        return not self._playing and self._budget == 0

    def publish(self, final):
        """Send the view's state; while playing fast, at most MAX_SENDS_PER_SECOND times a second
        and at most MAX_SEND_SHARE of the time (NOTE [what showing costs while playing fast])."""
        now = time.perf_counter()
        gap = min(max(1.0 / MAX_SENDS_PER_SECOND, self._send_cost / MAX_SEND_SHARE), 1.0 / MIN_SENDS_PER_SECOND)
        if not final and self.speed == 0 and now - self._last_send < gap:
            return
        with self._publish_lock:
            if self._publish is None:  # closed
                return
            self._last_send = started = time.perf_counter()
            self._publish(self.session, final)
            cost = time.perf_counter() - started
            self._send_cost = cost if not self._send_cost else 0.7 * self._send_cost + 0.3 * cost
            self.stats["sends"] += 1
            self.stats["send_seconds"] += cost
