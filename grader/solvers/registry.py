"""Registry of reference solvers, looked up by the name a problem file uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SOLVERS: dict[str, Callable[..., Any]] = {}


class SolverError(LookupError):
    """A problem file names a solver that does not exist."""


def solver(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` under ``name`` (``module.function``)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in _SOLVERS and _SOLVERS[name] is not fn:
            raise ValueError(f"solver {name!r} registered twice")
        _SOLVERS[name] = fn
        return fn

    return register


def get_solver(name: str) -> Callable[..., Any]:
    try:
        return _SOLVERS[name]
    except KeyError:
        known = ", ".join(sorted(_SOLVERS))
        raise SolverError(f"unknown solver {name!r}; known solvers: {known}") from None


def known_solvers() -> tuple[str, ...]:
    return tuple(sorted(_SOLVERS))
