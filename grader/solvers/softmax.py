"""Softmax, its Jacobian and the cross-entropy gradient (problem 1)."""

from __future__ import annotations

import numpy as np

from grader.solvers.registry import solver


@solver("softmax.softmax")
def softmax(z) -> np.ndarray:
    """Numerically stable softmax of a 1-D vector.

    Args:
        z: logits, a vector.

    Returns:
        1-D array of probabilities summing to 1.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


@solver("softmax.jacobian")
def softmax_jacobian(z) -> np.ndarray:
    """J[i, j] = d softmax(z)_i / d z_j = y_i (delta_ij - y_j).

    Args:
        z: logits, a vector.

    Returns:
        2-D array, the n x n Jacobian.
    """
    y = softmax(z)
    return np.diag(y) - np.outer(y, y)


@solver("softmax.cross_entropy_grad")
def cross_entropy_grad(z, y) -> np.ndarray:
    """dL/dz for L = -sum_i y_i log softmax(z)_i, which is softmax(z) - y.

    Args:
        z: logits, a vector.
        y: target distribution (usually one-hot), a vector.

    Returns:
        1-D array, the gradient with respect to z.
    """
    return softmax(z) - np.asarray(y, dtype=float)
