"""Per-student feedback in Markdown, written for the student to read."""

from __future__ import annotations

from typing import NamedTuple

from grader.bounded_cache import BoundedCache, made_for
from grader.number_text import shown_points
from grader.problems.models import Assignment
from grader.reports.feedback_text import split_pointer
from grader.reports.markdown_text import code_block, code_span as _code, inline_text as _text, prose
from grader.results import PartResult, SubmissionResult
from grader.variants.apply import student_view
from grader.verdicts import VERDICT_LABELS, VERDICTS


#: quoted texts (short ones: a class repeats them; their line numbers are not part of the block) -> their block,
#: its lines joined
_QUOTES: BoundedCache[str, str] = BoundedCache(4096)


def _quote(text: str) -> str:
    known = _QUOTES.get(text)
    if known is None:
        known = "\n".join(code_block("\n".join(text.strip().splitlines()[:8])))
        if len(text) <= 1000:
            _QUOTES.put(text, known)
    return known


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
    shown: list[tuple[PartResult, _Pieces]] = []
    specs, show_reference = _specs(assignment), assignment.show_reference
    for pid, part in submission.parts.items():
        pieces = _pieces(part=part, spec=specs[pid], show_reference=show_reference)
        if pieces is not None:
            shown.append((part, pieces))
    lines += [pieces.row for _, pieces in shown]
    lines.append("")
    for warning in submission.warnings:
        lines.append(f"_Note: {_text(warning)}_")
    lines += ["", "## Details", ""]
    for part, pieces in shown:  # each piece is lines already joined: never none (an empty piece is None)
        lines.append(pieces.head)
        found = _found(part)
        if found is not None:
            lines.append(found)
        if pieces.tail is not None:
            lines.append(pieces.tail)
    return "\n".join(lines).rstrip() + "\n"


class _Source(NamedTuple):
    """Everything a part's section shows but where in the file the answer was found and its quote (they differ
    between students who gave the same answer): the key of its shared lines."""

    part_id: str
    prompt: str  # as the student sees it, stripped
    verdict: str
    score: float
    max: float
    answer: str | None
    canonical_answer: str | None
    feedback: str
    overridden_by: str | None  # None: no person's decision
    ecf: tuple[tuple[tuple[str, str], ...], str] | None  # (the student's own inputs, what the part is for them)
    reference: str | None
    show_reference: bool


class _Pieces(NamedTuple):
    """A part's lines every student with its _Source shares: its row of the points table, and its section before
    and after where the answer was found (each its lines joined; None: no lines)."""

    row: str
    head: str
    tail: str | None


#: distinct sections whose lines are kept (a class repeats answers), the oldest forgotten first: ~0.9 kB each;
#: over a worker's 5 000 files of a 10 000-file class (146 000 lookups, 7 200 distinct), 4096 held ~3.8 MB for
#: 7 540 made, 2048 hold ~1.9 MB for 8 160 (a section is a few formatted lines: cheap to make again)
SECTION_CACHE_SIZE = 2048
_SECTIONS: BoundedCache[_Source, _Pieces] = BoundedCache(SECTION_CACHE_SIZE)


class _Spec(NamedTuple):
    """What a part's section reads of the part as the student sees it."""

    prompt: str  # stripped
    optional: bool


#: assignment (as a student sees it: one per variant) -> its parts' _Spec, for the last 256
_SPECS: BoundedCache[int, tuple[Assignment, dict[str, _Spec]]] = BoundedCache(256)


def _specs(assignment: Assignment) -> dict[str, _Spec]:
    return made_for(_SPECS, assignment, lambda: {part.id: _Spec(prompt=part.prompt.strip(), optional=part.optional)
                                                 for part in assignment.parts})


def _pieces(*, part: PartResult, spec: _Spec, show_reference: bool) -> _Pieces | None:
    """The part's shared lines; None for an optional sub-answer the student did not give (not shown)."""
    verdict = part.verdict
    if spec.optional and verdict == "no_answer":
        return None
    ecf, override = part.ecf, part.override
    # what the section does not show is left out, so more students share it
    source = _Source(part_id=part.part_id, prompt=spec.prompt, verdict=verdict, score=part.score, max=part.max,
                     answer=part.answer,
                     canonical_answer=part.canonical_answer if verdict in ("incorrect", "partial") else None,
                     feedback=part.feedback, overridden_by=None if override is None else override.by,
                     ecf=None if ecf is None or verdict in ("ecf", "correct") else (tuple(ecf.inputs.items()), ecf.expected),
                     reference=part.reference, show_reference=show_reference)
    known = _SECTIONS.get(source)
    if known is None:
        known = _made(source)
        _SECTIONS.put(source, known)
    return known


def _made(part: _Source) -> _Pieces:
    label, points = VERDICT_LABELS[part.verdict], f"{shown_points(part.score)} / {shown_points(part.max)}"
    head = [f"### {part.part_id}. {part.prompt}", "", f"**{label}**: {points}", ""]
    tail = []
    if part.answer:
        head.append(f"Your answer: {_code(part.answer[:300])}")
        head += [f"Read as: ${part.canonical_answer}$"] if part.canonical_answer and part.verdict in ("incorrect", "partial") else []
        tail.append("")
    if part.feedback:
        text, pointer = split_pointer(part.feedback)
        tail += [prose(text), ""]
        if pointer is not None:
            tail += [*code_block(pointer), ""]
    if part.overridden_by is not None:
        who = f" by {_text(part.overridden_by)}" if part.overridden_by else ""
        tail += [f"_Score set{who} after review._", ""]
    if part.ecf and part.verdict not in ("ecf", "correct"):
        given = ", ".join(f"{k} = {_text(v)}" for k, v in part.ecf[0])
        tail += [f"From your own {given}, this part would be {_text(part.ecf[1])}.", ""]
    if part.show_reference and part.reference and VERDICTS[part.verdict].shows_reference:
        tail += [f"Reference answer: {_code(part.reference)}", ""]
    return _Pieces(row=f"| {part.part_id} | {label} | {points} |", head="\n".join(head),
                   tail="\n".join(tail) if tail else None)


def _found(part: PartResult) -> str | None:
    """Where in the file this student's answer was found, and its first lines (joined; None: not shown)."""
    evidence = part.evidence
    if evidence is None or not (part.answer and evidence.line_start):
        return None
    start, end = evidence.line_start, evidence.line_end
    span = f"line {start}" if start == end else f"lines {start}–{end}"
    return f"\nFound at {span} of your file:\n\n{_quote(evidence.quote or part.answer)}"
