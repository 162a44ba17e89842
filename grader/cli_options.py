"""The grading command's options as RunOptions, with what is wrong with them said in the command's words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from grader.api import RunOptions


def run_options(*, problems: Path, assignment: str | None, **fields: Any) -> RunOptions:
    """The command line's options as RunOptions; the mistakes it can have are usage errors in the command's words
    (a wrong --problems or --assignment is named first, as it always was)."""
    from pydantic import ValidationError

    from grader.api import RunOptions, UsageError, usage_problem

    try:
        return RunOptions(**fields)
    except ValidationError as exc:
        raise UsageError(usage_problem(problems=problems, assignment=assignment)
                         or _option_problem(exc, fields)) from None


#: the command's name of each RunOptions field it sets
FLAGS = {"jobs": "--jobs", "part_seconds": "--part-timeout", "memory_mb": "--memory-mb", "cache": "--no-cache",
         "executor": "--executor", "scheduler": "--scheduler"}


def _option_problem(exc: ValidationError, fields: dict[str, Any]) -> str:
    """What is wrong with the options, in the command's words."""
    first = exc.errors()[0]
    name: Any = first["loc"][0] if first["loc"] else None
    if name == "executor":
        return f"--executor is local or dask, not {fields['executor']!r}"
    if name is None and fields.get("scheduler") is not None:
        return "--scheduler is for --executor dask"
    return f"{FLAGS.get(name, name)}: {first['msg']}"
