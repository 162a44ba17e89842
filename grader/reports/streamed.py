"""A run's report set, written as its submissions arrive, in memory flat in the number of files.

:class:`ReportStream` takes each submission's :class:`~grader.reports.file_report.FileReport` (made where the
file was graded, the people's decisions applied), writes its feedback and student page into the staging folder
at once, keeps its slim copy and results.json item in a store on disk (grader/reports/row_store.py), counts its
answers into the answer groups and folds what it says about the overrides entries into the stale ones. The run's
process keeps no submission: :meth:`ReportStream.finish` reads them back from the store, in file order, to write
the class-level reports: ``index.html`` (its numbers and review queue counted in one pass, its student rows
written in a second), ``grades.csv`` and ``results.json``, each written as it is made. With a file cache, a
file an earlier run graded hands over its kept share (grader/reports/file_cache.py), and a run whose every file
is unchanged links the whole set an earlier run wrote (grader/reports/set_cache.py).

The staging folder is new and swapped in as a whole (grader/reports/report_set.py), so its files are written
plainly; the set is made durable once, before the swap.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup
from pathlib import Path

from grader.atomic_files import write_chunks_atomic
from grader.grading.duplicates import claimed_by_several
from grader.problems.models import Assignment
from grader.reports.class_row import ClassRow
from grader.reports.file_cache import FileCache, reusable
from grader.reports.file_record import Hit, Known
from grader.reports.set_cache import KeptSet, SetCache
from grader.reports.file_report import FileReport, ReportSpec, file_report, safe_stem, write_pages
from grader.reports.names import report_stems
from grader.reports.row_store import RowStore
from grader.reports.summary import ClassTally, RunSummary
from grader.results import RunResult, StaleOverride, SubmissionResult
from grader.review.groups import GroupRow, GroupTally
from grader.review.overrides import own_entries
from grader.review.stale import Sighting, StaleWatch
from grader.submissions.listing import Entry, ReadableFile

def checked_stem(stems: dict[str, str], file: str) -> str:
    try:
        return safe_stem(stems[file])
    except ValueError:
        raise ValueError(f"unsafe report stem {stems[file]!r} for {file!r}") from None


@dataclass(frozen=True)
class Reported:
    """What :meth:`ReportStream.finish` gives back: the run as reported without its submissions (they are in
    results.json: its groups, stale entries and header), its numbers, the student ids several files claim (id
    -> the files, sorted), and every file of the set (``files``: relative to ``out_dir``, in the order written;
    a kept set is tens of thousands of them, so their paths are made only when asked for)."""

    run: RunResult
    summary: RunSummary
    duplicates: dict[str, tuple[str, ...]]
    out_dir: Path
    files: tuple[str, ...]
    unchanged: bool = False  # the folder the set replaces already is this set: there is nothing to swap in

    @property
    def written(self) -> list[Path]:
        return [self.out_dir / name for name in self.files]


class ReportStream:
    """The report set of one run being written into ``out_dir`` (a staging folder): see the module docstring."""

    def __init__(self, *, assignment: Assignment, out_dir: Path, files: Iterable[str],
                 spec: ReportSpec = ReportSpec(), reuse: FileCache | None = None, replaces: Path | None = None) -> None:
        """``files``: every file of the run (its listing, known before grading: the stems depend on all of them);
        ``reuse``: the files earlier runs kept (grader/reports/file_cache.py), None: every file is graded;
        ``replaces``: the folder the set will replace once swapped in (when known: a set it already holds is
        left there, :attr:`Reported.unchanged`)."""
        self.replaces = replaces
        self.assignment, self.out_dir, self.reuse = assignment, Path(out_dir), reuse
        self.spec = replace(spec, out_dir=str(self.out_dir))  # processes on this machine write the pages there
        self.stems = report_stems(sorted(files))
        self.part_ids = tuple(part.id for part in assignment.graded_parts)
        self._header = RunResult.of(assignment=assignment, submissions=())
        self._tally = GroupTally(part_ids=self.part_ids)
        self._watch = StaleWatch(own_entries(run=self._header, overrides=spec.decisions))
        self._lock = threading.Lock()
        self._stopped: BaseException | None = None
        for folder in ("feedback", "students"):
            (self.out_dir / folder).mkdir(parents=True, exist_ok=True)
        self._store = RowStore(self.out_dir)
        self._closed = False
        self._sets = None if reuse is None else SetCache(folder=reuse.path.with_suffix(".sets"))
        self._set_key: bytes | None = None  # the run's whole set's, when every file of it can be reused
        self._kept_set: KeptSet | None = None
        self._left_in: Path | None = None  # the folder the kept set was left in, when it already held it

    def reused_whole(self, *, entries: Sequence[Entry],
                     on_progress: Callable[[SubmissionResult], None] | None = None) -> bool:
        """Whether an earlier run wrote the whole set of ``entries`` (the run's listing) as this run would: its
        set is then linked in here (grader/reports/set_cache.py), or left where it is when the folder the set
        replaces already holds it, and nothing is graded or made. ``on_progress`` is called with each file's
        kept slim copy."""
        cache = self.reuse
        if cache is None or self._sets is None or not entries:
            return False
        seen = []
        for entry in entries:
            found = cache.seen(where=entry.where, shown=entry.shown) if isinstance(entry, ReadableFile) else None
            if found is None:  # a file graded on every run (its grading says why): the set is made as usual
                return False
            seen.append((entry.shown, found))
        self._set_key = key = cache.set_key(seen)
        kept = None if self.replaces is None else self._sets.current(key=key, target=self.replaces)
        if kept is not None:
            self._left_in = self.replaces
        kept = kept or self._sets.place(key=key, out_dir=self.out_dir)
        if kept is None:
            return False
        self._kept_set = kept
        for shown, found in seen:
            cache.used(found, shown=shown)
        if on_progress is not None:
            for slim in filter(None, (cache.slim_of(found) for _, found in seen)):
                on_progress(slim)
        return True

    def reused(self, *, where: str, shown: str) -> Hit | Known | None:
        """The file at ``where`` (shown as ``shown``) as an earlier run kept it: a :class:`Hit` when its share of
        the report set was reused from there (its pages and rows are now in the set: it needs no grading), its
        result before the decisions (:class:`Known`) when the decisions that concern it changed since (its
        reports are to be made again from that), else None (it is to be graded)."""
        cache = self.reuse
        seen = None if cache is None else cache.seen(where=where, shown=shown)
        if cache is None or seen is None:
            return None
        hit = cache.found(seen)
        if isinstance(hit, Hit) and self._placed(hit, cache=cache, shown=shown):
            cache.used(seen, shown=shown)
            return hit
        cache.expect(shown=shown, seen=seen)
        return hit if isinstance(hit, Known) else None

    def _placed(self, hit: Hit, *, cache: FileCache, shown: str) -> bool:
        """Whether the kept file's pages and rows are now in the set (False: a page is gone or its row does not
        decode, and the file is graded again)."""
        stem = checked_stem(self.stems, shown)
        lines = self._kept_lines(hit, stem)
        if lines is None:
            return False
        with self._one_at_a_time():
            if not cache.place(hit, out_dir=self.out_dir, stem=stem):
                return False
            self._keep_row(file=shown, student=hit.student, row=hit.row, waiting=hit.waiting, item=hit.item,
                           flagged=hit.flagged, groups=hit.groups, sightings=hit.sightings, html=lines[0],
                           csv=lines[1])
        return True

    def _kept_lines(self, hit: Hit, stem: str) -> tuple[str, str] | None:
        """The kept file's class-page row and grades.csv line: as kept when its pages had the same name, else made
        from its kept row (None: that row does not decode, and the file is graded again)."""
        if hit.stem == stem:
            return hit.html, hit.csv
        try:
            return self._lines(ClassRow.from_json(hit.row.decode("utf-8")))
        except (ValueError, TypeError, KeyError):
            return None

    def add(self, result: SubmissionResult, report: FileReport | None = None, *,
            whole: bool = True) -> SubmissionResult:
        """Write ``result``'s pages and keep its row (``report``: made by the process that graded it; None:
        made here); returns its slim copy (for a progress display: the stream keeps none). One file at a time
        (from any thread); an interrupt stops the stream, and every later file is refused with it (the run
        stops). ``whole`` False: the file was graded one bounded call at a time (its call was killed), and its
        share is not kept for the next run."""
        if report is None:
            report = file_report(result=result, assignment=self.assignment, spec=self.spec)
        stem = checked_stem(self.stems, result.file)
        item, waiting = report.item, report.waiting
        html, csv = self._lines(ClassRow.from_json(report.row))
        with self._one_at_a_time():
            self._add(result=result, report=report, stem=stem, item=item, waiting=waiting, html=html, csv=csv)
        if self.reuse is not None:
            self.reuse.keep(shown=result.file, report=report if whole and reusable(result) else None,
                            flagged=result.same_student, out_dir=self.out_dir, stem=stem, item=item, waiting=waiting,
                            lines=(html, csv))
        return report.slim

    def _lines(self, row: ClassRow) -> tuple[str, str]:
        """A file's row of the class page's student table and its line of grades.csv."""
        from grader.reports.grades_csv import grades_csv_line
        from grader.reports.html.student_row import student_row_html

        return str(student_row_html(row=row, stems=self.stems)), grades_csv_line(row, part_ids=self.part_ids)

    @contextlib.contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """One file at a time; an interrupt (any BaseException that is not an Exception) stops the stream: every
        later file is refused with it."""
        with self._lock:
            if self._stopped is not None:
                raise self._stopped
            try:
                yield
            except Exception:
                raise
            except BaseException as stop:
                self._stopped = stop
                raise

    def _add(self, *, result: SubmissionResult, report: FileReport, stem: str, item: bytes,
             waiting: bytes | None, html: str, csv: str) -> None:
        # the row first: the store refuses a file reported twice before its pages are written again
        self._keep_row(file=result.file, student=report.student, row=report.row.encode("utf-8"), waiting=waiting,
                       item=item, flagged=result.same_student, groups=report.groups, sightings=report.sightings,
                       html=html, csv=csv)
        if report.page is not None and report.feedback is not None:  # else the grading process wrote them
            write_pages(out_dir=self.out_dir, stem=stem, feedback=report.feedback, page=report.page)

    def _keep_row(self, *, file: str, student: str, row: bytes, waiting: bytes | None, item: bytes,
                  flagged: tuple[str, ...], groups: tuple[GroupRow, ...], sightings: tuple[Sighting, ...],
                  html: str, csv: str) -> None:
        self._store.put(file=file, student=student, row=row, waiting=waiting, item=item, flagged=flagged, html=html,
                        csv=csv)
        self._tally.add_rows(file=file, student=student, rows=groups)
        self._watch.see(file=file, found=sightings)

    def finish(self, run: RunResult | None = None, *,
               stale: tuple[StaleOverride, ...] | None = None) -> Reported:
        """Write the class-level reports of the run (every file of the listing added) and return it as reported
        (:class:`Reported`). ``run``: its header when it is not the stream's assignment's own (title, max);
        ``stale``: the run's stale entries when its decisions were applied before (not here)."""
        if self._kept_set is not None:
            self.close()
            kept = self._kept_set
            return Reported(run=kept.run, summary=kept.summary, duplicates=kept.duplicates,
                            out_dir=self._left_in or self.out_dir, files=kept.files,
                            unchanged=self._left_in is not None)
        header = (run or self._header).model_copy(update={"submissions": ()})
        try:
            self._store.done()
            missing = len(self.stems) - self._store.count
            if missing:
                raise ValueError(f"{missing} file(s) of the run were never added")
            header = header.model_copy(update={
                "groups": self._tally.groups(),
                "stale_overrides": self._watch.stale() if stale is None else stale})
            same = self._store.same_student()
            written, tally = self._write_class_reports(header, same)
            summary, duplicates = tally.summary(), claimed_by_several(tally.claims)
            if self._sets is not None and self._set_key is not None and self.reuse is not None \
                    and self.reuse.covers(self.stems):
                self._sets.keep(key=self._set_key, out_dir=self.out_dir, files=written, run=header,
                                summary=summary, duplicates=duplicates)
        finally:
            self.close()
        return Reported(run=header, summary=summary, duplicates=duplicates, out_dir=self.out_dir,
                        files=tuple(written))

    def _rows(self, same: dict[str, tuple[str, ...]]) -> Iterator[ClassRow]:
        """The rows of the submissions, in file order, with the files claiming the same student id."""
        for file, row in self._store.rows("row"):
            yield ClassRow.from_json(row).with_same_student(same.get(file, ()))

    def _made(self, column: str, same: dict[str, tuple[str, ...]]) -> Iterator[str]:
        """The student table's rows (``column`` html) or grades.csv's lines (csv), in file order, as each file's
        were made; again for a file whose student id the whole run found claimed by another."""
        index = 0 if column == "html" else 1
        for file, made, flagged in self._store.rows(column, "flagged"):
            others = same.get(file, ())
            if _claims_known(flagged, others):
                yield made
            else:
                yield self._lines(ClassRow.from_json(self._store.row_of(file)).with_same_student(others))[index]

    def _waiting(self, same: dict[str, tuple[str, ...]]) -> Iterator[SubmissionResult]:
        """The submissions with a part waiting for a person, in file order, with those parts alone (their review
        copies, grader/reports/file_report.py): what the review queue reads."""
        for file, slim in self._store.rows("waiting", waiting=True):
            submission = SubmissionResult.model_validate_json(slim)
            others = same.get(file, ())
            yield submission if submission.same_student == others else \
                submission.model_copy(update={"same_student": others})

    def _items(self, same: dict[str, tuple[str, ...]]) -> Iterator[str]:
        """The results.json items, in file order; again with the duplicate-id flag when the whole run found one
        its grading process could not know."""
        from grader.reports.results_json import results_item

        for file, item, flagged in self._store.rows("item", "flagged"):
            others = same.get(file, ())
            if _claims_known(flagged, others):
                yield item
            else:
                full = SubmissionResult.model_validate_json(item)
                yield results_item(full.model_copy(update={"same_student": others}))

    def _write_class_reports(self, header: RunResult,
                             same: dict[str, tuple[str, ...]]) -> tuple[list[str], _Counted]:
        """Write the class-level reports; returns every file of the set (relative to ``out_dir``, in order)."""
        from grader.reports.grades_csv import grades_csv_chunks
        from grader.reports.html.assets import write_assets
        from grader.reports.html.class_page import class_page_chunks
        from grader.reports.results_json import results_json_chunks

        stems = self.stems
        in_order = [stem for _, stem in sorted(stems.items())]
        written = [f"feedback/{stem}.md" for stem in in_order]
        written += [path.relative_to(self.out_dir).as_posix() for path in write_assets(out_dir=self.out_dir)]
        index = self.out_dir / "index.html"
        tally = _Counted(part_ids=header.part_ids, max_points=header.max)
        write_chunks_atomic(path=index, chunks=class_page_chunks(
            run=header, assignment=self.assignment, stems=stems, rows=lambda: self._rows(same),
            flagged=lambda: self._waiting(same), tally=tally,
            students=lambda: (Markup(html) for html in self._made("html", same))))  # noqa: S704 - made escaped
        written.append(index.name)
        written += [f"students/{stem}.html" for stem in in_order]
        # results.json last: its presence means the run's reports are complete; both are written as they are
        # made, a row or a submission at a time, never held whole (results.json is ~200 MB at 10 000 files)
        for name, chunks in (("grades.csv", grades_csv_chunks(run=header, lines=self._made("csv", same))),
                             ("results.json", results_json_chunks(run=header, items=self._items(same)))):
            write_chunks_atomic(path=self.out_dir / name, chunks=chunks)
            written.append(name)
        return written, tally

    def close(self) -> None:
        """Close and remove the store (also when the run stops early: the staging folder goes anyway)."""
        if not self._closed:
            self._closed = True
            self._store.close()
            if self.reuse is not None:
                self.reuse.close()


def _claims_known(flagged: str, others: tuple[str, ...]) -> bool:
    """Whether what a file's rows were made with (``flagged``: the JSON list of the other files claiming its
    student id, as its grading process knew them) is what the whole run found (``others``)."""
    return (flagged == "[]" and not others) or tuple(json.loads(flagged)) == others


class _Counted(ClassTally):
    """The run's numbers, counted on the class page's first pass, and the rows of files that claim a student id
    another file claims too (few: what ``duplicates`` needs)."""

    def __init__(self, *, part_ids: Iterable[str], max_points: float) -> None:
        super().__init__(part_ids=part_ids, max_points=max_points)
        self.claims: list[ClassRow] = []

    def add(self, submission: ClassRow) -> None:
        super().add(submission)
        if submission.same_student:
            self.claims.append(submission)
