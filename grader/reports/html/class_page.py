"""The class overview page for course staff: numbers, charts, students, review queue.

This module computes the page's view model (plain values; charts and MathML already made safe
where they are produced); templates/class_page.html lays it out.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from grader.number_text import fixed, shown_points
from grader.problems.models import Assignment
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.html.charts import score_histogram_svg, verdict_bars_svg
from grader.reports.html.environment import render
from grader.reports.html.fragments import line_span, quote_lines
from grader.reports.html.math_render import code_html, render_answer
from grader.reports.summary import summarize
from grader.results import RunResult, SubmissionResult
from grader.review.groups import group_key
from grader.variants.apply import shown_prompt
from grader.verdicts import VERDICT_COLOURS, VERDICT_NAMES

#: students of one answer group shown with their evidence; the others are named only
REVIEW_STUDENTS_SHOWN = 40


@dataclass(frozen=True)
class Who:
    """A student's id, with the name and number read from the file (``hint``: where they were read)."""

    student: str
    details: str | None
    hint: str | None


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    of: str | None = None
    tone: str | None = None


@dataclass(frozen=True)
class Charts:
    histogram: Markup
    bars: Markup
    verdicts: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class StudentRow:
    who: Who
    file: Markup
    href: str | None
    graded: bool
    score: str = ""
    max: str = ""
    width: str = ""
    whole_file: bool = False
    flagged: tuple[str, ...] = ()
    #: other files that claim the same student id (each is graded; a person decides which counts)
    same_student: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileReviewRow:
    who: Who
    file: Markup
    href: str | None
    reason: str
    found: int
    parts: int


@dataclass(frozen=True)
class Flagged:
    """One student's flagged part in an answer group; an optional field is None when the group or
    the part shows it once for everyone."""

    who: Who
    href: str | None
    where: str
    quote: tuple[tuple[str, str], ...]
    candidates: tuple[Markup, ...]
    notes: tuple[str, ...]
    prompt: str | None
    feedback: str | None
    suggested: str | None


@dataclass(frozen=True)
class ReviewGroup:
    """The flagged students of one part who gave the same answer: the answer is shown once."""

    answer: Markup | None
    key: Markup | None
    verdict: str
    suggested: str | None
    feedback: str | None
    students: tuple[Flagged, ...]
    #: students beyond REVIEW_STUDENTS_SHOWN, by name only
    more: tuple[str, ...]
    #: students with the same answer whose part is not waiting for a person
    others: int


@dataclass(frozen=True)
class ReviewPart:
    pid: str
    students: int
    prompt: str | None
    feedback: str | None
    groups: tuple[ReviewGroup, ...]


@dataclass(frozen=True)
class StaleRow:
    entry: int
    part: str
    who: str
    answer: Markup
    now: Markup | None
    reason: str


@dataclass(frozen=True)
class UnreadableRow:
    student: str
    file: Markup
    reason: str


@dataclass(frozen=True)
class ClassPage:
    assignment: str
    title: str
    files: int
    parts: int
    max: str
    cards: tuple[Card, ...]
    charts: Charts | None
    students: tuple[StudentRow, ...]
    file_reviews: tuple[FileReviewRow, ...]
    review: tuple[ReviewPart, ...]
    decided: int
    stale: tuple[StaleRow, ...]
    unreadable: tuple[UnreadableRow, ...]


def student_href(*, stem: str) -> str:
    """Relative link from index.html to a student page (stem is already a safe file name)."""
    return "students/" + quote(stem, safe="") + ".html"


def class_page_html(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str],
                    assets: str | None = ASSETS_DIR) -> str:
    """The complete HTML document of the class overview (``assets``: URL of the assets folder from the page,
    None for a page without the shipped math font)."""
    view = class_page_view(run=run, assignment=assignment, stems=stems)
    return str(render("class_page.html", page=view, title=f"Class report: {view.title}",
                      font_url=math_font_url(assets=assets) if assets is not None else None))


