"""Convolution output sizes, parameter and multiplication counts (problem 2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grader.solvers.registry import solver


def output_size(*, n: int, kernel: int, padding: int = 0, stride: int = 1, dilation: int = 1,
                floor: bool = True, plus_one: bool = True, use_dilation: bool = True) -> int | float:
    """n_out = floor((n + 2p - d(k - 1) - 1) / s) + 1.

    The flags compute the usual slips (no floor, no +1, dilation ignored) for
    the misconception catalogue; the reference uses the defaults.
    """
    d = dilation if use_dilation else 1
    span = n + 2 * padding - d * (kernel - 1) - 1
    if span < 0:
        raise ValueError(f"kernel (k={kernel}, d={d}) does not fit input of size {n} with padding {padding}")
    size = span // stride if floor else span / stride
    return size + 1 if plus_one else size


@solver("conv.layer_size")
def layer_size(n: int, layer: Mapping[str, int]) -> int:
    """Spatial size after one layer (a step of a chain).

    Args:
        n: input size along one axis.
        layer: dict of kernel and optional padding, stride, dilation (defaults 0, 1, 1).

    Returns:
        int, floor((n + 2p - d(k - 1) - 1) / s) + 1.
    """
    return output_size(n=int(n), **dict(layer))


@solver("conv.layer_square")
def layer_square(n: int, layer: Mapping[str, int]) -> tuple[int, int]:
    """Square (H, W) size after one layer.

    Args:
        n: input size (square input).
        layer: dict of kernel and optional padding, stride, dilation (defaults 0, 1, 1).

    Returns:
        tuple (size, size).
    """
    size = layer_size(n, layer)
    return (size, size)


@solver("conv.chain_sizes")
def chain_sizes(n: int, layers: Sequence[Mapping[str, int]]) -> list[int]:
    """Spatial size after each layer of a chain; layers are dicts of kernel/padding/stride/dilation.

    Args:
        n: input size along one axis.
        layers: list of layer dicts (kernel and optional padding, stride, dilation).

    Returns:
        list of ints, the size after each layer.
    """
    sizes = []
    for layer in layers:
        n = output_size(n=n, **dict(layer))
        sizes.append(n)
    return sizes


@solver("conv.chain_final")
def chain_final(n: int, layers: Sequence[Mapping[str, int]], floor: bool = True, plus_one: bool = True,
                use_dilation: bool = True) -> tuple:
    """Final square spatial size (H, W) after the whole chain (flags: see output_size).

    Args:
        n: input size (square input).
        layers: list of layer dicts (kernel and optional padding, stride, dilation).
        floor: false computes the slip of not rounding down (default true).
        plus_one: false computes the slip of forgetting the + 1 (default true).
        use_dilation: false computes the slip of ignoring the dilation (default true).

    Returns:
        tuple (size, size); with floor false the sizes may be fractional.
    """
    for layer in layers:
        n = output_size(n=n, **dict(layer), floor=floor, plus_one=plus_one, use_dilation=use_dilation)
    return (n, n)


@solver("conv.parameters")
def parameters(kernel: int, in_channels: int, out_channels: int, bias: bool = True) -> int:
    """Trainable parameters of a square-kernel conv layer: k*k*C_in*C_out weights plus C_out biases.

    Args:
        kernel: kernel size k (square).
        in_channels: input channels C_in.
        out_channels: output channels C_out.
        bias: whether to count one bias per output channel (default true).

    Returns:
        int, the parameter count.
    """
    return kernel * kernel * in_channels * out_channels + (out_channels if bias else 0)


@solver("conv.output_shape")
def output_shape(
    input_shape: Sequence[int], kernel: int, out_channels: int, padding: int = 0, stride: int = 1
) -> tuple[int, int, int]:
    """(H, W, C_out) of a conv layer applied to an H x W x C_in input.

    Args:
        input_shape: input shape [H, W, C_in].
        kernel: kernel size k (square).
        out_channels: output channels C_out.
        padding: zero padding on each side (default 0).
        stride: stride (default 1).

    Returns:
        tuple (H_out, W_out, C_out).
    """
    h, w, _ = input_shape
    return (
        output_size(n=h, kernel=kernel, padding=padding, stride=stride),
        output_size(n=w, kernel=kernel, padding=padding, stride=stride),
        out_channels,
    )


@solver("conv.multiplications")
def multiplications(
    input_shape: Sequence[int], kernel: int, out_channels: int, padding: int = 0, stride: int = 1
) -> int:
    """Multiplications in the forward pass: k*k*C_in per output element.

    Args:
        input_shape: input shape [H, W, C_in].
        kernel: kernel size k (square).
        out_channels: output channels C_out.
        padding: zero padding on each side (default 0).
        stride: stride (default 1).

    Returns:
        int, H_out * W_out * C_out * k * k * C_in.
    """
    h_out, w_out, c_out = output_shape(input_shape, kernel, out_channels, padding, stride)
    return kernel * kernel * input_shape[2] * h_out * w_out * c_out
