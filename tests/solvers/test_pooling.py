"""pooling.* against hand-computed values, including gradient routing on ties."""

from __future__ import annotations

import pytest

from grader.solvers import get_solver
from tests.solvers.checks import F, same

X = [[1, 3, 2, 4],
     [5, 6, 6, 1],
     [0, 2, 9, 9],
     [3, 1, 9, 0]]
# 2 x 2 windows, stride 2: top-left {1, 3, 5, 6}, top-right {2, 4, 6, 1}, bottom-left {0, 2, 3, 1},
# bottom-right {9, 9, 9, 0} (a three-way tie of 9 at (2,2), (2,3), (3,2)).
# A 2 x 2 x 2 HWC input: channel 0 = [[1, 2], [3, 4]], channel 1 = [[8, 7], [6, 5]].
HWC = [[[1, 8], [2, 7]], [[3, 6], [4, 5]]]

CASES = [
    ("pooling.max_pool2d", dict(x=X, pool_size=2), F([[6, 6], [3, 9]])),
    # Means: 15/4, 13/4, 6/4, 27/4.
    ("pooling.avg_pool2d", dict(x=X, pool_size=2), F([[3.75, 3.25], [1.5, 6.75]])),
    # Gradient to each window's max: 6 at (1,1) <- 1, 6 at (1,2) <- 2, 3 at (3,0) <- 3,
    # and the tie of 9s: the first in row-major order, (2,2) <- 4.
    ("pooling.max_pool2d_grad", dict(x=X, upstream=[[1, 2], [3, 4]], pool_size=2),
     F([[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 4, 0], [3, 0, 0, 0]])),
    # ties: all: every 9 of the bottom-right window gets the full 4.
    ("pooling.max_pool2d_grad", dict(x=X, upstream=[[1, 2], [3, 4]], pool_size=2, ties="all"),
     F([[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 4, 4], [3, 0, 4, 0]])),
    # Average gradient: upstream / 4 to each of the 4 window positions: 4/4, 8/4, 12/4, 16/4.
    ("pooling.avg_pool2d_grad", dict(x=X, upstream=[[4, 8], [12, 16]], pool_size=2),
     F([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])),
    # 3 x 3 window, stride 1 on a 4 x 4: out 2 x 2, maxima of rows 0-2/cols 0-2 = 9, cols 1-3 = 9; rows 1-3: 9, 9.
    # Gradient: windows (0,0), (1,0) have their first 9 at (2,2); (0,1), (1,1) too (9 at (2,2) comes before (2,3)).
    ("pooling.max_pool2d_grad", dict(x=X, upstream=[[1, 1], [1, 1]], pool_size=3, stride=1),
     F([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 4, 0], [0, 0, 0, 0]])),
    # Non-square window [1, 2], stride [1, 2]: max of each horizontal pair.
    ("pooling.max_pool2d", dict(x=X, pool_size=[1, 2]), F([[3, 4], [6, 6], [2, 9], [3, 9]])),
    # Channels pool separately: channel 0 max 4 at (1,1), channel 1 max 8 at (0,0).
    ("pooling.max_pool2d", dict(x=HWC, pool_size=2), F([[[4, 8]]])),
    ("pooling.max_pool2d_grad", dict(x=HWC, upstream=[[[1, 10]]], pool_size=2),
     F([[[0, 10], [0, 0]], [[0, 0], [1, 0]]])),
    # 1-D, overlapping windows (k 3, s 1): [1,5,2] -> 5, [5,2,5] -> 5, [2,5,3] -> 5.
    ("pooling.max_pool1d", dict(x=[1, 5, 2, 5, 3], pool_size=3, stride=1), F([5, 5, 5])),
    # Gradient: windows 0 and 1 pick index 1 (window 1 ties 1 and 3, first wins), window 2 picks index 3.
    ("pooling.max_pool1d_grad", dict(x=[1, 5, 2, 5, 3], upstream=[1, 1, 1], pool_size=3, stride=1),
     F([0, 2, 0, 1, 0])),
    ("pooling.max_pool1d_grad", dict(x=[1, 5, 2, 5, 3], upstream=[1, 1, 1], pool_size=3, stride=1, ties="all"),
     F([0, 2, 0, 2, 0])),
    # Max padding is -inf, not 0: padded [-inf, -1, -2, -3, -inf], windows [-inf, -1] -> -1, [-2, -3] -> -2.
    ("pooling.max_pool1d", dict(x=[-1, -2, -3], pool_size=2, padding=1), F([-1, -2])),
    # Average padding is 0: padded [0, 1, 2, 3, 0] -> [(0+1)/2, (2+3)/2]; without the pad in the count: [1/1, 5/2].
    ("pooling.avg_pool1d", dict(x=[1, 2, 3], pool_size=2, padding=1), F([0.5, 2.5])),
    ("pooling.avg_pool1d", dict(x=[1, 2, 3], pool_size=2, padding=1, count_include_pad=False), F([1, 2.5])),
    # Gradient of those: window 0 gives x0 2/2 = 1 (or 2/1 = 2), window 1 gives x1, x2 4/2 = 2 each.
    ("pooling.avg_pool1d_grad", dict(x=[1, 2, 3], upstream=[2, 4], pool_size=2, padding=1), F([1, 2, 2])),
    ("pooling.avg_pool1d_grad", dict(x=[1, 2, 3], upstream=[2, 4], pool_size=2, padding=1, count_include_pad=False),
     F([2, 2, 2])),
    # Overlapping average windows add up: k 2, s 1 on 3 entries, upstream [2, 4]: [2/2, 2/2 + 4/2, 4/2].
    ("pooling.avg_pool1d_grad", dict(x=[7, 8, 9], upstream=[2, 4], pool_size=2, stride=1), F([1, 3, 2])),
    # Subsampling.
    ("pooling.subsample1d", dict(x=[1, 2, 3, 4, 5], stride=2), F([1, 3, 5])),
    ("pooling.subsample1d", dict(x=[1, 2, 3, 4, 5], stride=2, offset=1), F([2, 4])),
    ("pooling.subsample2d", dict(x=X, stride=2), F([[1, 2], [0, 9]])),
    ("pooling.subsample2d", dict(x=X, stride=[1, 3], offset=[0, 1]), F([[3], [6], [2], [1]])),
    # Output sizes: floor((5 - 2)/2) + 1 = 2; floor((7 + 2 - 3)/2) + 1 = 4; floor((6 - 3)/1) + 1 = 4.
    ("pooling.output_size", dict(n=5, pool_size=2), 2),
    ("pooling.output_size", dict(n=7, pool_size=3, stride=2, padding=1), 4),
    ("pooling.output_size", dict(n=6, pool_size=3, stride=1), 4),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_pooling_table(name, args, expected):
    got = get_solver(name)(**args)
    assert same(got, expected), got
