"""Write every report of a finished run into a (new, staging) output folder."""

from __future__ import annotations

from pathlib import Path

from grader.problems.models import Assignment
from grader.results import RunResult


def write_reports(*, run: RunResult, assignment: Assignment, out_dir: Path) -> list[Path]:
    """Write every report of ``run`` (a finished run: decisions applied, stale entries found) into ``out_dir``
    and return their paths: each submission's pages, the assets, the class page, grades.csv and results.json
    (last: its presence means the set is complete). The same stream a graded run writes through as its files
    arrive (grader/reports/streamed.py)."""
    from grader.reports.streamed import ReportStream

    stream = ReportStream(assignment=assignment, out_dir=Path(out_dir), files=[s.file for s in run.submissions])
    try:
        for submission in run.submissions:
            stream.add(submission)
    except BaseException:
        stream.close()
        raise
    return stream.finish(run, stale=run.stale_overrides).written
