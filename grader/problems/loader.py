"""Load and validate assignments from ``problems/<assignment>/``.

Every failure raises :class:`ProblemFileError` naming the file, the field and
the fix, so an instructor never grades a class against a broken reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.problems.bindings import BindingError, compute_step, step_order
from grader.problems.errors import ProblemFileError
from grader.problems.models import Assignment, Problem
from grader.problems.self_check import self_check_problems
from grader.yamlio import YamlError, load_yaml_text

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
            fix=f"create {problems_dir}/<assignment-id>/{ASSIGNMENT_FILE} (see README, 'Authoring problems')",
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
    manifest_path = Path(folder) / ASSIGNMENT_FILE
    manifest = _read_yaml(manifest_path)
    if not isinstance(manifest, dict):
        raise ProblemFileError(file=manifest_path, field="(top level)", problem="expected a mapping",
                               fix="write id:, title:, problems: [file names]")
    files = manifest.get("problems")
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise ProblemFileError(file=manifest_path, field="problems", problem="expected a list of problem file names",
                               fix="list the problem files, e.g. problems: [softmax.yaml, conv.yaml]")
    problems = []
    for name in files:
        path = Path(folder) / name
        if not path.is_file():
            raise ProblemFileError(file=manifest_path, field="problems", problem=f"{name!r} does not exist",
                                   fix=f"create {path} or remove it from the list")
        problems.append(_load_problem(path))
    data = {key: value for key, value in manifest.items() if key != "problems"}
    try:
        assignment = Assignment.model_validate({**data, "problems": problems, "source_dir": str(folder)})
    except ValidationError as exc:
        raise _from_validation(manifest_path, exc) from None
    _check_semantics(assignment=assignment, folder=Path(folder), files=files)
    return assignment


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
                               problem=f"not valid YAML: {exc}", fix="correct the YAML syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemFileError(file=path, field="(file)", problem=f"cannot read: {exc}",
                               fix="make the file readable UTF-8 text") from None


def _from_validation(path: Path, exc: ValidationError) -> ProblemFileError:
    first = exc.errors()[0]
    field = ".".join(str(item) for item in first["loc"]) or "(top level)"
    fixes = {
        "missing": "add this field",
        "extra_forbidden": "remove this field or check its spelling (see README, 'Authoring problems')",
        "string_pattern_mismatch": "use lower-case letters, digits and dashes (part ids like 1a, 4n, 6)",
    }
    fix = fixes.get(first["type"], "give a value of the type described")
    more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    return ProblemFileError(file=path, field=field, problem=first["msg"] + more, fix=fix)


def _check_semantics(*, assignment: Assignment, folder: Path, files: list[str]) -> None:
    from grader.answers import get_answer_type, known_answer_types

    def file_of(part_id: str) -> Path:
        index = [p.id for p in assignment.problems].index(assignment.problem_of(part_id).id)
        return folder / files[index]

    for problem in assignment.problems:
        for index, part in enumerate(problem.parts):
            where = f"parts[{index}] ({part.id})"
            path = file_of(part.id)
            try:
                answer_type = get_answer_type(part.type)
            except KeyError:
                raise ProblemFileError(file=path, field=f"{where}.type", problem=f"unknown answer type {part.type!r}",
                                       fix=f"use one of: {', '.join(known_answer_types())}") from None
            if part.check_step_of is not None and part.check_step_of.lstrip("$") not in problem.parameters:
                raise ProblemFileError(file=path, field=f"{where}.check_step_of",
                                       problem=f"unknown parameter {part.check_step_of!r}",
                                       fix="name the parameter holding the value before the step, e.g. $W1")
            for problem_text in answer_type.validate_part(part=part):
                raise ProblemFileError(file=path, field=f"{where}", problem=problem_text,
                                       fix="see README, 'Authoring problems', for this answer type")
    try:
        order = step_order(assignment=assignment)
    except BindingError as exc:
        raise ProblemFileError(file=folder, field="args", problem=str(exc), fix="fix the @part references") from None
    values: dict[str, Any] = {}
    for part_id in order:
        part = assignment.part(part_id)
        if part.solver is None:
            continue
        problem = assignment.problem_of(part_id)
        index = [p.id for p in problem.parts].index(part_id)
        try:
            values[part_id] = compute_step(part=part, problem=problem, values=values)
        except Exception as exc:  # a trusted solver failing is an authoring error: report it, don't grade
            raise ProblemFileError(
                file=file_of(part_id), field=f"parts[{index}] ({part_id}).solver",
                problem=f"solver {part.solver!r} failed: {type(exc).__name__}: {exc}",
                fix="check the solver name and its args ($parameter, @part, literals)",
            ) from None
    for problem in assignment.problems:
        for index, part in enumerate(problem.parts):
            try:
                found = self_check_problems(part=part, problem=problem, references=values)
            except Exception as exc:  # a misconception solver failing is an authoring error too
                found = [("misconceptions", f"{type(exc).__name__}: {exc}", "check the misconception's solver and args")]
            for field, text, fix in found:
                raise ProblemFileError(file=file_of(part.id), field=f"parts[{index}] ({part.id}).{field}",
                                       problem=text, fix=fix)
