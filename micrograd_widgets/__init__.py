"""micrograd_widgets: a micrograd-style autograd engine you can touch in Jupyter.

``from micrograd_widgets import Value`` runs micrograd's examples unchanged;
``display(loss.widget())`` draws the graph live; ``widgets.Trainer()`` trains an MLP live.
"""

from . import data, nn, viz
from .engine import GradcheckRow, Value, current_scope, dot, gradcheck, logsumexp, no_grad, scope, vsum
from .nn import (
    MLP,
    SGD,
    Adam,
    Layer,
    Module,
    Neuron,
    bce_with_logits,
    cross_entropy,
    hinge_loss,
    huber_loss,
    l2_penalty,
    mse_loss,
)
from .viz import draw_dot, plot_decision_boundary

__all__ = [
    "Adam",
    "GradcheckRow",
    "Layer",
    "MLP",
    "Module",
    "Neuron",
    "SGD",
    "Value",
    "bce_with_logits",
    "cross_entropy",
    "current_scope",
    "data",
    "dot",
    "draw_dot",
    "gradcheck",
    "hinge_loss",
    "huber_loss",
    "l2_penalty",
    "logsumexp",
    "mse_loss",
    "nn",
    "plot_decision_boundary",
    "viz",
    "no_grad",
    "scope",
    "vsum",
]
