"""Every example notebook runs top to bottom, as a lecturer would run it, and shows what its text says.

Each lecture has an entry in LECTURES: a function that reads the executed
notebook's outputs and asserts the numbers and pictures the lecture talks
about. A new notebook without an entry fails here until it gets one.
"""

import pathlib
import re

import pytest

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


class Shown:
    """What an executed notebook shows: its text outputs and its rich outputs' mime types."""

    def __init__(self, notebook):
        self.cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        self.text = "\n".join(self.cell_text(cell) for cell in self.cells)

    @staticmethod
    def cell_text(cell):
        parts = []
        for output in cell.outputs:
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                parts.append(output.data.get("text/plain", "") + "\n")
        return "".join(parts)

    def has(self, *lines):
        """Each line appears exactly as a whole line of some output."""
        shown = set(self.text.splitlines())
        missing = [line for line in lines if line not in shown]
        assert not missing, f"not shown: {missing}\n--- shown:\n{self.text}"

    def number(self, pattern):
        """The float captured by ``pattern``'s first group (the pattern must match)."""
        match = re.search(pattern, self.text)
        assert match, f"{pattern!r} not in\n{self.text}"
        return float(match.group(1))

    def rich(self, mime):
        """Every output of this mime type, in order."""
        return [
            output.data[mime]
            for cell in self.cells
            for output in cell.outputs
            if output.output_type in ("execute_result", "display_data") and mime in output.data
        ]


def chain_rule(shown):
    shown.has("24.7041", "138.8338", "645.5773")  # micrograd's README numbers
    shown.has("-4.0 24.70408163265306 138.83381924198252")
    shown.has("g = 14112.0004, dg/da = 4199.9999", "g = 24.7041, dg/da = 138.8338")  # w.set, then w.reset
    shown.has("g = 264.5189")  # w.refresh after b.data = 1.5
    widgets = shown.rich("application/vnd.jupyter.widget-view+json")
    pictures = shown.rich("image/svg+xml")
    assert len(widgets) == len(pictures) == 3  # each widget also carries its static picture
    assert "data 24.7041" in pictures[0]
    # u used twice in v = u * u: its grad is the sum of two contributions, 2 * u
    assert re.search(r">u<.*?>data 3\.0000<.*?>grad 6\.0000<", pictures[2], re.S)


def training(shown):
    # the documented default setup, whatever else the repr grows to show
    (first,) = [line for line in shown.text.splitlines() if line.startswith("Trainer(data='moons'")]
    for part in ("sizes=[2, 16, 16, 1]", "loss='hinge'", "lr=0.5", "epoch=0"):
        assert part in first, (part, first)
    assert shown.number(r"epoch 100: train loss [\d.]+, train accuracy (\d+)%") >= 97
    shown.has("[2, 16, 16, 1] 337 parameters")
    rows = re.findall(r"^(\d+) ([\d.]+) ([\d.]+)$", shown.text, re.M)
    assert [int(epoch) for epoch, _, _ in rows] == [1, 21, 41, 61, 81]
    losses = [float(loss) for _, loss, _ in rows]
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0] / 10
    # one point's loss graph holds every parameter and both coordinates of the point
    assert shown.number(r"\((\d+), 'nodes in the loss graph of point 0'\)") >= 337 + 2
    assert shown.number(r"epoch 150: train accuracy (\d+)%") >= 90  # the spirals, with mini-batches
    assert shown.number(r"accuracy (\d+)% after 60 epochs; same object: True") >= 90


def neuron(shown):
    shown.has("o = 0.7071")
    shown.has(
        "x1  data   2.0000   grad  -1.5000",
        "w1  data  -3.0000   grad   1.0000",
        "x2  data   0.0000   grad   0.5000",
        "w2  data   1.0000   grad   0.0000",
        " b  data   6.8814   grad   0.5000",
    )
    rows = re.findall(r"^\s*(\w+)\s+autograd\s+(\S+)\s+numeric\s+(\S+)\s+difference\s+(\S+)$", shown.text, re.M)
    assert [leaf for leaf, *_ in rows] == ["x1", "w1", "x2", "w2", "b"]
    assert all(float(difference) < 1e-6 for *_, difference in rows)  # "agree to about six digits"


def backprop_by_hand(shown):
    shown.has("Value(data=-8, grad=0, label='L')")
    shown.has("step 1/7: L, grad = 1.0000", "  -> d: 1.0000 × -2.0000 = -2.0000", "  -> f: 1.0000 × 4.0000 = 4.0000")
    # reverse topological order: every node after all the nodes that use it
    assert re.findall(r"^step \d/7: (\w+),", shown.text, re.M) == ["L", "f", "d", "c", "e", "b", "a"]
    shown.has("  -> a: -2.0000 × -3.0000 = 6.0000", "  -> b: -2.0000 × 2.0000 = -4.0000")
    shown.has(
        "a  grad   6.00", "b  grad  -4.00", "c  grad  -2.00", "f  grad   4.00", "e  grad  -2.00", "d  grad  -2.00"
    )
    shown.has("d True", "e True", "a True", "b False", "Score(right=3, attempted=4, total=6)")  # a forgotten minus
    shown.has("(True, Score(right=4, attempted=4, total=6))")


