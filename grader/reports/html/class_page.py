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

from grader.problems.models import Assignment
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.html.charts import VERDICT_COLOURS, VERDICT_NAMES, score_histogram_svg, verdict_bars_svg
from grader.reports.html.environment import render
from grader.reports.html.fragments import line_span, quote_lines
from grader.reports.html.math_render import code_html, render_answer
from grader.reports.html.page import points
from grader.reports.summary import summarize
from grader.results import RunResult, SubmissionResult
from grader.variants.apply import shown_prompt

#: most students named in one answer group's row
GROUP_NAMES_SHOWN = 40


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


@dataclass(frozen=True)
class FileReviewRow:
    who: Who
    file: Markup
    href: str | None
    reason: str
    found: int
    parts: int


@dataclass(frozen=True)
class ReviewItem:
    """One flagged part of one student, with what the grader found."""

    who: Who
    href: str | None
    pid: str
    verdict: str
    prompt: str
    feedback: str
    notes: tuple[str, ...]
    answer: Markup | None
    where: str | None
    quote: tuple[tuple[str, str], ...]
    candidates: tuple[Markup, ...]
    suggested: str


@dataclass(frozen=True)
class GroupRow:
    answer: Markup
    key: Markup | None
    count: int
    flagged: int
    verdict: str
    suggested: str
    students: tuple[str, ...]
    more: int


@dataclass(frozen=True)
class GroupSection:
    pid: str
    students: int
    groups: tuple[GroupRow, ...]


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
    groups: tuple[GroupSection, ...]
    review: tuple[ReviewItem, ...]
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
        max=points(run.max),
        cards=_cards(run=run, scores=scores, flagged=summary.flagged_parts, unreadable=len(summary.unreadable)),
        charts=_charts(run=run, scores=scores) if scores else None,
        students=tuple(_student_row(submission=s, stems=stems) for s in run.submissions),
        file_reviews=tuple(FileReviewRow(who=_who(s), file=code_html(text=s.file, limit=160), href=_href(s, stems),
                                         reason=s.file_review.reason, found=s.file_review.parts_found,
                                         parts=s.file_review.parts)
                           for s in graded if s.file_review is not None),
        groups=_answer_groups(run=run),
        review=tuple(_review_item(submission=s, pid=pid, assignment=assignment, stems=stems)
                     for s in graded for pid in s.flagged),
        decided=sum(1 for s in graded for p in s.parts.values() if p.verdict == "overridden"),
        stale=tuple(_stale_row(st) for st in run.stale_overrides),
        unreadable=tuple(UnreadableRow(student=s.student, file=code_html(text=s.file, limit=160),
                                       reason=s.reason or "no reason recorded")
                         for s in run.submissions if s.status != "graded"),
    )


def _cards(*, run: RunResult, scores: list[float], flagged: int, unreadable: int) -> tuple[Card, ...]:
    mean = f"{statistics.fmean(scores):.2f}".rstrip("0").rstrip(".") if scores else "—"
    median = f"{statistics.median(scores):.2f}".rstrip("0").rstrip(".") if scores else "—"
    of = points(run.max) if scores else None
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
        return StudentRow(who=who, file=file, href=href, graded=False)
    share = max(0.0, min(1.0, submission.score / submission.max)) if submission.max else 0.0
    return StudentRow(who=who, file=file, href=href, graded=True, score=points(submission.score),
                      max=points(submission.max), width=f"{share * 100:.0f}",
                      whole_file=submission.file_review is not None, flagged=tuple(submission.flagged))


def _review_item(*, submission: SubmissionResult, pid: str, assignment: Assignment,
                 stems: Mapping[str, str]) -> ReviewItem:
    part = submission.parts[pid]
    try:
        prompt = shown_prompt(assignment=assignment, part_id=pid, variant=submission.variant).strip()
    except KeyError:
        prompt = ""
    evidence = part.evidence
    where = None
    quote: tuple[tuple[str, str], ...] = ()
    if evidence is not None and (evidence.quote or evidence.line_start):
        span = line_span(evidence=evidence)
        where = f"{'Found at ' + span if span else 'Quote'} (source: {evidence.source}, " \
                f"confidence {evidence.confidence:.0%})"
        quote = quote_lines(text=evidence.quote or part.answer or "", first_line=evidence.line_start)
    return ReviewItem(
        who=_who(submission), href=_href(submission, stems), pid=pid, verdict=part.verdict, prompt=prompt,
        feedback=part.feedback or "No reason recorded.", notes=tuple(part.notes),
        answer=render_answer(text=part.answer[:600]).html if part.answer else None, where=where, quote=quote,
        candidates=tuple(code_html(text=c, limit=300) for c in part.candidates),
        suggested=f"{points(part.suggested_score)} / {points(part.max)}" if part.suggested_score is not None else "—",
    )


def _answer_groups(*, run: RunResult) -> tuple[GroupSection, ...]:
    """Per part, the groups of identical answers that hold a flagged part: one decision per group."""
    sections = []
    for pid in run.part_ids:
        flagged = [g for g in run.groups.get(pid, ()) if g.flagged]
        if not flagged:
            continue
        rows = tuple(GroupRow(answer=render_answer(text=g.answer[:600]).html,
                              key=code_html(text=g.key, limit=200) if g.key != g.answer else None,
                              count=g.count, flagged=g.flagged, verdict=g.verdict,
                              suggested=points(g.suggested_score) if g.suggested_score is not None else "—",
                              students=tuple(g.students[:GROUP_NAMES_SHOWN]),
                              more=max(0, len(g.students) - GROUP_NAMES_SHOWN))
                     for g in flagged)
        sections.append(GroupSection(pid=pid, students=sum(g.count for g in flagged), groups=rows))
    return tuple(sections)


def _stale_row(stale) -> StaleRow:
    return StaleRow(entry=stale.entry, part=stale.part,
                    who=stale.student if stale.student is not None else "group " + (stale.group or ""),
                    answer=code_html(text=stale.answer or "", limit=200),
                    now=code_html(text=stale.now, limit=200) if stale.now else None, reason=stale.reason)
