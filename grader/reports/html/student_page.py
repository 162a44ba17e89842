"""One student's feedback as an HTML page (same information as feedback_md, rendered).

This module computes the page's view model (plain values, and MathML already made safe by
math_render); templates/student_page.html lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from grader.bounded_cache import BoundedCache
from grader.number_text import shown_points
from grader.problems.models import Assignment, Part
from grader.reports.feedback_text import split_pointer
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.html.environment import environment, render
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
    """One part's card but where the answer was found and the quote; each optional field is one row of its facts
    (in this order)."""

    pid: str
    verdict: str
    score: str
    max: str
    prompt: str
    answer: Markup | None
    read_as: Markup | None
    feedback: str | None
    pointer: str | None
    notes: tuple[str, ...]
    carried: Carried | None
    decision: str | None
    candidates: tuple[Markup, ...]
    suggested: str | None
    reference: Markup | None


class CardSource(NamedTuple):
    """Everything a part's card shows but where in the file the answer was found and the quote (they differ
    between students who gave the same answer): its PartCard is made from this alone, so it is the key of the
    card's rendered pieces."""

    pid: str
    verdict: str
    score: float
    max: float
    answer: str | None
    canonical: str | None
    feedback: str
    notes: tuple[str, ...]
    ecf: tuple[tuple[tuple[str, str], ...], str] | None  # (the student's own inputs, what the part is for them)
    override: tuple[str, str, str | None, float | None] | None  # (by, at, the grader's verdict and score)
    candidates: tuple[str, ...]
    suggested: float | None
    reference: str | None
    prompt: str  # as the student sees it, stripped
    reference_latex: str | None
    show_reference: bool


@dataclass(frozen=True)
class CardPieces:
    """A card's HTML that every student with its CardSource shares (templates/part_card.html): its row of the
    points table, and the card before, between and after where the answer was found and the quote. Plain str
    (safe HTML): a page joins them as plain text (Markup + str would quote the str as text)."""

    row: str
    top: str
    middle: str
    bottom: str


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
    table: Markup  # the rows of the points-per-part table
    details: tuple[tuple[Markup, str], ...]  # the cards (and their problems' headings), as _Details pairs


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
    table: list[str] = []
    details = _Details()
    if graded:
        _part_rows(details, submission=submission, assignment=assignment, table=table)
    return StudentPage(
        assignment_id=assignment.id, title=assignment.title, student=submission.student,
        identity=_identity(submission), file=code_html(text=submission.file, limit=200), graded=graded,
        reason=submission.reason or "No reason was recorded.",
        file_review=submission.file_review.reason if submission.file_review is not None else None,
        score=shown_points(submission.score), max=shown_points(submission.max), share=f"{share:.0%}", review=review,
        warnings=tuple(submission.warnings), details=details.done(),
        table=Markup("".join(table)),  # noqa: S704 - the rows templates/part_card.html made
    )


def _identity(submission: SubmissionResult) -> Identity | None:
    if not (submission.student_name or submission.student_number):
        return None
    where = submission.identity
    line = where.line if where is not None and where.line else None
    quote = "" if where is None else where.quote[:60] + ("\u2026" if len(where.quote) > 60 else "")
    return Identity(name=submission.student_name or None, number=submission.student_number or None, line=line,
                    quote=quote)


def _part_rows(details: _Details, *, submission: SubmissionResult, assignment: Assignment, table: list[str]) -> None:
    """Cards in assignment order into ``details``, each problem's heading before its first card (optional
    sub-answers the student did not give are left out); each card's row of the points table is added to
    ``table``."""
    places = _places(assignment)
    unknown = _Place(rank=len(places), spec=None, problem=None, heading=None, prompt="", reference_latex=None)
    ranked = sorted(((places.get(pid, unknown), pid, part) for pid, part in submission.parts.items()),
                    key=lambda item: (item[0].rank, item[1]))
    current_problem = None
    show_reference = assignment.show_reference
    for place, _, part in ranked:
        if place.spec is not None and place.spec.optional and part.verdict == "no_answer":
            continue
        heading = None
        if place.problem is not None and place.problem != current_problem:
            current_problem, heading = place.problem, place.heading
        pieces = card_pieces(_card_source(part=part, place=place, show_reference=show_reference))
        table.append(pieces.row)
        _located(details, part=part, card=pieces, problem=heading)


