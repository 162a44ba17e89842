"""Grade one submission file: one worker call reads it and grades its parts in step
order, each part a step bounded by its own seconds, so one runaway check costs only
that part.  When that call is killed (a step overran, the worker ran out of memory or
died), the file is graded again one bounded call at a time (reading, then each part)
and only the culprit part becomes ``could_not_evaluate``.  Parts without an answer
never take a worker call of their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext
from grader.grading.jobs import (checked_context_for, no_answer_result, part_job, read_job, redecided_job,
                                 submission_job)
from grader.grading.part import PartOutcome, carried_values
from grader.results import Evidence, FileReview, IdentityEvidence, PartResult, SubmissionResult
from grader.sandbox import Bounds, WorkerPool
from grader.sandbox.pool import PoolOnDemand
from grader.submissions import PartInput, SubmissionInput, Unreadable
from grader.submissions.read import student_from_path
from grader.variants import VariantError, shown_variant, student_variant, variant_key

#: the whole call of one submission may take at most this long (each part is bounded on its own before)
MAX_CALL_SECONDS = 600.0


@dataclass(frozen=True)
class SubmissionTiming:
    """How long the slowest check of one submission took (not part of the results)."""

    seconds: float = 0.0
    what: str = ""
    peak_mb: float = 0.0
    #: the submission's one call was killed and it was graded again one bounded call at a time
    isolated: bool = False
    #: not graded again: an earlier run's result, with the run's decisions applied (grader/reports/file_cache.py)
    redecided: bool = False


#: grades one part: (its outcome, or why it could not be evaluated; the process's peak memory in MB)
RunPart = Callable[[str, PartInput, dict[str, Any], "str | None"], "tuple[PartOutcome | str, float]"]


def grade_submission(*, context: GradingContext, path: Path, root: Path, pool: WorkerPool | PoolOnDemand,
                     read_bounds: Bounds, part_bounds: Bounds, context_id: str, cache: bool = True,
                     entry: Any = None, stem: str | None = None, known: bytes | None = None
                     ) -> tuple[SubmissionResult, SubmissionTiming, Any]:
    """Grade one file in one worker call; if that call is killed, again one bounded call at a time:
    (result, timing, the file's reports when the worker made them, else None). ``entry``: the file's
    listing entry and ``stem`` its report files' name (grader.grading.jobs.submission_job); ``known``: its
    result as an earlier run graded it (packed JSON), whose reports one bounded call makes again with this run's
    decisions instead (the file is graded when that call fails)."""
    if known is not None:
        again = pool.run(fn=redecided_job, bounds=read_bounds, kwargs={"context_id": context_id, "known": known,
                                                                       "stem": stem})
        if again.status == "ok" and again.value is not None:
            return again.value
    parts = len(context.assignment.parts)
    total = min(read_bounds.seconds + part_bounds.seconds * parts, max(MAX_CALL_SECONDS, read_bounds.seconds))
    outcome = pool.run(fn=submission_job, bounds=read_bounds, total_seconds=total,
                       kwargs={"context_id": context_id, "path": str(path), "root": str(root),
                               "read_seconds": read_bounds.seconds, "part_seconds": part_bounds.seconds,
                               "cache": cache, "entry": entry, "stem": stem})
    if outcome.status == "ok":
        return outcome.value
    result, timing = grade_submission_isolated(context=context, path=path, root=root, pool=pool,
                                               read_bounds=read_bounds, part_bounds=part_bounds,
                                               context_id=context_id, cache=cache)
    return result, replace(timing, isolated=True), None


def grade_submission_isolated(*, context: GradingContext, path: Path, root: Path, pool: WorkerPool | PoolOnDemand,
                              read_bounds: Bounds, part_bounds: Bounds, context_id: str, cache: bool = True
                              ) -> tuple[SubmissionResult, SubmissionTiming]:
    """Read the file in one bounded call, then grade each answered part in a bounded call of its own."""
    rel = path.relative_to(root).as_posix()
    read = pool.run(fn=read_job, kwargs={"context_id": context_id, "path": str(path)}, bounds=read_bounds)
    if read.status != "ok":
        return SubmissionResult(student=student_from_path(path), file=rel, status="unreadable",
                                reason=f"unreadable: {read.error}", max=context.assignment.max_points), \
            SubmissionTiming(seconds=read.elapsed, what=f"reading {rel}")
    elapsed: dict[str, float] = {}

    def run_part(part_id: str, part_input: PartInput, student_values: dict[str, Any],
                 variant: str | None) -> tuple[PartOutcome | str, float]:
        outcome = pool.run(fn=part_job, bounds=part_bounds, kwargs={
            "context_id": context_id, "part_id": part_id, "part_input": part_input,
            "student_values": student_values, "variant": variant, "cache": cache, "seconds": part_bounds.seconds})
        elapsed[part_id] = outcome.elapsed
        return (outcome.value if outcome.status == "ok" else (outcome.error, 0.0))

    return grade_parts_here(context_id=context_id, path=path, root=root, submission=read.value,
                            read_elapsed=read.elapsed, run_part=run_part, elapsed=elapsed)


def grade_parts_here(*, context_id: str, path: Path, root: Path, submission: SubmissionInput | Unreadable,
                     read_elapsed: float, run_part: RunPart, elapsed: dict[str, float] | None = None
                     ) -> tuple[SubmissionResult, SubmissionTiming]:
    """Grade the parts of a file already read, in step order, each through ``run_part``; parts without
    an answer are decided here. ``elapsed``: each part's seconds as ``run_part`` measured them."""
    import time

    context, _ = checked_context_for(context_id)
    assignment = context.assignment
    rel = path.relative_to(root).as_posix()
    max_points = assignment.max_points
    slowest = SubmissionTiming(seconds=read_elapsed, what=f"reading {rel}")
    if isinstance(submission, Unreadable):
        return SubmissionResult(student=submission.student, file=rel, status="unreadable",
                                reason=submission.reason, max=max_points), slowest
    variant, shown = None, None
    if assignment.variants.enabled:  # the student's id picks their own numbers
        context, variant, shown, failures = _student_context(context_id=context_id, student=submission.student)
        if failures:
            return SubmissionResult(student=submission.student, file=rel, status="unreadable", max=max_points,
                                    reason="cannot grade this student's variant (the problem file must be fixed): "
                                           + "; ".join(failures[:3])), slowest
    results: dict[str, PartResult] = {}
    peak = 0.0
    student_values: dict[str, Any] = {}
    agrees: dict[str, bool | None] = {}
    for part_id in context.order:
        part_input = submission.parts.get(part_id, PartInput())
        if not part_input.candidates:
            results[part_id] = no_answer_result(context=context, part_id=part_id)
            continue
        started = time.perf_counter()
        part_outcome, peak_mb = run_part(part_id, part_input, _values_for(context=context, part_id=part_id,
                                                                          values=student_values, agrees=agrees,
                                                                          variant=variant), variant)
        seconds = elapsed[part_id] if elapsed is not None else time.perf_counter() - started
        if seconds > slowest.seconds:
            slowest = SubmissionTiming(seconds=seconds, what=f"part {part_id} of {rel}", peak_mb=peak)
        if isinstance(part_outcome, str):
            results[part_id] = PartResult(
                part_id=part_id, score=0.0, max=assignment.part(part_id).points, verdict="could_not_evaluate",
                answer=part_input.candidates[0].text[:500],
                feedback=f"Could not evaluate this answer ({part_outcome}); a person should look at it.",
                feedback_id="check-failed")
            continue
        results[part_id] = part_outcome.result
        if part_outcome.value is not None:
            student_values[part_id] = part_outcome.value
            agrees[part_id] = part_outcome.agrees
        peak = max(peak, peak_mb)
    ordered = {part.id: results[part.id] for part in assignment.parts}
    file_review = layout_not_recognised(submission=submission, assignment=assignment)
    ordered = no_silent_zeros(submission=submission, assignment=assignment, results=ordered, file_review=file_review)
    score = round(sum(part.score for part in ordered.values()), 4)
    return SubmissionResult(student=submission.student, file=rel, status="graded", score=score, max=max_points,
                            parts=ordered, warnings=submission.warnings, variant=shown, file_review=file_review,
                            **identity_fields(submission=submission)), replace(slowest, peak_mb=peak)


def _values_for(*, context: GradingContext, part_id: str, values: dict[str, Any], agrees: dict[str, bool | None],
                variant: str | None) -> dict[str, Any]:
    """The student's values a part is graded with: of the default variant, only those its outcome depends on
    (grader.grading.part.carried_values: the verdict cache's key is then the same for every student whose inputs
    are right); with a variant every input's (a wrong answer is graded again against the default numbers, whose
    references the agreement was not measured against)."""
    if variant is None:
        return carried_values(context=context, part_id=part_id, values=values, agrees=agrees)
    return {ref: values[ref] for ref in context.assignment.part(part_id).inputs if ref in values}


def _student_context(*, context_id: str, student: str) -> tuple[Any, str | None, Any, tuple[str, ...]]:
    """(context, variant key, variant as results show it, self-check failures) of a student's own variant."""
    assignment = checked_context_for(context_id)[0].assignment
    try:
        values = student_variant(assignment=assignment, student=student)
        context, failures = checked_context_for(context_id, variant_key(values))
    except VariantError as exc:
        return None, None, None, (str(exc),)
    return context, variant_key(values), shown_variant(assignment=assignment, values=values), failures


def identity_fields(*, submission: SubmissionInput) -> dict[str, Any]:
    who = submission.identity
    if who is None:
        return {}
    return {"student_name": who.name, "student_number": who.student_number,
            "identity": IdentityEvidence(line=who.line, quote=who.quote[:200], source=who.source)}


# ------------------------------------------------------------------ no silent zeros
#: a free-form file whose layout was not recognised: it holds substantive text, but fewer than a third of
#: the answers it seems to hold were found. "The answers it seems to hold" is the number of label-like tokens
#: in the file (`(a)`, `Cb)`, `2.`, …; grader.freeform.extract.count_label_like), at least MIN_EXPECTED and at
#: most the number of graded (non-optional) parts: a partial hand-in (only problems 2 and 3) has few labels
#: and is not flagged, a one-line page dump whose labels were not read is.
FOUND_SHARE_BELOW = 1 / 3
MIN_EXPECTED = 3
MAX_UNCLAIMED_SHOWN = 3


def layout_not_recognised(*, submission: SubmissionInput, assignment: Any) -> FileReview | None:
    if not submission.substantive:
        return None
    parts = [part for part in assignment.graded_parts if not part.optional]
    found = sum(1 for part in parts if submission.parts.get(part.id, PartInput()).candidates)
    expected = min(len(parts), max(submission.label_like, MIN_EXPECTED))
    if not parts or found >= FOUND_SHARE_BELOW * expected:
        return None
    return FileReview(
        reason=("the layout of this file was not recognised: it holds "
                + (f"answers ({submission.label_like} label-like tokens)" if submission.label_like else
                   "math or numbers but no part labels")
                + f" but only {found} of its {len(parts)} parts were found; a person should grade the whole file"),
        parts_found=found, parts=len(parts), labels_seen=submission.label_like)


def no_silent_zeros(*, submission: SubmissionInput, assignment: Any, results: dict[str, PartResult],
                    file_review: FileReview | None) -> dict[str, PartResult]:
    """A part with no answer goes to a person when the file holds substantive text no part claimed, located
    where that part's answer would be (after the previous part found, before the next one). In a file whose
    layout was not recognised the parts keep ``no_answer`` and the file as a whole is flagged instead."""
    if file_review is not None:
        note = "The grader did not recognise this file's layout; a person will look at the whole file."
        return {pid: (r.model_copy(update={"feedback": f"No answer found. {note}", "notes": (*r.notes, note)})
                      if r.verdict == "no_answer" else r) for pid, r in results.items()}
    if not submission.unclaimed:
        return results
    order = [part.id for part in assignment.graded_parts]
    spans = {pid: submission.parts[pid].lines for pid in order
             if pid in submission.parts and submission.parts[pid].candidates and submission.parts[pid].lines}
    out = dict(results)
    for index, pid in enumerate(order):
        result = results.get(pid)
        if result is None or result.verdict != "no_answer" or assignment.part(pid).optional:
            continue
        after = max((spans[q][1] for q in order[:index] if q in spans), default=0)
        before = min((spans[q][0] for q in order[index + 1:] if q in spans), default=10 ** 9)
        blocks = [b for b in submission.unclaimed if b.line_start > after and b.line_end < before]
        if blocks:
            out[pid] = _unclaimed_review(result=result, blocks=blocks[:MAX_UNCLAIMED_SHOWN])
    return out


def _unclaimed_review(*, result: PartResult, blocks: list[Any]) -> PartResult:
    where = ", ".join(f"line {b.line_start}" if b.line_start == b.line_end else f"lines {b.line_start}–{b.line_end}"
                      for b in blocks)
    first = blocks[0]
    return result.model_copy(update={
        "verdict": "needs_review", "score": 0.0, "suggested_score": 0.0, "feedback_id": "unclaimed-text",
        "feedback": (f"Flagged for a person: no answer was found for this part, but {where} hold{'s' if len(blocks) == 1 else ''} text that no part "
                     "claimed; it may be this part's answer. Suggested: no_answer (0/" f"{result.max:g})."),
        "notes": (*result.notes, f"Unclaimed text at {where}."),
        "candidates": tuple(b.text[:300] for b in blocks),
        "evidence": Evidence(line_start=first.line_start, line_end=first.line_end, quote=first.text[:500],
                             source="unclaimed", confidence=0.0),
    })
