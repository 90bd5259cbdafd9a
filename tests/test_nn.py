import math
import random

import micrograd.nn as micrograd_nn
import pytest
import torch
import torch.nn.functional as F
from torch_oracle import assert_matches_torch, close

from micrograd_widgets import MLP, SGD, Layer, Neuron, Value, bce_with_logits, hinge_loss, l2_penalty, mse_loss
from micrograd_widgets.data import moons
from micrograd_widgets.engine import logsumexp
from micrograd_widgets.nn import Adam, accuracy, cross_entropy, huber_loss, scheduled_lr


def torch_mlp(model: MLP):
    """The same MLP as torch tensors (W, b per layer) with the same weights."""
    layers = []
    for layer in model.layers:
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((W, b, layer.neurons[0].activation))
    return layers


def torch_forward(layers, X):
    a = X
    for W, b, activation in layers:
        a = a @ W.T + b
        a = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda z: z}[activation](a)
    return a[:, 0]


def torch_grads_in_our_order(layers):
    grads = []
    for W, b, _ in layers:
        for j in range(W.shape[0]):
            grads.extend(W.grad[j].tolist())
            grads.append(b.grad[j].item())
    return grads


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_gradients_match_torch_with_the_same_weights(activation):
    X, y = moons(40, noise=0.1, seed=3)
    model = MLP(2, [16, 16, 1], activation=activation, seed=0)
    scores = [model(x) for x in X.tolist()]
    loss = hinge_loss(scores, y.tolist()) + l2_penalty(model.parameters(), 1e-4)
    loss.backward()

    layers = torch_mlp(model)
    t_scores = torch_forward(layers, torch.tensor(X))
    t_y = torch.tensor(y, dtype=torch.float64)
    t_params = [t for W, b, _ in layers for t in (W, b)]
    t_loss = torch.relu(1 - t_y * t_scores).mean() + 1e-4 * sum((p * p).sum() for p in t_params)
    t_loss.backward()

    assert close(loss.data, t_loss.item())
    ours = [p.grad for p in model.parameters()]
    theirs = torch_grads_in_our_order(layers)
    assert len(ours) == len(theirs) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    mismatches = [
        (i, a, b) for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if not close(a, b, rel=1e-9, floor=1e-12)
    ]
    assert not mismatches


def test_mlp_parameters_follow_micrograds_order_and_count():
    ours = MLP(2, [16, 16, 1])
    random.seed(0)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    assert len(ours.parameters()) == len(theirs.parameters()) == 337
    names = [name for name, _ in ours.named_parameters()]
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert names[-1] == "layers.2.neurons.0.b"


def test_mlp_with_a_seed_is_reproducible_and_matches_micrograds_initialisation():
    a, b = MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=7)
    assert a.state_dict() == b.state_dict()
    random.seed(7)
    theirs = micrograd_nn.MLP(2, [4, 1])
    assert [p.data for p in a.parameters()] == [p.data for p in theirs.parameters()]


def test_mlp_last_layer_is_linear_like_micrograd():
    model = MLP(2, [3, 3, 1])
    assert [n.activation for layer in model.layers for n in layer.neurons][-1] == "linear"
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(2)")
    assert "LinearNeuron(3)" in repr(model)


def test_micrograd_nonlin_flag_is_still_accepted():
    assert Neuron(3, nonlin=False).activation == "linear"
    assert Neuron(3, nonlin=True).activation == "relu"


def test_neuron_weighted_sum_is_one_dot_node():
    neuron = Neuron(3, activation="tanh")
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "tanh"
    assert out.inputs[0].op == "dot"
    assert len(out.inputs[0].inputs) == 3 + 3 + 1


def test_mlp_nodes_record_their_module_scope():
    model = MLP(2, [3, 1])
    out = model([0.5, -0.5])
    assert out.scope == "layers.1.neurons.0"
    assert out.op == "dot"  # the last layer is linear
    hidden = out.inputs[3]  # dot inputs: 3 weights, then the 3 hidden outputs, then the bias
    assert hidden.scope == "layers.0.neurons.0"


