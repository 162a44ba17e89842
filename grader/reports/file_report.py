"""What one submission contributes to its run's report set, made where it was graded.

A streamed run (grader/reports/streamed.py) never holds its submissions: the process that graded a file (a
bounded worker, usually) also applies the people's decisions to it, renders its feedback Markdown and student
page, dumps its results.json item, lists its answers for the answer groups and says what it shows of each
overrides entry (grader/review/stale.py); the run's process receives that, writes it out, and keeps a *slim*
copy of the submission on disk (grader/reports/row_store.py) for the class-level reports.

Slim: every top-level field, and in full only the parts a class-level report reads (those waiting for a person,
which the review queue quotes); every other part keeps its id, score, max and verdict. The full submission is
in results.json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.bounded_cache import BoundedCache
from grader.problems.models import Assignment
from grader.reports.class_row import ClassRow
from grader.reports.row_store import pack
from grader.results import PartResult, RunResult, SubmissionResult
from grader.review.groups import GroupRow, group_rows
from grader.review.overrides import Override, decide_overrides, own_entries
from grader.review.stale import Sighting, sightings
from grader.verdicts import REVIEW_VERDICTS


@dataclass(frozen=True)
class ReportSpec:
    """How the grading processes make a file's reports: the decisions of people to apply (overrides.yaml) and,
    when they share the run's file system, the staging folder they write each file's pages into (``out_dir``:
    the pages then never travel back to the run's process; None: they do, as on a Dask cluster).
    ``keep_graded``: the run keeps its files for the next runs (grader/reports/file_cache.py), which need a
    file's result before the decisions, to apply changed decisions without grading it again."""

    decisions: tuple[Override, ...] = ()
    out_dir: str | None = None
    keep_graded: bool = False


@dataclass(frozen=True)
class FileReport:
    """One submission's share of the report set (see the module docstring)."""

    slim: SubmissionResult  # what the class-level reports read of it, the decisions applied
    #: its results.json item (results_item), with the decisions applied; packed (grader/reports/row_store.py),
    #: as every large text here: by the process that made it, so that the run's process only stores it
    item: bytes
    feedback: str | None  # feedback/<stem>.md; None: written by the process that graded the file
    page: str | None  # students/<stem>.html; None: written by the process that graded the file
    groups: tuple[GroupRow, ...]  # its answered parts, for the answer groups (decisions applied)
    student: str  # the student id the groups list it under
    sightings: tuple[Sighting, ...] = ()  # what it says about the overrides entries (before the decisions)
    row: str = ""  # its ClassRow's JSON
    waiting: bytes | None = None  # its review copy's JSON when a part waits for a person (for the review queue)
    #: with ``ReportSpec.keep_graded`` (the run keeps its files for the next runs): its slim copy's JSON, and its
    #: result's JSON before the decisions when they changed it (None: the item is that result)
    kept_slim: bytes | None = None
    graded: bytes | None = None


def alone(*, result: SubmissionResult, assignment: Assignment) -> RunResult:
    """``result`` as a run of its own: a file's decisions need only its own parts (student id, answer group)."""
    return RunResult.of(assignment=assignment, submissions=(result,))


def decided(*, result: SubmissionResult, assignment: Assignment,
            decisions: Iterable[Override]) -> tuple[SubmissionResult, tuple[Sighting, ...]]:
    """``result`` with the decisions that apply to it, and what it says about each entry of its assignment (for
    the run's stale entries, grader/review/stale.py)."""
    decisions = tuple(decisions)
    if not decisions:
        return result, ()
    run = alone(result=result, assignment=assignment)
    found = sightings(entries=own_entries(run=run, overrides=decisions), submission=result)
    return decide_overrides(run, decisions)[0].submissions[0], found


def file_report(*, result: SubmissionResult, assignment: Assignment, spec: ReportSpec,
                stem: str | None = None) -> FileReport:
    """Everything ``result`` (a row of the run, named as the reports show it) adds to the report set; with
    ``stem`` (its report files' name) and ``spec.out_dir``, its pages are written there instead of returned."""
    from grader.reports.feedback_md import feedback_markdown
    from grader.reports.html.student_page import student_page_html
    from grader.reports.results_json import results_item

    final, found = decided(result=result, assignment=assignment, decisions=spec.decisions)
    part_ids = tuple(part.id for part in assignment.graded_parts)
    feedback: str | None = feedback_markdown(submission=final, assignment=assignment)
    page: str | None = student_page_html(submission=final, assignment=assignment)
    if spec.out_dir is not None and stem is not None and feedback is not None and page is not None:
        write_pages(out_dir=Path(spec.out_dir), stem=stem, feedback=feedback, page=page)
        feedback = page = None
    kept = slim(final)
    waits = kept.status == "graded" and bool(kept.flagged)
    return FileReport(slim=kept, item=pack(results_item(final)), feedback=feedback, page=page,
                      groups=group_rows(final, part_ids=part_ids), student=final.student,
                      sightings=found, row=ClassRow.json_of(kept),
                      waiting=pack(review_copy(kept).model_dump_json()) if waits else None,
                      kept_slim=pack(kept.model_dump_json()) if spec.keep_graded else None,
                      graded=_graded(result, final) if spec.keep_graded else None)


def _graded(result: SubmissionResult, final: SubmissionResult) -> bytes | None:
    """``result``'s JSON, packed, when the decisions made ``final`` of it (the item then is not what was graded)."""
    return None if final is result or final == result else pack(result.model_dump_json(by_alias=True))


def safe_stem(stem: str) -> str:
    """``stem`` when it names a file inside the report folders (stems are made safe by report_stems)."""
    if not stem or "/" in stem or "\\" in stem or stem in (".", "..") or "\x00" in stem:
        raise ValueError(f"unsafe report stem {stem!r}")
    return stem


def write_pages(*, out_dir: Path, stem: str, feedback: str, page: str) -> None:
    """``feedback/<stem>.md`` and ``students/<stem>.html`` in a staging folder (new, seen by no reader: written
    plainly, made durable once before the swap, grader/reports/report_set.py)."""
    stem = safe_stem(stem)
    for path, text in ((out_dir / "feedback" / f"{stem}.md", feedback), (out_dir / "students" / f"{stem}.html", page)):
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))


def slim(result: SubmissionResult) -> SubmissionResult:
    """``result`` with only what the class-level reports read (module docstring)."""
    if not result.parts:
        return result
    parts = {pid: part if part.verdict in REVIEW_VERDICTS else _slim_part(part) for pid, part in result.parts.items()}
    return result.model_copy(update={"parts": parts})


def review_copy(result: SubmissionResult) -> SubmissionResult:
    """``result`` with only its parts waiting for a person: what the review queue reads of a file (the run's
    process reads it back for every such file, most of a class: a slim copy's other parts cost it more than the
    waiting ones)."""
    flagged = result.flagged
    if len(flagged) == len(result.parts):
        return result
    return result.model_copy(update={"parts": {pid: result.parts[pid] for pid in flagged}})


#: slim parts by (id, score, max, verdict): frozen, so one serves every file with those (most repeat), the oldest
#: forgotten first; the points by their repr, so a -0.0 is never served a 0.0
_SLIM_PARTS: BoundedCache[tuple[str, str, str, str], PartResult] = BoundedCache(4096)


def _slim_part(part: PartResult) -> PartResult:
    key = (part.part_id, repr(part.score), repr(part.max), part.verdict)
    known = _SLIM_PARTS.get(key)
    if known is None:
        known = PartResult(part_id=part.part_id, score=part.score, max=part.max, verdict=part.verdict)
        _SLIM_PARTS.put(key, known)
    return known
