"""A Trainer's side of the talk with its views: what it hears (heartbeats, the page's reports, play,
pause and the rest) and what it sends them (the session's state, a new revision when it must win).

NOTE [who trains, and whose numbers win] (js/trainer/engine.js) tells the
page's side. Here: the kernel picks which page drives (``driver``, an engine's
id), takes that page's reports into the session (training/page.py checks
them), moves the driving to another page when the driving one goes, and
pauses when no view is left.
"""

import math
from typing import Any

from ..training.page import apply_report
from ..training.settings import SESSION_SETTINGS
from . import _trainer_state as wire_state
from ._trainer_options import MESSAGE_CONTROLS, NO_VIEW


class PageProtocol:
    """The Trainer's handlers of its views' messages and its publishing to them (a part of the Trainer class)."""

    # what the Trainer holds and this part uses (widgets/trainer.py sets them)
    _session: Any  # training.Session
    _runner: Any  # training.Runner
    _revision: int
    _point_key: Any
    selected: int
    point: dict

    def _on_message(self, widget, content, buffers):
        kind = content.get("type") if isinstance(content, dict) else None
        engine = content.get("engine") if isinstance(content, dict) else None
        if kind in MESSAGE_CONTROLS and MESSAGE_CONTROLS[kind] in self.locked:
            # the page disables a locked control; a page that did not (an old one, a script) is refused here
            self.status = f"locked: {MESSAGE_CONTROLS[kind]} can't be changed here"
            return
        if kind == "view":
            self._on_view(content.get("event"), content.get("view"), engine)
        elif kind in ("report", "pause", "step") and content.get("report") is not None and self.driver in ("", engine):
            # the page that drives; or, when none does, any page (a step it took, the last numbers after
            # a pause from Python): its revision and its epochs must follow the kernel's (apply_report checks)
            self._take_report(content["report"], buffers)
        if kind == "play":
            if engine and not self.program.get("reason") and self._views.knows(engine):
                self._drive(engine)
            else:
                self.play()
        elif kind == "pause":
            self.pause()
            self._refresh_picture()
        elif kind == "step" and content.get("report") is None:
            self.step()
        elif kind in ("reset", "regenerate", "undo_point", "clear_points", "fit_axes"):
            getattr(self, kind)()
        elif kind == "select":
            try:
                self.select(content.get("index", -1))
            except ValueError as error:
                self.status = str(error)
        elif kind == "add_point":
            self._add_point_from_view(content)
        elif kind == "edit":
            self._edit_from_view(content)
        elif kind == "copy_setup":
            self.send({"type": "setup", "text": self.setup_text()})
        elif kind == "copy_torch":
            try:
                self.send({"type": "torch", "text": self.torch_code()})
            except ValueError as error:  # a model with a forward pass of its own: said where the button is
                self.status = str(error)

    def _take_report(self, report, buffers):
        if report.get("revision") != self._revision or not apply_report(self._session, report, buffers):
            return
        self.epoch, self.lr_now = self._session.epoch, self._session.lr_now
        if self._session.diverged:
            self.status, self.running, self.driver = self._session.status, False, ""
        if len(self._views.engines()) > 1:  # other pages follow the kernel's numbers
            self._publish()

    def _edit_from_view(self, content):
        # a weight changed by hand in the page: {index in the flat parameters, value}; the page shows it
        # already (no new revision), Python's t.state() holds it from the next cell on
        index, value = content.get("index"), content.get("value")
        params = self._session.params
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(params):
            self.status = f"edit: no weight {index!r} (this network has {len(params)})"
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.status = f"edit: a weight must be a finite number, got {value!r}"
            return

        def job(session):
            session.params[index].data = float(value)

        self._keep_revision = True  # the page shows the edit already: no new revision
        self._change(job)

    def _add_point_from_view(self, content):
        # a click in draw mode: (x, y) on the plane, the label in the view's convention
        # (-1/+1, a class id, or on a 1-D fit the target, with x the only coordinate)
        try:
            x, y, label = (float(content.get(k)) for k in ("x", "y", "label"))
            point = [x] if self._session.dims == 1 else [x, y]
            points, labels = self._session.prepare_points([point], [label], internal=True)
        except (TypeError, ValueError) as error:
            self.status = f"add_point: {error}"
            return
        self._change(lambda session: session.append_points(points, labels), data=True)

    def _on_view(self, event, view, engine):
        if self._runner.closed or not self._views.message(event, view, engine):
            return
        if event == "close":
            self._check_views()
            return
        if self.driver and self.driver not in self._views.engines():
            self._drive(self._views.latest_engine())  # the page that trained is gone: this one goes on
        elif self._no_view:
            self._no_view = False
            self.play()
        elif event == "open" and self._runner.playing and not self.driver:
            self.play()  # played from a cell before a view was shown: the page trains it from here
        if event == "open" or self._stale:
            self._stale = False  # a new view (or one back from silence) may hold an old copy
            self._publish(revision=not self.driver)

    def _check_views(self):
        """Pause when nobody is looking (a view's close, and the training thread between epochs)."""
        if self.driver and self.driver not in self._views.engines():
            engine = self._views.latest_engine()
            if engine:
                self._drive(engine)
                return
        if (self._runner.playing or self.driver) and self._views.unseen():
            self._no_view = True
            self._runner.pause()
            self.driver, self.running, self.status = "", False, NO_VIEW

    def _drive(self, engine):
        """The page ``engine`` trains from now on; a change of page starts it from the kernel's numbers."""
        moved = self.driver not in ("", engine)
        self.driver, self.running, self.status = engine, True, ""
        if moved:
            self._publish(revision=True)
        else:
            self.lr_now = self._session.lr_now

    # ---- state -> views -------------------------------------------------------------------------

    def _session_settings(self) -> dict:
        return {name: self._session.settings[name] for name in SESSION_SETTINGS}

    def _change(self, job, data=False):
        """Run ``job(session)`` between the kernel's epochs (now, when it is not training), then publish.

        A ValueError shows in the status (the data changed under a queued add, a split that
        leaves no training points) and the controls show the session's values again.
        """

        def run(session):
            try:
                job(session)
            except ValueError as error:
                self._error = str(error)
            if data:
                self._changed |= {"data", "program"}

        self._runner.submit(run)

    def _publish(self, data=False, program=False, revision=False):
        """Send the session's state to the views; a new revision replaces what the pages hold."""
        session = self._session
        with session.lock:
            if revision:
                self._revision += 1
            state = {"train_state": wire_state.train_state(session, self._revision), **self._session_settings()}
            if data:
                state["dataset"] = wire_state.dataset_state(session)
            if program:
                state["program"] = wire_state.program_state(session)
            state.update(epoch=session.epoch, lr_now=session.lr_now, status=self._status())
            if self.selected >= 0:
                state["point"] = self._point_state(session)
        with self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)

    def _point_state(self, session) -> dict:
        # the graph's shape goes once per point and model; afterwards only its numbers
        key = (self.selected, tuple(session.model.sizes), session.settings["activation"], session.settings["loss"],
               self._revision if "data" in self._changed else 0)  # fmt: skip
        point = wire_state.point_state(session, self.selected)
        if point and key == self._point_key:
            point["structure"] = self.point.get("structure", point["structure"])
        self._point_key = key
        return point

    def _publish_progress(self, session, final):
        """The runner's publisher, after its jobs and epochs: the kernel's numbers, a new revision."""
        changed, self._changed = self._changed, set()
        keep, self._keep_revision = self._keep_revision, False
        if self._views.unseen() and not changed:
            # nobody is looking: keep what Python reads true, send no state
            self._stale = True
            with self.hold_sync():
                self.epoch, self.status = session.epoch, self._status()
                self.running = self._runner.running if final else True
            return
        self._publish(data="data" in changed, program="program" in changed, revision=not keep)
        self.running = (self._runner.running or bool(self.driver)) if final else True

    def _status(self) -> str:
        session = self._session
        return session.status or self._error or self._runner.error or (NO_VIEW if self._no_view else "")
