"""activations.* against hand-computed values, and each _grad against a central difference of its function."""

from __future__ import annotations

import math

import pytest

from grader.solvers import get_solver
from tests.solvers.checks import F, same

LN2, LN3 = math.log(2.0), math.log(3.0)

CASES = [
    ("activations.relu", dict(x=[-2, 0, 3]), F([0, 0, 3])),
    ("activations.relu", dict(x=-1.5), 0.0),
    ("activations.relu_grad", dict(x=[-2, 0, 3]), F([0, 0, 1])),
    ("activations.relu_grad", dict(x=[-2, 0, 3], at_zero=1), F([0, 1, 1])),
    # Chain rule: upstream * f'(x).
    ("activations.relu_grad", dict(x=[[-2, 0, 3]], upstream=[[5, 5, 5]]), F([[0, 0, 5]])),
    ("activations.leaky_relu", dict(x=[-2, 0, 3], alpha=0.1), F([-0.2, 0, 3])),
    ("activations.leaky_relu_grad", dict(x=[-2, 0, 3], alpha=0.1), F([0.1, 0.1, 1])),
    # sigmoid(0) = 1/2, s'(0) = 1/4; sigmoid(ln 3) = 1/(1 + 1/3) = 3/4, s' = 3/4 * 1/4 = 3/16.
    ("activations.sigmoid", dict(x=[0, LN3]), F([0.5, 0.75])),
    ("activations.sigmoid_grad", dict(x=[0, LN3]), F([0.25, 0.1875])),
    # Large |x| does not overflow: sigmoid(-1000) = 0.
    ("activations.sigmoid", dict(x=[-1000, 1000]), F([0, 1])),
    # tanh(ln 2) = (2 - 1/2)/(2 + 1/2) = 0.6, derivative 1 - 0.36 = 0.64.
    ("activations.tanh", dict(x=[0, LN2]), F([0, 0.6])),
    ("activations.tanh_grad", dict(x=[0, LN2]), F([1, 0.64])),
    # elu(-ln 2) = e^(-ln 2) - 1 = -1/2, derivative e^(-ln 2) = 1/2.
    ("activations.elu", dict(x=[-LN2, 2]), F([-0.5, 2])),
    ("activations.elu_grad", dict(x=[-LN2, 2]), F([0.5, 1])),
    # gelu(1) = Phi(1) = 0.8413447 (normal table), gelu(-1) = -Phi(-1) = -0.1586553; gelu'(0) = Phi(0) = 1/2.
    ("activations.gelu", dict(x=[0, 1, -1]), F([0, 0.8413447461, -0.1586552539])),
    ("activations.gelu_grad", dict(x=0), 0.5),
    # tanh approximation at 1: 0.5 (1 + tanh(0.7978846 * 1.044715)) = 0.5 (1 + tanh(0.8335663)) = 0.8411920.
    ("activations.gelu", dict(x=1, approximate="tanh"), 0.8411919906),
    # softmax([0, ln 3]) = [1, 3]/4; rows of a matrix separately.
    ("activations.softmax", dict(x=[0, LN3]), F([0.25, 0.75])),
    ("activations.softmax", dict(x=[[0, 0], [0, LN3]]), F([[0.5, 0.5], [0.25, 0.75]])),
    # Jacobian y_i (delta_ij - y_j), y = [1/4, 3/4]: diagonal 1/4 * 3/4 = 3/16, off-diagonal -3/16.
    ("activations.softmax_grad", dict(x=[0, LN3]), F([[0.1875, -0.1875], [-0.1875, 0.1875]])),
    # With upstream g = [1, 0]: g J = first row of J.
    ("activations.softmax_grad", dict(x=[0, LN3], upstream=[1, 0]), F([0.1875, -0.1875])),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_activations_table(name, args, expected):
    got = get_solver(name)(**args)
    assert same(got, expected, tol=1e-9), got


@pytest.mark.parametrize(("name", "extra"), [("relu", {}), ("leaky_relu", {"alpha": 0.2}), ("sigmoid", {}),
                                             ("tanh", {}), ("elu", {"alpha": 1.5}), ("gelu", {}),
                                             ("gelu", {"approximate": "tanh"})])
def test_derivative_matches_central_difference(name, extra):
    f, df = get_solver(f"activations.{name}"), get_solver(f"activations.{name}_grad")
    xs, h = [-2.5, -0.7, 0.3, 1.9], 1e-6
    numeric = [(f(x=x + h, **extra) - f(x=x - h, **extra)) / (2 * h) for x in xs]
    assert df(x=xs, **extra) == pytest.approx(numeric, abs=1e-6)
