"""Activation functions and their derivatives, elementwise over a number or nested lists.

Every ``<name>`` has a ``<name>_grad`` giving the derivative at x; with ``upstream`` it returns
the chain-rule product upstream * f'(x) (the gradient with respect to the activation's input).
ReLU's and leaky ReLU's derivative at exactly 0 is taken as the slope on the left (0 and alpha),
as PyTorch does; ``at_zero`` overrides it.
"""

from __future__ import annotations

import math

import numpy as np

from grader.solvers import _args
from grader.solvers.registry import solver

_ANY = (0, 1, 2, 3, 4)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715


def _x(x) -> np.ndarray:
    return _args.array("x", x, ndims=_ANY)


def _chain(grad: np.ndarray, upstream) -> object:
    if upstream is not None:
        up = _args.array("upstream", upstream, ndims=_ANY)
        if up.shape != grad.shape:
            raise ValueError(f"upstream must have the shape of x {grad.shape}, got {up.shape}")
        grad = grad * up
    return _args.plain(grad)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + e^-x), without overflow


def _alpha(alpha) -> float:
    value = _args.number("alpha", alpha)
    if value < 0:
        raise ValueError(f"alpha must be at least 0, got {value}")
    return value


@solver("activations.relu")
def relu(*, x) -> object:
    """ReLU, max(0, x), elementwise.

    Args:
        x: number or nested list of numbers.

    Returns:
        float or nested list shaped like x.
    """
    return _args.plain(np.maximum(_x(x), 0.0))


