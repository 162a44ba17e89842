"""An assignment made ready for grading: read (``grader.problems``), then checked the way only
grading can check it, and turned into the run's grading context in the same pass.

Checked here, every error found reported at once, each naming the file, the field and the fix:
each part's answer type exists and accepts the part; the steps have no cycle; the assignment's
own solver modules import; every derived reference can be derived by SymPy and agrees with the numbers
(grader.grading.derived); every reference can be computed and fits its answer type; every
reference passes its own part's check and no catalogued mistake equals it; the variants'
paths, types, constraints and placeholders, and a sample of variants' self-checks.  The
references computed for the check are the context's: they are computed once per run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext, build_context
from grader.grading.derived import derive_references
from grader.problems.bindings import BindingError, compute_step, step_order
from grader.problems.errors import ProblemFileError, raise_if_any
from grader.problems.loader import ASSIGNMENT_FILE, field_line, read_assignment, read_assignment_dir
from grader.problems.models import Assignment, Problem

Report = Callable[..., None]


def load_assignment(*, problems_dir: Path, assignment_id: str | None = None) -> Assignment:
    """Read and check one assignment of a problems folder (raises ProblemFileError)."""
    return _loaded(checked_context(assignment=read_assignment(problems_dir=problems_dir, assignment_id=assignment_id)))


def load_assignment_dir(*, folder: Path) -> Assignment:
    """Read and check the assignment in ``folder`` (raises ProblemFileError)."""
    return _loaded(checked_context(assignment=read_assignment_dir(folder=folder)))


def load_context(*, problems_dir: Path, assignment_id: str | None = None) -> GradingContext:
    """The grading context of one assignment of a problems folder, read and checked."""
    return checked_context(assignment=read_assignment(problems_dir=problems_dir, assignment_id=assignment_id))


def _loaded(context: GradingContext) -> Assignment:
    return context.loaded if context.loaded is not None else context.assignment


def checked_context(*, assignment: Assignment) -> GradingContext:
    """Check ``assignment`` (as read from its folder) and build its grading context from the references
    the check computed; raises ProblemFileErrors with every error found."""
    from grader.variants.check import variant_load_errors

    folder = Path(assignment.source_dir)
    files = list(assignment.problem_files)
    errors: list[ProblemFileError] = []
    failed: set[str] = set()  # parts whose reference could not be had (reported once, skipped after)
    file_of = {problem.id: folder / name for problem, name in zip(assignment.problems, files)}

    def report(problem: Problem, index: int, field: str, text: str, fix: str,
               key: str | tuple[str, ...] | None = None) -> None:
        part = problem.parts[index]
        path = file_of[problem.id]
        where = key if isinstance(key, tuple) else (key or field.split(".")[0],)
        errors.append(ProblemFileError(file=path, field=f"parts[{index}] ({part.id}).{field}".rstrip("."),
                                       problem=text, fix=fix, line=field_line(path, ("parts", index, *where))))

    local = _local_solvers(folder=folder, errors=errors)
    assignment = derive_references(assignment=assignment, report=report, failed=failed)
    _check_types(assignment=assignment, report=report, failed=failed)
    try:
        order = step_order(assignment=assignment)
    except BindingError as exc:
        errors.append(ProblemFileError(file=folder, field="args", problem=str(exc), fix="fix the @part references"))
        raise_if_any(errors)
    values = _references(assignment=assignment, order=order, local=local, report=report, failed=failed)
    _check_keys(assignment=assignment, values=values, local=local, report=report, failed=failed)
    errors.extend(variant_load_errors(assignment=assignment, file_of=file_of, manifest=folder / ASSIGNMENT_FILE,
                                      line=field_line, sample=not errors))
    raise_if_any(errors)
    return build_context(assignment=assignment, references=values)


def _local_solvers(*, folder: Path, errors: list[ProblemFileError]) -> Mapping[str, Any]:
    from grader.solvers.local import LocalSolverError, load_local_solvers

    try:
        return load_local_solvers(folder=folder)
    except LocalSolverError as exc:
        for path, text in exc.problems:
            errors.append(ProblemFileError(file=path, field="(module)", problem=text,
                                           fix="fix the solver module (it is imported when the assignment loads)"))
        return {}


def _check_types(*, assignment: Assignment, report: Report, failed: set[str]) -> None:
    from grader.answers import get_answer_type, known_answer_types

    for problem in assignment.problems:
        for index, part in enumerate(problem.parts):
            if part.id in failed:
                continue  # its derived reference was reported
            try:
                answer_type = get_answer_type(part.type)
            except KeyError:
                report(problem, index, "type", f"unknown answer type {part.type!r}",
                       f"use one of: {', '.join(known_answer_types())}")
                failed.add(part.id)
                continue
            if part.check_step_of is not None and part.check_step_of.lstrip("$") not in problem.parameters:
                report(problem, index, "check_step_of", f"unknown parameter {part.check_step_of!r}",
                       "name the parameter holding the value before the step, e.g. $W1")
            for text in answer_type.validate_part(part=part):
                report(problem, index, "", text, "see docs/authoring.md for this answer type", key="type")
                failed.add(part.id)


def _references(*, assignment: Assignment, order: tuple[str, ...], local: Mapping[str, Any], report: Report,
                failed: set[str]) -> dict[str, Any]:
    """Every reference that can be computed, in step order; each one that cannot is reported."""
    from grader.answers import ReferenceValueError

    values: dict[str, Any] = {}
    for part_id in order:
        part = assignment.part(part_id)
        problem = assignment.problem_of(part_id)
        index = [p.id for p in problem.parts].index(part_id)
        if part_id in failed or failed.intersection(part.inputs):
            failed.add(part_id)  # already reported, here or at the step it uses
            continue
        try:
            value = compute_step(part=part, problem=problem, values=values, local=local)
        except ReferenceValueError as exc:
            failed.add(part_id)
            form = "solver" if part.solver else "formula" if part.formula else "answer"
            report(problem, index, form, f"the reference does not fit a {part.type!r} answer: {exc}",
                   f"make the {form} give a {part.type} value (docs/authoring.md, 'Answer types')")
            continue
        except Exception as exc:  # a trusted solver or formula failing is an authoring error: report it, don't grade
            failed.add(part_id)
            form = "solver" if part.solver else "formula"
            what = f"solver {part.solver!r}" if part.solver else f"formula {part.formula!r}"
            report(problem, index, form, f"{what} failed: {type(exc).__name__}: {exc}",
                   f"check the {form} and its args ($parameter, @part, literals)")
            continue
        if value is not None:
            values[part_id] = value
    return values


def _check_keys(*, assignment: Assignment, values: dict[str, Any], local: Mapping[str, Any], report: Report,
                failed: set[str]) -> None:
    """Each reference passes its own part's check, and no catalogued mistake equals it."""
    from grader.grading.self_check import self_check_problems

    for problem in assignment.problems:
        for index, part in enumerate(problem.parts):
            if part.id in failed:
                continue
            try:
                found = self_check_problems(part=part, problem=problem, references=values, local=local)
            except Exception as exc:  # a misconception solver failing is an authoring error too
                found = [("misconceptions", f"{type(exc).__name__}: {exc}", "check the misconception's solver and args")]
            for field, text, fix in found:
                report(problem, index, field, text, fix, key=field.split(".")[0])
