"""The math language's built-in functions on NumPy values (``sigma``, ``exp``, ``softmax``, ``diag``, ...), and
the shape tests the interpreter shares with them.  A new built-in is one entry in ``_ONE_ARGUMENT``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.mathparse.errors import EvalError

#: built-ins that have derivatives (``\sigma'``, ``\tanh'``, ...); any other one with a prime is refused
_DIFFERENTIABLE = frozenset({"sigma", "exp", "log", "tanh", "relu"})


def is_scalar(a: np.ndarray) -> bool:
    return a.ndim == 0


def squeeze(a: np.ndarray) -> np.ndarray:
    if a.ndim == 2 and a.shape == (1, 1):
        return a.reshape(())
    return a


def is_vector(a: np.ndarray) -> bool:
    return a.ndim == 2 and (a.shape[0] == 1 or a.shape[1] == 1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def call_builtin(f: str, args: list[np.ndarray], d: int) -> Any:
    """The built-in ``f`` (its ``d``-th derivative) at ``args``; raises EvalError for what has no value."""
    if f in ("max", "min"):
        return _extremum(f, args)
    if len(args) != 1:
        raise EvalError("unsupported", f"{f} takes one argument, got {len(args)}")
    if d and f not in _DIFFERENTIABLE:
        raise EvalError("unsupported", f"derivative of {f}")
    one = _ONE_ARGUMENT.get(f)
    if one is None:
        raise EvalError("unsupported", f"unknown function {f}")
    return one(args[0], d)


def _extremum(f: str, args: list[np.ndarray]) -> Any:
    """``max``/``min`` of one value's entries, or of two values entry by entry."""
    if len(args) == 1:
        return np.asarray(np.max(args[0]) if f == "max" else np.min(args[0]))
    if len(args) == 2:
        x, y = args
        if not (is_scalar(x) or is_scalar(y) or x.shape == y.shape):
            raise EvalError("shape", f"{f} of shapes {x.shape} and {y.shape}")
        return np.maximum(x, y) if f == "max" else np.minimum(x, y)
    raise EvalError("unsupported", f"{f} with {len(args)} arguments")


def _higher(f: str) -> EvalError:
    return EvalError("unsupported", f"higher derivative of {f}")


def _sigma(x: np.ndarray, d: int) -> Any:
    s = sigmoid(x)
    if d == 0:
        return s
    if d == 1:
        return s * (1 - s)
    if d == 2:
        return s * (1 - s) * (1 - 2 * s)
    raise EvalError("unsupported", "higher derivatives of sigma")


def _log(x: np.ndarray, d: int) -> Any:
    if d == 0:
        return np.log(x)
    if d == 1:
        return 1.0 / x
    raise _higher("log")


def _tanh(x: np.ndarray, d: int) -> Any:
    t = np.tanh(x)
    if d == 0:
        return t
    if d == 1:
        return 1 - t * t
    raise _higher("tanh")


def _softmax(x: np.ndarray, d: int) -> Any:
    if is_scalar(x) or not is_vector(x):
        raise EvalError("shape", "softmax needs a vector")
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def _diag(x: np.ndarray, d: int) -> Any:
    if is_scalar(x):
        return x
    if is_vector(x):
        return np.diagflat(x.reshape(-1))
    if x.shape[0] == x.shape[1]:
        return np.diag(x).reshape(-1, 1).copy()
    raise EvalError("shape", f"diag of a non-square {x.shape} matrix")


#: one-argument built-ins: name -> fn(x, derivative); only those in _DIFFERENTIABLE ever see a derivative > 0
_ONE_ARGUMENT: dict[str, Callable[[np.ndarray, int], Any]] = {
    "sigma": _sigma,
    "floor": lambda x, d: np.floor(x),
    "ceil": lambda x, d: np.ceil(x),
    "exp": lambda x, d: np.exp(x),
    "log": _log,
    "sqrt": lambda x, d: np.sqrt(x),
    "tanh": _tanh,
    "abs": lambda x, d: np.abs(x),
    "sign": lambda x, d: np.sign(x),
    "relu": lambda x, d: np.maximum(x, 0.0) if d == 0 else (x > 0).astype(float),
    "softmax": _softmax,
    "diag": _diag,
}
