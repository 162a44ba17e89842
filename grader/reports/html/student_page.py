"""One student's feedback as an HTML page (same information as feedback_md, rendered).

This module computes the page's view model (plain values, and MathML already made safe by
math_render); templates/student_page.html lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from grader.bounded_cache import BoundedCache, made_for
from grader.number_text import shown_points
from grader.problems.models import Assignment, Part
from grader.reports.feedback_text import split_pointer
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.html.environment import environment
from grader.reports.html.fragments import MAX_QUOTE_CHARS, lines_text, quote_lines
from grader.reports.html.math_render import code_html, render_answer, render_latex
from grader.results import Evidence, PartResult, SubmissionResult
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
    details: Markup  # the cards and their problems' headings, joined (_part_rows)


def student_page_html(*, submission: SubmissionResult, assignment: Assignment,
                      assets: str | None = "../" + ASSETS_DIR) -> str:
    """The complete HTML document for one submission (``assets``: URL of the assets folder from the page, as
    in a report set by default; None for a page without the shipped math font)."""
    view = student_page_view(submission=submission, assignment=assignment)
    # the template's text as it is (render() would make it Markup, which str() copies back: two copies of a page)
    return environment().get_template("student_page.html").render(
        page=view, title=f"Feedback: {view.title} — {view.student}",
        font_url=math_font_url(assets=assets) if assets is not None else None)


def student_page_view(*, submission: SubmissionResult, assignment: Assignment) -> StudentPage:
    assignment = student_view(assignment=assignment, submission=submission)  # prompts with the student's numbers
    graded = submission.status == "graded"
    review = sum(1 for p in submission.parts.values() if p.verdict == "needs_review")
    share = submission.score / submission.max if submission.max else 0.0
    table: list[str] = []
    details: list[str] = []
    if graded:
        _part_rows(details, submission=submission, assignment=assignment, table=table)
    return StudentPage(
        assignment_id=assignment.id, title=assignment.title, student=submission.student,
        identity=_identity(submission), file=code_html(text=submission.file, limit=200), graded=graded,
        reason=submission.reason or "No reason was recorded.",
        file_review=submission.file_review.reason if submission.file_review is not None else None,
        score=shown_points(submission.score), max=shown_points(submission.max), share=f"{share:.0%}", review=review,
        warnings=tuple(submission.warnings), table=Markup("".join(table)),  # noqa: S704 - rows part_card.html made
        details=Markup("".join(details)),  # noqa: S704 - the pieces of safe HTML _part_rows lists
    )


def _identity(submission: SubmissionResult) -> Identity | None:
    if not (submission.student_name or submission.student_number):
        return None
    where = submission.identity
    line = where.line if where is not None and where.line else None
    quote = "" if where is None else where.quote[:60] + ("\u2026" if len(where.quote) > 60 else "")
    return Identity(name=submission.student_name or None, number=submission.student_number or None, line=line,
                    quote=quote)


def _part_rows(details: list[str], *, submission: SubmissionResult, assignment: Assignment, table: list[str]) -> None:
    """Cards in assignment order into ``details``, each problem's heading before its first card (optional
    sub-answers the student did not give are left out); each card's row of the points table is added to
    ``table``. Both get pieces of safe HTML, joined by the caller: a loop over the cards' pieces in the template
    cost more than the rest of the page (each Jinja output is a generator step and a markupsafe call, even for a
    safe piece: ~15 a card, ~30 cards a page). The pieces are the cards' shared HTML, the problems' headings
    and the quotes (rendered by templates/part_card.html, whose texts Jinja makes safe) and literal tags
    around line numbers (ints)."""
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
        _located(details, part=part, card=pieces, heading=heading)


class _Place(NamedTuple):
    """A part of the assignment as the student sees it: its rank, its spec (None: a part the assignment has not),
    its problem's id and heading, its prompt stripped and its reference's LaTeX."""

    rank: int
    spec: Part | None
    problem: str | None
    heading: str | None  # its HTML (templates/part_card.html)
    prompt: str
    reference_latex: str | None


#: assignment (as a student sees it: one per variant) -> its parts' places, for the last 256
_PLACES: BoundedCache[int, tuple[Assignment, dict[str, _Place]]] = BoundedCache(256)


def _places(assignment: Assignment) -> dict[str, _Place]:
    return made_for(_PLACES, assignment, lambda: _made_places(assignment))


def _made_places(assignment: Assignment) -> dict[str, _Place]:
    places = {}
    for rank, spec in enumerate(assignment.parts):
        problem = assignment.problem_of(spec.id)
        heading = str(_macros().heading(f"Problem {problem.number}: {problem.title}"))
        places[spec.id] = _Place(rank=rank, spec=spec, problem=problem.id, heading=heading,
                                 prompt=spec.prompt.strip(), reference_latex=spec.reference_latex)
    return places


def _macros() -> Any:
    """templates/part_card.html's macros, called as functions."""
    return environment().get_template("part_card.html").module


