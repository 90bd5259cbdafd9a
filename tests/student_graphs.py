"""Graphs built the way students build them: the cells, as text, and builders for the test process.

- ``VERBATIM``: micrograd's README example copied as is (no labels).
- ``LECTURE_MLP``: the MLP of Karpathy's micrograd lecture written by hand
  (Neuron, Layer, MLP(2, [16, 16, 1]) from binary ops, hinge loss over 100
  moons points with Python's sum, L2 with Python's sum): about 65,800 nodes, no scopes.
- ``PACKAGE_MLP``: the package's own nn.MLP and hinge_loss on 100 moons points (scopes).

Each text defines the graph's output as ``out``; run it in a kernel (browser
tests, benchmarks) or with ``build`` here (unit tests).
"""

VERBATIM = """\
from micrograd_widgets import Value
a = Value(-4.0)
b = Value(2.0)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
out = g
"""

# moons without scikit-learn: the same two half circles, a fixed seed
MOONS = """\
import math, random
rng = random.Random(1337)
X, y = [], []
for i in range(100):
    t = math.pi * rng.random()
    if i % 2:
        X.append([math.cos(t) + rng.gauss(0, 0.1), math.sin(t) + rng.gauss(0, 0.1)]); y.append(1)
    else:
        X.append([1 - math.cos(t) + rng.gauss(0, 0.1), 0.5 - math.sin(t) + rng.gauss(0, 0.1)]); y.append(-1)
"""

LECTURE_MLP = (
    MOONS
    + """\
from micrograd_widgets import Value

class Neuron:
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin
    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act
    def parameters(self):
        return self.w + [self.b]

class Layer:
    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]
    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out
    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

class MLP:
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

random.seed(1337)
model = MLP(2, [16, 16, 1])
inputs = [list(map(Value, xrow)) for xrow in X]
scores = list(map(model, inputs))
losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
data_loss = sum(losses) * (1.0 / len(losses))
alpha = 1e-4
reg_loss = alpha * sum((p * p for p in model.parameters()))
total_loss = data_loss + reg_loss
out = total_loss
"""
)

PACKAGE_MLP = (
    MOONS
    + """\
from micrograd_widgets import Value, nn
model = nn.MLP(2, [16, 16, 1], seed=0)
scores = [model([Value(x0), Value(x1)]) for x0, x1 in X]
loss = nn.hinge_loss(scores, y)
out = loss
"""
)


def build(source: str):
    """Run one of the texts above here and return its ``out``."""
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - test fixtures written in this file
    return namespace["out"]
