"""Convolutions computed on small arrays: 1-D and 2-D, strided, padded, dilated, transposed; max/min positions.

Conventions (those of DL frameworks):

* ``conv1d``/``conv2d`` compute cross-correlation, out[i] = sum_j x[i s + j d] k[j] + b, on the
  zero-padded input; ``flip: true`` flips the kernel first, which is true (mathematical) convolution.
* Multi-channel data is channels-last: a 1-D signal is [L] or [L, C_in], an image [H, W] or
  [H, W, C_in].  A kernel without channel axes needs a single-channel input; a kernel [.., C_in]
  is one filter summed over the input channels (single-channel output, channel axis dropped);
  a kernel [.., C_in, C_out] gives a channels-last output [.., C_out].
* ``conv_transpose*`` scatter each input value times the (unflipped) kernel into the output at
  stride s, then crop p from each border, as PyTorch's ConvTranspose does: the output size is
  (n - 1) s - 2p + d(k - 1) + output_padding + 1.
* Indices are 0-based; positions are listed in row-major order.
"""

from __future__ import annotations

import numpy as np

from grader.solvers import _args
from grader.solvers.layers import axis_size
from grader.solvers.registry import solver


def _channels(x: np.ndarray, kernel: np.ndarray, spatial: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """x as [..spatial.., C_in], kernel as [..spatial.., C_in, C_out], and whether to drop the output channel axis."""
    if x.ndim == spatial:
        x = x[..., None]
    c_in = x.shape[-1]
    drop = kernel.ndim < spatial + 2
    if kernel.ndim == spatial:
        if c_in != 1:
            raise ValueError(f"kernel has no channel axis but x has {c_in} channels; give kernel as "
                             f"[..., {c_in}] (one filter) or [..., {c_in}, C_out]")
        kernel = kernel[..., None, None]
    elif kernel.ndim == spatial + 1:
        kernel = kernel[..., None]
    if kernel.shape[spatial] != c_in:
        raise ValueError(f"kernel has {kernel.shape[spatial]} input channels but x has {c_in}")
    return x, kernel, drop


def _bias(bias, c_out: int) -> np.ndarray:
    if bias is None:
        return np.zeros(c_out)
    if isinstance(bias, (list, tuple)):
        values = _args.array("bias", bias, ndims=(1,))
        if values.shape[0] != c_out:
            raise ValueError(f"bias must have one value per output channel ({c_out}), got {len(bias)}")
        return values
    return np.full(c_out, _args.number("bias", bias))


def _correlate(x: np.ndarray, kernel: np.ndarray, stride, padding, dilation) -> np.ndarray:
    """Cross-correlation of x [H, W, C_in] with kernel [kh, kw, C_in, C_out] -> [H_out, W_out, C_out]."""
    (h, w, _), (kh, kw, _, c_out) = x.shape, kernel.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    h_out = axis_size(h, kh, sh, ph, dh)
    w_out = axis_size(w, kw, sw, pw, dw)
    padded = np.pad(x, ((ph, ph), (pw, pw), (0, 0)))
    out = np.zeros((h_out, w_out, c_out))
    for a in range(kh):
        for b in range(kw):
            patch = padded[a * dh: a * dh + (h_out - 1) * sh + 1: sh, b * dw: b * dw + (w_out - 1) * sw + 1: sw]
            out += patch @ kernel[a, b]
    return out


def _scatter(x: np.ndarray, kernel: np.ndarray, stride, padding, dilation, output_padding) -> np.ndarray:
    """Transposed convolution of x [H, W, C_in] with kernel [kh, kw, C_in, C_out] -> [H_out, W_out, C_out]."""
    (h, w, _), (kh, kw, _, c_out) = x.shape, kernel.shape
    (sh, sw), (ph, pw), (dh, dw), (oh, ow) = stride, padding, dilation, output_padding
    if oh >= max(sh, dh) or ow >= max(sw, dw):
        raise ValueError(f"output_padding must be smaller than the stride or the dilation on each axis, "
                         f"got {max(oh, ow)}")
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oh
    full_w = (w - 1) * sw + dw * (kw - 1) + 1 + ow
    if full_h - 2 * ph < 1 or full_w - 2 * pw < 1:
        raise ValueError(f"padding {max(ph, pw)} crops the whole output away (uncropped size {full_h} x {full_w})")
    out = np.zeros((full_h, full_w, c_out))
    for a in range(kh):
        for b in range(kw):
            out[a * dh: a * dh + (h - 1) * sh + 1: sh, b * dw: b * dw + (w - 1) * sw + 1: sw] += x @ kernel[a, b]
    return out[ph: full_h - ph, pw: full_w - pw]


def _conv(x, kernel, stride, padding, dilation, bias, flip, spatial: int, transpose: bool = False,
          output_padding=0):
    x = _args.array("x", x, ndims=(spatial, spatial + 1))
    kernel = _args.array("kernel", kernel, ndims=(spatial, spatial + 1, spatial + 2))
    x, kernel, drop = _channels(x, kernel, spatial)
    if _args.boolean("flip", flip):
        kernel = np.flip(kernel, axis=tuple(range(spatial)))
    strides = _args.integers("stride", stride, length=spatial, minimum=1)
    paddings = _args.integers("padding", padding, length=spatial, minimum=0)
    dilations = _args.integers("dilation", dilation, length=spatial, minimum=1)
    extras = _args.integers("output_padding", output_padding, length=spatial, minimum=0)
    if spatial == 1:  # a 1-D signal is an image of height 1
        x, kernel = x[None], kernel[None]
        strides, paddings, dilations, extras = (1, *strides), (0, *paddings), (1, *dilations), (0, *extras)
    if transpose:
        out = _scatter(x, kernel, strides, paddings, dilations, extras)
    else:
        out = _correlate(x, kernel, strides, paddings, dilations)
    out = out + _bias(bias, kernel.shape[-1])
    if spatial == 1:
        out = out[0]
    return _args.plain(out[..., 0] if drop else out)


_CONV_ARGS = """
    Args:
        x: input, [L] or [L, C_in] (1-D); [H, W] or [H, W, C_in] (2-D); nested lists of numbers.
        kernel: kernel, [k], [k, C_in] or [k, C_in, C_out] (1-D); [kh, kw], [kh, kw, C_in] or
            [kh, kw, C_in, C_out] (2-D).
        stride: stride, an int or (2-D) [s_h, s_w] (default 1).
        padding: zero padding on each side, an int or (2-D) [p_h, p_w] (default 0).
        dilation: kernel dilation, an int or (2-D) [d_h, d_w] (default 1).
        bias: optional bias added to every output, a number or one number per output channel.
"""


@solver("convolution.conv1d")
def conv1d(*, x, kernel, stride=1, padding=0, dilation=1, bias=None, flip=False) -> list:
    """1-D cross-correlation (flip: true for true convolution) with stride, zero padding and dilation.
    (CONV_ARGS)
        flip: flip the kernel first, i.e. true convolution instead of cross-correlation (default false).

    Returns:
        list of floats of length floor((L + 2p - d(k - 1) - 1) / s) + 1 (or [L_out, C_out] rows).
    """
    return _conv(x, kernel, stride, padding, dilation, bias, flip, spatial=1)


@solver("convolution.conv2d")
def conv2d(*, x, kernel, stride=1, padding=0, dilation=1, bias=None, flip=False) -> list:
    """2-D cross-correlation (flip: true for true convolution) with stride, zero padding and dilation.
    (CONV_ARGS)
        flip: flip the kernel in both axes first, i.e. true convolution (default false).

    Returns:
        nested list [H_out][W_out] of floats, or [H_out][W_out][C_out] for a kernel [kh, kw, C_in, C_out].
    """
    return _conv(x, kernel, stride, padding, dilation, bias, flip, spatial=2)


@solver("convolution.conv_transpose1d")
def conv_transpose1d(*, x, kernel, stride=1, padding=0, dilation=1, output_padding=0, bias=None) -> list:
    """1-D transposed convolution: each x[i] adds x[i] * kernel at output position i s, then p is cropped per side.
    (CONV_ARGS)
        output_padding: extra output positions at the end, smaller than stride or dilation (default 0).

    Returns:
        list of floats of length (L - 1) s - 2p + d(k - 1) + output_padding + 1 (or [L_out, C_out] rows).
    """
    return _conv(x, kernel, stride, padding, dilation, bias, False, spatial=1, transpose=True,
                 output_padding=output_padding)


@solver("convolution.conv_transpose2d")
def conv_transpose2d(*, x, kernel, stride=1, padding=0, dilation=1, output_padding=0, bias=None) -> list:
    """2-D transposed convolution: each x[i, j] adds x[i, j] * kernel at (i s_h, j s_w), then p is cropped per side.
    (CONV_ARGS)
        output_padding: extra rows/columns at the bottom/right, an int or [o_h, o_w] (default 0).

    Returns:
        nested list [H_out][W_out] (or [H_out][W_out][C_out]), H_out = (H - 1) s_h - 2p_h + d_h(k_h - 1) + o_h + 1.
    """
    return _conv(x, kernel, stride, padding, dilation, bias, False, spatial=2, transpose=True,
                 output_padding=output_padding)


for _fn in (conv1d, conv2d, conv_transpose1d, conv_transpose2d):
    _fn.__doc__ = _fn.__doc__.replace("    (CONV_ARGS)\n", _CONV_ARGS.rstrip("\n") + "\n")


def _positions(x, tolerance, pick) -> list[list[int]]:
    values = _args.array("x", x, ndims=(1, 2, 3))
    tol = _args.number("tolerance", tolerance)
    if tol < 0:
        raise ValueError(f"tolerance must be at least 0, got {tol}")
    best = pick(values)
    close = np.abs(values - best) <= tol
    return [[int(i) for i in where] for where in np.argwhere(close)]


@solver("convolution.argmax_positions")
def argmax_positions(*, x, tolerance=0.0) -> list[list[int]]:
    """All positions of the maximum of an array (several when it is attained more than once).

    Args:
        x: array, usually 2-D [H][W] (1-D and 3-D work too).
        tolerance: values within this distance of the maximum count as maximal too (default 0, exact ties).

    Returns:
        list of 0-based positions [[r, c], ...] in row-major order ([[i], ...] for 1-D).
    """
    return _positions(x, tolerance, np.max)


@solver("convolution.argmin_positions")
def argmin_positions(*, x, tolerance=0.0) -> list[list[int]]:
    """All positions of the minimum of an array (several when it is attained more than once).

    Args:
        x: array, usually 2-D [H][W] (1-D and 3-D work too).
        tolerance: values within this distance of the minimum count as minimal too (default 0, exact ties).

    Returns:
        list of 0-based positions [[r, c], ...] in row-major order ([[i], ...] for 1-D).
    """
    return _positions(x, tolerance, np.min)


@solver("convolution.max_value")
def max_value(*, x) -> float:
    """Largest entry of an array (e.g. of a feature map).

    Args:
        x: number or (nested) list of numbers.

    Returns:
        float, the maximum.
    """
    return float(np.max(_args.array("x", x, ndims=(0, 1, 2, 3, 4))))


@solver("convolution.min_value")
def min_value(*, x) -> float:
    """Smallest entry of an array (e.g. of a feature map).

    Args:
        x: number or (nested) list of numbers.

    Returns:
        float, the minimum.
    """
    return float(np.min(_args.array("x", x, ndims=(0, 1, 2, 3, 4))))