def common_bugs(shown):
    shown.has(
        "after backward #1: w.grad = 3.0000",
        "after backward #2: w.grad = 6.0000",
        "after backward #3: w.grad = 9.0000",
        "w.grad = 3.0000",
    )
    clean = shown.number(r"zero_grad every step: loss ([\d.]+)")
    piled = shown.number(r"gradients piling up:\s+loss ([\d.]+)")
    assert piled > clean  # the piled-up gradient trains worse
    assert re.search(r"^diverged at epoch \d+: lower the learning rate$", shown.text, re.M)
    shown.has("a.grad = 2.0")


def static_pictures(shown):
    (dot,) = shown.rich("image/svg+xml")
    for text in ("data &#45;8.0000", "grad 1.0000", "grad 6.0000", "grad &#45;4.0000"):  # L, and a's and b's grads
        assert text in dot, text
    assert shown.number(r"loss [\d.]+, accuracy (\d+)%") >= 95
    assert len(shown.rich("image/png")) == 1  # the decision boundary


def beyond_binary(shown):
    # cross-entropy's gradient is softmax minus the one-hot target
    shown.has("grads [-0.2946, 0.2595, 0.0351]", "softmax - one-hot [-0.2946, 0.2595, 0.0351]")
    shown.has("no overflow at z = 1000: 1000.0")
    shown.has("multiclass 3 cross_entropy [2, 16, 16, 3]")
    finals = [float(v) for v in re.findall(r"^\s+150\s+[\d.]+\s+(-?[\d.]+)\s+-?[\d.]+$", shown.text, re.M)]
    assert len(finals) == 2 and finals[0] >= 0.9 and finals[1] >= 0.8, finals  # spiral accuracy, reg-gauss R²
    assert shown.number(r"huber: mean squared error on the clean points ([\d.]+)") < shown.number(
        r"mse: mean squared error on the clean points ([\d.]+)"
    )
    assert shown.number(r"tanh: dims 1, train R² ([\d.]+)") >= 0.8
    assert shown.number(r"\['x1\^2', 'x2\^2'\]: accuracy ([\d.]+)") > shown.number(r"\['x1', 'x2'\]: accuracy ([\d.]+)")
    shown.has("unknown feature(s) ['x3']; accepted: x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)")
    assert shown.number(r"adam \(lr 0.03\): loss [\d.]+, accuracy ([\d.]+)") > shown.number(
        r"sgd \(lr 0.5\): loss [\d.]+, accuracy ([\d.]+)"
    )
    shown.has("epoch  15: lr now 0.0586", "epoch  20: lr now 0.4000")  # cosine to 0 over 20 epochs, then restart
    shown.has("multiclass 3 ['cat', 'dog', 'fox']")
    shown.has("7 points, labels ['cat', 'cat', 'dog', 'dog', 'fox', 'fox', 'dog']")
    shown.has("same next five losses: True")
    assert len(shown.rich("application/vnd.jupyter.widget-view+json")) == 3


def lecture_mlp_by_hand(shown):
    shown.has("number of parameters 337", "65818 nodes in the loss graph")  # the count: no scopes, no labels
    # names from the notebook: the output's variable, the weights' attribute paths
    shown.has("the output shows as 'total_loss'")
    names = ", ".join(f"'model.layers[0].neurons[3].{p}'" for p in ("b", "w[0]", "w[1]"))
    shown.has(f"3 nodes under model.layers[0].neurons[3]: [{names}]")
    assert len(shown.rich("application/vnd.jupyter.widget-view+json")) == 2


def to_pytorch(shown):
    shown.has("import torch", "class Model(nn.Module):", "        features = torch.stack([x1, x2, x1 * x2], dim=1)")
    shown.has("    (4): Linear(in_features=8, out_features=1, bias=True)", "80 training points")
    # torch's train() from the trainer's first weights follows the trainer's 100 epochs to rounding
    micrograd = shown.number(r"after 100 epochs: micrograd ([\d.]+), torch")
    assert micrograd == shown.number(r"after 100 epochs: micrograd [\d.]+, torch ([\d.]+)") < 0.1
    assert shown.number(r"largest relative difference over 100 epochs: ([\d.e+-]+)") < 1e-10
    assert shown.number(r"largest difference on 100 points: ([\d.e+-]+)") < 1e-12  # the trained model's scores
    shown.has("test accuracy: torch 1.00, trainer 1.00")
    assert len(shown.rich("application/vnd.jupyter.widget-view+json")) == 1


LECTURES = {
    "01_chain_rule.ipynb": chain_rule,
    "02_training.ipynb": training,
    "03_neuron.ipynb": neuron,
    "04_backprop_by_hand.ipynb": backprop_by_hand,
    "05_common_bugs.ipynb": common_bugs,
    "06_static.ipynb": static_pictures,
    "08_lecture_mlp_by_hand.ipynb": lecture_mlp_by_hand,
    "07_beyond_binary.ipynb": beyond_binary,
    "09_to_pytorch.ipynb": to_pytorch,
}


def test_there_are_example_notebooks():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_example_notebook_runs_top_to_bottom_and_shows_what_it_says(path, tmp_path):
    # imported here: nbformat takes seconds to import, and the fast loop collects this module
    import nbformat
    from nbclient import NotebookClient

    assert path.name in LECTURES, f"say what {path.name} shows: add a function to LECTURES in {__file__}"
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        f"{path.name} is committed with outputs: clear them"
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors
    LECTURES[path.name](Shown(notebook))