def class_page_view(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str]) -> ClassPage:
    summary = summarize(run=run)
    scores = [s.score for s in run.submissions if s.status == "graded"]
    graded = [s for s in run.submissions if s.status == "graded"]
    return ClassPage(
        assignment=run.assignment, title=run.title or assignment.title, files=summary.files, parts=len(run.part_ids),
        max=shown_points(run.max),
        cards=_cards(run=run, scores=scores, flagged=summary.flagged_parts, unreadable=len(summary.unreadable)),
        charts=_charts(run=run, scores=scores) if scores else None,
        students=tuple(_student_row(submission=s, stems=stems) for s in run.submissions),
        file_reviews=tuple(FileReviewRow(who=_who(s), file=code_html(text=s.file, limit=160), href=_href(s, stems),
                                         reason=s.file_review.reason, found=s.file_review.parts_found,
                                         parts=s.file_review.parts)
                           for s in graded if s.file_review is not None),
        review=review_parts(run=run, assignment=assignment, stems=stems),
        decided=sum(1 for s in graded for p in s.parts.values() if p.verdict == "overridden"),
        stale=tuple(_stale_row(st) for st in run.stale_overrides),
        unreadable=tuple(UnreadableRow(student=s.student, file=code_html(text=s.file, limit=160),
                                       reason=s.reason or "no reason recorded")
                         for s in run.submissions if s.status != "graded"),
    )


def _cards(*, run: RunResult, scores: list[float], flagged: int, unreadable: int) -> tuple[Card, ...]:
    mean = fixed(statistics.fmean(scores), 2) if scores else "—"
    median = fixed(statistics.median(scores), 2) if scores else "—"
    of = shown_points(run.max) if scores else None
    cards = [
        Card("Files", str(len(run.submissions))),
        Card("Graded", str(len(scores))),
        Card("Mean score", mean, of),
        Card("Median score", median, of),
        Card("Parts to review", str(flagged), tone="warn" if flagged else None),
        Card("Unreadable files", str(unreadable), tone="bad" if unreadable else None),
    ]
    whole = sum(1 for s in run.submissions if s.status == "graded" and s.file_review is not None)
    if whole:
        cards.insert(5, Card("Files to review", str(whole), tone="warn"))
    return tuple(cards)


def verdict_counts(*, run: RunResult) -> dict[str, dict[str, int]]:
    """part id -> verdict -> number of graded submissions with that verdict."""
    counts: dict[str, dict[str, int]] = {pid: {} for pid in run.part_ids}
    for submission in run.submissions:
        if submission.status != "graded":
            continue
        for pid, row in counts.items():
            part = submission.parts.get(pid)
            if part is not None:
                row[part.verdict] = row.get(part.verdict, 0) + 1
    return counts


def _charts(*, run: RunResult, scores: list[float]) -> Charts:
    counts = verdict_counts(run=run)
    part_ids = list(run.part_ids)
    verdicts = [v for v in VERDICT_COLOURS if any(counts[pid].get(v, 0) for pid in part_ids)]
    return Charts(histogram=score_histogram_svg(scores=scores, max_points=run.max),
                  bars=verdict_bars_svg(counts=counts, part_ids=part_ids),
                  verdicts=tuple(VERDICT_NAMES[v] for v in verdicts),
                  rows=tuple((pid, tuple(counts[pid].get(v, 0) for v in verdicts)) for pid in part_ids))


def _who(submission: SubmissionResult) -> Who:
    details = " · ".join(x for x in (submission.student_name, submission.student_number) if x) or None
    where = submission.identity
    hint = None
    if details and where is not None:
        hint = f"line {where.line}: {where.quote}" if where.line else "from the file"
    return Who(student=submission.student, details=details, hint=hint)


def _href(submission: SubmissionResult, stems: Mapping[str, str]) -> str | None:
    stem = stems.get(submission.file)
    return None if stem is None else student_href(stem=stem)


def _student_row(*, submission: SubmissionResult, stems: Mapping[str, str]) -> StudentRow:
    who, file, href = _who(submission), code_html(text=submission.file, limit=160), _href(submission, stems)
    if submission.status != "graded":
        return StudentRow(who=who, file=file, href=href, graded=False, same_student=submission.same_student)
    share = max(0.0, min(1.0, submission.score / submission.max)) if submission.max else 0.0
    return StudentRow(who=who, file=file, href=href, graded=True, score=shown_points(submission.score),
                      max=shown_points(submission.max), width=f"{share * 100:.0f}",
                      whole_file=submission.file_review is not None, flagged=tuple(submission.flagged),
                      same_student=submission.same_student)


