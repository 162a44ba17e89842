"""Resolve solver arguments and order the steps of a computation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grader.problems.models import Assignment, Part, Problem


class BindingError(ValueError):
    pass


def resolve_args(*, part: Part | None = None, args: Mapping[str, Any] | None = None,
                 parameters: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Replace ``$param`` by the parameter and ``@part`` by that part's value."""
    raw = part.args if args is None and part is not None else (args or {})
    return {name: _resolve(value, parameters, values) for name, value in raw.items()}


def _resolve(value: Any, parameters: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in parameters:
            raise BindingError(f"unknown parameter {name!r}")
        return parameters[name]
    if isinstance(value, str) and value.startswith("@"):
        ref = value[1:]
        if ref not in values:
            raise BindingError(f"part {ref!r} has no value")
        return values[ref]
    if isinstance(value, list):
        return [_resolve(item, parameters, values) for item in value]
    if isinstance(value, dict):
        return {key: _resolve(item, parameters, values) for key, item in value.items()}
    return value


def step_order(*, assignment: Assignment) -> tuple[str, ...]:
    """Part ids ordered so that every part comes after the parts it uses."""
    parts = {part.id: part for part in assignment.parts}
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(part_id: str, chain: tuple[str, ...]) -> None:
        if state.get(part_id) == "done":
            return
        if state.get(part_id) == "active":
            cycle = " -> ".join((*chain, part_id))
            raise BindingError(f"parts depend on each other in a cycle: {cycle}")
        state[part_id] = "active"
        for ref in parts[part_id].inputs:
            if ref not in parts:
                raise BindingError(f"part {part_id!r} uses unknown part @{ref}")
            visit(ref, (*chain, part_id))
        state[part_id] = "done"
        order.append(part_id)

    for part_id in parts:
        visit(part_id, ())
    return tuple(order)


def compute_step(*, part: Part, problem: Problem, values: Mapping[str, Any]) -> Any:
    """Run a part's solver with its inputs taken from ``values``."""
    from grader.solvers import get_solver

    fn = get_solver(part.solver or "")
    return fn(**resolve_args(part=part, parameters=problem.parameters, values=values))


def compute_references(*, assignment: Assignment) -> dict[str, Any]:
    """Reference value of every part that has a solver, in step order."""
    values: dict[str, Any] = {}
    for part_id in step_order(assignment=assignment):
        part = assignment.part(part_id)
        if part.solver is None:
            continue
        values[part_id] = compute_step(part=part, problem=assignment.problem_of(part_id), values=values)
    return values
