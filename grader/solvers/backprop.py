"""Backpropagation by hand through a 2-2-2 sigmoid network (problem 4).

Each step is its own solver taking the values of the steps it depends on, so
the grader can recompute any step from a student's own earlier answers (error
carried forward).  Vectors are row vectors, stored as 1-D arrays.
"""

from __future__ import annotations

import numpy as np

from grader.solvers.registry import solver


def _row(x) -> np.ndarray:
    return np.asarray(x, dtype=float).reshape(-1)


def _mat(x) -> np.ndarray:
    return np.asarray(x, dtype=float).reshape(2, -1) if np.ndim(x) == 1 else np.asarray(x, dtype=float)


def sigmoid(x) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@solver("backprop.linear")
def linear(x, W, b) -> np.ndarray:
    """z = x W + b (row-vector convention).

    Args:
        x: layer input, a row vector.
        W: weight matrix, rows indexed by the inputs (a flat list is read as 2 rows).
        b: bias row vector.

    Returns:
        1-D array, the pre-activation z.
    """
    return _row(x) @ _mat(W) + _row(b)


@solver("backprop.sigmoid")
def sigmoid_step(z) -> np.ndarray:
    """a = sigma(z) = 1 / (1 + e^-z), elementwise.

    Args:
        z: pre-activation, a row vector.

    Returns:
        1-D array, the activation.
    """
    return sigmoid(_row(z))


@solver("backprop.squared_error")
def squared_error(o, t) -> float:
    """E = 1/2 sum_k (o_k - t_k)^2.

    Args:
        o: network output, a row vector.
        t: target, a row vector.

    Returns:
        float, the error E.
    """
    return float(0.5 * np.sum((_row(o) - _row(t)) ** 2))


@solver("backprop.output_delta")
def output_delta(o, t) -> np.ndarray:
    """dE/dz2 = (o - t) * o * (1 - o) for sigmoid outputs and squared error.

    Args:
        o: sigmoid output of the network, a row vector.
        t: target, a row vector.

    Returns:
        1-D array, the output layer's delta.
    """
    o = _row(o)
    return (o - _row(t)) * o * (1.0 - o)


@solver("backprop.weight_grad")
def weight_grad(x, delta) -> np.ndarray:
    """dE/dW = x^T delta (outer product of the layer input and the layer's delta).

    Args:
        x: the layer's input, a row vector.
        delta: the layer's delta dE/dz, a row vector.

    Returns:
        2-D array, shaped like the layer's W.
    """
    return np.outer(_row(x), _row(delta))


@solver("backprop.bias_grad")
def bias_grad(delta) -> np.ndarray:
    """dE/db = delta.

    Args:
        delta: the layer's delta dE/dz, a row vector.

    Returns:
        1-D array, the bias gradient.
    """
    return _row(delta)


@solver("backprop.hidden_delta")
def hidden_delta(delta, W, a) -> np.ndarray:
    """dE/dz1 = (delta W^T) * a * (1 - a), through dE/da1 = delta W2^T.

    Args:
        delta: the next layer's delta dE/dz2, a row vector.
        W: the next layer's weight matrix W2.
        a: this layer's sigmoid activation a1, a row vector.

    Returns:
        1-D array, the hidden layer's delta dE/dz1.
    """
    a = _row(a)
    return (_row(delta) @ _mat(W).T) * a * (1.0 - a)


@solver("backprop.sgd_step")
def sgd_step(value, grad, lr: float) -> np.ndarray:
    """One plain gradient-descent step: value - lr * grad.

    Args:
        value: the parameter before the step (number, vector or matrix).
        grad: its gradient, same shape.
        lr: learning rate.

    Returns:
        array shaped like value, the parameter after the step.
    """
    return np.asarray(value, dtype=float) - lr * np.asarray(grad, dtype=float)