def review_parts(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str]) -> tuple[ReviewPart, ...]:
    """The review queue: per part, the flagged students grouped by answer (group_key), largest group first."""
    flagged: dict[str, dict[str | None, list[SubmissionResult]]] = {}
    for submission in run.submissions:
        if submission.status == "graded":
            for pid in submission.flagged:
                key = group_key(submission.parts[pid])
                flagged.setdefault(pid, {}).setdefault(key, []).append(submission)
    order = {pid: i for i, pid in enumerate(run.part_ids)}
    parts = []
    for pid in sorted(flagged, key=lambda p: (order.get(p, len(order)), p)):
        members = flagged[pid]
        keys = sorted(members, key=lambda k: (-len(members[k]), k is None, k or ""))
        prompts = {s.file: _prompt(assignment=assignment, pid=pid, submission=s) for m in members.values() for s in m}
        everyone = [s for m in members.values() for s in m]
        prompt = _shared(prompts[s.file] for s in everyone)
        feedback = _shared(_feedback(s.parts[pid]) for s in everyone)
        sizes = {g.key: g.count for g in run.groups.get(pid, ())}
        groups = tuple(_review_group(pid=pid, key=k, members=members[k], prompts=prompts, part_prompt=prompt,
                                     part_feedback=feedback, stems=stems, size=sizes.get(k, 0)) for k in keys)
        parts.append(ReviewPart(pid=pid, students=len(everyone), prompt=prompt or None, feedback=feedback,
                                groups=groups))
    return tuple(parts)


def _shared(values) -> str | None:
    """The one value all of ``values`` have, else None."""
    distinct = set(values)
    return next(iter(distinct)) if len(distinct) == 1 else None


def _feedback(part) -> str:
    return part.feedback or "No reason recorded."


def _prompt(*, assignment: Assignment, pid: str, submission: SubmissionResult) -> str:
    try:
        return shown_prompt(assignment=assignment, part_id=pid, variant=submission.variant).strip()
    except KeyError:
        return ""


def _review_group(*, pid: str, key: str | None, members: list[SubmissionResult], prompts: Mapping[str, str],
                  part_prompt: str | None, part_feedback: str | None, stems: Mapping[str, str],
                  size: int) -> ReviewGroup:
    parts = [s.parts[pid] for s in members]
    first = parts[0]
    feedback = None if part_feedback is not None else _shared(_feedback(p) for p in parts)
    suggested = _shared(_suggested(p) for p in parts)  # "—" when no member has one: nothing to show
    shown = tuple(_flagged(submission=s, part=p, prompt=None if part_prompt is not None else prompts[s.file],
                           feedback=None if part_feedback is not None or feedback is not None else _feedback(p),
                           suggested=None if suggested is not None or _suggested(p) == "—" else _suggested(p),
                           stems=stems)
                  for s, p in zip(members[:REVIEW_STUDENTS_SHOWN], parts))
    answer = " ".join((first.answer or "").split())
    return ReviewGroup(
        answer=render_answer(text=answer[:600]).html if answer else None,
        key=code_html(text=key, limit=200) if key is not None and key != answer else None,
        verdict=_shared(p.verdict for p in parts) or "mixed", suggested=suggested if suggested != "—" else None,
        feedback=feedback,
        students=shown, more=tuple(s.student for s in members[REVIEW_STUDENTS_SHOWN:]),
        others=max(0, size - len(members)),
    )


def _suggested(part) -> str:
    if part.suggested_score is None:
        return "—"
    return f"{shown_points(part.suggested_score)} / {shown_points(part.max)}"


def _flagged(*, submission: SubmissionResult, part, prompt: str | None, feedback: str | None,
             suggested: str | None, stems: Mapping[str, str]) -> Flagged:
    """One student's evidence; the quote and candidates only where they say more than the group's answer."""
    answer = " ".join((part.answer or "").split())
    evidence = part.evidence
    where, quote = "", ()
    if evidence is not None and (evidence.quote or evidence.line_start):
        span = line_span(evidence=evidence)
        where = f"{'found at ' + span + ' ' if span else ''}({evidence.source}, confidence {evidence.confidence:.0%})"
        text = evidence.quote or part.answer or ""
        if " ".join(text.split()) != answer:
            quote = quote_lines(text=text, first_line=evidence.line_start)
    candidates = tuple(code_html(text=c, limit=300) for c in part.candidates if " ".join(c.split()) != answer)
    return Flagged(who=_who(submission), href=_href(submission, stems), where=where, quote=quote,
                   candidates=candidates, notes=tuple(part.notes), prompt=prompt, feedback=feedback,
                   suggested=suggested)


def _stale_row(stale) -> StaleRow:
    return StaleRow(entry=stale.entry, part=stale.part,
                    who=stale.student if stale.student is not None else "group " + (stale.group or ""),
                    answer=code_html(text=stale.answer or "", limit=200),
                    now=code_html(text=stale.now, limit=200) if stale.now else None, reason=stale.reason)
