"""Solvers of the cnn-basics assignment (trusted instructor code, imported when the assignment loads).

Only what the built-in library has no switch for: the layer table a student gets when a pooling
window that does not fit is kept (the size rounded up instead of down), a typical mistake in 4a.
"""

from __future__ import annotations

import math

from grader.solvers import solver


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
