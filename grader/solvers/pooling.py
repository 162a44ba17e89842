"""Max and average pooling, subsampling and their gradients, 1-D and 2-D.

Conventions:

* A 1-D input is [L] or [L, C], a 2-D input [H, W] or [H, W, C] (channels-last); every channel
  is pooled on its own.  The stride defaults to the pool size (non-overlapping windows).
* Padding: max pooling pads with -inf (a padded position is never the maximum), average pooling
  with zeros; average pooling divides by the full window size (``count_include_pad: true``, as
  PyTorch) unless ``count_include_pad: false`` divides by the number of real input positions.
  Padding may be at most half the pool size, so every window holds a real input position.
* Max-pooling gradient: each window's upstream gradient goes to the position of its maximum;
  on a tie, to the FIRST maximal position in row-major order (``ties: all`` gives it to every
  tied position instead, the result of a mask ``x == max``).  With overlapping windows the
  contributions add up.
* Average-pooling gradient: each window's upstream gradient divided by the divisor goes to
  every real input position in the window.
"""

from __future__ import annotations

import numpy as np

from grader.solvers import _args
from grader.solvers.layers import axis_size
from grader.solvers.registry import solver


def _geometry(pool_size, stride, padding, spatial: int):
    window = _args.integers("pool_size", pool_size, length=spatial, minimum=1)
    strides = window if stride is None else _args.integers("stride", stride, length=spatial, minimum=1)
    paddings = _args.integers("padding", padding, length=spatial, minimum=0)
    for k, p in zip(window, paddings):
        if p > k // 2:
            raise ValueError(f"padding must be at most half of pool_size, got padding {p} for pool_size {k}")
    return window, strides, paddings


def _as_hwc(x, spatial: int, name: str = "x") -> tuple[np.ndarray, tuple[int, ...]]:
    """x as an [H, W, C] array (a 1-D signal is an image of height 1), plus its original shape."""
    values = _args.array(name, x, ndims=(spatial, spatial + 1))
    original = values.shape
    if values.ndim == spatial:
        values = values[..., None]
    if spatial == 1:
        values = values[None]
    return values, original


def _windows(hwc: np.ndarray, window, strides, paddings):
    """Yield (i, j, rows, cols) for every output position: the window's slice of the input (clipped to it)."""
    h, w, _ = hwc.shape
    (kh, kw), (sh, sw), (ph, pw) = window, strides, paddings
    for i in range(axis_size(h, kh, sh, ph, 1, what="pool_size")):
        for j in range(axis_size(w, kw, sw, pw, 1, what="pool_size")):
            top, left = i * sh - ph, j * sw - pw
            yield i, j, slice(max(top, 0), min(top + kh, h)), slice(max(left, 0), min(left + kw, w))


def _pool(x, pool_size, stride, padding, spatial, mode, count_include_pad=True, upstream=None, ties="first"):
    hwc, original = _as_hwc(x, spatial)
    window, strides, paddings = _geometry(pool_size, stride, padding, spatial)
    if spatial == 1:
        window, strides, paddings = (1, *window), (1, *strides), (0, *paddings)
    include_pad = _args.boolean("count_include_pad", count_include_pad)
    _args.choice("ties", ties, ("first", "all"))
    h_out = axis_size(hwc.shape[0], window[0], strides[0], paddings[0], 1, what="pool_size")
    w_out = axis_size(hwc.shape[1], window[1], strides[1], paddings[1], 1, what="pool_size")
    out = np.zeros((h_out, w_out, hwc.shape[2]))
    if upstream is not None:
        grad_out, _ = _as_hwc(upstream, spatial, name="upstream")
        if grad_out.shape != out.shape:
            raise ValueError(f"upstream must have the pooled output's shape {_present(out, spatial, original).shape}, "
                             f"got {np.asarray(upstream, dtype=float).shape}")
        grad = np.zeros_like(hwc)
    for i, j, rows, cols in _windows(hwc, window, strides, paddings):
        patch = hwc[rows, cols]  # [h, w, C], real positions only
        divisor = window[0] * window[1] if include_pad else patch.shape[0] * patch.shape[1]
        if upstream is None:
            out[i, j] = patch.max(axis=(0, 1)) if mode == "max" else patch.sum(axis=(0, 1)) / divisor
        elif mode == "avg":
            grad[rows, cols] += grad_out[i, j] / divisor
        else:
            flat = patch.reshape(-1, patch.shape[2])
            for c in range(patch.shape[2]):
                hits = np.flatnonzero(flat[:, c] == flat[:, c].max())
                for hit in hits[:1] if ties == "first" else hits:
                    r, q = divmod(int(hit), patch.shape[1])
                    grad[rows.start + r, cols.start + q, c] += grad_out[i, j, c]
    return _args.plain(_present(out if upstream is None else grad, spatial, original))


