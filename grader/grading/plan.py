"""Which submissions are graded against which assignment, and where each
assignment's reports go.

One assignment: every file below the submissions folder is graded against it,
and the reports go straight into the output folder (as always).  Several: the
submissions folder holds one sub-folder per assignment id
(``submissions/dl-basics/``, ``submissions/cnn-basics/``), each graded against
its own assignment into ``<out>/<id>/``, so the reports of each stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.problems.errors import ProblemFileError
from grader.problems.loader import discover_assignments


@dataclass(frozen=True)
class GradingJob:
    assignment_id: str | None      # None: the only assignment there is
    submissions: Path
    out: Path


class PlanError(ValueError):
    """The submissions folder does not say which assignment its files belong to."""


def plan_runs(*, submissions: Path, problems: Path, out: Path, assignment_id: str | None) -> list[GradingJob]:
    submissions, out = Path(submissions), Path(out)
    available = discover_assignments(problems_dir=problems)
    per_assignment = sorted(name for name in available if (submissions / name).is_dir())
    if not per_assignment:
        if assignment_id is None and len(available) > 1:
            raise PlanError(f"{len(available)} assignments ({', '.join(sorted(available))}) and no sub-folder of "
                            f"{submissions} is named after one: choose one with --assignment ID, or put each "
                            "assignment's files in a sub-folder named after its id")
        return [GradingJob(assignment_id=assignment_id, submissions=submissions, out=out)]
    if assignment_id is not None:
        if assignment_id not in available:
            raise ProblemFileError(file=problems, field="--assignment", problem=f"no assignment {assignment_id!r}",
                                   fix=f"use one of: {', '.join(sorted(available))}")
        if assignment_id not in per_assignment:
            raise PlanError(f"{submissions} has sub-folders for {', '.join(per_assignment)} but none for "
                            f"{assignment_id!r}: create {submissions / assignment_id}")
        return [GradingJob(assignment_id=assignment_id, submissions=submissions / assignment_id, out=out / assignment_id)]
    stray = sorted(path.name for path in submissions.iterdir()
                   if not path.name.startswith(".") and path.name not in per_assignment)
    if stray:
        raise PlanError(f"{submissions} holds one sub-folder per assignment ({', '.join(per_assignment)}), but also "
                        f"{', '.join(stray[:5])}{' …' if len(stray) > 5 else ''}, which belongs to none: move it into "
                        "the sub-folder of its assignment, or grade one assignment with --assignment ID")
    return [GradingJob(assignment_id=name, submissions=submissions / name, out=out / name) for name in per_assignment]
