"""Load-time checks of variants, constraints and placeholders (called by grader.grading.checked).

Every declared path must exist and every value it can take must have the parameter's type;
every constraint must be a formula over known parameters; every ``{{name}}`` must name a
parameter; the constraints must be satisfiable (a sample of students each find values within
``max_draws``), and each sampled variant's references must pass their own self-check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from grader.problems.errors import ProblemFileError
from grader.problems.models import Assignment, Problem, VariantSpec
from grader.variants.paths import PathError, get_path, placeholder_problems

#: parts whose reference never comes from the parameters
_FIXED_TYPES = ("expression", "text")

LineOf = Callable[[Path, tuple[Any, ...]], "int | None"]


def variant_load_errors(*, assignment: Assignment, file_of: Mapping[str, Path], manifest: Path,
                        line: LineOf, sample: bool = True) -> list[ProblemFileError]:
    errors: list[ProblemFileError] = []
    policy = assignment.variants
    if policy.enabled and not policy.seed.strip():
        errors.append(ProblemFileError(
            file=manifest, field="variants.seed", problem="variants are enabled but have no seed",
            fix="set a course secret, e.g. variants: {enabled: true, seed: 'course-2026-fall'} "
                "(it fixes every student's numbers; changing it changes them all)",
            line=line(manifest, ("variants", "seed"))))
    for problem in assignment.problems:
        path = file_of[problem.id]
        found = _structure_errors(problem=problem, path=path, line=line)
        errors.extend(found)
        if sample and not found and problem.variants:
            errors.extend(_sample_errors(assignment=assignment, problem=problem, path=path, line=line))
    return errors


def _structure_errors(*, problem: Problem, path: Path, line: LineOf) -> list[ProblemFileError]:
    from grader.mathparse.formula import FormulaError, flatten_parameters, formula_names

    errors = []

    def add(field: str, loc: tuple[Any, ...], text: str, fix: str) -> None:
        errors.append(ProblemFileError(file=path, field=field, problem=text, fix=fix, line=line(path, loc)))

    for name, spec in problem.variants.items():
        try:
            default = get_path(problem.parameters, name)
        except PathError as exc:
            add(f"variants.{name}", ("variants", name), f"unknown parameter {name!r}: {exc}",
                "declare it under parameters: (the shipped value is the default) or correct the path "
                "(conv1.kernel for a key of a dict parameter, W1.0.1 for an entry of a list)")
            continue
        for text in _type_problems(spec=spec, default=default):
            add(f"variants.{name}", ("variants", name), text,
                f"give values of the same type as the default {name} = {default!r}")
    known = {key for key, value in flatten_parameters(problem.parameters).items() if not isinstance(value, Mapping)}
    for index, constraint in enumerate(problem.constraints):
        for text in constraint.formulas:
            try:
                unknown = sorted(formula_names(text=text) - known)
            except FormulaError as exc:
                add(f"constraints[{index}].{constraint.kind}", ("constraints", index), str(exc),
                    "write a formula over the parameters, e.g. '(input_size + 2*conv1.padding - conv1.kernel) / conv1.stride'")
                continue
            if unknown:
                add(f"constraints[{index}].{constraint.kind}", ("constraints", index),
                    f"{text!r} uses unknown parameter(s) {', '.join(unknown)}",
                    f"use the parameters of this problem: {', '.join(sorted(known))}")
    for text in placeholder_problems(text=problem.statement, parameters=problem.parameters):
        add("statement", ("statement",), text, "name a parameter of this problem inside {{…}}")
    for index, part in enumerate(problem.parts):
        for text in placeholder_problems(text=part.prompt, parameters=problem.parameters):
            add(f"parts[{index}] ({part.id}).prompt", ("parts", index, "prompt"), text,
                "name a parameter of this problem inside {{…}}")
        for k, mistake in enumerate(part.misconceptions):
            for text in placeholder_problems(text=mistake.feedback, parameters=problem.parameters):
                add(f"parts[{index}] ({part.id}).misconceptions.{mistake.id}.feedback",
                    ("parts", index, "misconceptions", k), text, "name a parameter of this problem inside {{…}}")
    return errors


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a group of values"
    return f"a {type(value).__name__}"


def _fits(default: Any, value: Any) -> str | None:
    """Why ``value`` cannot stand in for ``default`` (None when it can)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return None if isinstance(default, bool) and isinstance(value, bool) else f"{value!r} is not {_kind(default)}"
    if isinstance(default, int):
        return None if isinstance(value, int) else f"{value!r} is not {_kind(default)}"
    if isinstance(default, float):
        return None if isinstance(value, (int, float)) else f"{value!r} is not {_kind(default)}"
    if isinstance(default, list):
        if not isinstance(value, list) or len(value) != len(default):
            return f"{value!r} is not {_kind(default)}"
        for a, b in zip(default, value):
            if (why := _fits(a, b)) is not None:
                return why
        return None
    if isinstance(default, dict):
        if not isinstance(value, dict) or set(value) != set(default):
            return f"{value!r} does not have the keys {', '.join(map(str, default))}"
        for key in default:
            if (why := _fits(default[key], value[key])) is not None:
                return why
        return None
    return None if type(value) is type(default) else f"{value!r} is not {_kind(default)}"


