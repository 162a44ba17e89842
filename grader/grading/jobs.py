"""The units of work that run inside bounded worker processes.

The run builds its grading context once and hands it to every worker at start-up
(:func:`install_context` is the pool's setup call, so the context is encoded once
and never rebuilt from disk); jobs name it by the run's ``context_id``.  A
variant's context is built from it, once per process and variant.

:func:`submission_job` reads a file and grades all its parts in one call, each
part a step bounded by its own seconds; :func:`read_job` and :func:`part_job` are
the same work one bounded call at a time, for a submission whose call was killed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext, variant_context
from grader.grading.part import PartOutcome, grade_part
from grader.grading.verdict_cache import VerdictCache, verdict_key
from grader.results import PartResult, SubmissionResult
from grader.sandbox.steps import bounded, step
from grader.submissions import PartInput, SubmissionInput, Unreadable, read_submission

_KEEP = 4  # runs whose contexts a process keeps (tests grade many runs in one process)
_KEEP_VARIANTS = 1024
_lock = threading.Lock()
_contexts: OrderedDict[str, GradingContext] = OrderedDict()
_variants: OrderedDict[tuple[str, str], tuple[GradingContext | None, tuple[str, ...]]] = OrderedDict()
_verdicts: dict[str, VerdictCache] = {}
_reports: dict[str, Any] = {}  # context id -> the run's ReportSpec, when its files' reports are made here
_warmed: set[str] = set()  # the runs whose symbolic parts this process has checked once (grader/grading/warm_up.py)
#: the bound of a worker's warm-up, a step of its own before its first check of a run (not a student's seconds)
WARM_UP_SECONDS = 60.0


def install_context(*, context_id: str, context: GradingContext, store: str | None = None,
                    report: Any = None) -> None:
    """Keep the run's context in this process under ``context_id`` (the pool's setup call), with the
    run's verdict cache (``store``: the path of its file on disk, if any) and, when the run streams its
    reports, its :class:`~grader.reports.file_report.ReportSpec` (each file's reports are made where it is
    graded)."""
    from grader.grading.verdict_store import VerdictStore

    with _lock:
        _contexts[context_id] = context
        _contexts.move_to_end(context_id)
        if report is not None:
            _reports[context_id] = report
        if context_id not in _verdicts:
            _verdicts[context_id] = VerdictCache(store=VerdictStore(path=Path(store)) if store else None)
        while len(_contexts) > _KEEP:
            dropped, _ = _contexts.popitem(last=False)
            _verdicts.pop(dropped, None)
            _reports.pop(dropped, None)
            for key in [key for key in _variants if key[0] == dropped]:
                del _variants[key]


def context_for(context_id: str, variant: str | None = None) -> GradingContext:
    """The run's context, or that of one variant of it (``variant``: its
    :func:`~grader.variants.variant_key`); a variant whose self-check fails raises ValueError."""
    context, failures = checked_context_for(context_id, variant)
    if context is None:
        raise ValueError("; ".join(failures))
    return context


def checked_context_for(context_id: str, variant: str | None = None
                        ) -> tuple[GradingContext | None, tuple[str, ...]]:
    """(context, ()) or (None, the variant's self-check failures)."""
    try:
        base = _contexts[context_id]
    except KeyError:
        raise RuntimeError(f"no grading context {context_id!r} was installed in this process") from None
    if variant is None:
        return base, ()
    key = (context_id, variant)
    with _lock:
        hit = _variants.get(key)
    if hit is not None:
        return hit
    built = variant_context(base=base, key=variant)
    with _lock:
        _variants[key] = built
        while len(_variants) > _KEEP_VARIANTS:
            _variants.popitem(last=False)
    return built


def warmed(context_id: str) -> bool:
    """In a bounded worker, before its first check of the run: the run's symbolic parts checked once, as a step of
    :data:`WARM_UP_SECONDS` (grader/grading/warm_up.py), so that no student's part step pays for the process's first
    SymPy check. True when it ran (the caller's next step is announced again); outside a worker, or once done, False.
    A worker that only makes reports again (a re-run after a decision) never checks, so never warms up."""
    with _lock:
        if context_id in _warmed or not bounded():
            return False
        _warmed.add(context_id)
    from grader.grading.warm_up import warm_up

    step(seconds=WARM_UP_SECONDS)
    warm_up(context_for(context_id))
    return True


def read_job(*, context_id: str, path: str) -> SubmissionInput | Unreadable:
    return read_submission(path=Path(path), assignment=context_for(context_id).assignment)


def part_job(*, context_id: str, part_id: str, part_input: PartInput,
             student_values: Mapping[str, Any], variant: str | None = None, cache: bool = True,
             seconds: float | None = None) -> tuple[PartOutcome, float]:
    """The part's outcome (against the student's own variant) and this process's peak resident memory so far, in MB.
    ``seconds``: the part's bound, given so that a fresh worker warms up first (:func:`warmed`) and then announces
    the part as a step of its own seconds."""
    if seconds is not None and warmed(context_id):
        step(seconds=seconds)
    try:
        outcome = graded_part(context_id=context_id, part_id=part_id, part_input=part_input,
                              student_values=student_values, variant=variant, cache=cache)
    finally:
        flush_verdicts(context_id)
    return outcome, peak_memory_mb()


def graded_part(*, context_id: str, part_id: str, part_input: PartInput, student_values: Mapping[str, Any],
                variant: str | None, cache: bool = True) -> PartOutcome:
    """The part's outcome, from the run's verdict cache when another student answered it the same way."""
    verdicts = _verdicts.get(context_id) if cache else None
    if verdicts is None:
        return _checked_part(context_id=context_id, part_id=part_id, part_input=part_input,
                             student_values=student_values, variant=variant)
    key, first_line = verdict_key(part_id=part_id, variant=variant, part_input=part_input,
                                  student_values=student_values)
    outcome = verdicts.get(key, first_line)
    if outcome is None:
        outcome = _checked_part(context_id=context_id, part_id=part_id, part_input=part_input,
                                student_values=student_values, variant=variant)
        verdicts.put(key, first_line, outcome)
    return outcome


def flush_verdicts(context_id: str) -> None:
    """Write the run's new outcomes of this process to its store on disk (once per job: see VerdictStore)."""
    verdicts = _verdicts.get(context_id)
    if verdicts is not None:
        verdicts.flush()


def verdict_cache_of(context_id: str) -> VerdictCache | None:
    """This process's verdict cache of a run (for tests and diagnostics)."""
    return _verdicts.get(context_id)


def _checked_part(*, context_id: str, part_id: str, part_input: PartInput, student_values: Mapping[str, Any],
                  variant: str | None) -> PartOutcome:
    outcome = grade_part(context=context_for(context_id, variant), part_id=part_id, part_input=part_input,
                         student_values=student_values)
    if variant is not None and outcome.result.verdict in ("incorrect", "partial"):
        outcome = _note_other_variant(outcome, context_id, part_id, part_input, student_values)
    return outcome


OTHER_VARIANT_NOTE = ("This answer matches the values of another variant (the problem's default numbers), "
                      "not the numbers of your own sheet.")


def _note_other_variant(outcome: PartOutcome, context_id: str, part_id: str, part_input: PartInput,
                        student_values: Mapping[str, Any]) -> PartOutcome:
    """A note for staff and student when a wrong answer is right for the default parameters."""
    base = context_for(context_id)
    if base.references.get(part_id) is None:
        return outcome
    other = grade_part(context=base, part_id=part_id, part_input=part_input, student_values=student_values)
    if other.result.verdict != "correct":
        return outcome
    result = outcome.result.model_copy(update={"notes": (*outcome.result.notes, OTHER_VARIANT_NOTE)})
    return replace(outcome, result=result)


def submission_job(*, context_id: str, path: str, root: str, read_seconds: float, part_seconds: float,
                   cache: bool = True, entry: Any = None, stem: str | None = None) -> Any:
    """Read and grade one file in this process, every part a step of its own ``part_seconds``:
    (SubmissionResult, SubmissionTiming, FileReport or None). With ``entry`` (its listing entry) the result
    is named as the reports show it and, when the run streams its reports, the file's reports are made here
    too (None when that failed: the run's process tries again and says why), its pages written here under
    ``stem`` when the run's spec names the staging folder. Any failure of the grading raises,
    and the caller grades the file again one bounded call at a time."""
    from grader.grading.entries import with_shown_names
    from grader.grading.submission import grade_parts_here

    warmed(context_id)
    step(seconds=read_seconds)
    started = time.perf_counter()
    submission = read_job(context_id=context_id, path=path)
    read_elapsed = time.perf_counter() - started

    def run_part(part_id: str, part_input: PartInput, student_values: dict[str, Any],
                 variant: str | None) -> tuple[PartOutcome, float]:
        step(seconds=part_seconds)
        return graded_part(context_id=context_id, part_id=part_id, part_input=part_input,
                           student_values=student_values, variant=variant, cache=cache), 0.0

    try:
        result, timing = grade_parts_here(context_id=context_id, path=Path(path), root=Path(root),
                                          submission=submission, read_elapsed=read_elapsed, run_part=run_part)
    finally:  # before the reports: the other workers find this file's new outcomes the sooner
        flush_verdicts(context_id)
    # the peak so far, read once per file: after its last part it is the largest of the readings per part (a
    # getrusage per part was a tenth of a worker's time on a warm run)
    timing = replace(timing, peak_mb=peak_memory_mb())
    if entry is None:
        return result, timing, None
    result = with_shown_names(result=result, entry=entry)
    report = report_here(context_id=context_id, result=result, stem=stem)
    # with its reports made, the run's process needs only the slim copy: the whole result stays here
    return (result if report is None else report.slim), timing, report


def redecided_job(*, context_id: str, known: bytes, stem: str | None = None) -> Any:
    """The reports of a file an earlier run graded, made again with this run's decisions (``known``: its result
    before the decisions, packed JSON, as grader/reports/file_cache.py kept it): (slim copy, timing, FileReport),
    or None when they cannot be made (the file is then graded)."""
    from grader.grading.submission import SubmissionTiming
    from grader.reports.row_store import unpack

    result = SubmissionResult.model_validate_json(unpack(known))
    report = report_here(context_id=context_id, result=result, stem=stem)
    if report is None:
        return None
    return report.slim, SubmissionTiming(peak_mb=peak_memory_mb(), redecided=True), report


def report_here(*, context_id: str, result: Any, stem: str | None = None) -> Any:
    """The file's reports made in this process (None when the run does not stream, or making them failed);
    ``stem``: its report files' name, for the pages to be written here when the run's spec says where."""
    spec = _reports.get(context_id)
    if spec is None:
        return None
    from grader.reports.file_report import file_report

    try:
        return file_report(result=result, assignment=context_for(context_id).assignment, spec=spec, stem=stem)
    except Exception:  # noqa: BLE001 - made again by the run's process, which turns the error into the row
        return None


def no_answer_result(*, context: GradingContext, part_id: str) -> PartResult:
    """A part without an answer: the same for every student of a variant, decided without a worker, once per
    context (a frozen result, shared)."""
    known = context.no_answers.get(part_id)
    if known is None:
        known = context.no_answers[part_id] = grade_part(context=context, part_id=part_id, part_input=PartInput(),
                                                         student_values={}).result
    return known


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MB. Read for the calling thread (``RUSAGE_THREAD``, where the
    system has it): its ``ru_maxrss`` is the process's all the same (Linux takes it from the shared address space),
    but ``RUSAGE_SELF`` also sums every thread's CPU time, which makes the kernel bring the running thread's account
    up to date; on a busy machine the scheduler then finds the thread's slice spent and switches away inside the
    call, so a sampling profiler billed a tenth of a worker's wall time to this line (its CPU cost is a microsecond)."""
    try:
        import resource

        who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)
        return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB
    except (ImportError, OSError):
        return 0.0