@solver("activations.relu_grad")
def relu_grad(*, x, upstream=None, at_zero=0.0) -> object:
    """Derivative of ReLU: 1 where x > 0, 0 where x < 0, at_zero at x = 0.

    Args:
        x: number or nested list of numbers (the ReLU's input).
        upstream: optional gradient with respect to the ReLU's output, shaped like x.
        at_zero: value used for the derivative at exactly x = 0 (default 0).

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    values = _x(x)
    grad = np.where(values > 0, 1.0, np.where(values < 0, 0.0, _args.number("at_zero", at_zero)))
    return _chain(grad, upstream)


@solver("activations.leaky_relu")
def leaky_relu(*, x, alpha=0.01) -> object:
    """Leaky ReLU: x for x > 0, alpha x otherwise.

    Args:
        x: number or nested list of numbers.
        alpha: slope for negative inputs (default 0.01).

    Returns:
        float or nested list shaped like x.
    """
    values = _x(x)
    return _args.plain(np.where(values > 0, values, _alpha(alpha) * values))


@solver("activations.leaky_relu_grad")
def leaky_relu_grad(*, x, alpha=0.01, upstream=None, at_zero=None) -> object:
    """Derivative of leaky ReLU: 1 where x > 0, alpha where x < 0, at_zero (default alpha) at x = 0.

    Args:
        x: number or nested list of numbers (the activation's input).
        alpha: slope for negative inputs (default 0.01).
        upstream: optional gradient with respect to the activation's output, shaped like x.
        at_zero: value used for the derivative at exactly x = 0 (default: alpha).

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    values, slope = _x(x), _alpha(alpha)
    zero = slope if at_zero is None else _args.number("at_zero", at_zero)
    return _chain(np.where(values > 0, 1.0, np.where(values < 0, slope, zero)), upstream)


@solver("activations.sigmoid")
def sigmoid(*, x) -> object:
    """Logistic sigmoid, 1 / (1 + e^-x), elementwise.

    Args:
        x: number or nested list of numbers.

    Returns:
        float or nested list shaped like x.
    """
    return _args.plain(_sigmoid(_x(x)))


@solver("activations.sigmoid_grad")
def sigmoid_grad(*, x, upstream=None) -> object:
    """Derivative of the sigmoid at x: s(x) (1 - s(x)).

    Args:
        x: number or nested list of numbers (the sigmoid's input, not its output).
        upstream: optional gradient with respect to the sigmoid's output, shaped like x.

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    s = _sigmoid(_x(x))
    return _chain(s * (1.0 - s), upstream)


@solver("activations.tanh")
def tanh(*, x) -> object:
    """Hyperbolic tangent, elementwise.

    Args:
        x: number or nested list of numbers.

    Returns:
        float or nested list shaped like x.
    """
    return _args.plain(np.tanh(_x(x)))


@solver("activations.tanh_grad")
def tanh_grad(*, x, upstream=None) -> object:
    """Derivative of tanh at x: 1 - tanh(x)^2.

    Args:
        x: number or nested list of numbers (the tanh's input, not its output).
        upstream: optional gradient with respect to the tanh's output, shaped like x.

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    return _chain(1.0 - np.tanh(_x(x)) ** 2, upstream)


@solver("activations.elu")
def elu(*, x, alpha=1.0) -> object:
    """ELU: x for x > 0, alpha (e^x - 1) otherwise.

    Args:
        x: number or nested list of numbers.
        alpha: scale of the negative part (default 1).

    Returns:
        float or nested list shaped like x.
    """
    values = _x(x)
    return _args.plain(np.where(values > 0, values, _alpha(alpha) * np.expm1(np.minimum(values, 0.0))))


@solver("activations.elu_grad")
def elu_grad(*, x, alpha=1.0, upstream=None) -> object:
    """Derivative of ELU: 1 where x > 0, alpha e^x where x <= 0.

    Args:
        x: number or nested list of numbers (the ELU's input).
        alpha: scale of the negative part (default 1).
        upstream: optional gradient with respect to the ELU's output, shaped like x.

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    values = _x(x)
    return _chain(np.where(values > 0, 1.0, _alpha(alpha) * np.exp(np.minimum(values, 0.0))), upstream)


def _gelu_mode(approximate) -> str:
    return _args.choice("approximate", approximate, ("none", "tanh"))


@solver("activations.gelu")
def gelu(*, x, approximate="none") -> object:
    """GELU, x Phi(x) with Phi the standard normal CDF (approximate: tanh for the tanh approximation).

    Args:
        x: number or nested list of numbers.
        approximate: none (exact, 0.5 x (1 + erf(x / sqrt 2))) or tanh
            (0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))); default none.

    Returns:
        float or nested list shaped like x.
    """
    values = _x(x)
    if _gelu_mode(approximate) == "tanh":
        return _args.plain(0.5 * values * (1.0 + np.tanh(_SQRT_2_OVER_PI * (values + _GELU_C * values ** 3))))
    return _args.plain(values * _phi_cdf(values))


@solver("activations.gelu_grad")
def gelu_grad(*, x, approximate="none", upstream=None) -> object:
    """Derivative of GELU: Phi(x) + x phi(x) (exact), or the derivative of the tanh approximation.

    Args:
        x: number or nested list of numbers (the GELU's input).
        approximate: none (exact) or tanh, as for activations.gelu (default none).
        upstream: optional gradient with respect to the GELU's output, shaped like x.

    Returns:
        float or nested list shaped like x: f'(x), or upstream * f'(x).
    """
    values = _x(x)
    if _gelu_mode(approximate) == "tanh":
        t = np.tanh(_SQRT_2_OVER_PI * (values + _GELU_C * values ** 3))
        grad = 0.5 * (1.0 + t) + 0.5 * values * (1.0 - t ** 2) * _SQRT_2_OVER_PI * (1.0 + 3 * _GELU_C * values ** 2)
    else:
        grad = _phi_cdf(values) + values * np.exp(-0.5 * values ** 2) / math.sqrt(2.0 * math.pi)
    return _chain(grad, upstream)


def _phi_cdf(values: np.ndarray) -> np.ndarray:
    erf = np.vectorize(math.erf, otypes=[float])
    return 0.5 * (1.0 + erf(values / math.sqrt(2.0)))


def _softmax(values: np.ndarray) -> np.ndarray:
    e = np.exp(values - values.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@solver("activations.softmax")
def softmax(*, x) -> object:
    """Softmax along the last axis (each row of a matrix separately), computed stably.

    Args:
        x: vector or nested list of numbers (at least 1-D).

    Returns:
        list (or nested list) shaped like x whose last-axis entries sum to 1.
    """
    return _args.plain(_softmax(_args.array("x", x, ndims=(1, 2, 3, 4))))


@solver("activations.softmax_grad")
def softmax_grad(*, x, upstream=None) -> object:
    """Derivative of softmax: the Jacobian of a vector x, or with upstream the gradient with respect to x.

    The Jacobian is J[i][j] = y_i (delta_ij - y_j) with y = softmax(x); with upstream g the result is
    g J = y * (g - sum(g * y)), taken along the last axis.

    Args:
        x: the softmax's input, a vector (any array when upstream is given).
        upstream: optional gradient with respect to the softmax's output, shaped like x.

    Returns:
        nested list: the n x n Jacobian without upstream; with upstream, an array shaped like x.
    """
    values = _args.array("x", x, ndims=(1, 2, 3, 4))
    y = _softmax(values)
    if upstream is None:
        if values.ndim != 1:
            raise ValueError(f"x must be a vector for the Jacobian (give upstream for a {values.ndim}-D x)")
        return _args.plain(np.diag(y) - np.outer(y, y))
    g = _args.array("upstream", upstream, ndims=(1, 2, 3, 4))
    if g.shape != y.shape:
        raise ValueError(f"upstream must have the shape of x {y.shape}, got {g.shape}")
    return _args.plain(y * (g - (g * y).sum(axis=-1, keepdims=True)))
