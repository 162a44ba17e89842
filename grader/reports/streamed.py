"""A run's report set, written as its submissions arrive, in memory flat in the number of files.

:class:`ReportStream` takes each submission's :class:`~grader.reports.file_report.FileReport` (made where the
file was graded), writes its feedback and student page into the staging folder at once, appends its
results.json item to a spool file beside them, counts its answers into the answer groups and keeps its slim
copy. :meth:`ReportStream.finish` then decides the people's decisions again over the slim run (to find the stale
entries), flags files claiming one student id, and writes the class-level reports: ``index.html``,
``grades.csv`` and ``results.json``, whose submissions are copied from the spool in file order.

The staging folder is new and swapped in as a whole (grader/reports/report_set.py), so its files are written
plainly; the set is made durable once, before the swap.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from collections.abc import Iterable
from pathlib import Path

from grader.atomic_files import write_chunks_atomic, write_text_atomic
from grader.grading.duplicates import flag_duplicate_ids
from grader.problems.models import Assignment
from grader.reports.file_report import FileReport, ReportSpec, SlimParts, file_report, safe_stem, write_pages
from grader.reports.names import report_stems
from grader.results import RunResult, StaleOverride, SubmissionResult
from grader.review.groups import GroupTally
from grader.review.overrides import decide_overrides

SPOOL = ".results.spool"


def checked_stem(stems: dict[str, str], file: str) -> str:
    try:
        return safe_stem(stems[file])
    except ValueError:
        raise ValueError(f"unsafe report stem {stems[file]!r} for {file!r}") from None


class ReportStream:
    """The report set of one run being written into ``out_dir`` (a staging folder): see the module docstring."""

    def __init__(self, *, assignment: Assignment, out_dir: Path, files: Iterable[str],
                 spec: ReportSpec = ReportSpec()) -> None:
        """``files``: every file of the run (its listing, known before grading: the stems depend on all of them)."""
        self.assignment, self.out_dir = assignment, Path(out_dir)
        self.spec = replace(spec, out_dir=str(self.out_dir))  # processes on this machine write the pages there
        self.stems = report_stems(sorted(files))
        self.part_ids = tuple(part.id for part in assignment.graded_parts)
        self._tally = GroupTally(part_ids=self.part_ids)
        self._slim = SlimParts()
        #: file -> (offset, length) of its item in the spool, and the duplicate-id flag the item holds
        self._items: dict[str, tuple[int, int, tuple[str, ...]]] = {}
        self._lock = threading.Lock()
        self._stopped: BaseException | None = None
        for folder in ("feedback", "students"):
            (self.out_dir / folder).mkdir(parents=True, exist_ok=True)
        self._spool = open(self.out_dir / SPOOL, "w+b", buffering=0)  # noqa: SIM115 - closed by finish/close
        self._end = 0

    def add(self, result: SubmissionResult, report: FileReport | None = None) -> SubmissionResult:
        """Write ``result``'s pages and spool its item (``report``: made by the process that graded it; None:
        made here); returns the slim copy the run keeps. One file at a time (from any thread); an interrupt
        stops the stream, and every later file is refused with it (the run stops)."""
        if report is None:
            report = file_report(result=result, assignment=self.assignment, spec=self.spec)
        stem = checked_stem(self.stems, result.file)
        data = report.item.encode("utf-8")
        with self._lock:
            if self._stopped is not None:
                raise self._stopped
            if result.file in self._items:
                raise ValueError(f"{result.file!r} was reported twice in one run")
            try:
                return self._add(result=result, report=report, stem=stem, data=data)
            except Exception:
                raise
            except BaseException as stop:
                self._stopped = stop
                raise

    def _add(self, *, result: SubmissionResult, report: FileReport, stem: str, data: bytes) -> SubmissionResult:
        if report.page is not None and report.feedback is not None:  # else the grading process wrote them
            write_pages(out_dir=self.out_dir, stem=stem, feedback=report.feedback, page=report.page)
        self._spool.seek(self._end)
        self._spool.write(data)
        self._items[result.file] = (self._end, len(data), result.same_student)
        self._end += len(data)
        self._tally.add_rows(file=result.file, student=report.student, rows=report.groups)
        return self._slim.shared(report.slim)

    def finish(self, run: RunResult, *, stale: tuple[StaleOverride, ...] | None = None) -> tuple[RunResult, list[Path]]:
        """Write the class-level reports of ``run`` (its submissions: the slim copies :meth:`add` returned, every
        one of them added) and return the run as reported (decisions applied, groups, duplicate ids) and every
        file of the set. ``stale``: the run's stale entries when its decisions were applied before (not again)."""
        run = run.model_copy(update={"submissions": tuple(self._slim.whole(s) for s in run.submissions)})
        if stale is None:
            run, stale = decide_overrides(run, self.spec.decisions)
        run = flag_duplicate_ids(run).model_copy(update={"groups": self._tally.groups(), "stale_overrides": stale})
        try:
            written = self._write_class_reports(run)
        finally:
            self.close()
        return run, written

    def _write_class_reports(self, run: RunResult) -> list[Path]:
        from grader.reports.grades_csv import grades_csv_chunks
        from grader.reports.html.assets import write_assets
        from grader.reports.html.class_page import class_page_html
        from grader.reports.results_json import results_json_chunks

        missing = [s.file for s in run.submissions if s.file not in self._items]
        if missing:
            raise ValueError(f"{len(missing)} submission(s) of the run were never added, e.g. {missing[0]!r}")
        stems = {s.file: self.stems[s.file] for s in run.submissions}
        written = [self.out_dir / "feedback" / f"{stems[s.file]}.md" for s in run.submissions]
        written += write_assets(out_dir=self.out_dir)
        index = self.out_dir / "index.html"
        write_text_atomic(path=index, text=class_page_html(run=run, assignment=self.assignment, stems=stems))
        written.append(index)
        written += [self.out_dir / "students" / f"{stems[s.file]}.html" for s in run.submissions]
        # results.json last: its presence means the run's reports are complete; both are written as they are
        # made, a row or a submission at a time, never held whole (results.json is ~200 MB at 10 000 files)
        items = (self._item(s) for s in run.submissions)
        for name, chunks in (("grades.csv", grades_csv_chunks(run=run)),
                             ("results.json", results_json_chunks(run=run, items=items))):
            write_chunks_atomic(path=self.out_dir / name, chunks=chunks)
            written.append(self.out_dir / name)
        return written

    def _item(self, submission: SubmissionResult) -> str:
        """The submission's results.json item from the spool; again with its duplicate-id flag when the whole
        run found one (the process that graded it could not know)."""
        offset, length, flagged = self._items[submission.file]
        text = os.pread(self._spool.fileno(), length, offset).decode("utf-8")
        if submission.same_student == flagged:
            return text
        import json

        from grader.reports.results_json import results_item

        full = SubmissionResult.model_validate(json.loads(text))
        return results_item(full.model_copy(update={"same_student": submission.same_student}))

    def close(self) -> None:
        """Close and remove the spool (also when the run stops early: the staging folder goes anyway)."""
        if not self._spool.closed:
            self._spool.close()
            try:
                os.unlink(self.out_dir / SPOOL)
            except FileNotFoundError:
                pass

