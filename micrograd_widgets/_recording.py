"""What this thread records in new nodes: the scope they belong to, and whether ops record a graph at all.

``scope``, ``no_grad`` and ``current_scope`` are public from ``micrograd_widgets``
and ``micrograd_widgets.engine``; the engine reads ``_state`` for every node it makes.
"""

import threading

# NOTE [per-thread state]
# The scope new nodes are recorded in ("layers.0.neurons.3") and whether ops
# record a graph at all belong to the thread that builds the graph: the
# trainer trains on a background thread while cells run on the main one, and a
# cell's `with no_grad():` must not stop the trainer's graphs (nor its
# "sample.17" scope leak into the cell's nodes).


class _ThreadState(threading.local):  # NOTE [per-thread state]
    scope = ""
    grad_enabled = True


_state = _ThreadState()


class scope:
    """Context manager: nodes made inside record ``name`` (nested scopes join with dots)."""

    __slots__ = ("name", "_saved")

    def __init__(self, name):
        self.name = str(name)

    def __enter__(self):
        self._saved = outer = _state.scope
        _state.scope = f"{outer}.{self.name}" if outer else self.name
        return self

    def __exit__(self, *exc):
        _state.scope = self._saved


class no_grad:
    """Context manager: ops inside record no graph (their results are plain leaves), like torch.no_grad."""

    __slots__ = ("_saved",)

    def __enter__(self):
        self._saved = _state.grad_enabled
        _state.grad_enabled = False
        return self

    def __exit__(self, *exc):
        _state.grad_enabled = self._saved


def current_scope() -> str:
    """The scope new nodes are recorded in (on this thread)."""
    return _state.scope
