"""Layer arithmetic: output sizes, parameter and multiplication counts, layer-stack tables, receptive fields.

Feature maps are H x W x C (HWC).  A convolution with a k_h x k_w kernel,
C_in input and F output channels has k_h k_w C_in F weights (+ F biases) and
does k_h k_w C_in multiplications per output element; a fully connected layer
with n inputs and m units has n m weights (+ m biases) and n m multiplications.
Pooling and flattening have no parameters and no multiplications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from grader.solvers import _args
from grader.solvers.registry import solver


def axis_size(n: int, kernel: int, stride: int, padding: int, dilation: int, *, what: str = "kernel") -> int:
    """floor((n + 2p - d(k - 1) - 1) / s) + 1, or a ValueError naming the arguments when the kernel does not fit."""
    span = n + 2 * padding - dilation * (kernel - 1) - 1
    if span < 0:
        effective = dilation * (kernel - 1) + 1
        raise ValueError(f"{what} {kernel} (dilation {dilation}, effective size {effective}) does not fit an input "
                         f"of size {n} with padding {padding}")
    return span // stride + 1


@solver("layers.output_size")
def output_size(*, n, kernel, stride=1, padding=0, dilation=1) -> int:
    """Output size along one axis of a convolution or pooling window: floor((n + 2p - d(k - 1) - 1) / s) + 1.

    Args:
        n: input size along the axis (positive int).
        kernel: kernel (window) size k.
        stride: stride s (default 1).
        padding: zero padding p on each side (default 0).
        dilation: dilation d (default 1); the effective kernel size is d(k - 1) + 1.

    Returns:
        int, the output size.
    """
    return axis_size(_args.integer("n", n, minimum=1), _args.integer("kernel", kernel, minimum=1),
                     _args.integer("stride", stride, minimum=1), _args.integer("padding", padding, minimum=0),
                     _args.integer("dilation", dilation, minimum=1))


@solver("layers.output_hw")
def output_hw(*, input_size, kernel, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """Output (H, W) of a convolution or pooling window; every argument is an int or a pair [for H, for W].

    Args:
        input_size: input size, an int (square) or [H, W].
        kernel: kernel size, an int or [k_h, k_w].
        stride: stride, an int or [s_h, s_w] (default 1).
        padding: zero padding on each side, an int or [p_h, p_w] (default 0).
        dilation: dilation, an int or [d_h, d_w] (default 1).

    Returns:
        tuple (H_out, W_out).
    """
    sizes = _args.integers("input_size", input_size, length=2, minimum=1)
    kernels = _args.integers("kernel", kernel, length=2, minimum=1)
    strides = _args.integers("stride", stride, length=2, minimum=1)
    paddings = _args.integers("padding", padding, length=2, minimum=0)
    dilations = _args.integers("dilation", dilation, length=2, minimum=1)
    return tuple(axis_size(*axis) for axis in zip(sizes, kernels, strides, paddings, dilations))


@solver("layers.flatten_size")
def flatten_size(*, shape) -> int:
    """Number of elements of a tensor of the given shape (the length after flattening).

    Args:
        shape: list of positive ints, e.g. [5, 5, 10].

    Returns:
        int, the product of the entries.
    """
    dims = _args.shape("shape", shape, lengths=tuple(range(1, 9)))
    total = 1
    for dim in dims:
        total *= dim
    return total


@solver("layers.conv_params")
def conv_params(*, kernel, in_channels, filters, bias=True) -> int:
    """Trainable parameters of a convolution layer: k_h k_w C_in F weights plus F biases.

    Args:
        kernel: kernel size, an int or [k_h, k_w].
        in_channels: input channels C_in.
        filters: number of filters (output channels) F.
        bias: whether the layer has a bias per filter (default true).

    Returns:
        int, the parameter count.
    """
    kh, kw = _args.integers("kernel", kernel, length=2, minimum=1)
    c_in = _args.integer("in_channels", in_channels, minimum=1)
    f = _args.integer("filters", filters, minimum=1)
    return kh * kw * c_in * f + (f if _args.boolean("bias", bias) else 0)


@solver("layers.conv_multiplications")
def conv_multiplications(*, input_shape, kernel, filters, stride=1, padding=0, dilation=1) -> int:
    """Multiplications of a convolution forward pass: H_out W_out F output elements times k_h k_w C_in each.

    Args:
        input_shape: input shape [H, W, C_in].
        kernel: kernel size, an int or [k_h, k_w].
        filters: number of filters (output channels) F.
        stride: stride, an int or [s_h, s_w] (default 1).
        padding: zero padding on each side, an int or [p_h, p_w] (default 0).
        dilation: dilation, an int or [d_h, d_w] (default 1).

    Returns:
        int, the multiplication count (bias additions are not multiplications).
    """
    h, w, c_in = _args.shape("input_shape", input_shape, lengths=(3,))
    h_out, w_out = output_hw(input_size=[h, w], kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    kh, kw = _args.integers("kernel", kernel, length=2, minimum=1)
    return h_out * w_out * _args.integer("filters", filters, minimum=1) * kh * kw * c_in


@solver("layers.fc_params")
def fc_params(*, inputs, units, bias=True) -> int:
    """Trainable parameters of a fully connected layer: n m weights plus m biases.

    Args:
        inputs: number of inputs n.
        units: number of units (outputs) m.
        bias: whether the layer has a bias per unit (default true).

    Returns:
        int, the parameter count.
    """
    n = _args.integer("inputs", inputs, minimum=1)
    m = _args.integer("units", units, minimum=1)
    return n * m + (m if _args.boolean("bias", bias) else 0)


_LAYER_KEYS = {
    "conv": {"type", "name", "kernel", "filters", "stride", "padding", "dilation", "bias"},
    "pool": {"type", "name", "kernel", "stride", "padding", "mode"},
    "flatten": {"type", "name"},
    "fc": {"type", "name", "units", "bias"},
}
_PREFIX = {"conv": "conv", "pool": "pool", "flatten": "flatten", "fc": "fc"}


def _layer_rows(input_shape: Any, layers: Any) -> list[dict[str, Any]]:
    shape = _args.shape("input_shape", input_shape, lengths=(1, 3))
    if not isinstance(layers, Sequence) or isinstance(layers, str) or not layers:
        raise ValueError(f"layers must be a non-empty list of layer dicts, got {layers!r}")
    counts: dict[str, int] = {}
    rows = []
    for index, layer in enumerate(layers):
        where = f"layers[{index}]"
        if not isinstance(layer, Mapping):
            raise ValueError(f"{where} must be a dict with a 'type', got {layer!r}")
        kind = _args.choice(f"{where}.type", layer.get("type"), tuple(_LAYER_KEYS))
        unknown = sorted(set(layer) - _LAYER_KEYS[kind])
        if unknown:
            raise ValueError(f"{where} ({kind}): unknown keys {', '.join(unknown)}; "
                             f"allowed: {', '.join(sorted(_LAYER_KEYS[kind]))}")
        counts[kind] = counts.get(kind, 0) + 1
        default_name = "flatten" if kind == "flatten" and counts[kind] == 1 else f"{_PREFIX[kind]}{counts[kind]}"
        name = layer.get("name", default_name)
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}.name must be a non-empty string, got {name!r}")
        if kind in ("conv", "pool") and len(shape) != 3:
            raise ValueError(f"{where} ({kind}) needs an H x W x C input, got shape {shape}")
        params = mults = 0
        if kind == "conv":
            if "kernel" not in layer or "filters" not in layer:
                raise ValueError(f"{where} (conv) needs kernel and filters")
            kernel = _args.integers(f"{where}.kernel", layer["kernel"], length=2, minimum=1)
            filters = _args.integer(f"{where}.filters", layer["filters"], minimum=1)
            hw = _sizes(where, shape[:2], kernel, layer, default_stride=1)
            bias = _args.boolean(f"{where}.bias", layer.get("bias", True))
            params = kernel[0] * kernel[1] * shape[2] * filters + (filters if bias else 0)
            mults = hw[0] * hw[1] * filters * kernel[0] * kernel[1] * shape[2]
            shape = (*hw, filters)
        elif kind == "pool":
            if "kernel" not in layer:
                raise ValueError(f"{where} (pool) needs kernel")
            _args.choice(f"{where}.mode", layer.get("mode", "max"), ("max", "avg"))
            kernel = _args.integers(f"{where}.kernel", layer["kernel"], length=2, minimum=1)
            shape = (*_sizes(where, shape[:2], kernel, layer, default_stride=kernel), shape[2])
        elif kind == "flatten":
            total = 1
            for dim in shape:
                total *= dim
            shape = (total,)
        else:
            if "units" not in layer:
                raise ValueError(f"{where} (fc) needs units")
            if len(shape) != 1:
                raise ValueError(f"{where} (fc) needs a flat input, got shape {shape}; add {{type: flatten}} before it")
            units = _args.integer(f"{where}.units", layer["units"], minimum=1)
            bias = _args.boolean(f"{where}.bias", layer.get("bias", True))
            params = shape[0] * units + (units if bias else 0)
            mults = shape[0] * units
            shape = (units,)
        rows.append({"layer": name, "output_shape": shape, "params": params, "multiplications": mults})
    return rows


def _sizes(where: str, hw: tuple[int, ...], kernel: tuple[int, int], layer: Mapping[str, Any],
           default_stride: Any) -> tuple[int, int]:
    strides = _args.integers(f"{where}.stride", layer.get("stride", default_stride), length=2, minimum=1)
    paddings = _args.integers(f"{where}.padding", layer.get("padding", 0), length=2, minimum=0)
    dilations = _args.integers(f"{where}.dilation", layer.get("dilation", 1), length=2, minimum=1)
    return tuple(axis_size(*axis, what=f"{where}.kernel")
                 for axis in zip(hw, kernel, strides, paddings, dilations))


_STACK_ARGS = """
    Args:
        input_shape: input shape [H, W, C] (or [n] for a stack of fc layers only).
        layers: list of layer dicts, each with a type: conv (kernel, filters, stride=1, padding=0,
            dilation=1, bias=true), pool (kernel, stride=kernel, padding=0, mode=max|avg), flatten,
            fc (units, bias=true); kernel/stride/padding/dilation are an int or [for H, for W];
            an optional name overrides the default conv1, pool1, conv2, ..., flatten, fc1.