def _located(details: list[str], *, part: PartResult, card: CardPieces, heading: str | None) -> None:
    """The part's card with where this student's answer was found, and the quote of it (``heading``: its
    problem's heading first)."""
    if heading:
        details.append(heading)
    evidence, answer = part.evidence, part.answer
    if evidence is None or not answer:
        details += (card.top, card.middle, card.bottom)
        return
    where, quote = found_html(evidence=evidence, answer=answer)
    details += (card.top, where, card.middle, quote, card.bottom)


#: the lines of quoted texts, made safe by Jinja, by the text (what is quoted, not where: the line numbers are the file's),
#: the oldest forgotten first
QUOTE_CACHE_SIZE = 4096
_QUOTED: BoundedCache[str, tuple[str, ...]] = BoundedCache(QUOTE_CACHE_SIZE)


def found_html(*, evidence: Evidence, answer: str) -> tuple[str, str]:
    """For an answer (not empty) and where it was found: the card's note of the lines (in its title) and the
    quote (in its facts), as safe HTML; line numbers are ints, the quote made safe by Jinja."""
    start = evidence.line_start
    span = lines_text(line_start=start, line_end=evidence.line_end)
    where = f' <span class="where">found at {span}</span>' if span else ""
    quote = evidence.quote
    if not (quote or span):
        return where, ""
    hidden = "false" if start else "true"
    rows = "".join([f'<div class="line"><span class="ln" aria-hidden="{hidden}">{start + offset if start else ""}'
                    f'</span><span class="tx" dir="auto">{line}</span></div>'
                    for offset, line in enumerate(_quoted_lines(quote or answer))])
    return where, "".join((f"<dt>Found at {span}</dt>" if span else "<dt>Found in your file</dt>",
                           '<dd><blockquote class="quote">', rows, "</blockquote></dd>"))


def _quoted_lines(text: str) -> tuple[str, ...]:
    """The lines quote_lines shows of ``text``, each as safe HTML (made by templates/part_card.html); kept by the
    part of the text quote_lines reads (its first MAX_QUOTE_CHARS), so no key is longer than that."""
    shown = text[:MAX_QUOTE_CHARS]
    known = _QUOTED.get(shown)
    if known is None:
        macros = _macros()
        known = _QUOTED.put(shown, tuple(str(macros.text(line)) for _, line in quote_lines(text=shown,
                                                                                             first_line=None)))
    return known


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
        macros = _macros()
        known = CardPieces(row=str(macros.row(card)), top=str(macros.top(card)), middle=str(macros.middle(card)),
                           bottom=str(macros.bottom(card)))
        _PIECES.put(source, known)
    return known


def _card_source(*, part: PartResult, place: _Place, show_reference: bool) -> CardSource:
    """The part's CardSource; what its card does not show is left out (the candidates and suggested score of a
    part not waiting for a person, the error carried forward of a correct one), so more students share a card."""
    ecf, override, verdict = part.ecf, part.override, part.verdict
    review = verdict in REVIEW_VERDICTS
    return CardSource(
        pid=part.part_id, verdict=verdict, score=part.score, max=part.max, answer=part.answer,
        canonical=part.canonical, feedback=part.feedback, notes=part.notes,
        ecf=None if ecf is None or verdict == "correct" else (tuple(ecf.inputs.items()), ecf.expected),
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
