"""Solvers of the cnn-basics assignment (trusted instructor code, imported when the assignment loads).

Only what the built-in library has no switch for: the layer table a student gets when a pooling
window that does not fit is kept (the size rounded up instead of down), a typical mistake in 4a;
and an independent NumPy truth for the convolution weight gradient of 7b.
"""

from __future__ import annotations

import math

import numpy as np

from grader.solvers import solver
from grader.symbolic import truth


@solver("cnn.stack_table_pool_ceil")
def stack_table_pool_ceil(*, input_shape, layers) -> list[dict]:
    """The per-layer table of a conv/pool/flatten/fc stack, pooling sizes rounded UP (a wrong answer).

    Args:
        input_shape: [H, W, C] of the input.
        layers: list of layer dicts as for layers.stack_table (conv: kernel, filters, bias; pool: kernel; flatten; fc: units, bias).

    Returns:
        list of dicts {"layer", "output_shape", "params"}, one per layer.
    """
    h, w, c = (int(v) for v in input_shape)
    flat = None
    counts: dict[str, int] = {}
    rows = []
    for layer in layers:
        kind = layer["type"]
        counts[kind] = counts.get(kind, 0) + 1
        name = "flatten" if kind == "flatten" else f"{kind}{counts[kind]}"
        params = 0
        if kind == "conv":
            k, f = int(layer["kernel"]), int(layer["filters"])
            params = k * k * c * f + (f if layer.get("bias", True) else 0)
            h, w, c = h - k + 1, w - k + 1, f
            shape = (h, w, c)
        elif kind == "pool":
            k = int(layer["kernel"])
            h, w = math.ceil(h / k), math.ceil(w / k)
            shape = (h, w, c)
        elif kind == "flatten":
            flat = h * w * c
            shape = (flat,)
        else:
            units = int(layer["units"])
            params = flat * units + (units if layer.get("bias", True) else 0)
            flat = units
            shape = (units,)
        rows.append({"layer": name, "output_shape": shape, "params": params})
    return rows


@truth("cnn_basics_conv_weight_grad")
def conv_weight_grad(values):
    """∂J/∂W of a valid convolution, J = Σ G ⊙ Z(W), computed by linearity (Z is linear in W).

    Independent of the reference formula: entry (k1, k2, n, m) is the change of J when that one
    weight is 1 and all others 0. Symbols count from 1, so the first row and column of X are unused.
    """
    x, g = np.asarray(values["X"]), np.asarray(values["G"])
    _, height, width, channels_out = g.shape
    k1_size, k2_size, channels_in = x.shape[1] - height, x.shape[2] - width, x.shape[3]
    out = np.zeros((k1_size, k2_size, channels_in, channels_out))
    for k1 in range(k1_size):
        for k2 in range(k2_size):
            for n in range(channels_in):
                patch = x[:, k1 + 1:k1 + 1 + height, k2 + 1:k2 + 1 + width, n]
                for m in range(channels_out):
                    out[k1, k2, n, m] = float(np.sum(g[..., m] * patch))
    return out
