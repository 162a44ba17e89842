"""Reference solvers against the values stated in the dl-basics spec."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.problems.bindings import compute_references
from grader.grading.checked import load_assignment_dir

REPO = Path(__file__).resolve().parents[2]

SPEC = {
    "1c": [0.090, 0.245, 0.665],
    "1d": [[0.082, -0.022, -0.060], [-0.022, 0.185, -0.163], [-0.060, -0.163, 0.223]],
    "2a": (26, 26),
    "2b": 1820,
    "2c": (46, 62, 20),
    "2d": 5_133_600,
    "3b": [4, 0, 6],
    "3c": [2, 0, 2],
    "4a": [0.3275, 0.3475],
    "4b": [0.581151, 0.586011],
    "4c": [0.879449, 0.996165],
    "4d": [0.706708, 0.730304],
    "4e": 0.198446,
    "4f": [0.125753, -0.033423],
    "4g": [[0.073082, -0.019424], [0.073693, -0.019586]],
    "4h": [0.125753, -0.033423],
    "4i": [[0.000296, 0.000351], [0.000889, 0.001054]],
    "4j": [0.005929, 0.007029],
    "4k": [[0.099881, 0.199859], [0.149644, 0.249578]],
    "4l": [0.297628, 0.297188],
    "4m": [[0.270767, 0.407770], [0.320523, 0.457835]],
    "4n": [0.449699, 0.513369],
}


@pytest.fixture(scope="module")
def references():
    return compute_references(assignment=load_assignment_dir(folder=REPO / "problems" / "dl-basics"))


@pytest.mark.parametrize("part_id", sorted(SPEC))
def test_solver_matches_spec(references, part_id):
    expected = SPEC[part_id]
    got = references[part_id]
    if isinstance(expected, tuple) or isinstance(expected, int):
        assert tuple(np.atleast_1d(got)) == tuple(np.atleast_1d(expected))
    else:
        decimals = 3 if part_id.startswith("1") else 6
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                                   atol=0.51 * 10.0 ** -decimals)


def test_conv_intermediate_sizes():
    from grader.solvers.conv import chain_sizes

    layers = [dict(kernel=7, padding=3, stride=2), dict(kernel=3, padding=1), dict(kernel=2, stride=2),
              dict(kernel=3, padding=1, stride=2, dilation=3)]
    assert chain_sizes(224, layers) == [112, 112, 56, 26]


def test_softmax_jacobian_is_consistent_with_finite_differences():
    from grader.solvers.softmax import softmax, softmax_jacobian

    z = np.array([0.3, -1.2, 2.0, 0.7])
    eps = 1e-6
    numeric = np.column_stack([(softmax(z + eps * e) - softmax(z - eps * e)) / (2 * eps) for e in np.eye(4)])
    np.testing.assert_allclose(softmax_jacobian(z), numeric, atol=1e-8)
