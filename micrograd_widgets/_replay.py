"""Forward replay: recompute every value of a graph from its leaves, along an order already walked.

``Value.replay`` runs it before backward, ``gradcheck`` runs it for each nudged
leaf. The browser's copy is ``js/core/replay.js``; ``tests/test_cross_check.py``
runs both on the same graphs.
"""

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._ops import OPS

if TYPE_CHECKING:
    from .engine import Value


def forward(topo: "Sequence[Value]", record_errors=False):
    """Recompute ``node.data`` for every op node of ``topo`` (inputs before outputs) from the op table.

    An op undefined for its inputs gives NaN, which flows downstream; with
    ``record_errors`` each node's ``error`` says why (or is None again).
    """
    ops = OPS  # a local: NOTE [one call per node] in engine.py
    for node in topo:
        inputs = node.inputs
        if not inputs:
            continue
        values = [v.data for v in inputs]
        op = ops[node.code]
        if op.domain is not None:
            problem = op.domain(values, node.const)
            if record_errors:
                node.error = problem
            if problem is not None:
                node.data = math.nan
                continue
        node.data = op.forward(values, node.const)
