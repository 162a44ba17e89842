"""Named NumPy truths a spec may use instead of its reference expression.

Each truth takes the sampled values (column vectors (n, 1), matrices, 0-d
scalars) and returns the expected array.  They call grader.solvers where a
solver exists, or compute the answer independently (finite differences,
direct counting) so that the reference LaTeX is itself checked.
"""

from __future__ import annotations

import re
from typing import TypeVar
from collections.abc import Callable, Mapping

import numpy as np

Values = Mapping[str, np.ndarray]
Truth = Callable[[Values], np.ndarray]
_T = TypeVar("_T", bound=Truth)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

#: name -> truth; the package's own below, plus any registered with @truth (assignment-local modules)
TRUTHS: dict[str, Truth] = {}


def truth(name: str) -> Callable[[_T], _T]:
    """Register a NumPy truth under ``name`` (``@truth("my_truth")``) for a spec's ``truth:`` key.

    Register before the specs that use it are validated.  Registering the same name twice is an
    error, except for the same function again (a module that is re-imported)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"truth name {name!r} must be lower_case_with_underscores")

    def register(fn: _T) -> _T:
        if not callable(fn):
            raise TypeError(f"truth {name!r} must be a function of the sampled values")
        old = TRUTHS.get(name)
        same = old is not None and (old.__module__, old.__qualname__) == (fn.__module__, fn.__qualname__)
        if old is not None and not same:
            raise ValueError(f"truth {name!r} is already registered (by {old.__module__}.{old.__qualname__})")
        TRUTHS[name] = fn
        return fn

    return register


def known_truths() -> list[str]:
    return sorted(TRUTHS)


def _vec(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=float).reshape(-1)


def softmax_jacobian(values: Values) -> np.ndarray:
    from grader.solvers.softmax import softmax_jacobian as jac

    return np.asarray(jac(_vec(values["z"])), dtype=float)


def cross_entropy_grad(values: Values) -> np.ndarray:
    from grader.solvers.softmax import cross_entropy_grad as grad

    return np.asarray(grad(_vec(values["z"]), _vec(values["y"])), dtype=float).reshape(-1, 1)


def dropout_local_grad(values: Values) -> np.ndarray:
    """∂f_i/∂a_i of inverted dropout: the backward pass of a unit upstream gradient."""
    from grader.solvers.dropout import backward

    m = _vec(values["m"])
    return np.asarray(backward(np.ones_like(m), m, float(values["p"])), dtype=float).reshape(-1, 1)


def receptive_field_3x3(values: Values) -> np.ndarray:
    """Side of the receptive field after L stacked 3×3 stride-1 convolutions, by counting."""
    layers = int(round(float(values["L"])))
    field = 1
    for _ in range(layers):
        field += 3 - 1  # each 3×3 stride-1 layer widens the field by kernel - 1
    return np.asarray(float(field))


def quadratic_form_grad(values: Values) -> np.ndarray:
    """∇_w (wᵀ A w) by central differences (exact for a quadratic up to rounding)."""
    A = np.asarray(values["A"], dtype=float)
    w = np.asarray(values["w"], dtype=float).reshape(-1, 1)
    h = 1e-3
    out = np.empty_like(w)
    for k in range(w.shape[0]):
        e = np.zeros_like(w)
        e[k, 0] = h
        f_plus = ((w + e).T @ A @ (w + e)).item()
        f_minus = ((w - e).T @ A @ (w - e)).item()
        out[k, 0] = (f_plus - f_minus) / (2 * h)
    return out


def sigmoid_layer_weight_grad(values: Values) -> np.ndarray:
    """∂L/∂W for y = σ(Wx) with upstream g = ∂L/∂y, by central differences of gᵀσ(Wx)."""
    W = np.asarray(values["W"], dtype=float)
    x = np.asarray(values["x"], dtype=float).reshape(-1, 1)
    g = np.asarray(values["g"], dtype=float).reshape(-1, 1)

    def loss(M: np.ndarray) -> float:
        return (g.T @ (1.0 / (1.0 + np.exp(-(M @ x))))).item()

    h = 1e-5
    out = np.empty_like(W)
    for r in range(W.shape[0]):
        for c in range(W.shape[1]):
            E = np.zeros_like(W)
            E[r, c] = h
            out[r, c] = (loss(W + E) - loss(W - E)) / (2 * h)
    return out


for _name, _fn in (("softmax_jacobian", softmax_jacobian), ("cross_entropy_grad", cross_entropy_grad),
                  ("dropout_local_grad", dropout_local_grad), ("receptive_field_3x3", receptive_field_3x3),
                  ("quadratic_form_grad", quadratic_form_grad), ("sigmoid_layer_weight_grad", sigmoid_layer_weight_grad)):
    truth(_name)(_fn)
