"""convolution.* against hand-computed values (the arithmetic is in the comments)."""

from __future__ import annotations

import numpy as np
import pytest

from grader.solvers import get_solver
from tests.solvers.checks import F, same

# 5 x 5 image with x[r][c] = 5r + c + 1, i.e. rows 1..5, 6..10, ..., 21..25.
IMAGE = [[5 * r + c + 1 for c in range(5)] for r in range(5)]
# Vertical-edge kernel: (left column) - (right column) of each 3 x 3 window.
EDGE = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
# A 2 x 2 x 2 HWC image: pixel (0,0) = [1, 2], (0,1) = [3, 4], (1,0) = [5, 6], (1,1) = [7, 8].
HWC = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]

CASES = [
    # stride 2, padding 1: out size floor((5 + 2 - 3)/2) + 1 = 3; window (i, j) has rows 2i-1..2i+1, cols 2j-1..2j+1.
    # Column sums inside the window rows:  rows -1..1 (row -1 is padding): col1 = 2+7 = 9, col3 = 4+9 = 13
    #                                      rows  1..3: col1 = 7+12+17 = 36, col3 = 9+14+19 = 42
    #                                      rows  3..5 (row 5 is padding): col1 = 17+22 = 39, col3 = 19+24 = 43
    # j = 0: 0 (padding column) - col1; j = 1: col1 - col3; j = 2: col3 - 0 (padding column).
    ("convolution.conv2d", dict(x=IMAGE, kernel=EDGE, stride=2, padding=1),
     F([[-9, 9 - 13, 13], [-36, 36 - 42, 42], [-39, 39 - 43, 43]])),
    # flip: the kernel becomes [[-1, 0, 1]] * 3, every sign changes.
    ("convolution.conv2d", dict(x=IMAGE, kernel=EDGE, stride=2, padding=1, flip=True),
     F([[9, 4, -13], [36, 6, -42], [39, 4, -43]])),
    # No padding, stride 1, kernel = 1 at the centre only: the 3 x 3 interior 7 8 9 / 12 13 14 / 17 18 19, + bias 1.
    ("convolution.conv2d", dict(x=IMAGE, kernel=[[0, 0, 0], [0, 1, 0], [0, 0, 0]], bias=1),
     F([[8, 9, 10], [13, 14, 15], [18, 19, 20]])),
    # Dilation 2: a 2 x 2 kernel of ones touches (r, c), (r, c+2), (r+2, c), (r+2, c+2); out size 5 - 2 - 1 + 1 = 3.
    # (0,0): 1 + 3 + 11 + 13 = 28; each step right adds 4 (1 per entry), each step down adds 20 (5 per entry).
    ("convolution.conv2d", dict(x=IMAGE, kernel=[[1, 1], [1, 1]], dilation=2),
     F([[28, 32, 36], [48, 52, 56], [68, 72, 76]])),
    # Non-square stride [2, 3] with a 1 x 1 kernel [[2]]: rows 0, 2 and columns 0, 3 of 2x.
    ("convolution.conv2d", dict(x=[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], kernel=[[2]], stride=[2, 3]),
     F([[2, 8], [18, 24]])),
    # Multi-channel, one filter [kh, kw, C_in] = [2, 2, 2]: k(0,0) = [1, 1], k(1,1) = [1, -1], others 0.
    # 1*1 + 1*2 + 1*7 - 1*8 = 2; the channel axis is dropped.
    ("convolution.conv2d", dict(x=HWC, kernel=[[[1, 1], [0, 0]], [[0, 0], [1, -1]]]), F([[2]])),
    # [kh, kw, C_in, C_out] = [1, 2, 2, 2]: k(0,0) sends both input channels to output 0, k(0,1) to output 1.
    # Row 0: out0 = 1 + 2 + 10 = 13, out1 = 3 + 4 + 20 = 27; row 1: 5 + 6 + 10 = 21, 7 + 8 + 20 = 35.
    ("convolution.conv2d", dict(x=HWC, kernel=[[[[1, 0], [1, 0]], [[0, 1], [0, 1]]]], bias=[10, 20]),
     F([[[13, 27]], [[21, 35]]])),
    # 1-D: [1*1 + 2*2, 2*1 + 3*2, 3*1 + 4*2] = [5, 8, 11]; flipped kernel [2, 1]: [2+2, 4+3, 6+4] = [4, 7, 10].
    ("convolution.conv1d", dict(x=[1, 2, 3, 4], kernel=[1, 2]), F([5, 8, 11])),
    ("convolution.conv1d", dict(x=[1, 2, 3, 4], kernel=[1, 2], flip=True), F([4, 7, 10])),
    # Dilation 2, kernel [1, -1]: x[i] - x[i+2] = -2 for i = 0, 1, 2.
    ("convolution.conv1d", dict(x=[1, 2, 3, 4, 5], kernel=[1, -1], dilation=2), F([-2, -2, -2])),
    # Stride 2, window sums [1+2+3, 3+4+5] = [6, 12], + bias 0.5.
    ("convolution.conv1d", dict(x=[1, 2, 3, 4, 5], kernel=[1, 1, 1], stride=2, bias=0.5), F([6.5, 12.5])),
    # Padding 1: [0+1+2, 1+2+3, 2+3+0] = [3, 6, 5].
    ("convolution.conv1d", dict(x=[1, 2, 3], kernel=[1, 1, 1], padding=1), F([3, 6, 5])),
    # Channels-last 1-D [L, C_in] = [3, 2] with kernel [k, C_in] = [1, 2] = [[1, -1]]: channel 0 - channel 1.
    ("convolution.conv1d", dict(x=[[5, 1], [4, 2], [3, 3]], kernel=[[1, -1]]), F([4, 2, 0])),
    # Transposed, stride 2: x0 = 1 writes [1, 1, 1] at 0..2, x1 = 2 writes [2, 2, 2] at 2..4: [1, 1, 3, 2, 2].
    # Length (2 - 1)*2 + (3 - 1) + 1 = 5.
    ("convolution.conv_transpose1d", dict(x=[1, 2], kernel=[1, 1, 1], stride=2), F([1, 1, 3, 2, 2])),
    # Padding 1 crops one entry per side: [1, 3, 2]; output_padding 1 adds a zero at the end.
    ("convolution.conv_transpose1d", dict(x=[1, 2], kernel=[1, 1, 1], stride=2, padding=1), F([1, 3, 2])),
    ("convolution.conv_transpose1d", dict(x=[1, 2], kernel=[1, 1, 1], stride=2, output_padding=1),
     F([1, 1, 3, 2, 2, 0])),
    # The kernel is not flipped: x = [1] just copies the kernel.
    ("convolution.conv_transpose1d", dict(x=[1], kernel=[1, 2, 3]), F([1, 2, 3])),
    # 2-D, stride 2, 2 x 2 kernel of ones: each input value becomes a 2 x 2 block (nearest-neighbour upsampling).
    ("convolution.conv_transpose2d", dict(x=[[1, 2], [3, 4]], kernel=[[1, 1], [1, 1]], stride=2),
     F([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])),
    # Stride 1: overlapping 2 x 2 blocks add up: centre 1+2+3+4 = 10, edges 1+2 = 3, 1+3 = 4, 2+4 = 6, 3+4 = 7.
    ("convolution.conv_transpose2d", dict(x=[[1, 2], [3, 4]], kernel=[[1, 1], [1, 1]]),
     F([[1, 3, 2], [4, 10, 6], [3, 7, 4]])),
    ("convolution.conv_transpose2d", dict(x=[[1, 2], [3, 4]], kernel=[[1, 1], [1, 1]], padding=1), F([[10]])),
    # Positions (0-based, row-major): the max 3 is at (0,1), (1,0), (1,2); the min 0 only at (1,1).
    ("convolution.argmax_positions", dict(x=[[1, 3, 2], [3, 0, 3]]), [[0, 1], [1, 0], [1, 2]]),
    ("convolution.argmin_positions", dict(x=[[1, 3, 2], [3, 0, 3]]), [[1, 1]]),
    ("convolution.argmin_positions", dict(x=[[0, 5], [0, 0]]), [[0, 0], [1, 0], [1, 1]]),
    # tolerance 0.01: 0.999 counts as a tie with 1.0.
    ("convolution.argmax_positions", dict(x=[[1.0, 0.999], [0.5, 0.0]], tolerance=0.01), [[0, 0], [0, 1]]),
    ("convolution.argmax_positions", dict(x=[4, 1, 4]), [[0], [2]]),
    ("convolution.max_value", dict(x=[[1, 3, 2], [3, 0, 3]]), 3.0),
    ("convolution.min_value", dict(x=[[1, 3, 2], [3, -0.5, 3]]), -0.5),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_convolution_table(name, args, expected):
    got = get_solver(name)(**args)
    assert same(got, expected), got


def test_transposed_convolution_is_the_adjoint_of_convolution():
    # <conv(x), y> = <x, conv_transpose(y)> for the same kernel, stride and padding (7 -> 4 -> 7 here).
    rng = np.random.default_rng(0)
    x, k, y = rng.normal(size=7), rng.normal(size=3), rng.normal(size=4)
    conv = get_solver("convolution.conv1d")(x=x.tolist(), kernel=k.tolist(), stride=2, padding=1)
    back = get_solver("convolution.conv_transpose1d")(x=y.tolist(), kernel=k.tolist(), stride=2, padding=1)
    assert len(conv) == 4 and len(back) == 7
    assert np.isclose(np.dot(conv, y), np.dot(x, back))
