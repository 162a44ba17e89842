"""What a run shows in the terminal: a progress bar and a summary table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.grading.run import RunStats
from grader.reports.summary import RunSummary
from grader.results import StaleOverride, SubmissionResult


@contextmanager
def progress_reporter(*, total: int, enabled: bool) -> Iterator[Callable[[SubmissionResult], None]]:
    if not enabled:
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[last]}"))
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("grading", total=total, last="")
        yield lambda result: progress.update(task, advance=1, last=result.file)


def print_summary(*, assignment: str, summary: RunSummary, stale: tuple[StaleOverride, ...],
                  duplicates: dict[str, tuple[str, ...]], stats: RunStats, out_dir: Path) -> None:
    """The end-of-run table of one assignment (``duplicates``: student id -> the files claiming it)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(title=f"{assignment}: {summary.files} file(s)", show_header=False)
    table.add_row("students graded", str(summary.graded))
    mean = "—" if summary.mean_score is None else f"{summary.mean_score:.2f} / {summary.max_points:g}"
    table.add_row("mean score", mean)
    flagged = ", ".join(f"{pid}×{n}" for pid, n in summary.flagged_by_part.items() if n) or "none"
    table.add_row("parts flagged for review", f"{summary.flagged_parts} ({flagged})")
    if summary.decided or stale:
        table.add_row("overrides applied", str(summary.decided))
    if stale:
        table.add_row("stale overrides (not applied)", str(len(stale)))
        for entry in stale:
            who = entry.student if entry.student is not None else f"group {entry.group}"
            table.add_row(f"  entry {entry.entry}: {entry.part} {who}", entry.reason)
    table.add_row("could not be read", str(len(summary.unreadable)))
    for file, reason in summary.unreadable:  # student-written: shown as text, never as rich markup
        table.add_row(Text(f"  {file}"), Text(reason))
    if duplicates:
        table.add_row(Text("⚠ student ids claimed by several files", style="bold yellow"), str(len(duplicates)))
        for student, files in duplicates.items():
            table.add_row(Text(f"  {student}"), Text(", ".join(files)))
    slowest = f"slowest check {stats.slowest.seconds:.2f} s ({stats.slowest.what})" if stats.slowest.what else \
        "no file needed grading"
    table.add_row("time", f"{stats.seconds:.1f} s; {slowest}")
    if stats.reused:
        table.add_row("unchanged since an earlier run", f"{stats.reused} file(s), reports reused (--no-cache grades "
                                                          "them again)")
    if stats.redecided:
        table.add_row("decisions changed since an earlier run", f"{stats.redecided} file(s), not graded again: "
                                                                 "the decisions applied to the kept results")
    if stats.peak_worker_mb:  # None: graded in this process; 0: no worker was needed
        table.add_row("peak worker memory", f"{stats.peak_worker_mb:.0f} MB")
    table.add_row("reports", str(out_dir))
    console.print(table)
    console.print(f"class page: {(Path(out_dir) / 'index.html').resolve()}", soft_wrap=True, highlight=False)
