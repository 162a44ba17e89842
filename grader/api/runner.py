"""``grader.grade``: one grading run, from a submissions folder to a swapped-in report set.

What the ``grade`` command does, as a function: check the call (folders, assignment, executor), plan the
assignments (several: one sub-folder each, reports in ``out/<id>/``), read and check every assignment and
the overrides before anything is graded, then grade each into a staged report set and swap them all in at
the end (grader/reports/report_set.py). It prints nothing; progress and warnings go to the callbacks given.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.api import defaults
from grader.api.errors import ProblemFilesError, UsageError
from grader.api.options import RunOptions

if TYPE_CHECKING:
    from grader.grading.context import GradingContext
    from grader.grading.plan import GradingJob
    from grader.grading.run import RunStats
    from grader.reports.streamed import Reported
    from grader.reports.summary import RunSummary
    from grader.submissions.listing import Entry
    from grader.results import RunResult, StaleOverride, SubmissionResult

OnResult = Callable[["SubmissionResult"], None]
#: a progress display for one assignment: called with its number of files, it gives the callback of each file
Progress = Callable[[int], AbstractContextManager[OnResult]]


@dataclass(frozen=True)
class AssignmentOutcome:
    """One assignment's run: its numbers, the student ids several files claim, measurements, and its reports
    (in ``out``). The run itself, every submission whole, is read from its results.json when asked for
    (:attr:`run`): the grading process never holds it (memory flat in the number of files)."""

    assignment_id: str
    submissions: Path
    out: Path
    summary: RunSummary
    stats: RunStats
    #: student id -> the files claiming it (sorted), for ids claimed by more than one file
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: overrides entries not applied: what they were made for is gone
    stale_overrides: tuple[StaleOverride, ...] = ()

    @cached_property
    def run(self) -> RunResult:
        """The run as reported (decisions applied, groups, duplicate ids, stale entries), from results.json."""
        from grader.results import RunResult

        with open(self.out / "results.json", "rb") as handle:
            return RunResult.model_validate_json(handle.read())

    @property
    def warnings(self) -> tuple[str, ...]:
        """Student ids claimed by several files (each file is graded and flagged)."""
        return tuple(f"{len(files)} files claim the student id {student!r} ({', '.join(files)}); each is graded "
                     "and flagged (same_student in results.json)" for student, files in self.duplicates.items())


@dataclass(frozen=True)
class GradeOutcome:
    """Every assignment graded by one :func:`grade` call, in the order graded, and the warnings of the run."""

    assignments: tuple[AssignmentOutcome, ...]
    overrides: Path
    warnings: tuple[str, ...] = field(default=())

    @property
    def run(self) -> RunResult:
        """The run of the only assignment graded (ValueError when there were several)."""
        if len(self.assignments) != 1:
            raise ValueError(f"{len(self.assignments)} assignments were graded; see .assignments")
        return self.assignments[0].run


@dataclass(frozen=True)
class _Prepared:
    jobs: list[GradingJob]
    contexts: list[GradingContext]
    decisions: tuple[Any, ...]
    overrides: Path


def grade(*, submissions: Path, problems: Path, assignment: str | None = None, out: Path | None = None,
          options: RunOptions = RunOptions(), overrides: Path | None = None, on_progress: OnResult | None = None,
          progress: Progress | None = None, on_warning: Callable[[str], None] | None = None) -> GradeOutcome:
    """Grade every file in ``submissions`` against ``assignment`` of ``problems`` (None: the only one; with
    several, ``submissions`` holds one sub-folder per assignment id, each graded into ``out/<id>/``) and write
    the reports to ``out`` (None: ``reports``), replacing the previous ones only once all are written.

    ``overrides``: the decisions of people to apply (None: overrides.yaml beside ``problems``).
    ``on_progress`` is called with each graded file's result, ``progress`` (a display) once per assignment
    with its number of files, ``on_warning`` with each warning as it arises (all are in the outcome too).
    Raises :class:`UsageError` or :class:`ProblemFilesError` when it grades nothing."""
    if not isinstance(options, RunOptions):
        raise TypeError(f"options must be a RunOptions, not {type(options).__name__}")
    submissions, problems = Path(submissions), Path(problems)
    out = defaults.OUT if out is None else Path(out)
    prepared = _prepare(submissions=submissions, problems=problems, assignment=assignment, out=out,
                        options=options, overrides=overrides)
    warnings: list[str] = []

    def warn(text: str) -> None:
        warnings.append(text)
        if on_warning is not None:
            on_warning(text)

    done = _grade_all(submissions=submissions, out=out, prepared=prepared, options=options, warn=warn,
                      on_progress=on_progress, progress=progress)
    for outcome in done:
        warnings.extend(outcome.warnings)
    return GradeOutcome(assignments=tuple(done), overrides=prepared.overrides, warnings=tuple(warnings))


def usage_problem(*, submissions: Path | None = None, problems: Path, assignment: str | None) -> str | None:
    """A mistake in the call itself (UsageError), as opposed to broken problem files (ProblemFilesError)."""
    from grader.problems.loader import discover_assignments

    if submissions is not None and not Path(submissions).is_dir():
        return f"no submissions folder at {Path(submissions).resolve()}"
    if not problems.is_dir():
        return f"no problems folder at {problems.resolve()} (give it with --problems DIR)"
    known = discover_assignments(problems_dir=problems)
    if not known:
        return (f"no assignment in {problems.resolve()}: it has no <id>/assignment.yaml "
                "(`grade new-problem NAME --assignment ID` scaffolds one)")
    if assignment is not None and assignment not in known:
        return f"no assignment {assignment!r} in {problems.resolve()}; use one of: {', '.join(sorted(known))}"
    return None


def _executor_problem(options: RunOptions) -> str | None:
    """--executor dask without dask installed (the rest of the executor's options RunOptions checks)."""
    if options.executor != "dask":
        return None
    from grader.grading.executors import DaskMissing, require_dask

    try:
        require_dask()
    except DaskMissing as exc:
        return str(exc)
    return None


def _prepare(*, submissions: Path, problems: Path, assignment: str | None, out: Path, options: RunOptions,
             overrides: Path | None) -> _Prepared:
    """The plan, every assignment read and checked, and the overrides read and checked: all before grading."""
    from grader.grading.checked import load_context
    from grader.grading.plan import PlanError, plan_runs
    from grader.grading.snapshot import load_context_kept
    from grader.problems import ProblemFileError
    from grader.review.overrides import OverridesError, check_overrides, default_overrides_path, load_overrides

    usage = usage_problem(submissions=submissions, problems=problems, assignment=assignment)
    usage = usage or _executor_problem(options)
    if usage:
        raise UsageError(usage)
    try:
        jobs = plan_runs(submissions=submissions, problems=problems, out=out, assignment_id=assignment)
        # every assignment is loaded and checked before anything is graded
        # checked once per version of the files (--no-cache: checked again)
        load = load_context_kept if options.cache else load_context
        contexts = [load(problems_dir=problems, assignment_id=job.assignment_id) for job in jobs]
    except ProblemFileError as exc:
        raise ProblemFilesError(exc) from None
    except PlanError as exc:
        raise UsageError(str(exc)) from None
    path = overrides if overrides is not None else default_overrides_path(problems_dir=problems)
    try:  # a broken overrides file stops the run before anything is graded: no decision is silently dropped
        decisions = load_overrides(path)
        for context in contexts:
            check_overrides(overrides=decisions, assignment=context.assignment, path=path)
    except OverridesError as exc:
        raise UsageError(str(exc)) from None
    return _Prepared(jobs=jobs, contexts=contexts, decisions=tuple(decisions), overrides=Path(path))


def _grade_all(*, submissions: Path, out: Path, prepared: _Prepared, options: RunOptions,
               warn: Callable[[str], None], on_progress: OnResult | None,
               progress: Progress | None) -> list[AssignmentOutcome]:
    """Grade every job into staged report sets and swap them all in at the end (grader/reports/report_set.py):
    an interrupted run, a full disk or a second run on the same ``out`` leave the previous reports untouched."""
    from grader.grading.executors import DaskUnavailable
    from grader.interrupts import terminate_as_interrupt
    from grader.reports.report_set import ReportSetError, out_conflict, report_sets
    from grader.submissions.listing import list_submissions

    conflict = out_conflict(submissions=submissions, out=out)
    if conflict:
        raise UsageError(conflict)
    try:
        listed = [list_submissions(directory=job.submissions) for job in prepared.jobs]
    except OSError as exc:
        raise UsageError(f"cannot list the submissions folder {submissions}: {exc.strerror or exc}") from None
    try:
        with terminate_as_interrupt(), report_sets(out=out) as sets:
            staged = [sets.stage(target=job.out, rows=len(entries)) for job, entries in zip(prepared.jobs, listed)]
            done = [_grade_one(job=job, context=context, staging=staging, entries=entries,
                               options=options, decisions=prepared.decisions, warn=warn, on_progress=on_progress,
                               progress=progress)
                    for job, context, staging, entries in zip(prepared.jobs, prepared.contexts, staged, listed)]
            for job, (reported, _) in zip(prepared.jobs, done):
                if reported.unchanged:  # an unchanged re-run: its reports are already in place
                    sets.unchanged(job.out)
            sets.commit()
    except (ReportSetError, DaskUnavailable) as exc:
        raise UsageError(str(exc)) from None
    return [AssignmentOutcome(assignment_id=reported.run.assignment, submissions=job.submissions, out=job.out,
                              summary=reported.summary, stats=stats, duplicates=reported.duplicates,
                              stale_overrides=reported.run.stale_overrides)
            for job, (reported, stats) in zip(prepared.jobs, done)]


def _grade_one(*, job: GradingJob, context: GradingContext, staging: Path, entries: list[Entry], options: RunOptions,
               decisions: tuple[Any, ...], warn: Callable[[str], None], on_progress: OnResult | None,
               progress: Progress | None) -> tuple[Reported, RunStats]:
    """Grade one job into its staging folder: each file's reports are written as its result arrives, the class
    reports at the end (grader/reports/streamed.py)."""
    from grader.grading.run import grade_directory_with_stats
    from grader.reports.file_report import ReportSpec
    from grader.reports.streamed import ReportStream

    files = [entry.shown for entry in entries]
    if not files:
        warn(f"no files to grade in {job.submissions} (hidden files are skipped)")
    reuse = _file_cache(context, options, decisions)
    stream = ReportStream(assignment=context.assignment, out_dir=staging, files=files,
                          spec=ReportSpec(decisions=decisions, keep_graded=reuse is not None), reuse=reuse,
                          replaces=job.out)
    try:
        with progress(len(files)) if progress is not None else nullcontext(None) as shown:
            run, stats = grade_directory_with_stats(context=context, directory=job.submissions,
                                                    on_progress=_each(shown, on_progress), stream=stream,
                                                    entries=entries,
                                                    **options.grading_arguments())
    except BaseException:
        stream.close()
        raise
    return stream.finish(run), stats  # stale entries, groups and duplicate ids need every file


def _file_cache(context: GradingContext, options: RunOptions, decisions: tuple[Any, ...]) -> Any:
    """The files earlier runs kept, for this run to reuse (None with ``cache=False``: every file is graded)."""
    if not options.cache:
        return None
    from grader.reports.file_cache import open_file_cache

    bounds = options.model_dump(include={"part_seconds", "read_seconds", "memory_mb", "isolate"})
    return open_file_cache(assignment=context.loaded or context.assignment, options=bounds, decisions=decisions)


def _each(*callbacks: OnResult | None) -> OnResult | None:
    """One callback calling every one given (None: none given)."""
    given = [callback for callback in callbacks if callback is not None]
    if not given:
        return None
    if len(given) == 1:
        return given[0]

    def each(result: SubmissionResult) -> None:
        for callback in given:
            callback(result)

    return each
