"""One student's feedback as an HTML page (same information as feedback_md, rendered).

This module computes the page's view model (plain values, and MathML already made safe by
math_render); templates/student_page.html lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from grader.number_text import shown_points
from grader.problems.models import Assignment
from grader.reports.feedback_text import split_pointer
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.html.environment import render
from grader.reports.html.fragments import line_span, quote_lines
from grader.reports.html.math_render import code_html, render_answer, render_latex
from grader.results import PartResult, SubmissionResult
from grader.variants.apply import student_view
from grader.verdicts import REVIEW_VERDICTS, VERDICTS


@dataclass(frozen=True)
class Identity:
    """Name and number as read from the file, and the line they were read from."""

    name: str | None
    number: str | None
    line: int | None
    quote: str


@dataclass(frozen=True)
class Carried:
    """Error carried forward: the student's own earlier values and what this part is for them."""

    correct: bool
    given: str
    expected: Markup


@dataclass(frozen=True)
class PartCard:
    """One part's card; each optional field is one row of its facts (in this order)."""

    pid: str
    verdict: str
    where: str | None
    score: str
    max: str
    prompt: str
    answer: Markup | None
    read_as: Markup | None
    found_label: str | None
    quote: tuple[tuple[str, str], ...]
    feedback: str | None
    pointer: str | None
    notes: tuple[str, ...]
    carried: Carried | None
    decision: str | None
    candidates: tuple[Markup, ...]
    suggested: str | None
    reference: Markup | None


@dataclass(frozen=True)
class PartRow:
    """A row of the points-per-part table; ``problem`` is the heading shown before its card, if any; ``html``:
    the card (templates/part_card.html), rendered once per distinct card: most cards repeat across students
    (every part left unanswered, every answer the grader read the same way)."""

    card: PartCard
    problem: str | None
    html: Markup


@dataclass(frozen=True)
class StudentPage:
    assignment_id: str
    title: str
    student: str
    identity: Identity | None
    file: Markup
    graded: bool
    reason: str
    file_review: str | None
    score: str
    max: str
    share: str
    review: int
    warnings: tuple[str, ...]
    parts: tuple[PartRow, ...]


def student_page_html(*, submission: SubmissionResult, assignment: Assignment,
                      assets: str | None = "../" + ASSETS_DIR) -> str:
    """The complete HTML document for one submission (``assets``: URL of the assets folder from the page, as
    in a report set by default; None for a page without the shipped math font)."""
    view = student_page_view(submission=submission, assignment=assignment)
    return str(render("student_page.html", page=view, title=f"Feedback: {view.title} — {view.student}",
                      font_url=math_font_url(assets=assets) if assets is not None else None))


def student_page_view(*, submission: SubmissionResult, assignment: Assignment) -> StudentPage:
    assignment = student_view(assignment=assignment, submission=submission)  # prompts with the student's numbers
    graded = submission.status == "graded"
    review = sum(1 for p in submission.parts.values() if p.verdict == "needs_review")
    share = submission.score / submission.max if submission.max else 0.0
    return StudentPage(
        assignment_id=assignment.id, title=assignment.title, student=submission.student,
        identity=_identity(submission), file=code_html(text=submission.file, limit=200), graded=graded,
        reason=submission.reason or "No reason was recorded.",
        file_review=submission.file_review.reason if submission.file_review is not None else None,
        score=shown_points(submission.score), max=shown_points(submission.max), share=f"{share:.0%}", review=review,
        warnings=tuple(submission.warnings), parts=_part_rows(submission=submission, assignment=assignment) if graded else (),
    )


def _identity(submission: SubmissionResult) -> Identity | None:
    if not (submission.student_name or submission.student_number):
        return None
    where = submission.identity
    line = where.line if where is not None and where.line else None
    quote = "" if where is None else where.quote[:60] + ("\u2026" if len(where.quote) > 60 else "")
    return Identity(name=submission.student_name or None, number=submission.student_number or None, line=line,
                    quote=quote)


def _part_rows(*, submission: SubmissionResult, assignment: Assignment) -> tuple[PartRow, ...]:
    """Cards in assignment order, each problem's heading before its first card."""
    rows = []
    current_problem = None
    for part in _shown_parts(submission=submission, assignment=assignment):
        try:
            problem = assignment.problem_of(part.part_id)
        except KeyError:
            problem = None
        heading = None
        if problem is not None and problem.id != current_problem:
            current_problem = problem.id
            heading = f"Problem {problem.number}: {problem.title}"
        card = _shared_card(part=part, assignment=assignment)
        rows.append(PartRow(card=card, problem=heading, html=card_html(card)))
    return tuple(rows)


