"""The ``grade`` command: a thin layer over :func:`grader.grade` (grader/api/) and :mod:`grader.authoring`.

``grade SUBMISSIONS_DIR`` grades; ``grade check``, ``grade solvers``, ``grade sheets``, ``grade new-problem``
and ``grade schemas`` are the instructor's authoring tools (see docs/authoring.md); ``grade export`` writes a run's
grades for an LMS (see grader/export/); ``grade review`` serves the review page (see grader/review/app/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from grader.api import defaults
from grader.cli_options import run_options

HELP = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, context_settings=HELP)

EXIT_PROBLEM_FILES = 3


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"grade {version('grader')}")
        except PackageNotFoundError:
            typer.echo("grade (not installed as a package)")
        raise typer.Exit()


def _print_schema(value: bool) -> None:
    if value:
        from grader.submissions.structured import submission_schema

        typer.echo(json.dumps(submission_schema(), indent=2))
        raise typer.Exit()


@app.command()
def grade(
    submissions: Annotated[Path, typer.Argument(help="Folder of submission files (every file gets a row).",
                                                exists=True, file_okay=False, dir_okay=True)],
    problems: Annotated[Path, typer.Option("--problems", help="Folder of problem definitions.")] = defaults.PROBLEMS,
    assignment: Annotated[str | None, typer.Option("--assignment", help="Assignment id (default: the only one).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the reports.")] = defaults.OUT,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=defaults.JOBS_MIN, max=defaults.JOBS_MAX,
                                      help="Worker processes.")] = defaults.JOBS,
    part_timeout: Annotated[float, typer.Option("--part-timeout", min=defaults.PART_SECONDS_MIN,
                                                help="Seconds one part's check may take.")] = defaults.PART_SECONDS,
    memory_mb: Annotated[int, typer.Option("--memory-mb", min=defaults.MEMORY_MB_MIN,
                                           help="Memory limit of a worker, MB.")] = defaults.MEMORY_MB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every answer again, even one another "
                                           "student wrote the same way.")] = not defaults.CACHE,
    executor: Annotated[str, typer.Option("--executor", help="Where files are graded: local (this machine's "
                                          "workers) or dask (a Dask cluster; needs pip install -e '.[dask]')."
                                          )] = defaults.EXECUTOR,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="With --executor dask: the scheduler's "
                                                     "address (default: a local cluster of --jobs workers)."
                                                     )] = defaults.SCHEDULER,
    overrides: Annotated[Path | None, typer.Option("--overrides", help="Decisions of people to apply "
                                                      "(default: overrides.yaml beside --problems).")] = None,
    schema: Annotated[bool, typer.Option("--submission-schema", callback=_print_schema, is_eager=True,
                                         help="Print the JSON Schema of structured submissions and exit.")] = False,
    show_version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                               help="Print the version and exit.")] = False,
) -> None:
    """Grade every file in SUBMISSIONS against an assignment and write reports to --out.

    With several assignments, SUBMISSIONS holds one sub-folder per assignment id; each is
    graded against its own assignment into --out/<id>/."""
    from grader.api import GradeError, grade as grade_run
    from grader.terminal import print_summary, progress_reporter

    try:
        options = run_options(problems=problems, assignment=assignment, jobs=jobs, part_seconds=part_timeout,
                               memory_mb=memory_mb, cache=not no_cache, executor=executor, scheduler=scheduler)
        done = grade_run(submissions=submissions, problems=problems, assignment=assignment, out=out,
                         options=options, overrides=overrides,
                         progress=None if quiet else (lambda total: progress_reporter(total=total, enabled=True)),
                         on_warning=lambda text: typer.echo(f"warning: {text}", err=True))
    except GradeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    for outcome in done.assignments:
        for text in outcome.warnings:
            typer.echo(f"warning: {text}", err=True)
        if not quiet:
            print_summary(assignment=outcome.assignment_id, summary=outcome.summary, stale=outcome.stale_overrides,
                          duplicates=outcome.duplicates, stats=outcome.stats, out_dir=outcome.out)


tools = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, context_settings=HELP,
                    help="Authoring tools: check, solvers, sheets, new-problem, schemas; override records a "
                         "decision; review serves the review page; export writes an LMS import file.")


@tools.command("check")
def check(
    problems_dir: Annotated[Path, typer.Argument(help="A problems folder (or one assignment folder).")] = Path("problems"),
) -> None:
    """Validate every assignment and problem file and self-test their examples; list every error."""
    from grader.authoring.check import check_problems, format_report

    report = check_problems(problems_dir=problems_dir)
    typer.echo(format_report(report))
    if not report.ok:
        raise typer.Exit(EXIT_PROBLEM_FILES)


@tools.command("solvers")
def solvers(
    name: Annotated[str | None, typer.Argument(help="One solver to describe (default: all).")] = None,
    problems: Annotated[Path | None, typer.Option("--problems", help="Also list the local solvers of the "
                                                     "assignments in this folder.")] = None,
) -> None:
    """List the built-in solver library (and an assignment's own solvers) with their arguments."""
    from grader.solvers.catalog import describe_solvers, format_catalog

    sections = [("built-in solvers", describe_solvers())]
    if problems is not None:
        from grader.authoring.check import assignment_folders
        from grader.solvers.local import LocalSolverError, load_local_solvers

        for assignment_id, folder in sorted(assignment_folders(problems_dir=problems).items()):
            try:
                table = load_local_solvers(folder=folder)
            except LocalSolverError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(EXIT_PROBLEM_FILES) from None
            if table:
                sections.append((f"local solvers of {assignment_id} ({folder})", describe_solvers(local=table)))
    if name is not None:
        sections = [(title, tuple(doc for doc in docs if doc.name == name)) for title, docs in sections]
        sections = [(title, docs) for title, docs in sections if docs]
        if not sections:
            typer.echo(f"error: no solver {name!r}; `grade solvers` lists them", err=True)
            raise typer.Exit(2)
    typer.echo("\n".join(f"# {title}\n\n{format_catalog(docs)}" for title, docs in sections), nl=False)


@tools.command("sheets")
def sheets(
    roster: Annotated[Path, typer.Option("--roster", help="Class roster: CSV with a student id column, or one id per line.",
                                         exists=True, file_okay=True, dir_okay=False)],
    problems: Annotated[Path, typer.Option("--problems", help="Folder of problem definitions.")] = Path("problems"),
    assignment: Annotated[str | None, typer.Option("--assignment", help="Assignment id (default: the only one).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the sheets.")] = Path("sheets"),
) -> None:
    """Write each student's problem sheet with their own numbers (Markdown and HTML) and an index."""
    from grader.grading.checked import load_assignment
    from grader.problems import ProblemFileError
    from grader.sheets import RosterError, SheetsError, read_roster, write_sheets

    try:
        loaded = load_assignment(problems_dir=problems, assignment_id=assignment)
    except ProblemFileError as exc:
        typer.echo(f"error: problem definitions are broken; no sheet was written.\n{exc}", err=True)
        raise typer.Exit(EXIT_PROBLEM_FILES) from None
    try:
        entries = read_roster(path=roster)
        write_sheets(assignment=loaded, roster=entries, out_dir=out)
    except (RosterError, SheetsError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if not loaded.variants.enabled:
        typer.echo("note: variants are off in assignment.yaml, so every sheet has the default numbers")
    typer.echo(f"wrote {len(entries)} sheets (Markdown and HTML) to {out}/ (index.html lists them)")


@tools.command("new-problem")
def new_problem(
    name: Annotated[str, typer.Argument(help="Problem name (lower-case, dashes), also its file name.")],
    assignment: Annotated[str, typer.Option("--assignment", help="Assignment id (created when missing).")] = "my-course",
    problems: Annotated[Path, typer.Option("--problems", help="Folder of assignments.")] = Path("problems"),
    solver: Annotated[bool, typer.Option("--solver", help="Also write a local solvers.py used by the problem.")] = False,
) -> None:
    """Scaffold a commented problem file that `grade check` accepts unchanged."""
    from grader.authoring.scaffold import ScaffoldError, new_problem as scaffold

    try:
        done = scaffold(name=name, problems_dir=problems, assignment_id=assignment, with_solver=solver)
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for path in done.written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: edit it, then run `grade check {problems}`")


@tools.command("override")
def override(
    student: Annotated[str, typer.Argument(help="Student id (or file) whose part is decided; with --group, any "
                                                "student of the group, or the group's key.")],
    part: Annotated[str, typer.Argument(help="Part id.")],
    score: Annotated[float, typer.Argument(help="Points to give (0 to the part's points).")],
    comment: Annotated[str, typer.Option("--comment", help="Shown to the student as the part's feedback.")] = "",
    by: Annotated[str | None, typer.Option("--by", help="Who decided (default: $USER).")] = None,
    group: Annotated[bool, typer.Option("--group", help="Decide for every student with the same answer.")] = False,
    reports: Annotated[Path, typer.Option("--reports", help="Reports of the last run.")] = Path("reports"),
    problems: Annotated[Path, typer.Option("--problems", help="Folder of problem definitions (overrides.yaml is "
                                                              "beside it).")] = Path("problems"),
    assignment: Annotated[str | None, typer.Option("--assignment", help="Assignment id (default: the only one).")] = None,
    overrides: Annotated[Path | None, typer.Option("--overrides", help="The overrides file to write.")] = None,
) -> None:
    """Record a person's decision about a part in overrides.yaml; the next `grade` run applies it."""
    import os

    from grader.review.overrides import (OverrideLookupError, OverridesError, default_overrides_path, now_iso,
                                         override_from_results, record_override)

    path = overrides if overrides is not None else default_overrides_path(problems_dir=problems)
    try:
        entry = override_from_results(reports=reports, assignment=assignment, student=student, part=part,
                                      score=score, comment=comment, group=group, at=now_iso(),
                                      by=by if by is not None else os.environ.get("USER", ""))
        entry, replaced = record_override(path, entry)
    except (OverrideLookupError, OverridesError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    target = f"student {entry.student}" if entry.student is not None else f"group {entry.group!r}"
    typer.echo(f"{'updated' if replaced else 'recorded'} in {path}: {entry.assignment} part {entry.part}, {target}, "
               f"answer {entry.answer!r}: {entry.score:g} points" + (f" ({entry.comment})" if entry.comment else ""))
    typer.echo("the next `grade` run applies it")


@tools.command("schemas")
def schemas(
    docs: Annotated[Path, typer.Option("--docs", help="Where to write the schemas.")] = Path("docs"),
) -> None:
    """Write the JSON Schemas of problem and assignment files (for editor completion)."""
    from grader.authoring.schema import write_schemas

    for path in write_schemas(docs_dir=docs):
        typer.echo(f"wrote {path}")


@tools.command("export")
def export_command(
    format_name: Annotated[str | None, typer.Argument(metavar="FORMAT", help="canvas, moodle, blackboard, "
                                                         "brightspace, csv or json (`--list` lists them).")] = None,
    reports_dir: Annotated[Path, typer.Argument(help="Reports folder of a run (with results.json, or one "
                                                "sub-folder per assignment).")] = Path("reports"),
    roster: Annotated[Path | None, typer.Option("--roster", help="The LMS's roster/gradebook export (CSV).",
                                                   exists=True, file_okay=True, dir_okay=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="The file to write (default: "
                                                "REPORTS_DIR/exports/FORMAT.csv).")] = None,
    assignment: Annotated[str | None, typer.Option("--assignment", help="Assignment id, when REPORTS_DIR "
                                                      "holds several.")] = None,
    assignment_name: Annotated[str | None, typer.Option("--assignment-name", help="The grade column's name "
                                                           "in the LMS (default: the assignment's title).")] = None,
    column_id: Annotated[str | None, typer.Option("--column-id", help="The LMS's id of the grade column "
                                                     "(Canvas assignment id, Blackboard column id).")] = None,
    feedback_dir: Annotated[Path | None, typer.Option("--feedback-dir", help="Also write each student's "
                                                         "feedback here, named for the LMS's bulk upload.")] = None,
    missing: Annotated[str, typer.Option("--missing", help="A roster student without a submission: zero or "
                                         "blank (the LMS leaves the grade unchanged).")] = "zero",
    moodle_id: Annotated[str | None, typer.Option("--moodle-id", help="Moodle identifier column: email, "
                                                     "idnumber or username (default: the first the roster has).")] = None,
    points_possible: Annotated[bool, typer.Option("--points-possible/--no-points-possible",
                                                  help="Canvas: write the Points Possible row.")] = True,
    list_formats: Annotated[bool, typer.Option("--list", help="List the export formats and exit.")] = False,
) -> None:
    """Write a run's grades as an LMS import file (and optionally the feedback files for bulk upload)."""
    from grader.export import ExportError
    from grader.export.run import export, resolve_reports_dir

    exporter = _exporter(format_name=format_name, list_formats=list_formats)
    if exporter is None:
        return
    if missing not in ("zero", "blank"):
        typer.echo(f"error: --missing must be zero or blank, not {missing!r}", err=True)
        raise typer.Exit(2)
    try:
        folder = resolve_reports_dir(reports_dir=reports_dir, assignment=assignment)
        done = export(exporter=exporter, reports_dir=folder, roster_path=roster, out=out, feedback_dir=feedback_dir,
                      assignment_name=assignment_name, column_id=column_id, missing=missing, moodle_id=moodle_id,
                      points_possible=points_possible)
    except ExportError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    _print_export(done=done, missing=missing, feedback_dir=feedback_dir)


def _exporter(*, format_name: str | None, list_formats: bool):
    """The exporter FORMAT names; None after listing the formats (``--list``); a usage error otherwise."""
    from grader.export import get_exporter, known_exporters

    listing = "\n".join(f"  {e.name:<12} {e.description}" for e in known_exporters())
    if list_formats:
        typer.echo(f"export formats:\n{listing}")
        return None
    if format_name is None:
        typer.echo(f"error: give a FORMAT; export formats:\n{listing}", err=True)
        raise typer.Exit(2)
    try:
        return get_exporter(format_name)
    except KeyError:
        typer.echo(f"error: unknown export format {format_name!r}; export formats:\n{listing}", err=True)
        raise typer.Exit(2) from None


def _print_export(*, done, missing: str, feedback_dir: Path | None) -> None:
    """What the export wrote, and the submissions it could not match to the roster."""
    if done.matching is not None:
        for unmatched in done.matching.unmatched:
            typer.echo(f"warning: {unmatched.submission.file} ({unmatched.submission.student}) matches no roster "
                       f"row and is not in the export: {unmatched.reason}", err=True)
        typer.echo(f"{len(done.matching.matches)} matched, {len(done.matching.missing)} roster students without a "
                   f"submission ({'0' if missing == 'zero' else 'blank'}), {len(done.matching.unmatched)} unmatched")
    typer.echo(f"wrote {done.out} (side report {done.report})")
    if feedback_dir is not None:
        typer.echo(f"wrote {len(done.feedback_files)} feedback files to {feedback_dir}/")


@tools.command("review")
def review(
    reports_dir: Annotated[Path, typer.Argument(help="Reports folder of a run (with results.json, or one "
                                                "sub-folder per assignment).")] = Path("reports"),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: a free one).")] = 0,
    problems: Annotated[Path, typer.Option("--problems", help="Folder of problem definitions (overrides.yaml is "
                                                              "beside it).")] = Path("problems"),
    overrides: Annotated[Path | None, typer.Option("--overrides", help="The overrides file to write.")] = None,
    assignment: Annotated[str | None, typer.Option("--assignment", help="Assignment id, when REPORTS_DIR "
                                                      "holds several.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decides (default: $USER).")] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Also open the page in the web browser.")] = False,
) -> None:
    """Serve the review page on 127.0.0.1: decide the flagged parts by answer group; saved to overrides.yaml."""
    import os

    from grader.review.app.launch import ReviewSetupError, prepare_review

    try:
        setup = prepare_review(reports_dir=reports_dir, problems=problems, assignment_id=assignment,
                               overrides=overrides)
    except ReviewSetupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    from grader.review.app import make_app, serve
    from grader.review.app.guard import new_token

    token = new_token()
    app = make_app(reports_dir=setup.reports_dir, overrides_path=setup.overrides_path, token=token,
                   by=by if by is not None else os.environ.get("USER", ""), assignment=setup.assignment,
                   regrade_hint=setup.regrade_hint)

    def ready(url: str) -> None:
        typer.echo(f"reviewing {setup.reports_dir} ({setup.assignment.id}); decisions go to {setup.overrides_path}")
        typer.echo(f"open {url}   (this machine only; Ctrl-C stops)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(app=app, token=token, port=port, on_ready=ready)
    except OSError as exc:
        typer.echo(f"error: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        pass


#: first words that name an authoring tool rather than a submissions folder
TOOL_COMMANDS = ("check", "solvers", "sheets", "new-problem", "schemas", "override", "export", "review")


def run(argv: list[str]) -> None:
    """``grade TOOL …`` runs an authoring tool; anything else is a grading run."""
    if argv and argv[0] in TOOL_COMMANDS and not Path(argv[0]).is_dir():
        tools(argv, prog_name="grade")
    else:
        app(argv, prog_name="grade")


def main() -> None:
    run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
