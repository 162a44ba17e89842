"""The ``grade`` command: a thin layer over :mod:`grader.grading`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None)

EXIT_PROBLEM_FILES = 3


def _print_schema(value: bool) -> None:
    if value:
        from grader.submissions.structured import submission_schema

        typer.echo(json.dumps(submission_schema(), indent=2))
        raise typer.Exit()


@app.command()
def grade(
    submissions: Annotated[Path, typer.Argument(help="Folder of submission files (every file gets a row).",
                                                exists=True, file_okay=False, dir_okay=True)],
    problems: Annotated[Path, typer.Option("--problems", help="Folder of problem definitions.")] = Path("problems"),
    assignment: Annotated[Optional[str], typer.Option("--assignment", help="Assignment id (default: the only one).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the reports.")] = Path("reports"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes.")] = 1,
    part_timeout: Annotated[float, typer.Option("--part-timeout", min=0.1, help="Seconds one part's check may take.")] = 10.0,
    memory_mb: Annotated[int, typer.Option("--memory-mb", min=128, help="Memory limit of a worker, MB.")] = 1536,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    schema: Annotated[bool, typer.Option("--submission-schema", callback=_print_schema, is_eager=True,
                                         help="Print the JSON Schema of structured submissions and exit.")] = False,
) -> None:
    """Grade every file in SUBMISSIONS against an assignment and write reports to --out."""
    from grader.grading import build_context
    from grader.grading.run import grade_directory_with_stats, submission_files
    from grader.problems import ProblemFileError, load_assignment
    from grader.reports import write_reports
    from grader.terminal import progress_reporter, print_summary

    try:
        loaded = load_assignment(problems_dir=problems, assignment_id=assignment)
        context = build_context(assignment=loaded)
    except ProblemFileError as exc:
        typer.echo(f"error: problem definitions are broken; nothing was graded.\n{exc}", err=True)
        raise typer.Exit(EXIT_PROBLEM_FILES) from None
    total = len(submission_files(directory=submissions))
    with progress_reporter(total=total, enabled=not quiet) as on_progress:
        run, stats = grade_directory_with_stats(context=context, directory=submissions, jobs=jobs,
                                                part_seconds=part_timeout, memory_mb=memory_mb,
                                                on_progress=on_progress)
    write_reports(run=run, assignment=loaded, out_dir=out)
    if not quiet:
        print_summary(run=run, stats=stats, out_dir=out)


def main() -> None:
    app(prog_name="grade")


if __name__ == "__main__":
    sys.exit(main())
