"""The class overview page for course staff: numbers, charts, students, review queue.

This module computes the page's view model (plain values; charts and MathML already made safe
where they are produced); templates/class_page.html lays it out.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from grader.number_text import fixed, shown_points
from grader.problems.models import Assignment
from grader.reports.html.assets import ASSETS_DIR, math_font_url
from grader.reports.class_row import ClassRow
from grader.reports.html.charts import score_histogram_svg, verdict_bars_svg
from grader.reports.html.environment import environment
from grader.reports.html.math_render import code_html
from grader.reports.html.review_queue import ReviewPart, ReviewTally
from grader.reports.html.student_row import student_row_html
from grader.reports.html.who import Who, href_of, student_href, who_of
from grader.reports.summary import ClassTally
from grader.results import RunResult, SubmissionResult
from grader.verdicts import VERDICT_COLOURS, VERDICT_NAMES

__all__ = ["class_page_html", "class_page_chunks", "class_page_view", "student_href"]

#: the rows of a run's submissions, in file order, each time it is called (a streamed run reads them from its store)
Rows_ = Callable[[], Iterable[ClassRow]]
#: the submissions of a run with a part waiting for a person, whole, in file order
Flagged_ = Callable[[], Iterable[SubmissionResult]]
#: the student table's rows as HTML (grader/reports/html/student_row.py), in file order
Students_ = Callable[[], Iterable[Markup]]


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
class FileReviewRow:
    who: Who
    file: Markup
    href: str | None
    reason: str
    found: int
    parts: int


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
    students: Rows
    file_reviews: tuple[FileReviewRow, ...]
    review: tuple[ReviewPart, ...]
    decided: int
    stale: tuple[StaleRow, ...]
    unreadable: tuple[UnreadableRow, ...]


class Rows:
    """The student rows of the page, made as the template reads them (sized: the page counts them first)."""

    def __init__(self, *, count: int, make: Students_) -> None:
        self._count, self._make = count, make

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Markup]:
        return iter(self._make())


def class_page_html(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str],
                    assets: str | None = ASSETS_DIR) -> str:
    """The complete HTML document of the class overview (``assets``: URL of the assets folder from the page,
    None for a page without the shipped math font)."""
    return "".join(class_page_chunks(run=run, assignment=assignment, stems=stems, assets=assets))


def class_page_chunks(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str],
                      assets: str | None = ASSETS_DIR, rows: Rows_ | None = None, flagged: Flagged_ | None = None,
                      tally: ClassTally | None = None, students: Students_ | None = None) -> Iterator[str]:
    """:func:`class_page_html` as it is made, a piece at a time. A run that does not hold its submissions gives
    ``rows`` (every submission's row, in file order: its numbers are counted from them) and ``flagged`` (the
    submissions with a part waiting for a person, whole, in file order), and may give ``students`` (the student
    table's rows, made: else made from ``rows``, read a second time); ``tally``: where the class numbers are
    counted (the caller's, to read them after)."""
    view = class_page_view(run=run, assignment=assignment, stems=stems, rows=rows, flagged=flagged, tally=tally,
                           students=students)
    template = environment().get_template("class_page.html")
    return template.generate(page=view, title=f"Class report: {view.title}",
                             font_url=math_font_url(assets=assets) if assets is not None else None)


def class_page_view(*, run: RunResult, assignment: Assignment, stems: Mapping[str, str], rows: Rows_ | None = None,
                    flagged: Flagged_ | None = None, tally: ClassTally | None = None,
                    students: Students_ | None = None) -> ClassPage:
    each: Rows_ = rows if rows is not None else (lambda: (ClassRow.of(s) for s in run.submissions))
    waiting: Flagged_ = flagged if flagged is not None else \
        (lambda: (s for s in run.submissions if s.status == "graded" and s.flagged))
    tally = tally if tally is not None else ClassTally(part_ids=run.part_ids, max_points=run.max)
    file_reviews, unreadable = [], []
    for row in each():
        tally.add(row)
        if row.status != "graded":
            unreadable.append(UnreadableRow(student=row.student, file=code_html(text=row.file, limit=160),
                                            reason=row.reason or "no reason recorded"))
        elif row.file_review is not None:
            file_reviews.append(FileReviewRow(who=who_of(row), file=code_html(text=row.file, limit=160),
                                              href=href_of(row, stems), reason=row.file_review.reason,
                                              found=row.file_review.parts_found, parts=row.file_review.parts))
    review = ReviewTally(assignment=assignment, stems=stems)
    for submission in waiting():
        review.add(submission)
    summary = tally.summary()
    return ClassPage(
        assignment=run.assignment, title=run.title or assignment.title, files=summary.files, parts=len(run.part_ids),
        max=shown_points(run.max), cards=_cards(tally=tally, flagged=summary.flagged_parts),
        charts=_charts(run=run, tally=tally) if tally.scores else None,
        students=Rows(count=tally.files, make=students if students is not None else
                      (lambda: (student_row_html(row=r, stems=stems) for r in each()))),
        file_reviews=tuple(file_reviews), review=review.parts(part_ids=run.part_ids, groups=run.groups),
        decided=tally.decided, stale=tuple(_stale_row(st) for st in run.stale_overrides),
        unreadable=tuple(unreadable),
    )


def _cards(*, tally: ClassTally, flagged: int) -> tuple[Card, ...]:
    scores = tally.scores
    mean = fixed(statistics.fmean(scores), 2) if scores else "—"
    median = fixed(statistics.median(scores), 2) if scores else "—"
    of = shown_points(tally.max_points) if scores else None
    unreadable = len(tally.unreadable)
    cards = [
        Card("Files", str(tally.files)),
        Card("Graded", str(len(scores))),
        Card("Mean score", mean, of),
        Card("Median score", median, of),
        Card("Parts to review", str(flagged), tone="warn" if flagged else None),
        Card("Unreadable files", str(unreadable), tone="bad" if unreadable else None),
    ]
    if tally.whole_files:
        cards.insert(5, Card("Files to review", str(tally.whole_files), tone="warn"))
    return tuple(cards)


def _charts(*, run: RunResult, tally: ClassTally) -> Charts:
    counts = tally.verdicts
    part_ids = list(run.part_ids)
    verdicts = [v for v in VERDICT_COLOURS if any(counts[pid].get(v, 0) for pid in part_ids)]
    return Charts(histogram=score_histogram_svg(scores=tally.scores, max_points=run.max),
                  bars=verdict_bars_svg(counts=counts, part_ids=part_ids),
                  verdicts=tuple(VERDICT_NAMES[v] for v in verdicts),
                  rows=tuple((pid, tuple(counts[pid].get(v, 0) for v in verdicts)) for pid in part_ids))


def _stale_row(stale) -> StaleRow:
    return StaleRow(entry=stale.entry, part=stale.part,
                    who=stale.student if stale.student is not None else "group " + (stale.group or ""),
                    answer=code_html(text=stale.answer or "", limit=200),
                    now=code_html(text=stale.now, limit=200) if stale.now else None, reason=stale.reason)
