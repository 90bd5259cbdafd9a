"""Rebuild a Value graph in torch float64 and read torch's values and gradients back.

torch is the oracle: each op code maps to torch's own op, so an error in our op
table or our backward shows up as a disagreement.
"""

import math

import torch
import torch.nn.functional as F

from micrograd_widgets import _ops


def _torch_op(code, xs, const):
    if code == _ops.ADD:
        return xs[0] + xs[1]
    if code == _ops.SUB:
        return xs[0] - xs[1]
    if code == _ops.MUL:
        return xs[0] * xs[1]
    if code == _ops.DIV:
        return xs[0] / xs[1]
    if code == _ops.NEG:
        return -xs[0]
    if code == _ops.POW:
        return torch.pow(xs[0], xs[1])
    if code == _ops.POWC:
        return torch.pow(xs[0], const)
    if code == _ops.RELU:
        return torch.relu(xs[0])
    if code == _ops.TANH:
        return torch.tanh(xs[0])
    if code == _ops.EXP:
        return torch.exp(xs[0])
    if code == _ops.LOG:
        return torch.log(xs[0])
    if code == _ops.SIGMOID:
        return torch.sigmoid(xs[0])
    if code == _ops.SOFTPLUS:
        return F.softplus(xs[0])
    if code == _ops.DOT:
        n = len(xs) // 2
        total = torch.dot(torch.stack(xs[:n]), torch.stack(xs[n : 2 * n]))
        return total + xs[-1] if len(xs) % 2 else total
    if code == _ops.SUM:
        return torch.stack(xs).sum()
    if code == _ops.LOGSUMEXP:
        return torch.logsumexp(torch.stack(xs), dim=0)
    raise AssertionError(f"no torch op for code {code}")


def torch_mirror(root):
    """(data, grads) lists in the order of root.topo(), computed by torch."""
    nodes = root.topo()
    index = {id(node): i for i, node in enumerate(nodes)}
    tensors = []
    for node in nodes:
        if not node.inputs:
            t = torch.tensor(node.data, dtype=torch.float64, requires_grad=True)
        else:
            t = _torch_op(node.code, [tensors[index[id(c)]] for c in node.inputs], node.const)
            t.retain_grad()
        tensors.append(t)
    tensors[-1].backward()
    data = [t.item() for t in tensors]
    grads = [t.grad.item() if t.grad is not None else 0.0 for t in tensors]
    return data, grads


def close(a, b, rel=1e-9, floor=1e-12):
    """Equal within ``rel`` relative error, or ``floor`` absolute; NaN equals NaN, infs must match."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), floor)


def assert_matches_torch(root, rel=1e-9, floor=1e-12):
    """Every node's data and grad agree with torch's for the same graph."""
    root.backward()
    data, grads = torch_mirror(root)
    for i, node in enumerate(root.topo()):
        assert close(node.data, data[i], rel, floor), (i, node.op, node.data, data[i])
        assert close(node.grad, grads[i], rel, floor), (i, node.op, node.grad, grads[i])


def torch_local(code, values, const=0.0):
    """One op at these input floats, by torch: (out, [d out / d input_i])."""
    xs = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in values]
    out = _torch_op(code, xs, const)
    grads = torch.autograd.grad(out, xs, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]
