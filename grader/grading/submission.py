"""Grade one submission file: read it, then grade its parts in step order,
each part bounded on its own so one runaway check costs only that part."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext
from grader.grading.jobs import part_job, read_job
from grader.results import PartResult, SubmissionResult
from grader.sandbox import Bounds, WorkerPool
from grader.submissions import PartInput, Unreadable
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
    score = round(sum(part.score for part in ordered.values()), 4)
    return SubmissionResult(student=submission.student, file=rel, status="graded", score=score, max=max_points,
                            parts=ordered, warnings=submission.warnings, variant=shown), replace(slowest, peak_mb=peak)
