"""The live widgets: anywidget classes, one per module."""

from .graph import GraphWidget

__all__ = ["GraphWidget"]