def _present(result: np.ndarray, spatial: int, original: tuple[int, ...]) -> np.ndarray:
    """Undo _as_hwc's extra axes: the result in the layout of the input."""
    if spatial == 1:
        result = result[0]
    return result[..., 0] if len(original) == spatial else result


def _doc(template: str, spatial: int) -> str:
    if spatial == 1:
        shapes = dict(x="[L] or [L, C]", size="an int", out="list of floats (or [L_out][C] rows)",
                      pair="an int", grad="list shaped like x")
    else:
        shapes = dict(x="[H, W] or [H, W, C]", size="an int or [k_h, k_w]", out="nested list [H_out][W_out] (or [..][C])",
                      pair="an int or [for H, for W]", grad="nested list shaped like x")
    return template.format(**shapes)


_FORWARD = """{kind} pooling ({dims}).

    Args:
        x: input, {{x}}.
        pool_size: window size, {{size}}.
        stride: stride, {{pair}} (default: pool_size).
        padding: padding on each side, {{pair}}, at most half the window (default 0).{extra}

    Returns:
        {{out}}.
    """
_GRADIENT = """Gradient of {kind} pooling ({dims}) with respect to its input.{tie_line}

    Args:
        x: the pooling layer's input, {{x}}.
        upstream: gradient with respect to the pooled output (the output's shape).
        pool_size: window size, {{size}}.
        stride: stride, {{pair}} (default: pool_size).
        padding: padding on each side, {{pair}}, at most half the window (default 0).{extra}

    Returns:
        {{grad}}.
    """
_AVG_EXTRA = """
        count_include_pad: divide by the full window (true, default) or by its real positions (false)."""
_TIE_EXTRA = """
        ties: first (default: the first maximum in row-major order gets the gradient) or all (every tied maximum)."""


def _documented(fn, template: str, spatial: int, kind: str, extra: str = "", tie_line: str = ""):
    dims = "1-D" if spatial == 1 else "2-D"
    fn.__doc__ = _doc(template.format(kind=kind, dims=dims, extra=extra, tie_line=tie_line), spatial)
    return fn


@solver("pooling.max_pool1d")
def max_pool1d(*, x, pool_size, stride=None, padding=0) -> list:
    return _pool(x, pool_size, stride, padding, 1, "max")


@solver("pooling.max_pool2d")
def max_pool2d(*, x, pool_size, stride=None, padding=0) -> list:
    return _pool(x, pool_size, stride, padding, 2, "max")


@solver("pooling.avg_pool1d")
def avg_pool1d(*, x, pool_size, stride=None, padding=0, count_include_pad=True) -> list:
    return _pool(x, pool_size, stride, padding, 1, "avg", count_include_pad)


@solver("pooling.avg_pool2d")
def avg_pool2d(*, x, pool_size, stride=None, padding=0, count_include_pad=True) -> list:
    return _pool(x, pool_size, stride, padding, 2, "avg", count_include_pad)


@solver("pooling.max_pool1d_grad")
def max_pool1d_grad(*, x, upstream, pool_size, stride=None, padding=0, ties="first") -> list:
    return _pool(x, pool_size, stride, padding, 1, "max", upstream=upstream, ties=ties)


