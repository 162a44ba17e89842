"""Everything ``grade review`` checks before it serves: the run's folder, its assignment, the overrides file."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from grader.problems.models import Assignment


class ReviewSetupError(ValueError):
    """The review app cannot start; the message names what is missing and the fix."""


@dataclass(frozen=True)
class ReviewSetup:
    reports_dir: Path
    assignment: Assignment
    overrides_path: Path
    regrade_hint: str


def prepare_review(*, reports_dir: Path, problems: Path, assignment_id: str | None,
                   overrides: Path | None) -> ReviewSetup:
    """The folder holding results.json (REPORTS_DIR, its only assignment sub-folder, or ``--assignment``), the
    assignment it graded, and the overrides file (``overrides.yaml`` beside ``problems/`` unless given), which
    must load and fit the assignment so that no decision is made against a broken file."""
    from grader.export.base import ExportError
    from grader.export.run import load_run, resolve_reports_dir
    from grader.problems import ProblemFileError, load_assignment
    from grader.review.overrides import OverridesError, check_overrides, default_overrides_path, load_overrides

    try:
        folder = resolve_reports_dir(reports_dir=reports_dir, assignment=assignment_id)
        run = load_run(folder / "results.json")
    except ExportError as exc:
        raise ReviewSetupError(str(exc)) from None
    if not Path(problems).is_dir():
        raise ReviewSetupError(f"no problems folder at {Path(problems).resolve()} (give it with --problems DIR): "
                               "the review page shows each part's question and key idea from it")
    try:
        loaded = load_assignment(problems_dir=problems, assignment_id=run.assignment)
    except (ProblemFileError, KeyError) as exc:
        raise ReviewSetupError(f"cannot load assignment {run.assignment} from {problems}: {exc}") from None
    path = Path(overrides) if overrides is not None else default_overrides_path(problems_dir=problems)
    try:
        check_overrides(overrides=load_overrides(path), assignment=loaded, path=path)
    except OverridesError as exc:
        raise ReviewSetupError(str(exc)) from None
    return ReviewSetup(reports_dir=folder, assignment=loaded, overrides_path=path,
                       regrade_hint=regrade_command(folder=folder, assignment_id=run.assignment, problems=problems,
                                                    overrides=overrides))


def regrade_command(*, folder: Path, assignment_id: str, problems: Path, overrides: Path | None) -> str:
    """The ``grade`` command that rewrites ``folder`` (SUBMISSIONS_DIR stands for the folder that was graded)."""
    out = folder.parent if folder.name == assignment_id else folder
    words = ["grade", "SUBMISSIONS_DIR", "--out", str(out)]
    if Path(problems) != Path("problems"):
        words += ["--problems", str(problems)]
    if overrides is not None:
        words += ["--overrides", str(overrides)]
    return " ".join(w if w == "SUBMISSIONS_DIR" else shlex.quote(w) for w in words)
