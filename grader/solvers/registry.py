"""Registry of reference solvers, looked up by the name a problem file uses.

Built-in solvers live in this package.  An assignment folder may hold its own
solver modules (``solvers.py`` or ``solvers/*.py``, trusted instructor code):
while such a module is loaded (:mod:`grader.solvers.local`), ``@solver``
registers into that assignment's own table, so two assignments may use the
same local names without meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

SolverFn = Callable[..., Any]

_SOLVERS: dict[str, SolverFn] = {}
#: the table ``@solver`` fills: the built-in one, or an assignment's while its modules load
_target: list[dict[str, SolverFn]] = [_SOLVERS]


class SolverError(LookupError):
    """A problem file names a solver that does not exist."""


def solver(name: str) -> Callable[[SolverFn], SolverFn]:
    """Register ``fn`` under ``name`` (``module.function``)."""

    def register(fn: SolverFn) -> SolverFn:
        table = _target[-1]
        if name in _SOLVERS and table is not _SOLVERS:
            raise ValueError(f"solver {name!r} is a built-in solver; give the local one another name")
        if name in table and table[name] is not fn:
            raise ValueError(f"solver {name!r} registered twice")
        table[name] = fn
        return fn

    return register


def get_solver(name: str, *, local: Mapping[str, SolverFn] | None = None) -> SolverFn:
    """The solver ``name``: an assignment-local one (from ``local``) or a built-in one."""
    if local and name in local:
        return local[name]
    try:
        return _SOLVERS[name]
    except KeyError:
        known = ", ".join(sorted({*_SOLVERS, *(local or {})}))
        raise SolverError(f"unknown solver {name!r}; known solvers: {known} (`grade solvers` describes them)") from None


def known_solvers(*, local: Mapping[str, SolverFn] | None = None) -> tuple[str, ...]:
    return tuple(sorted({*_SOLVERS, *(local or {})}))


def builtin_table() -> dict[str, SolverFn]:
    return _SOLVERS


def push_target(table: dict[str, SolverFn]) -> None:
    _target.append(table)


def pop_target() -> None:
    if len(_target) > 1:
        _target.pop()
