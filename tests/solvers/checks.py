"""Shared checks for the solver tables: results are plain Python values, equal to the hand-computed ones."""

from __future__ import annotations

import math


def same(got, expected, tol: float = 1e-9) -> bool:
    """The exact plain type (int, float, tuple, list, dict) and value; floats within tol."""
    if isinstance(expected, bool) or isinstance(expected, str):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, int):
        return type(got) is int and got == expected
    if isinstance(expected, float):
        return type(got) is float and math.isclose(got, expected, rel_tol=tol, abs_tol=tol)
    if isinstance(expected, (tuple, list)):
        return (type(got) is type(expected) and len(got) == len(expected)
                and all(same(g, e, tol) for g, e in zip(got, expected)))
    if isinstance(expected, dict):
        return (type(got) is dict and got.keys() == expected.keys()
                and all(same(got[k], expected[k], tol) for k in expected))
    raise TypeError(f"unsupported expected value {expected!r}")


def F(value):
    """Expected arrays written with ints for readability, as floats (solvers return arrays of floats)."""
    if isinstance(value, list):
        return [F(v) for v in value]
    return float(value) if isinstance(value, int) else value
