"""Grade one submission file: read it, then grade its parts in step order,
each part bounded on its own so one runaway check costs only that part."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext
from grader.grading.jobs import part_job, read_job
from grader.results import Evidence, FileReview, IdentityEvidence, PartResult, SubmissionResult
from grader.sandbox import Bounds, WorkerPool
from grader.submissions import PartInput, SubmissionInput, Unreadable
from grader.submissions.read import student_from_path
from grader.variants import VariantError, shown_variant, student_variant, variant_key
from grader.variants.check import checked_variant


@dataclass(frozen=True)
class SubmissionTiming:
    """How long the slowest check of one submission took (not part of the results)."""

    seconds: float = 0.0
    what: str = ""
    peak_mb: float = 0.0


def grade_submission(*, context: GradingContext, path: Path, root: Path, pool: WorkerPool,
                     read_bounds: Bounds, part_bounds: Bounds) -> tuple[SubmissionResult, SubmissionTiming]:
    assignment = context.assignment
    rel = path.relative_to(root).as_posix()
    max_points = assignment.max_points
    assignment_dir = assignment.source_dir
    read = pool.run(fn=read_job, kwargs={"assignment_dir": assignment_dir, "path": str(path)}, bounds=read_bounds)
    slowest = SubmissionTiming(seconds=read.elapsed, what=f"reading {rel}")
    if read.status != "ok":
        return SubmissionResult(student=student_from_path(path), file=rel, status="unreadable",
                                reason=f"unreadable: {read.error}", max=max_points), slowest
    submission = read.value
    if isinstance(submission, Unreadable):
        return SubmissionResult(student=submission.student, file=rel, status="unreadable",
                                reason=submission.reason, max=max_points), slowest
    variant, shown = None, None
    if assignment.variants.enabled:  # the student's id picks their own numbers
        try:
            values = student_variant(assignment=assignment, student=submission.student)
            failures = checked_variant(assignment=assignment, key=variant_key(values))
        except VariantError as exc:
            failures = (str(exc),)
        if failures:
            return SubmissionResult(student=submission.student, file=rel, status="unreadable", max=max_points,
                                    reason="cannot grade this student's variant (the problem file must be fixed): "
                                           + "; ".join(failures[:3])), slowest
        variant, shown = variant_key(values), shown_variant(assignment=assignment, values=values)
    results: dict[str, PartResult] = {}
    peak = 0.0
    student_values: dict[str, Any] = {}
    for part_id in context.order:
        part_input = submission.parts.get(part_id, PartInput())
        kwargs = {"assignment_dir": assignment_dir, "part_id": part_id, "part_input": part_input,
                  "student_values": {ref: student_values[ref] for ref in assignment.part(part_id).inputs
                                     if ref in student_values}, "variant": variant}
        outcome = pool.run(fn=part_job, kwargs=kwargs, bounds=part_bounds)
        if outcome.elapsed > slowest.seconds:
            slowest = SubmissionTiming(seconds=outcome.elapsed, what=f"part {part_id} of {rel}", peak_mb=peak)
        if outcome.status == "ok":
            part_outcome, peak_mb = outcome.value
            results[part_id] = part_outcome.result
            if part_outcome.value is not None:
                student_values[part_id] = part_outcome.value
            peak = max(peak, peak_mb)
        else:
            results[part_id] = PartResult(
                part_id=part_id, score=0.0, max=assignment.part(part_id).points, verdict="could_not_evaluate",
                answer=part_input.candidates[0].text[:500] if part_input.candidates else None,
                feedback=f"Could not evaluate this answer ({outcome.error}); a person should look at it.",
                feedback_id="check-failed")
    ordered = {part.id: results[part.id] for part in assignment.parts}
    file_review = layout_not_recognised(submission=submission, assignment=assignment)
    ordered = no_silent_zeros(submission=submission, assignment=assignment, results=ordered, file_review=file_review)
    score = round(sum(part.score for part in ordered.values()), 4)
    return SubmissionResult(student=submission.student, file=rel, status="graded", score=score, max=max_points,
                            parts=ordered, warnings=submission.warnings, variant=shown, file_review=file_review,
                            **identity_fields(submission=submission)), replace(slowest, peak_mb=peak)


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
        reason=(f"the layout of this file was not recognised: it holds "
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