class _Place(NamedTuple):
    """A part of the assignment as the student sees it: its rank, its spec (None: a part the assignment has not),
    its problem's id and heading, its prompt stripped and its reference's LaTeX."""

    rank: int
    spec: Part | None
    problem: str | None
    heading: str | None
    prompt: str
    reference_latex: str | None


#: assignment (as a student sees it: one per variant) -> its parts' places, for the last 256
_PLACES: BoundedCache[int, tuple[Assignment, dict[str, _Place]]] = BoundedCache(256)


def _places(assignment: Assignment) -> dict[str, _Place]:
    known = _PLACES.get(id(assignment))
    if known is not None and known[0] is assignment:
        return known[1]
    places = {}
    for rank, spec in enumerate(assignment.parts):
        problem = assignment.problem_of(spec.id)
        places[spec.id] = _Place(rank=rank, spec=spec, problem=problem.id,
                                 heading=f"Problem {problem.number}: {problem.title}", prompt=spec.prompt.strip(),
                                 reference_latex=spec.reference_latex)
    _PLACES.put(id(assignment), (assignment, places))
    return places


class _Details:
    """A page's cards as (safe HTML, text) pairs, which templates/student_page.html writes in turn, the text
    made safe by Jinja. The HTML around the texts is joined here: a loop over the cards' pieces in the template
    cost more than the rest of the page (each Jinja output is a generator step and a markupsafe call, even for
    a safe piece: ~15 a card, ~30 cards a page). Text from outside (a heading, a student's quote) is always a
    text; the HTML is the cards' shared pieces (rendered by templates/part_card.html) and literal tags around
    line numbers (ints)."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Markup, str]] = []
        self._html: list[str] = []

    def html(self, *pieces: str) -> None:
        self._html.extend(pieces)

    def text(self, text: str) -> None:
        self.pairs.append((Markup("".join(self._html)), text))  # noqa: S704 - safe pieces (the class docstring)
        self._html = []

    def done(self) -> tuple[tuple[Markup, str], ...]:
        self.text("")
        return tuple(self.pairs)


def _located(details: _Details, *, part: PartResult, card: CardPieces, problem: str | None) -> None:
    """The part's card with where this student's answer was found (line numbers: ints), and the quote of it."""
    if problem:
        details.html('<h3 class="problem-title">')
        details.text(problem)
        details.html("</h3>\n")
    evidence = part.evidence
    span = line_span(evidence=evidence)
    details.html(card.top, f' <span class="where">found at {span}</span>' if span and part.answer else "",
                 card.middle)
    if evidence is not None and part.answer and (evidence.quote or span):
        details.html(f"<dt>Found at {span}</dt>" if span else "<dt>Found in your file</dt>",
                     '<dd><blockquote class="quote">')
        for number, text in quote_lines(text=evidence.quote or part.answer, first_line=evidence.line_start):
            details.html(f'<div class="line"><span class="ln" aria-hidden="{"false" if number else "true"}">'
                         f'{number}</span><span class="tx" dir="auto">')
            details.text(text)
            details.html("</span></div>")
        details.html("</blockquote></dd>")
    details.html(card.bottom)


#: distinct cards whose pieces are kept: a class repeats answers (every part left unanswered, every answer the
#: grader read the same way), so most cards of a page were made for an earlier student. A card is ~2.5 kB (its
#: HTML, mostly non-ASCII: two bytes a character); measured over a worker's 5 000 files of a 10 000-file class
#: (146 000 lookups, 7 200 distinct cards): 4096 cards held ~10 MB for 7 580 made, 2048 hold ~5 MB for 8 270
CARD_CACHE_SIZE = 2048
_PIECES: BoundedCache[CardSource, CardPieces] = BoundedCache(CARD_CACHE_SIZE)


def card_pieces(source: CardSource) -> CardPieces:
    """The card's shared HTML, rendered once per distinct source (the oldest is forgotten first)."""
    known = _PIECES.get(source)
    if known is None:
        card = _part_card(source)
        macros: Any = environment().get_template("part_card.html").module  # its macros, called as functions
        known = CardPieces(row=str(macros.row(card)), top=str(macros.top(card)), middle=str(macros.middle(card)),
                           bottom=str(macros.bottom(card)))
        _PIECES.put(source, known)
    return known


