"""Why :func:`grader.grade` graded nothing: a mistake in how it was called, or broken problem files.

Each carries the exit code the ``grade`` command ends with, and its message is the one the command prints
after ``error: ``."""

from __future__ import annotations


class GradeError(Exception):
    """A run that stopped before its reports were swapped in; the previous reports are untouched."""

    exit_code = 1


class UsageError(GradeError):
    """The call itself is wrong: a missing folder, an unknown assignment, a broken overrides file, an output
    folder that cannot take the reports, an unreachable Dask scheduler (the command exits 2)."""

    exit_code = 2


class ProblemFilesError(GradeError):
    """The problem definitions are broken (the command exits 3); ``errors`` is the ProblemFileError found
    (it lists every error of the files)."""

    exit_code = 3

    def __init__(self, errors: Exception) -> None:
        super().__init__(f"problem definitions are broken; nothing was graded.\n{errors}")
        self.errors = errors
