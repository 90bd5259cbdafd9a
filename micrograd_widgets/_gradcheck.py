"""gradcheck: autograd's gradients beside central finite differences, leaf by leaf.

Public as ``micrograd_widgets.gradcheck`` (and from ``micrograd_widgets.engine``).
"""

from typing import TYPE_CHECKING, NamedTuple

from ._replay import forward

if TYPE_CHECKING:
    from .engine import Value


class GradcheckRow(NamedTuple):
    """One leaf's autograd gradient beside its finite-difference estimate."""

    leaf: "Value"
    grad: float
    numeric: float
    difference: float


def gradcheck(root: "Value", eps: float = 1e-6) -> list:
    """Central finite differences for every input and parameter leaf, beside autograd's grads.

    Returns a list of ``GradcheckRow(leaf, grad, numeric, difference)``; the
    graph is left as it was found, with fresh gradients.
    """
    if eps <= 0:
        raise ValueError(f"gradcheck() needs eps > 0, got {eps}")
    topo = root.topo()
    root.backward()
    rows = []
    for leaf in topo:
        if leaf.inputs or leaf.kind == "constant":
            continue
        start = leaf.data
        leaf.data = start + eps
        forward(topo)
        up = root.data
        leaf.data = start - eps
        forward(topo)
        down = root.data
        leaf.data = start
        numeric = (up - down) / (2 * eps)
        rows.append(GradcheckRow(leaf, leaf.grad, numeric, abs(leaf.grad - numeric)))
    forward(topo)
    return rows
