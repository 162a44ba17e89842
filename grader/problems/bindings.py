"""Resolve solver arguments and order the steps of a computation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grader.problems.models import Assignment, Misconception, Part, Problem


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
        if name in parameters:
            return parameters[name]
        if "." not in name:
            raise BindingError(f"unknown parameter {name!r}")
        from grader.variants.paths import PathError, get_path  # `$conv1.kernel`, `$W1.0.1`: a dotted path

        try:
            return get_path(parameters, name)
        except PathError as exc:
            raise BindingError(f"unknown parameter {name!r}: {exc}") from None
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


def compute_step(*, part: Part, problem: Problem, values: Mapping[str, Any],
                 local: Mapping[str, Any] | None = None) -> Any:
    """The part's reference from its ``answer``, ``formula`` or ``solver``, with inputs taken from
    ``values``, in the form its answer type uses (``local``: the assignment's own solvers)."""
    from grader.answers import get_answer_type

    raw = raw_reference(source=part, problem=problem, values=values, local=local)
    return get_answer_type(part.type).reference_value(value=raw, part=part) if raw is not None else None


def raw_reference(*, source: Part | Misconception, problem: Problem, values: Mapping[str, Any],
                  local: Mapping[str, Any] | None = None) -> Any:
    """The value a part or a catalogued mistake gives in whichever form it is written."""
    if source.solver is not None:
        from grader.solvers import get_solver

        fn = get_solver(source.solver, local=local)
        return fn(**resolve_args(args=source.args, parameters=problem.parameters, values=values))
    if source.formula is not None:
        from grader.mathparse.formula import evaluate_formula

        inputs = resolve_args(args=source.args, parameters=problem.parameters, values=values)
        return evaluate_formula(text=source.formula, parameters={**problem.parameters, **inputs})
    if isinstance(source, Misconception):
        return source.value
    return source.answer


def compute_references(*, assignment: Assignment) -> dict[str, Any]:
    """Reference value of every part that has one, in step order."""
    local = local_solvers_of(assignment)
    values: dict[str, Any] = {}
    for part_id in step_order(assignment=assignment):
        part = assignment.part(part_id)
        value = compute_step(part=part, problem=assignment.problem_of(part_id), values=values, local=local)
        if value is not None:
            values[part_id] = value
    return values


def local_solvers_of(assignment: Assignment) -> Mapping[str, Any]:
    """The assignment folder's own solvers (loaded once per process)."""
    if not assignment.source_dir:
        return {}
    from grader.solvers.local import load_local_solvers

    return load_local_solvers(folder=Path(assignment.source_dir))
