"""Each submission's own pages (feedback Markdown, student HTML page), written as soon as its result is final.

A student's pages show only that submission (no duplicate-id or answer-group information), so they need not
wait for the whole run: :class:`PageWriter` writes them into the staging folder while the other files are
still being graded, and :func:`grader.reports.write.write_reports` skips, at the end, every page whose
submission and file name came out the same in the whole run. Anything the writer could not do (an error, a
file the listing did not show, a result that changed after all) is simply written at the end, as before."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from grader.atomic_files import write_text_atomic
from grader.problems.models import Assignment
from grader.reports.feedback_md import feedback_markdown
from grader.reports.names import report_stems
from grader.results import SubmissionResult


def checked_stem(stems: dict[str, str], file: str) -> str:
    stem = stems[file]
    if not stem or "/" in stem or "\\" in stem or stem in (".", ".."):
        raise ValueError(f"unsafe report stem {stem!r} for {file!r}")
    return stem


def _digest(submission: SubmissionResult) -> bytes:
    return hashlib.blake2b(submission.model_dump_json().encode("utf-8"), digest_size=16).digest()


def write_pages(*, submission: SubmissionResult, assignment: Assignment, out_dir: Path, stem: str) -> list[Path]:
    """Write ``feedback/<stem>.md`` and ``students/<stem>.html`` of one submission."""
    from grader.reports.html.student_page import student_page_html

    feedback = Path(out_dir) / "feedback" / f"{stem}.md"
    page = Path(out_dir) / "students" / f"{stem}.html"
    write_text_atomic(path=feedback, text=feedback_markdown(submission=submission, assignment=assignment))
    write_text_atomic(path=page, text=student_page_html(submission=submission, assignment=assignment))
    return [feedback, page]


class PageWriter:
    """Writes a submission's pages when its result arrives (from any thread); remembers what it wrote."""

    def __init__(self, *, assignment: Assignment, out_dir: Path, files: Iterable[str],
                 final: Callable[[SubmissionResult], SubmissionResult] | None = None) -> None:
        """``files``: every file of the run (its listing, known before grading: the stems depend on all of
        them); ``final``: what a result becomes before it is shown (overrides applied)."""
        self.assignment, self.out_dir, self.final = assignment, Path(out_dir), final
        self.stems = report_stems(sorted(files))  # sorted by file, like the run's submissions
        self._written: dict[str, tuple[str, bytes]] = {}  # file -> (stem, digest of the submission shown)
        self._lock = threading.Lock()
        self._stopped = False
        for folder in ("feedback", "students"):
            (self.out_dir / folder).mkdir(parents=True, exist_ok=True)

    def write(self, result: SubmissionResult) -> None:
        """Write the pages of ``result`` made final, one submission at a time; an error leaves the pages to the
        end of the run, which reports it; an interrupt stops the writer and goes on up (the run stops)."""
        stem = self.stems.get(result.file)
        if stem is None:
            return
        with self._lock:  # rendering holds the GIL anyway; one at a time keeps an interrupt the last write
            if self._stopped:
                return
            try:
                submission = result if self.final is None else self.final(result)
                write_pages(submission=submission, assignment=self.assignment, out_dir=self.out_dir,
                            stem=checked_stem(self.stems, submission.file))
            except Exception:  # noqa: BLE001 - written again (and the error raised) by write_reports
                return
            except BaseException:
                self._stopped = True
                raise
            self._written[submission.file] = (stem, _digest(submission))

    def up_to_date(self, *, submissions: Iterable[SubmissionResult], stems: dict[str, str]) -> frozenset[str]:
        """The files whose pages on disk are those of ``submissions`` under ``stems``."""
        with self._lock:
            written = dict(self._written)
        return frozenset(s.file for s in submissions
                         if written.get(s.file) == (stems.get(s.file), _digest(s)))
