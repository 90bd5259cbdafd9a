"""micrograd_widgets: a micrograd-style autograd engine you can touch in Jupyter."""

from .engine import GradcheckRow, Value, current_scope, dot, gradcheck, no_grad, scope, vsum

__all__ = ["GradcheckRow", "Value", "current_scope", "dot", "gradcheck", "no_grad", "scope", "vsum"]
