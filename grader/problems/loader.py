"""Load and validate assignments from ``problems/<assignment>/``.

Every failure raises :class:`ProblemFileError` naming the file, the field and
the fix, so an instructor never grades a class against a broken reference.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.problems.bindings import BindingError, compute_step, step_order
from grader.problems.errors import ProblemFileError, ProblemFileErrors, raise_if_any
from grader.problems.models import Assignment, Problem
from grader.problems.self_check import self_check_problems
from grader.yamlio import YamlError, load_yaml_text, yaml_lines

ASSIGNMENT_FILE = "assignment.yaml"


def discover_assignments(*, problems_dir: Path) -> dict[str, Path]:
    """Assignment id -> folder, for every folder holding an assignment.yaml."""
    found: dict[str, Path] = {}
    for manifest in sorted(Path(problems_dir).glob(f"*/{ASSIGNMENT_FILE}")):
        data = _read_yaml(manifest)
        assignment_id = data.get("id") if isinstance(data, dict) else None
        found[str(assignment_id or manifest.parent.name)] = manifest.parent
    return found


def load_assignment(*, problems_dir: Path, assignment_id: str | None = None) -> Assignment:
    problems_dir = Path(problems_dir)
    available = discover_assignments(problems_dir=problems_dir)
    if not available:
        raise ProblemFileError(
            file=problems_dir, field="(folder)", problem="no assignment found",
            fix=f"create {problems_dir}/<assignment-id>/{ASSIGNMENT_FILE} (`grade new-problem` scaffolds one; docs/authoring.md)",
        )
    if assignment_id is None:
        if len(available) > 1:
            raise ProblemFileError(
                file=problems_dir, field="(folder)",
                problem=f"several assignments: {', '.join(sorted(available))}",
                fix="choose one with --assignment ID",
            )
        assignment_id = next(iter(available))
    if assignment_id not in available:
        raise ProblemFileError(
            file=problems_dir, field="--assignment", problem=f"no assignment {assignment_id!r}",
            fix=f"use one of: {', '.join(sorted(available))}",
        )
    return load_assignment_dir(folder=available[assignment_id])


def load_assignment_dir(*, folder: Path) -> Assignment:
    """Load, validate and self-check one assignment; every error found is reported at once."""
    folder = Path(folder)
    manifest_path = folder / ASSIGNMENT_FILE
    errors: list[ProblemFileError] = []
    manifest = _read_yaml(manifest_path)
    if not isinstance(manifest, dict):
        raise ProblemFileError(file=manifest_path, field="(top level)", problem="expected a mapping",
                               fix="write id:, title:, problems: [file names]")
    files = manifest.get("problems")
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise ProblemFileError(file=manifest_path, field="problems", problem="expected a list of problem file names",
                               fix="list the problem files, e.g. problems: [softmax.yaml, conv.yaml]",
                               line=_line(manifest_path, ("problems",)))
    problems = []
    for index, name in enumerate(files):
        path = folder / name
        if not path.is_file():
            errors.append(ProblemFileError(file=manifest_path, field="problems", problem=f"{name!r} does not exist",
                                           fix=f"create {path} or remove it from the list",
                                           line=_line(manifest_path, ("problems", index))))
            continue
        try:
            problems.append(_load_problem(path))
        except ProblemFileError as exc:
            errors.extend(_each(exc))
    raise_if_any(errors)
    data = {key: value for key, value in manifest.items() if key != "problems"}
    try:
        assignment = Assignment.model_validate({**data, "problems": problems, "source_dir": str(folder),
                                                 "problem_files": tuple(files)})
    except ValidationError as exc:
        raise _from_validation(manifest_path, exc) from None
    _check_semantics(assignment=assignment, folder=folder, files=files)
    return assignment


def _each(error: ProblemFileError) -> tuple[ProblemFileError, ...]:
    return error.errors if isinstance(error, ProblemFileErrors) else (error,)


def _load_problem(path: Path) -> Problem:
    data = _read_yaml(path)
    try:
        return Problem.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(path, exc) from None


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(text=path.read_text(encoding="utf-8"))
    except YamlError as exc:
        raise ProblemFileError(file=path, field=f"line {exc.line}" if exc.line else "(file)",
                               problem=f"not valid YAML: {exc.message}", fix="correct the YAML syntax", line=exc.line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemFileError(file=path, field="(file)", problem=f"cannot read: {exc}",
                               fix="make the file readable UTF-8 text") from None


def _line(path: Path, loc: tuple[Any, ...]) -> int | None:
    """The line of ``loc`` in the YAML file, or of its nearest enclosing field that exists."""
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError:
        return None
    lines = _lines_of(str(path), stamp)
    if lines is None:
        return None
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return None


@lru_cache(maxsize=64)
def _lines_of(path: str, stamp: int) -> dict[tuple[object, ...], int] | None:
    """The YAML line index of a file, composed once per file version however many of its fields are reported."""
    try:
        return yaml_lines(text=Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError):
        return None


_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove this field or check its spelling (docs/authoring.md lists every field)",
    "string_pattern_mismatch": "part ids are a problem number, an optional letter and an optional .N "
                               "(1a, 4n, 6, 2a.1); other ids use lower-case letters, digits and dashes",
}


@lru_cache(maxsize=1)
def _known_field_names() -> tuple[str, ...]:
    """Every field name a problem or assignment file may use, for 'did you mean' hints."""
    from pydantic import BaseModel

    names: set[str] = set()
    seen: set[type] = set()
    stack: list[type] = [Assignment, Problem]
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            names.add(name)
            for arg in getattr(field.annotation, "__args__", ()) + (field.annotation,):
                inner = getattr(arg, "__args__", ()) + (arg,)
                stack.extend(t for t in inner if isinstance(t, type) and issubclass(t, BaseModel))
    return tuple(sorted(names))


def _from_validation(path: Path, exc: ValidationError) -> ProblemFileError:
    errors = []
    for item in exc.errors():
        loc = tuple(part for part in item["loc"] if not isinstance(part, str) or not part.startswith("function-"))
        field = ".".join(str(part) for part in loc) or "(top level)"
        fix = _FIXES.get(item["type"], "give a value of the type described (docs/authoring.md)")
        if item["type"] == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _known_field_names(), n=1)
            fix = f"did you mean {close[0]!r}? " + fix if close else fix
        errors.append(ProblemFileError(file=path, field=field, problem=item["msg"], fix=fix, line=_line(path, loc)))
    return ProblemFileErrors(errors)


def _check_semantics(*, assignment: Assignment, folder: Path, files: list[str]) -> None:
    from grader.answers import ReferenceValueError, get_answer_type, known_answer_types
    from grader.solvers.local import LocalSolverError, load_local_solvers

    errors: list[ProblemFileError] = []
    failed: set[str] = set()  # parts whose reference could not be had (reported once, skipped after)
    file_of = {problem.id: folder / name for problem, name in zip(assignment.problems, files)}

    def report(problem: Problem, index: int, field: str, text: str, fix: str, key: str | None = None) -> None:
        part = problem.parts[index]
        path = file_of[problem.id]
        errors.append(ProblemFileError(file=path, field=f"parts[{index}] ({part.id}).{field}".rstrip("."),
                                       problem=text, fix=fix, line=_line(path, ("parts", index, key or field.split(".")[0]))))

    try:
        local = load_local_solvers(folder=folder)
    except LocalSolverError as exc:
        for path, text in exc.problems:
            errors.append(ProblemFileError(file=path, field="(module)", problem=text,
                                           fix="fix the solver module (it is imported when the assignment loads)"))
        local = {}
    for problem in assignment.problems:
        for index, part in enumerate(problem.parts):
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
    try:
        order = step_order(assignment=assignment)
    except BindingError as exc:
        errors.append(ProblemFileError(file=folder, field="args", problem=str(exc), fix="fix the @part references"))
        raise_if_any(errors)
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
    from grader.variants.check import variant_load_errors

    errors.extend(variant_load_errors(assignment=assignment, file_of=file_of, manifest=folder / ASSIGNMENT_FILE,
                                      line=_line, sample=not errors))
    raise_if_any(errors)
