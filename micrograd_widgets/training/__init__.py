"""The trainer's model side, without a widget: the session (data, model, epochs,
history), its settings, the background runner and the numpy fast path."""

from .runner import Runner
from .session import Session
from .settings import MAX_LAYERS, MAX_NEURONS, validate

__all__ = ["MAX_LAYERS", "MAX_NEURONS", "Runner", "Session", "validate"]