"""


@solver("layers.stack_table")
def stack_table(*, input_shape, layers) -> list[dict[str, Any]]:
    """One row per layer of a stack: name, output shape, parameter count and multiplications.
    (STACK_ARGS)
    Returns:
        list of dicts {"layer": str, "output_shape": tuple, "params": int, "multiplications": int},
        e.g. {"layer": "conv1", "output_shape": (26, 26, 10), "params": 100, "multiplications": 60840}.
    """
    return _layer_rows(input_shape, layers)


@solver("layers.stack_output_shape")
def stack_output_shape(*, input_shape, layers) -> tuple[int, ...]:
    """Output shape of the last layer of a stack.
    (STACK_ARGS)
    Returns:
        tuple, the shape (H, W, C) or (n,).
    """
    return _layer_rows(input_shape, layers)[-1]["output_shape"]


@solver("layers.stack_params")
def stack_params(*, input_shape, layers) -> int:
    """Total trainable parameters of a stack.
    (STACK_ARGS)
    Returns:
        int, the sum of the layers' parameter counts.
    """
    return sum(row["params"] for row in _layer_rows(input_shape, layers))


@solver("layers.stack_multiplications")
def stack_multiplications(*, input_shape, layers) -> int:
    """Total multiplications of a stack's forward pass (conv and fc layers).
    (STACK_ARGS)
    Returns:
        int, the sum of the layers' multiplication counts.
    """
    return sum(row["multiplications"] for row in _layer_rows(input_shape, layers))


# The four stack solvers share one argument description, written once.
for _fn in (stack_table, stack_output_shape, stack_params, stack_multiplications):
    _fn.__doc__ = _fn.__doc__.replace("    (STACK_ARGS)\n", _STACK_ARGS)


@solver("layers.receptive_field")
def receptive_field(*, layers) -> int:
    """Receptive field (side length, in input pixels) of one output unit of a stack of windows.

    r = 1 + sum_l d_l (k_l - 1) * prod_{i<l} s_i: each layer widens the field by its effective
    kernel minus one, measured in the input steps of its own input (the product of earlier strides).

    Args:
        layers: list of dicts with kernel and optional stride (default 1) and dilation (default 1),
            e.g. [{kernel: 3}, {kernel: 2, stride: 2}]; other keys (type, filters, ...) are ignored.

    Returns:
        int, the receptive field size.
    """
    if not isinstance(layers, Sequence) or isinstance(layers, str) or not layers:
        raise ValueError(f"layers must be a non-empty list of dicts with a kernel, got {layers!r}")
    field, jump = 1, 1
    for index, layer in enumerate(layers):
        if not isinstance(layer, Mapping) or "kernel" not in layer:
            raise ValueError(f"layers[{index}] must be a dict with a kernel, got {layer!r}")
        if layer.get("type") == "flatten" or layer.get("type") == "fc":
            raise ValueError(f"layers[{index}] ({layer['type']}) has no receptive field; list only conv/pool layers")
        k = _args.integer(f"layers[{index}].kernel", layer["kernel"], minimum=1)
        s = _args.integer(f"layers[{index}].stride", layer.get("stride", 1), minimum=1)
        d = _args.integer(f"layers[{index}].dilation", layer.get("dilation", 1), minimum=1)
        field += d * (k - 1) * jump
        jump *= s
    return field


@solver("layers.receptive_field_stacked")
def receptive_field_stacked(*, kernel=3, count, dilation=1) -> int:
    """Receptive field of `count` identical stride-1 convolutions: 1 + count * d (k - 1), e.g. 2L + 1 for 3 x 3.

    Args:
        kernel: kernel size k (default 3).
        count: number of stacked layers L (at least 1).
        dilation: dilation d of every layer (default 1).

    Returns:
        int, the receptive field size.
    """
    k = _args.integer("kernel", kernel, minimum=1)
    n = _args.integer("count", count, minimum=1)
    return 1 + n * _args.integer("dilation", dilation, minimum=1) * (k - 1)
