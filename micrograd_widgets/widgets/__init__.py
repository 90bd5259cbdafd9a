"""The live widgets: anywidget classes, one per module."""

from .graph import GraphWidget
from .trainer import Trainer

__all__ = ["GraphWidget", "Trainer"]
