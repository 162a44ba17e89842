"""Grade every file in a folder, in parallel, with bounded workers."""

from __future__ import annotations

from collections.abc import Callable
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.grading.context import GradingContext
from grader.grading.duplicates import flag_duplicate_ids
from grader.grading.entries import unreadable_row, with_shown_names
from grader.grading.submission import SubmissionTiming, grade_submission
from grader.results import RunResult, SubmissionResult
from grader.review.groups import with_groups
from grader.sandbox import Bounds, WorkerPool
from grader.submissions.listing import Entry, UnreadableEntry, list_submissions, shown_name

DEFAULT_PART_SECONDS = 10.0
DEFAULT_READ_SECONDS = 30.0
DEFAULT_MEMORY_MB = 1536


def submission_files(*, directory: Path) -> list[Path]:
    """The path of every entry below ``directory`` that gets a row (grader.submissions.listing), sorted."""
    return [entry.path for entry in list_submissions(directory=directory)]


@dataclass(frozen=True)
class RunStats:
    """Measurements of a run, kept out of the (reproducible) results."""

    seconds: float
    slowest: SubmissionTiming
    peak_worker_mb: float | None


def grade_directory(*, context: GradingContext, directory: Path, **options) -> RunResult:
    """Grade every file below ``directory``; see :func:`grade_directory_with_stats` for the options."""
    return grade_directory_with_stats(context=context, directory=directory, **options)[0]


def grade_directory_with_stats(
    *, context: GradingContext, directory: Path, jobs: int = 1, part_seconds: float = DEFAULT_PART_SECONDS,
    memory_mb: int = DEFAULT_MEMORY_MB, isolate: bool = True,
    on_progress: Callable[[SubmissionResult], None] | None = None,
) -> tuple[RunResult, RunStats]:
    """Grade every file; ``isolate=False`` runs checks in this process, unbounded (tests, debugging)."""
    directory = Path(directory)
    files = list_submissions(directory=directory)  # every entry: a file to grade, or one with a reason
    part_bounds = Bounds(seconds=part_seconds, memory_mb=memory_mb)
    read_bounds = Bounds(seconds=max(DEFAULT_READ_SECONDS, part_seconds), memory_mb=memory_mb)
    start = time.perf_counter()
    with WorkerPool(workers=max(1, jobs) if isolate else 0, bounds=part_bounds) as pool:
        def one(entry: Entry) -> tuple[SubmissionResult, SubmissionTiming]:
            path = entry.path
            try:
                if isinstance(entry, UnreadableEntry):
                    result, timing = unreadable_row(entry=entry, max_points=context.assignment.max_points), SubmissionTiming()
                else:
                    result, timing = grade_submission(context=context, path=path, root=directory, pool=pool,
                                                      read_bounds=read_bounds, part_bounds=part_bounds)
                result = with_shown_names(result=result, entry=entry)
            except Exception as exc:  # one bad file never stops the run: it gets a row with the reason
                result = SubmissionResult(student=shown_name(path.stem), file=entry.shown,
                                          status="unreadable", reason=f"internal error: {type(exc).__name__}: {exc}",
                                          max=context.assignment.max_points)
                timing = SubmissionTiming()
            if on_progress is not None:
                on_progress(result)
            return result, timing

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
            graded = list(threads.map(one, files))
    results = [result for result, _ in graded]
    slowest = max((timing for _, timing in graded), key=lambda t: t.seconds, default=SubmissionTiming())
    peak = max((timing.peak_mb for _, timing in graded), default=0.0)
    stats = RunStats(seconds=time.perf_counter() - start, slowest=slowest, peak_worker_mb=peak if isolate else None)
    assignment = context.assignment
    run = RunResult(assignment=assignment.id, title=assignment.title, max=assignment.max_points,
                    part_ids=tuple(part.id for part in assignment.graded_parts),
                    submissions=tuple(sorted(results, key=lambda r: r.file)))
    return with_groups(flag_duplicate_ids(run)), stats

