"""How one value of the answer relates to the expected value (shared by the random-point and the exact judge)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from grader.symbolic.spec import SymbolicSpec

Match = Literal["equal", "transposed", "diagonal", "shape", "differ"]


_FLOAT = np.dtype(np.float64)


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """``np.allclose(a, b, rtol=rtol, atol=atol)`` for arrays of the same shape: for finite float64 arrays its
    own formula (``|a - b| <= atol + rtol |b|`` or ``a == b``) without its conversions and checks (a tenth of
    its time on the small arrays of a trial), anything else by ``np.allclose`` itself."""
    if (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == _FLOAT and b.dtype == _FLOAT
            and a.ndim == 0 and b.ndim == 0):  # two scalars: the same formula on Python floats (the same doubles)
        x, y = float(a), float(b)
        if math.isfinite(x) and math.isfinite(y):
            return abs(x - y) <= atol + rtol * abs(y) or x == y
    if (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == _FLOAT and b.dtype == _FLOAT
            and np.isfinite(a).all() and np.isfinite(b).all()):
        return bool(((np.abs(a - b) <= atol + rtol * np.abs(b)) | (a == b)).all())
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))


def compare_values(student: np.ndarray, expected: np.ndarray, spec: "SymbolicSpec") -> Match:
    close = lambda a, b: _allclose(a, b, spec.rtol, spec.atol)  # noqa: E731
    if student.shape == expected.shape and close(student, expected):
        return "equal"
    if student.ndim == 2 and student.T.shape == expected.shape and close(student.T, expected):
        return "transposed"
    if (spec.result.accept_diagonal and expected.ndim == 2 and expected.shape[1] == 1 and student.ndim == 2
            and student.shape == (expected.shape[0], expected.shape[0]) and close(student, np.diagflat(expected))):
        return "diagonal"
    if student.shape != expected.shape:
        return "shape"
    return "differ"


def accepted(spec: "SymbolicSpec") -> frozenset[str]:
    """The matches that count as the right answer under the spec's layout rule."""
    return frozenset({"equal", "diagonal"} | ({"transposed"} if spec.layout == "transpose_ok" else set()))


def agree(matches: list[Match], spec: "SymbolicSpec") -> bool:
    ok = accepted(spec)
    return all(m in ok for m in matches)
