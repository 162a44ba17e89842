"""Argument checks shared by the built-in solvers.

Solver arguments come from YAML problem files, so every check raises a
``ValueError`` whose message starts with the argument's name: the instructor
sees it when the problem is loaded.  Results go back as plain Python values
(``int``, ``float``, tuples and nested lists), never NumPy objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def integer(name: str, value: Any, *, minimum: int | None = None) -> int:
    """``value`` as an ``int`` (an integral float such as ``2.0`` is accepted, a bool is not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        raise ValueError(f"{name} must be an integer, got {value!r}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}")
    return number


def integers(name: str, value: Any, *, length: int, minimum: int | None = None) -> tuple[int, ...]:
    """An int (repeated ``length`` times) or a list of ``length`` ints, e.g. ``stride: [2, 1]``."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != length:
            raise ValueError(f"{name} must be an integer or a list of {length} integers, got {list(value)!r}")
        return tuple(integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))
    return (integer(name, value, minimum=minimum),) * length


def shape(name: str, value: Any, *, lengths: tuple[int, ...], minimum: int = 1) -> tuple[int, ...]:
    """A list of positive ints whose length is one of ``lengths``."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) not in lengths:
        wanted = " or ".join(str(n) for n in lengths)
        raise ValueError(f"{name} must be a list of {wanted} integers, got {value!r}")
    return tuple(integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))


def boolean(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return bool(value)


def number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def array(name: str, value: Any, *, ndims: tuple[int, ...]) -> np.ndarray:
    """A finite float array with one of the given numbers of dimensions (nested lists)."""
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise ValueError(f"{name} must be a number or a (nested) list of numbers, got {value!r}")
    try:
        result = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a rectangular (nested) list of numbers, got {value!r}") from None
    if result.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be {wanted}, got a {result.ndim}-D array of shape {result.shape}")
    if result.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{name} must contain only finite numbers")
    return result


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return value


def plain(result: Any) -> Any:
    """A NumPy result as plain Python: float for a 0-D array, nested lists otherwise."""
    result = np.asarray(result)
    if result.ndim == 0:
        return float(result)
    return np.asarray(result, dtype=float).tolist()
