"""Shapes of batch tensors in a named layout.

A layout is a string of dimension letters, one per axis, each letter exactly once, e.g. NHWC
(TensorFlow's default) or NCHW (PyTorch's).  Any order of the letters is accepted.
"""

from __future__ import annotations

from grader.solvers import _args
from grader.solvers.registry import solver


def _layout_shape(layout, sizes: dict[str, int], meaning: str) -> tuple[int, ...]:
    letters = "".join(sizes)
    if not isinstance(layout, str) or sorted(layout.upper()) != sorted(letters):
        raise ValueError(f"layout must use each of the letters {letters} once ({meaning}), got {layout!r}")
    return tuple(sizes[letter] for letter in layout.upper())


@solver("tensors.image_batch")
def image_batch(*, batch, height, width, channels, layout="NHWC") -> tuple[int, ...]:
    """Shape of a batch of images, e.g. (N, H, W, C) for NHWC or (N, C, H, W) for NCHW.

    Args:
        batch: number of images N.
        height: image height H.
        width: image width W.
        channels: channels per pixel C.
        layout: order of the axes, a permutation of NHWC (default NHWC; NCHW for PyTorch).

    Returns:
        tuple of 4 ints in layout order.
    """
    sizes = {"N": _args.integer("batch", batch, minimum=1), "H": _args.integer("height", height, minimum=1),
             "W": _args.integer("width", width, minimum=1), "C": _args.integer("channels", channels, minimum=1)}
    return _layout_shape(layout, sizes, "N batch, H height, W width, C channels")


@solver("tensors.video_batch")
def video_batch(*, batch, frames, height, width, channels, layout="NTHWC") -> tuple[int, ...]:
    """Shape of a batch of videos, e.g. (N, T, H, W, C) for NTHWC or (N, C, T, H, W) for NCTHW.

    Args:
        batch: number of videos N.
        frames: frames per video T.
        height: frame height H.
        width: frame width W.
        channels: channels per pixel C.
        layout: order of the axes, a permutation of NTHWC (default NTHWC; NCTHW for PyTorch's Conv3d).

    Returns:
        tuple of 5 ints in layout order.
    """
    sizes = {"N": _args.integer("batch", batch, minimum=1), "T": _args.integer("frames", frames, minimum=1),
             "H": _args.integer("height", height, minimum=1), "W": _args.integer("width", width, minimum=1),
             "C": _args.integer("channels", channels, minimum=1)}
    return _layout_shape(layout, sizes, "N batch, T frames, H height, W width, C channels")


@solver("tensors.sequence_batch")
def sequence_batch(*, batch, length, features, layout="NTF") -> tuple[int, ...]:
    """Shape of a batch of sequences, e.g. (N, T, F) batch-first, (T, N, F) time-first, (N, F, T) for Conv1d.

    Args:
        batch: number of sequences N.
        length: time steps per sequence T.
        features: features per time step F.
        layout: order of the axes, a permutation of NTF (default NTF, batch-first).

    Returns:
        tuple of 3 ints in layout order.
    """
    sizes = {"N": _args.integer("batch", batch, minimum=1), "T": _args.integer("length", length, minimum=1),
             "F": _args.integer("features", features, minimum=1)}
    return _layout_shape(layout, sizes, "N batch, T length, F features")
