"""The trainer's model side, without a widget: the settings table, the session (data, model,
epochs, history), the graphs the page replays, the background runner and the views' heartbeats."""

from .checks import MAX_LAYERS, MAX_NEURONS
from .runner import Runner
from .session import Session
from .settings import SETTINGS, validate

__all__ = ["MAX_LAYERS", "MAX_NEURONS", "Runner", "SETTINGS", "Session", "validate"]
