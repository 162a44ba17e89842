"""Read assignments from ``problems/<assignment>/`` and validate them against the schema.

Every failure raises :class:`ProblemFileError` naming the file, the field and
the fix.  Reading calls nothing of grading: whether the references can be
computed and pass their own checks is checked by :mod:`grader.grading.checked`
(``grade`` and ``grade check`` load through it), so an instructor never grades a
class against a broken reference.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.problems.errors import ProblemFileError, ProblemFileErrors, raise_if_any
from grader.problems.models import Assignment, Problem
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


def read_assignment(*, problems_dir: Path, assignment_id: str | None = None) -> Assignment:
    """The assignment ``assignment_id`` (or the only one) of a problems folder, read and schema-validated."""
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
    return read_assignment_dir(folder=available[assignment_id])


def read_assignment_dir(*, folder: Path) -> Assignment:
    """Read one assignment and validate it against the schema; every error found is reported at once
    (its semantics, references and self-checks: :func:`grader.grading.checked.checked_context`)."""
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
                               line=field_line(manifest_path, ("problems",)))
    problems = []
    for index, name in enumerate(files):
        path = folder / name
        if not path.is_file():
            errors.append(ProblemFileError(file=manifest_path, field="problems", problem=f"{name!r} does not exist",
                                           fix=f"create {path} or remove it from the list",
                                           line=field_line(manifest_path, ("problems", index))))
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
    return assignment


def _each(error: ProblemFileError) -> tuple[ProblemFileError, ...]:
    return error.errors if isinstance(error, ProblemFileErrors) else (error,)


def _load_problem(path: Path) -> Problem:
    from grader.problems.derived import derived_reference_errors

    data = _read_yaml(path)
    try:
        problem = Problem.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(path, exc) from None
    raise_if_any(derived_reference_errors(problem=problem, path=path, line=field_line))
    return problem


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(text=path.read_text(encoding="utf-8"))
    except YamlError as exc:
        raise ProblemFileError(file=path, field=f"line {exc.line}" if exc.line else "(file)",
                               problem=f"not valid YAML: {exc.message}", fix="correct the YAML syntax", line=exc.line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemFileError(file=path, field="(file)", problem=f"cannot read: {exc}",
                               fix="make the file readable UTF-8 text") from None


def field_line(path: Path, loc: tuple[Any, ...]) -> int | None:
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
        errors.append(ProblemFileError(file=path, field=field, problem=item["msg"], fix=fix, line=field_line(path, loc)))
    return ProblemFileErrors(errors)
