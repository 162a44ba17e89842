"""A run's reports replace the previous ones as a whole, or not at all.

Each output folder (``--out``, or ``--out/<id>/`` per assignment) is written in full into a staging folder
beside it (``.<name>.new-<pid>-<random>``, same parent, so renames are atomic on one file system) and swapped
in at the end: the previous folder is renamed to ``.<name>.old-…``, the new one to its place, then the old one
is removed. Until the swap the previous set is untouched; an interrupted run removes its staging folders, and
what a killed run leaves behind (a staging folder; the previous set under ``.old-`` when it died between the
two renames) is cleaned up, or restored, by the next run on the same ``--out``.

A lock on ``--out`` (``flock`` on ``.<name>.lock`` beside it) keeps a second run from writing at the same time:
it refuses, naming the pid of the run that holds the lock. The staging folders are created, and the free space
checked, before anything is graded, so a read-only or full output folder is found out at once.
"""

from __future__ import annotations

import fcntl
import glob
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.interrupts import signals_deferred
from grader.problems.models import Assignment
from grader.reports.write import write_reports
from grader.results import RunResult

#: free space a run's reports are assumed to need: per row (feedback Markdown, HTML page, its share of
#: results.json, grades.csv and the class page: ~85 KB on the shipped samples, files' blocks included) and once
#: (assets, the class page's frame); the previous set stays until the swap, so this comes on top of it
BYTES_PER_ROW = 100_000
BYTES_BASE = 10_000_000


class ReportSetError(Exception):
    """The output folder cannot take a new report set (a usage error: nothing is graded)."""


def out_conflict(*, submissions: Path, out: Path) -> str | None:
    """Why ``out`` may not hold reports of ``submissions`` (the submissions folder is read-only to us)."""
    subs, target = Path(os.path.realpath(submissions)), Path(os.path.realpath(out))
    if target == subs:
        return f"--out {out} is the submissions folder {submissions}: the reports would overwrite submissions"
    if target.is_relative_to(subs):
        return (f"--out {out} is inside the submissions folder {submissions}: the next run would grade the "
                "reports as submissions")
    if subs.is_relative_to(target):
        return (f"the submissions folder {submissions} is inside --out {out}: a run replaces its whole output "
                "folder, submissions included")
    return None


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _leftovers(target: Path, kind: str) -> list[Path]:
    found = target.parent.glob(f".{glob.escape(target.name)}.{kind}-*") if target.parent.is_dir() else ()
    return sorted(found, key=lambda path: path.lstat().st_mtime)