def test_state_dict_round_trip_restores_weights():
    model = MLP(2, [4, 1], seed=1)
    saved = model.state_dict()
    for p in model.parameters():
        p.data += 1.0
    model.load_state_dict(saved)
    assert model.state_dict() == saved


def test_load_state_dict_with_wrong_names_raises():
    model = MLP(2, [4, 1], seed=1)
    with pytest.raises(KeyError, match="missing"):
        model.load_state_dict({"layers.0.neurons.0.w.0": 1.0})


def test_zero_grad_clears_parameter_grads():
    model = MLP(2, [4, 1], seed=1)
    model([1.0, 2.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: MLP(2, []), "at least one layer"),
        (lambda: MLP(2, [0, 1]), "nout >= 1"),
        (lambda: Neuron(0), "nin >= 1"),
        (lambda: Neuron(2, activation="gelu"), "activation must be one of"),
        (lambda: Neuron(2)([1.0]), "takes 2 inputs, got 1"),
        (lambda: SGD([Value(1.0)], lr=0), "learning rate > 0"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=1.5), "momentum"),
        (lambda: hinge_loss([Value(1.0)], [1, -1]), "1 scores but 2 targets"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---- losses against torch -------------------------------------------------------

LOGITS = [2.0, -1.5, 0.3, 40.0, -40.0, 800.0]
LABELS = [1, -1, 1, -1, 1, 1]


def test_hinge_loss_matches_torch():
    zs = [Value(z) for z in LOGITS[:4]]
    assert_matches_torch(hinge_loss(zs, LABELS[:4]))


def test_mse_loss_matches_torch():
    preds = [Value(z) for z in (0.5, -1.0, 2.0)]
    loss = mse_loss(preds, [1.0, 0.0, 2.5])
    loss.backward()
    t = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    t_loss = F.mse_loss(t, torch.tensor([1.0, 0.0, 2.5], dtype=torch.float64))
    t_loss.backward()
    assert close(loss.data, t_loss.item())
    assert all(close(p.grad, g) for p, g in zip(preds, t.grad.tolist(), strict=True))


def test_bce_with_logits_matches_torch_and_is_stable_for_huge_logits():
    zs = [Value(z) for z in LOGITS]
    loss = bce_with_logits(zs, LABELS)
    loss.backward()
    t = torch.tensor(LOGITS, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([1.0 if y > 0 else 0.0 for y in LABELS], dtype=torch.float64)
    t_loss = F.binary_cross_entropy_with_logits(t, targets)
    t_loss.backward()
    assert math.isfinite(loss.data)
    assert close(loss.data, t_loss.item())
    assert all(close(z.grad, g) for z, g in zip(zs, t.grad.tolist(), strict=True))


def test_bce_accepts_zero_one_and_plus_minus_one_labels_alike():
    a = bce_with_logits([Value(0.7), Value(-0.2)], [1, -1]).data
    b = bce_with_logits([Value(0.7), Value(-0.2)], [1, 0]).data
    assert a == b


def test_accuracy_counts_sign_agreement():
    assert accuracy([Value(1.0), Value(-2.0), Value(0.5)], [1, -1, -1]) == pytest.approx(2 / 3)


# ---- SGD --------------------------------------------------------------------------


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_matches_torch_sgd(momentum):
    start = [0.5, -1.5, 2.0]
    ours = [Value(v) for v in start]
    opt = SGD(ours, lr=0.1, momentum=momentum)
    t = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    t_opt = torch.optim.SGD([t], lr=0.1, momentum=momentum)
    for _ in range(5):
        loss = (ours[0] * ours[1] + ours[2] ** 2).tanh()
        loss.backward()
        opt.step()
        t_opt.zero_grad()
        torch.tanh(t[0] * t[1] + t[2] ** 2).backward()
        t_opt.step()
    assert all(close(p.data, q) for p, q in zip(ours, t.tolist(), strict=True))


@pytest.mark.slow
def test_training_on_moons_reaches_high_accuracy():
    X, y = moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    opt = SGD(model.parameters(), lr=0.5)
    for _ in range(60):
        scores = [model(x) for x in X.tolist()]
        loss = hinge_loss(scores, y.tolist()) + l2_penalty(model.parameters(), 1e-4)
        loss.backward()
        opt.step()
    assert accuracy(scores, y.tolist()) >= 0.95


def test_layer_of_one_neuron_returns_a_value_like_micrograd():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    assert len(Layer(2, 3)([1.0, 2.0])) == 3


def test_mlp_parameters_record_the_scope_of_their_neuron():
    model = MLP(2, [3, 1])
    assert model.layers[0].neurons[2].w[1].scope == "layers.0.neurons.2"
    assert model.layers[1].neurons[0].b.scope == "layers.1.neurons.0"


# ---- logsumexp and cross-entropy ------------------------------------------------------


@pytest.mark.parametrize(
    "logits", [[1.0, 2.0, 3.0], [1000.0, 1001.0, -5.0], [-1000.0, -1001.0, -999.5], [0.25], [-math.inf, 2.0, 0.0]]
)
def test_logsumexp_values_and_grads_match_torch_even_where_exp_overflows(logits):
    xs = [Value(v) for v in logits]
    root = logsumexp(xs) * 1.5
    assert math.isfinite(root.data)
    assert_matches_torch(root)


@pytest.mark.parametrize("target", [0, 1, 3])
def test_cross_entropy_and_its_grads_match_torch(target):
    start = [0.3, -1.2, 2.5, 800.0]  # 800: exp() overflows unless the sum is shifted by the max
    logits = [Value(v) for v in start]
    loss = cross_entropy(logits, target)
    loss.backward()
    t = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    t_loss = F.cross_entropy(t[None], torch.tensor([target]))
    t_loss.backward()
    assert close(loss.data, t_loss.item(), rel=1e-12)
    assert all(close(p.grad, g, rel=1e-12, floor=1e-15) for p, g in zip(logits, t.grad.tolist(), strict=True))


def test_cross_entropy_of_a_batch_is_the_mean_and_matches_torch():
    rows = [[0.1, 0.2, -0.3], [2.0, -1.0, 0.5], [-0.7, 0.0, 1.1]]
    targets = [2, 0, 1]
    logits = [[Value(v) for v in row] for row in rows]
    loss = cross_entropy(logits, targets)
    loss.backward()
    t = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    t_loss = F.cross_entropy(t, torch.tensor(targets))
    t_loss.backward()
    assert close(loss.data, t_loss.item(), rel=1e-12)
    ours = [v.grad for row in logits for v in row]
    assert all(close(a, b, rel=1e-12, floor=1e-15) for a, b in zip(ours, t.grad.ravel().tolist(), strict=True))


def test_cross_entropy_rejects_a_target_outside_the_classes():
    with pytest.raises(ValueError, match=r"class index in \[0, 2\]"):
        cross_entropy([Value(0.0), Value(1.0), Value(2.0)], 3)


def test_huber_loss_and_grads_match_torch_on_both_sides_of_delta():
    preds, targets = [0.2, 3.0, -2.5, 1.9], [0.0, 0.5, 0.0, 1.0]
    ours = [Value(v) for v in preds]
    loss = huber_loss(ours, targets)
    loss.backward()
    t = torch.tensor(preds, dtype=torch.float64, requires_grad=True)
    t_loss = F.huber_loss(t, torch.tensor(targets, dtype=torch.float64), delta=1.0)
    t_loss.backward()
    assert close(loss.data, t_loss.item(), rel=1e-12)
    assert all(close(p.grad, g, rel=1e-12) for p, g in zip(ours, t.grad.tolist(), strict=True))


def test_accuracy_of_logit_lists_compares_the_argmax_with_the_class():
    scores = [[Value(0.1), Value(2.0), Value(-1.0)], [Value(3.0), Value(0.0), Value(1.0)]]
    assert accuracy(scores, [1, 2]) == 0.5


# ---- optimizers and schedules, step by step against torch.optim ------------------------


def _quadratic_bowl(ps):
    # a loss with different curvature per parameter, so each moment buffer differs
    return (ps[0] * ps[1] + ps[2] ** 2).tanh() + 0.3 * ps[1] ** 2 + (ps[0] - ps[2]).exp() * 0.1


def _step_by_step(make_ours, make_torch, steps=25):
    start = [0.5, -1.5, 2.0]
    ours = [Value(v) for v in start]
    opt = make_ours(ours)
    t = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in start]
    t_opt = make_torch(t)
    for step in range(steps):
        opt.zero_grad()
        _quadratic_bowl(ours).backward()
        opt.step()
        t_opt.zero_grad()
        _quadratic_bowl(t).backward()
        t_opt.step()
        for p, q in zip(ours, t, strict=True):
            assert close(p.data, q.item(), rel=1e-12, floor=1e-15), (step, p.data, q.item())


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize("lr", [1e-3, 0.05])
def test_adam_follows_torch_adam_step_by_step(lr, weight_decay):
    _step_by_step(
        lambda ps: Adam(ps, lr=lr, weight_decay=weight_decay),
        lambda ts: torch.optim.Adam(ts, lr=lr, weight_decay=weight_decay, foreach=False),
    )


def test_adam_with_other_betas_and_eps_follows_torch():
    _step_by_step(
        lambda ps: Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6),
        lambda ts: torch.optim.Adam(ts, lr=0.02, betas=(0.8, 0.99), eps=1e-6, foreach=False),
    )


