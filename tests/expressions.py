"""Expressions the tests share, built with this package's engine."""

from micrograd_widgets import Value


def micrograd_readme_expression(a_value=-4.0, b_value=2.0):
    """micrograd's README example, labelled: g.data 24.7041, a.grad 138.8338, b.grad 645.5773 (before backward)."""
    a = Value(a_value, label="a")
    b = Value(b_value, label="b")
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
    g.label = "g"
    return a, b, g
