"""How one value of the answer relates to the expected value (shared by the random-point and the exact judge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from grader.symbolic.spec import SymbolicSpec

Match = Literal["equal", "transposed", "diagonal", "shape", "differ"]


def compare_values(student: np.ndarray, expected: np.ndarray, spec: "SymbolicSpec") -> Match:
    close = lambda a, b: bool(np.allclose(a, b, rtol=spec.rtol, atol=spec.atol))  # noqa: E731
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