@solver("pooling.max_pool2d_grad")
def max_pool2d_grad(*, x, upstream, pool_size, stride=None, padding=0, ties="first") -> list:
    return _pool(x, pool_size, stride, padding, 2, "max", upstream=upstream, ties=ties)


@solver("pooling.avg_pool1d_grad")
def avg_pool1d_grad(*, x, upstream, pool_size, stride=None, padding=0, count_include_pad=True) -> list:
    return _pool(x, pool_size, stride, padding, 1, "avg", count_include_pad, upstream=upstream)


@solver("pooling.avg_pool2d_grad")
def avg_pool2d_grad(*, x, upstream, pool_size, stride=None, padding=0, count_include_pad=True) -> list:
    return _pool(x, pool_size, stride, padding, 2, "avg", count_include_pad, upstream=upstream)


_TIES = " Ties: the first maximum in row-major order."
for _spatial, _max, _avg, _max_grad, _avg_grad in ((1, max_pool1d, avg_pool1d, max_pool1d_grad, avg_pool1d_grad),
                                                  (2, max_pool2d, avg_pool2d, max_pool2d_grad, avg_pool2d_grad)):
    _documented(_max, _FORWARD, _spatial, "Max")
    _documented(_avg, _FORWARD, _spatial, "Average", _AVG_EXTRA)
    _documented(_max_grad, _GRADIENT, _spatial, "max", _TIE_EXTRA, _TIES)
    _documented(_avg_grad, _GRADIENT, _spatial, "average", _AVG_EXTRA)


@solver("pooling.output_size")
def output_size(*, n, pool_size, stride=None, padding=0) -> int:
    """Pooled length along one axis: floor((n + 2p - k) / s) + 1, the stride defaulting to the pool size.

    Args:
        n: input size along the axis.
        pool_size: window size k.
        stride: stride s (default: pool_size).
        padding: padding p on each side (default 0).

    Returns:
        int, the output size.
    """
    k = _args.integer("pool_size", pool_size, minimum=1)
    s = k if stride is None else _args.integer("stride", stride, minimum=1)
    return axis_size(_args.integer("n", n, minimum=1), k, s, _args.integer("padding", padding, minimum=0), 1,
                     what="pool_size")


@solver("pooling.subsample1d")
def subsample1d(*, x, stride, offset=0) -> list:
    """Keep every stride-th entry, starting at offset: x[offset::stride].

    Args:
        x: input, [L] or [L, C].
        stride: step s between kept entries.
        offset: index of the first kept entry (default 0).

    Returns:
        list of floats (or [L_out][C] rows).
    """
    values = _args.array("x", x, ndims=(1, 2))
    s = _args.integer("stride", stride, minimum=1)
    start = _args.integer("offset", offset, minimum=0)
    if start >= values.shape[0]:
        raise ValueError(f"offset must be smaller than the length of x ({values.shape[0]}), got {start}")
    return _args.plain(values[start::s])


@solver("pooling.subsample2d")
def subsample2d(*, x, stride, offset=0) -> list:
    """Keep every s_h-th row and s_w-th column, starting at offset: x[o_h::s_h, o_w::s_w].

    Args:
        x: input, [H, W] or [H, W, C].
        stride: step between kept rows/columns, an int or [s_h, s_w].
        offset: first kept row/column, an int or [o_h, o_w] (default 0).

    Returns:
        nested list [H_out][W_out] (or [..][C]).
    """
    values = _args.array("x", x, ndims=(2, 3))
    sh, sw = _args.integers("stride", stride, length=2, minimum=1)
    oh, ow = _args.integers("offset", offset, length=2, minimum=0)
    if oh >= values.shape[0] or ow >= values.shape[1]:
        raise ValueError(f"offset must be inside x (shape {values.shape[:2]}), got {[oh, ow]}")
    return _args.plain(values[oh::sh, ow::sw])