@lru_cache(maxsize=4096)
def card_html(card: PartCard) -> Markup:
    """The card's <article> (a card is a frozen value: the same card, the same HTML)."""
    return render("part_card.html", card=card)


#: (id of a part result, id of the assignment) -> (the part, the assignment, its card): a part left unanswered is
#: one shared result per context (grader.grading.jobs.no_answer_result), so its card is made once
_CARDS: dict[tuple[int, int], tuple[PartResult, Assignment, PartCard]] = {}


def _shared_card(*, part: PartResult, assignment: Assignment) -> PartCard:
    key = (id(part), id(assignment))
    known = _CARDS.get(key)
    if known is not None and known[0] is part and known[1] is assignment:
        return known[2]
    card = _part_card(part=part, assignment=assignment)
    if len(_CARDS) >= 1024:
        _CARDS.clear()
    _CARDS[key] = (part, assignment, card)
    return card


def _shown_parts(*, submission: SubmissionResult, assignment: Assignment) -> list[PartResult]:
    """Parts in assignment order; optional sub-answers the student did not give are left out."""
    order = {part.id: i for i, part in enumerate(assignment.parts)}
    shown = []
    for part_id, part in sorted(submission.parts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        spec = _spec(assignment=assignment, part_id=part_id)
        if spec is not None and spec.optional and part.verdict == "no_answer":
            continue
        shown.append(part)
    return shown


def _spec(*, assignment: Assignment, part_id: str):
    try:
        return assignment.part(part_id)
    except KeyError:
        return None


def _part_card(*, part: PartResult, assignment: Assignment) -> PartCard:
    spec = _spec(assignment=assignment, part_id=part.part_id)
    span = line_span(evidence=part.evidence)
    has_quote = bool(part.answer) and part.evidence is not None and bool(part.evidence.quote or span)
    prose, pointer = split_pointer(part.feedback) if part.feedback else (None, None)
    review = part.verdict in REVIEW_VERDICTS
    show_reference = assignment.show_reference and VERDICTS[part.verdict].shows_reference
    return PartCard(
        pid=part.part_id, verdict=part.verdict, where=span if span and part.answer else None,
        score=shown_points(part.score), max=shown_points(part.max),
        prompt=spec.prompt.strip() if spec is not None else "",
        answer=render_answer(text=part.answer[:600]).html if part.answer else None,
        read_as=_read_as(part),
        found_label=(f"Found at {span}" if span else "Found in your file") if has_quote else None,
        quote=quote_lines(text=part.evidence.quote or part.answer, first_line=part.evidence.line_start)
        if has_quote else (),
        feedback=prose, pointer=pointer, notes=tuple(part.notes), carried=_carried(part), decision=_decision(part),
        candidates=tuple(code_html(text=c, limit=300) for c in part.candidates) if review else (),
        suggested=f"{shown_points(part.suggested_score)} / {shown_points(part.max)} pts (until a person checks)"
        if review and part.suggested_score is not None else None,
        reference=_reference_html(part=part, latex=spec.reference_latex if spec is not None else None)
        if show_reference else None,
    )


def _read_as(part: PartResult) -> Markup | None:
    if part.answer and part.canonical and part.canonical.strip() != part.answer.strip():
        return render_answer(text=part.canonical).html
    return None


def _carried(part: PartResult) -> Carried | None:
    if not part.ecf:
        return None
    if part.verdict == "correct":
        return None
    given = ", ".join(f"{k} = {v}" for k, v in part.ecf.inputs.items())
    return Carried(correct=part.verdict == "ecf", given=given, expected=render_answer(text=part.ecf.expected).html)


def _decision(part: PartResult) -> str | None:
    if part.override is None:
        return None
    who = f" by {part.override.by}" if part.override.by else ""
    when = f" on {part.override.at[:10]}" if part.override.at else ""
    auto = f" (the grader's own verdict: {part.auto_verdict}, {shown_points(part.auto_score or 0.0)} pts)" \
        if part.auto_verdict else ""
    return f"Score set{who}{when}{auto}."


def _reference_html(*, part: PartResult, latex: str | None) -> Markup | None:
    if latex:
        rendered = render_latex(latex=latex)
        if rendered.is_math:
            return rendered.html
    if part.reference:
        return render_answer(text=part.reference).html
    return None