def _card_source(*, part: PartResult, place: _Place, show_reference: bool) -> CardSource:
    """The part's CardSource; what its card does not show is left out (the candidates and suggested score of a
    part not waiting for a person, the error carried forward of a correct one), so more students share a card."""
    ecf, override = part.ecf, part.override
    review = part.verdict in REVIEW_VERDICTS
    return CardSource(
        pid=part.part_id, verdict=part.verdict, score=part.score, max=part.max, answer=part.answer,
        canonical=part.canonical, feedback=part.feedback, notes=part.notes,
        ecf=None if ecf is None or part.verdict == "correct" else (tuple(ecf.inputs.items()), ecf.expected),
        override=None if override is None else (override.by, override.at, part.auto_verdict, part.auto_score),
        candidates=part.candidates if review else (), suggested=part.suggested_score if review else None,
        reference=part.reference, prompt=place.prompt, reference_latex=place.reference_latex,
        show_reference=show_reference)


def _part_card(source: CardSource) -> PartCard:
    prose, pointer = split_pointer(source.feedback) if source.feedback else (None, None)
    review = source.verdict in REVIEW_VERDICTS
    show_reference = source.show_reference and VERDICTS[source.verdict].shows_reference
    return PartCard(
        pid=source.pid, verdict=source.verdict, score=shown_points(source.score), max=shown_points(source.max),
        prompt=source.prompt, answer=render_answer(text=source.answer[:600]).html if source.answer else None,
        read_as=_read_as(source), feedback=prose, pointer=pointer, notes=tuple(source.notes),
        carried=_carried(source), decision=_decision(source),
        candidates=tuple(code_html(text=c, limit=300) for c in source.candidates) if review else (),
        suggested=f"{shown_points(source.suggested)} / {shown_points(source.max)} pts (until a person checks)"
        if review and source.suggested is not None else None,
        reference=_reference_html(source) if show_reference else None,
    )


def _read_as(source: CardSource) -> Markup | None:
    if source.answer and source.canonical and source.canonical.strip() != source.answer.strip():
        return render_answer(text=source.canonical).html
    return None


def _carried(source: CardSource) -> Carried | None:
    if source.ecf is None or source.verdict == "correct":
        return None
    inputs, expected = source.ecf
    given = ", ".join(f"{k} = {v}" for k, v in inputs)
    return Carried(correct=source.verdict == "ecf", given=given, expected=render_answer(text=expected).html)


def _decision(source: CardSource) -> str | None:
    if source.override is None:
        return None
    by, at, auto_verdict, auto_score = source.override
    who = f" by {by}" if by else ""
    when = f" on {at[:10]}" if at else ""
    auto = f" (the grader's own verdict: {auto_verdict}, {shown_points(auto_score or 0.0)} pts)" \
        if auto_verdict else ""
    return f"Score set{who}{when}{auto}."


def _reference_html(source: CardSource) -> Markup | None:
    if source.reference_latex:
        rendered = render_latex(latex=source.reference_latex)
        if rendered.is_math:
            return rendered.html
    if source.reference:
        return render_answer(text=source.reference).html
    return None
