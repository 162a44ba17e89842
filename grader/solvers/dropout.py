"""Inverted dropout forward and backward (problem 3)."""

from __future__ import annotations

import numpy as np

from grader.solvers.registry import solver


@solver("dropout.forward")
def forward(a, mask, p: float) -> np.ndarray:
    """f(a) = (m * a) / (1 - p), p the drop probability.

    Args:
        a: activations.
        mask: keep mask (1 keep, 0 drop), shaped like a.
        p: drop probability.

    Returns:
        array shaped like a, the inverted-dropout output.
    """
    return np.asarray(mask, dtype=float) * np.asarray(a, dtype=float) / (1.0 - p)


@solver("dropout.backward")
def backward(upstream, mask, p: float) -> np.ndarray:
    """dL/da = dL/df * m / (1 - p).

    Args:
        upstream: gradient with respect to the dropout output dL/df.
        mask: keep mask (1 keep, 0 drop) used in the forward pass.
        p: drop probability.

    Returns:
        array shaped like upstream, the gradient with respect to the input a.
    """
    return np.asarray(upstream, dtype=float) * np.asarray(mask, dtype=float) / (1.0 - p)
