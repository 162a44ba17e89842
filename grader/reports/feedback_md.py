"""Per-student feedback in Markdown, written for the student to read."""

from __future__ import annotations

from grader.number_text import shown_points
from grader.problems.models import Assignment
from grader.reports.feedback_text import split_pointer
from grader.reports.markdown_text import code_block, code_span as _code, inline_text as _text, prose
from grader.results import PartResult, SubmissionResult
from grader.variants.apply import student_view
from grader.verdicts import VERDICT_LABELS, VERDICTS


def _quote(text: str) -> list[str]:
    return code_block("\n".join(text.strip().splitlines()[:8]))


def feedback_markdown(*, submission: SubmissionResult, assignment: Assignment) -> str:
    assignment = student_view(assignment=assignment, submission=submission)  # prompts with the student's numbers
    lines = [f"# Feedback: {assignment.title}", ""]
    # everything student-written is escaped (grader/reports/markdown_text.py), as the HTML pages escape it
    who = "".join(f" · **{label}:** {_text(value)}" for label, value in (("Name", submission.student_name),
                                                                          ("Student number", submission.student_number))
                  if value)
    lines.append(f"**Student:** {_text(submission.student)}{who} · **File:** {_code(submission.file)}")
    lines.append("")
    if submission.status != "graded":
        lines += [f"**This file could not be graded:** {_text(submission.reason or '')}", "",
                  "Your instructor has been told; please contact them.", ""]
        return "\n".join(lines)
    if submission.file_review is not None:
        lines += [f"**This file waits for a person:** {_text(submission.file_review.reason)}. The points below are "
                  "provisional.", ""]
    review = [p for p in submission.parts.values() if p.verdict == "needs_review"]
    lines.append(f"**Score: {shown_points(submission.score)} / {shown_points(submission.max)}**"
                 + (f" (provisional: {len(review)} part(s) wait for a person)" if review else ""))
    lines += ["", "| Part | Result | Points |", "|---|---|---|"]
    shown = {pid: part for pid, part in submission.parts.items()
             if not (assignment.part(pid).optional and part.verdict == "no_answer")}
    for part_id, part in shown.items():
        lines.append(f"| {part_id} | {VERDICT_LABELS[part.verdict]} | "
                     f"{shown_points(part.score)} / {shown_points(part.max)} |")
    lines.append("")
    for warning in submission.warnings:
        lines.append(f"_Note: {_text(warning)}_")
    lines += ["", "## Details", ""]
    for part in shown.values():
        lines += _part_section(part=part, assignment=assignment)
    return "\n".join(lines).rstrip() + "\n"


def _part_section(*, part: PartResult, assignment: Assignment) -> list[str]:
    spec = assignment.part(part.part_id)
    lines = [f"### {part.part_id}. {spec.prompt.strip()}", "",
             f"**{VERDICT_LABELS[part.verdict]}**: {shown_points(part.score)} / {shown_points(part.max)}", ""]
    if part.answer:
        lines.append(f"Your answer: {_code(part.answer[:300])}")
        lines += [f"Read as: ${part.canonical_answer}$"] if part.canonical_answer and part.verdict in ("incorrect", "partial") else []
        if part.evidence and part.evidence.line_start:
            span = (f"line {part.evidence.line_start}" if part.evidence.line_start == part.evidence.line_end
                    else f"lines {part.evidence.line_start}–{part.evidence.line_end}")
            lines += ["", f"Found at {span} of your file:", "", *_quote(part.evidence.quote or part.answer)]
        lines.append("")
    if part.feedback:
        text, pointer = split_pointer(part.feedback)
        lines += [prose(text), ""]
        if pointer is not None:
            lines += [*code_block(pointer), ""]
    if part.override is not None:
        who = f" by {_text(part.override.by)}" if part.override.by else ""
        lines += [f"_Score set{who} after review._", ""]
    if part.ecf and part.verdict not in ("ecf", "correct"):
        given = ", ".join(f"{k} = {_text(v)}" for k, v in part.ecf.inputs.items())
        lines += [f"From your own {given}, this part would be {_text(part.ecf.expected)}.", ""]
    if assignment.show_reference and part.reference and VERDICTS[part.verdict].shows_reference:
        lines += [f"Reference answer: {_code(part.reference)}", ""]
    return lines