@pytest.mark.parametrize(("momentum", "weight_decay"), [(0.0, 0.0), (0.9, 0.0), (0.9, 0.01), (0.5, 0.1)])
def test_sgd_follows_torch_sgd_step_by_step(momentum, weight_decay):
    _step_by_step(
        lambda ps: SGD(ps, lr=0.05, momentum=momentum, weight_decay=weight_decay),
        lambda ts: torch.optim.SGD(ts, lr=0.05, momentum=momentum, weight_decay=weight_decay, foreach=False),
    )


def test_optimizer_state_dict_round_trip_continues_the_same_steps():
    a = [Value(v) for v in (0.5, -1.5, 2.0)]
    opt = Adam(a, lr=0.05)
    for _ in range(3):
        opt.zero_grad()
        _quadratic_bowl(a).backward()
        opt.step()
    b = [Value(p.data) for p in a]
    twin = Adam(b, lr=0.05)
    twin.load_state_dict(opt.state_dict())
    for opt_, ps in ((opt, a), (twin, b)):
        opt_.zero_grad()
        _quadratic_bowl(ps).backward()
        opt_.step()
    assert [p.data for p in a] == [p.data for p in b]


@pytest.mark.parametrize("schedule", ["step", "cosine"])
def test_lr_schedules_follow_torch_schedulers_epoch_by_epoch(schedule):
    period, base = 7, 0.3
    t_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    if schedule == "step":
        t_sched = torch.optim.lr_scheduler.StepLR(t_opt, step_size=period, gamma=0.5)
    else:
        t_sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(t_opt, T_0=period, eta_min=0.0)
    for epoch in range(40):
        assert close(scheduled_lr(base, epoch, schedule, period), t_opt.param_groups[0]["lr"], rel=1e-12, floor=0.0)
        t_opt.step()
        t_sched.step()


def test_cosine_schedule_reaches_zero_and_restarts():
    lrs = [scheduled_lr(1.0, e, "cosine", 10) for e in range(21)]
    assert lrs[0] == lrs[10] == lrs[20] == 1.0
    assert lrs[9] < 0.03 and lrs[5] == pytest.approx(0.5)


def test_unknown_lr_schedule_lists_the_known_ones():
    with pytest.raises(ValueError, match="'constant', 'step', 'cosine'"):
        scheduled_lr(0.1, 0, "linear")