def _type_problems(*, spec: VariantSpec, default: Any) -> list[str]:
    if spec.choices is not None:
        return [f"choice {why}" for choice in spec.choices if (why := _fits(default, choice)) is not None]
    is_number = isinstance(default, (int, float)) and not isinstance(default, bool)
    if spec.range is not None and not is_number:
        return [f"range gives integers but the parameter is {_kind(default)}"]
    if spec.uniform is not None and not (isinstance(default, float)):
        return [f"uniform gives real numbers but the parameter is {_kind(default)}"
                + ("; use range: [lo, hi] for integers" if is_number else "")]
    return []


def _sample_errors(*, assignment: Assignment, problem: Problem, path: Path, line: LineOf) -> list[ProblemFileError]:
    from grader.variants.derive import VariantError, problem_values

    errors = []
    for k in range(max(1, assignment.variants.check_sample)):
        student = f"(load check {k + 1})"
        try:
            values = problem_values(assignment=assignment, problem=problem, student=student)
        except VariantError as exc:
            text = str(exc).split(": ", 1)[-1]
            errors.append(ProblemFileError(
                file=path, field="constraints", problem=f"{text} for the sample student {student!r}",
                fix="widen the variants' ranges or choices, or loosen the constraints "
                    "(or raise variants.max_draws in assignment.yaml)",
                line=line(path, ("constraints",))))
            return errors
        for part_id, text in variant_self_check(assignment=assignment, values={problem.id: values}):
            index = [p.id for p in problem.parts].index(part_id) if part_id in [p.id for p in problem.parts] else None
            shown = ", ".join(f"{name} = {value!r}" for name, value in values.items())
            errors.append(ProblemFileError(
                file=path, field=f"parts[{index}] ({part_id})" if index is not None else "variants",
                problem=f"with the variant {shown}: {text}",
                fix="restrict the variants (choices, ranges, constraints) to values this part's reference handles",
                line=line(path, ("parts", index) if index is not None else ("variants",))))
        if errors:
            return errors
    return errors


def variant_self_check(*, assignment: Assignment, values: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(part id, problem) for each part of the varied problems whose reference, computed with
    ``values``, fails to compute or fails its own answer type's check."""
    return variant_references(assignment=assignment, values=values)[2]


def variant_references(*, assignment: Assignment, values: Mapping[str, Mapping[str, Any]]
                       ) -> tuple[Assignment, dict[str, Any], list[tuple[str, str]], bool]:
    """The varied assignment, its references, the self-check failures of :func:`variant_self_check`,
    and whether every part's reference could be computed (the references are computed once)."""
    from grader.problems.bindings import compute_step, local_solvers_of, step_order
    from grader.grading.self_check import self_check_problems
    from grader.variants.apply import apply_variant

    varied = apply_variant(assignment=assignment, values=values)
    local = local_solvers_of(varied)
    references: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for part_id in step_order(assignment=varied):
        part = varied.part(part_id)
        if any(ref in failed for ref in part.inputs):
            failed[part_id] = ""
            continue
        try:
            value = compute_step(part=part, problem=varied.problem_of(part_id), values=references, local=local)
        except Exception as exc:  # a solver failing on these values is what this check is for
            failed[part_id] = f"the reference cannot be computed: {type(exc).__name__}: {exc}"
            continue
        if value is not None:
            references[part_id] = value
    found = [(pid, text) for pid, text in failed.items() if text and varied.problem_of(pid).id in values]
    for problem in varied.problems:
        if problem.id not in values:
            continue
        for part in problem.parts:
            if part.id in failed or part.type in _FIXED_TYPES:
                continue
            try:
                problems = self_check_problems(part=part, problem=problem, references=references, local=local)
            except Exception as exc:
                problems = [("misconceptions", f"{type(exc).__name__}: {exc}", "")]
            found.extend((part.id, f"{field}: {text}") for field, text, _ in problems)
    return varied, references, found, not failed