def repair(*, target: Path) -> None:
    """Undo what a killed run left beside ``target`` (call with the lock held): restore the previous set when
    the run died between the two renames of the swap, and remove staging and old folders."""
    olds = _leftovers(target, "old")
    if olds and not os.path.lexists(target):
        os.rename(olds.pop(), target)
    for leftover in [*olds, *_leftovers(target, "new")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _check_replaceable(target: Path) -> None:
    """Only a folder that holds a report set (or nothing) is replaced: ``--out .`` must not wipe a course."""
    if not os.path.lexists(target):
        return
    if target.is_symlink():
        raise ReportSetError(f"--out {target} is a symbolic link: give the folder it points to "
                             f"({os.path.realpath(target)}), which a run replaces as a whole")
    if not target.is_dir():
        raise ReportSetError(f"--out {target} is not a folder")
    if (target / "results.json").is_file():
        return
    others = sorted(p.name for p in target.iterdir() if not p.name.startswith("."))
    if others:
        shown = ", ".join(others[:3]) + (" …" if len(others) > 3 else "")
        raise ReportSetError(f"--out {target} holds files that are not the reports of an earlier run ({shown}); "
                             "a run replaces its whole output folder: choose a new or empty folder")


def _check_space(*, parent: Path, rows: int) -> None:
    needed = BYTES_BASE + BYTES_PER_ROW * rows
    free = shutil.disk_usage(parent).free
    if free < needed:
        raise ReportSetError(f"only {free / 1e6:.1f} MB free in {parent}; the reports of {rows} files need "
                             f"about {needed / 1e6:.1f} MB")


def stage(*, target: Path, rows: int) -> Path:
    """Check ``target`` can take a new set and create its (empty) staging folder; ReportSetError says why not."""
    target = Path(target)
    _check_replaceable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _check_space(parent=target.parent, rows=rows)
        staging = _sibling(target, "new")
        staging.mkdir()
    except OSError as exc:
        raise ReportSetError(f"cannot write reports beside {target}: {exc.strerror or exc}") from None
    return staging


def _carry_hidden(*, target: Path, staging: Path) -> None:
    """Hidden files of the previous set (``.gitkeep``) stay; none of its reports do."""
    if target.is_dir():
        for path in target.iterdir():
            if path.name.startswith(".") and path.is_file() and not path.is_symlink():
                shutil.copy2(path, staging / path.name)


def make_durable() -> None:
    """Flush what the staging folders hold to disk before they are swapped in: their files are written plainly
    (a staging folder is new and seen by no reader), so one sync here stands for an fsync per file."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def swap_in(*, pairs: list[tuple[Path, Path]]) -> None:
    """Put each staging folder in its target's place (signals wait until every rename is done)."""
    if not pairs:
        return
    make_durable()
    olds = []
    with signals_deferred():
        for staging, target in pairs:
            _carry_hidden(target=target, staging=staging)
            if os.path.lexists(target):
                old = _sibling(target, "old")
                os.rename(target, old)
                try:
                    os.rename(staging, target)
                except OSError:
                    os.rename(old, target)
                    raise
                olds.append(old)
            else:
                os.rename(staging, target)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def discard(*, folders: list[Path]) -> None:
    with signals_deferred():
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def out_lock(*, out: Path) -> Iterator[None]:
    """Hold the lock on ``out`` for the block; ReportSetError when another run holds it."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise ReportSetError(f"cannot write reports beside {out}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise ReportSetError(f"another grade run (pid {other}) is writing reports to {out}; wait for it to "
                                 "finish (or stop it) and run again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


class ReportSets:
    """The staging folders of one command's report sets, swapped in together by :meth:`commit`."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Path, Path]] = []

    def stage(self, *, target: Path, rows: int) -> Path:
        with signals_deferred():  # no interrupt between creating the staging folder and recording it
            repair(target=Path(target))
            staging = stage(target=target, rows=rows)
            self.pairs.append((staging, Path(target)))
        return staging

    def unchanged(self, target: Path) -> None:
        """``target`` already holds the set staged for it (grader/reports/set_cache.py): it is left as it is,
        and its staging folder goes."""
        staging = self.staging_for(target)
        with signals_deferred():
            self.pairs.remove((staging, Path(target)))
            shutil.rmtree(staging, ignore_errors=True)

    def staging_for(self, target: Path) -> Path:
        return next(staging for staging, t in self.pairs if t == Path(target))

    def commit(self) -> None:
        swap_in(pairs=self.pairs)
        self.pairs = []

    def discard(self) -> None:
        discard(folders=[staging for staging, _ in self.pairs])
        self.pairs = []


@contextmanager
def report_sets(*, out: Path) -> Iterator[ReportSets]:
    """Lock ``out`` and yield the report sets to stage; whatever was not committed is discarded on exit."""
    with out_lock(out=out):
        sets = ReportSets()
        try:
            yield sets
        finally:
            sets.discard()


def write_report_set(*, run: RunResult, assignment: Assignment, out_dir: Path) -> list[Path]:
    """Write every report of ``run`` as a new set replacing ``out_dir`` as a whole (see the module docstring);
    returns the written files, under ``out_dir``."""
    out_dir = Path(out_dir)
    with report_sets(out=out_dir) as sets:
        staging = sets.stage(target=out_dir, rows=len(run.submissions))
        written = write_reports(run=run, assignment=assignment, out_dir=staging)
        sets.commit()
    return [out_dir / path.relative_to(staging) for path in written]
