"""One epoch of training on Value graphs: the mini-batches, the loss graph of each, backward, the optimizer step.

The page runs the same epoch by replaying the graph of each batch length
(js/trainer/epoch.js); what must agree between the two is written once here:
the batches come from Python's own shuffle (``random.Random``), the loss graph
from loss_graph.py, the learning rate from ``nn.scheduled_lr``.
"""

import contextlib
import gc
import math

from ..data import shuffle
from .loss_graph import batch_loss


def batches(train_index, size, rng) -> list:
    """The epoch's batches of point indexes: all of them at once, or shuffled and cut into ``size``."""
    index = list(train_index)
    if size is None or size >= len(index):
        return [index]
    shuffle(rng, index)
    return [index[i : i + size] for i in range(0, len(index), size)]


def batch_lengths(count, size) -> list:
    """The lengths an epoch's batches have: the full ones and the shorter last one."""
    if size is None or size >= count:
        return [count]
    return sorted({size, count % size} - {0}, reverse=True)


# NOTE [no cyclic GC during an epoch]
# An epoch allocates ~10,000 Values; every 700 allocations CPython's cyclic
# collector scans the young ones, and now and then the old ones too. The
# graph has no reference cycles (see NOTE [no cycles] in engine.py), so
# reference counting frees it anyway: pausing the collector for the epoch cut
# its CPU time by about a third on the default moons setup.
@contextlib.contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run(session, order, cancelled=None):
    """The optimizer steps of one epoch over ``order`` (its batches): True, False if a loss was not finite
    (no step taken on it), None if ``cancelled()`` said so before the first update."""
    s = session.settings
    model, params, optimizer = session.model, session.params, session.optimizer
    rows, targets = session.rows, session.targets
    for k, batch in enumerate(order):
        if cancelled is not None and k == 0 and cancelled():
            return None
        inputs = [rows[i] for i in batch]
        loss = batch_loss(model, inputs, [targets[i] for i in batch], s["task"], s["loss"], s["l2"], params, batch)
        if not math.isfinite(loss.data):
            return False  # do not step on inf/NaN gradients: keep the last finite weights
        if s["zero_grad"]:
            loss.backward()
        else:  # the classic bug, on purpose: grads pile up from step to step
            loss.backward(accumulate=True)
        optimizer.step()
    return True
