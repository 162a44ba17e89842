"""Errors for problem files: each names the file, the field (and its line, where
YAML gives one) and the fix.  Loading reports every error it finds at once."""

from __future__ import annotations

from pathlib import Path


class ProblemFileError(ValueError):
    def __init__(self, *, file: Path | str, field: str, problem: str, fix: str, line: int | None = None) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        self.fix = fix
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line and not self.field.startswith("line ") else self.file
        return f"{where}: {self.field}: {self.problem}\n  fix: {self.fix}"


class ProblemFileErrors(ProblemFileError):
    """Several errors; the attributes of the first are this error's own, so one catch serves both."""

    def __init__(self, errors: list[ProblemFileError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        super().__init__(file=first.file, field=first.field, problem=first.problem, fix=first.fix, line=first.line)

    def describe(self) -> str:
        if len(self.errors) == 1:
            return self.errors[0].describe()
        return f"{len(self.errors)} errors:\n" + "\n".join(error.describe() for error in self.errors)


def raise_if_any(errors: list[ProblemFileError]) -> None:
    if errors:
        raise ProblemFileErrors(errors)
