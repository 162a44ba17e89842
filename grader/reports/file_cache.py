"""Whole files reused across runs: a file that is what it was when an earlier run graded it, under a grading
that is what it was, gets that run's share of the report set again, without being read, graded or rendered.

A file's share (:class:`~grader.reports.file_report.FileReport`: its pages, results.json item, class row,
answer-group rows, what it says of the overrides entries) depends on its bytes and its name in the folder, on the
grading (the assignment's files, the grader's own source and the versions of what it runs on, the run's bounds)
and on the overrides entries that concern it (grader/review/scope.py). The first two make its **key**; the
entries' fingerprint is checked against the one kept with it. A file whose entries changed is not graded again
either: its result before the decisions is kept with it (the results.json item itself when no decision applied
to it), and a worker applies the run's decisions to that result and makes its reports again (:class:`Known`), so
a decision about one answer group costs the reports of the files in that group alone.

Kept on disk beside the verdict store (``GRADER_CACHE_DIR``, else ``~/.cache/grader``): an SQLite file per
assignment version and grader version, and a folder of the pages, which a run hard-links into its staging
folder (copied where the two are on different file systems). A record not used by the last
:data:`KEEP_RUNS` runs goes, with its pages. Never trusted blindly: a page that is gone or changed size, a
record that does not decode, a file that changed while it was being graded is a miss (graded again), and a cache
that cannot be used at all is no reason to stop a run: the run grades everything.

Only what a grading decides from the file alone is kept: rows of files that could not be read, or with a part
whose check ran out of time or memory, or whose call was killed, are graded again on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from grader.reports.file_record import GroupRowLines, Hit, Known, hit_of, pack_groups, record_meta
from grader.reports.file_report import FileReport
from grader.reports.row_store import pack, unpack
from grader.results import SubmissionResult
from grader.review.scope import DecisionScope

#: records not used by this many of the latest runs are removed, with their pages
KEEP_RUNS = 3
#: files larger than this are not hashed (graded every run)
MAX_HASHED_BYTES = 64 * 2**20
_CHUNK = 1 << 20
_COMMIT_EVERY = 500
# ``meta``: the record's small facts (zlib'd JSON); ``groups``: its answer-group rows (the largest part of a record
# a run reads, for every file it reuses), a line of ASCII JSON each: most repeat from file to file, so a run decodes
# each distinct line once (grader/reports/file_record.py). A rowid table: its records are kilobytes, too large for
# a WITHOUT ROWID one's B-tree pages
_SCHEMA = ("CREATE TABLE IF NOT EXISTS files (key BLOB PRIMARY KEY, scope TEXT NOT NULL, page TEXT NOT NULL, "
           "meta BLOB NOT NULL, groups BLOB NOT NULL, item BLOB NOT NULL, waiting BLOB, slim BLOB NOT NULL, "
           "graded BLOB)",
           # the last run that used each record, apart: marking one rewrites a short row, not the record's blobs
           "CREATE TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY, run INTEGER NOT NULL) WITHOUT ROWID",
           "CREATE INDEX IF NOT EXISTS used_by_run ON used (run)",
           "CREATE TABLE IF NOT EXISTS runs (n INTEGER NOT NULL)")
_PAGES = (("feedback", ".md"), ("students", ".html"))


@dataclass(frozen=True, slots=True)
class Seen:
    """A file as the run found it before grading it: its key, and what ``fstat`` said (to tell whether it changed
    while it was graded)."""

    where: str
    key: bytes
    stamp: tuple[int, int, int]


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino


def reusable(result: SubmissionResult) -> bool:
    """Whether ``result`` is decided by its file alone (not a row saying it could not be read, which may be the
    file system's passing trouble, nor a part that ran out of its bounds)."""
    return result.status == "graded" and all(part.verdict != "could_not_evaluate" for part in result.parts.values())


class FileCache:
    """The reusable files of one assignment version (see the module docstring), for one run: ``path`` is its
    SQLite file, ``run_key`` what the grading is made of (:func:`run_key`), ``scope`` the run's overrides
    entries. Used from several threads."""

    def __init__(self, *, path: Path, run_key: bytes, scope: DecisionScope) -> None:
        self.path = Path(path)
        self.pages = self.path.with_suffix(".pages")
        self._pages = os.fspath(self.pages)
        self._run_key, self._scope = run_key, scope
        self._lock = threading.Lock()
        self._seen: dict[str, Seen] = {}
        self._looked: dict[str, Seen | None] = {}  # by path: a file is read and hashed once per run
        self._whole: set[str] = set()  # the files (shown names) whose whole share this run kept or reused
        self._used: list[bytes] = []
        self._pending: list[tuple[Any, ...]] = []  # records kept, written a batch at a time
        self._rows = GroupRowLines()  # the group rows decoded this run, by their kept line
        self._db: sqlite3.Connection | None = None
        try:
            self.pages.mkdir(parents=True, exist_ok=True)
            self._db = db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                db.execute(statement)
            self._run = _next_run(db)
        except (sqlite3.Error, OSError):
            self._broken()

    def _broken(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    # --- before grading -----------------------------------------------------------------------------------

    def seen(self, *, where: str, shown: str) -> Seen | None:
        """The file at ``where`` (shown as ``shown``) as it is now, or None when it cannot be reused (not a
        regular file any more, too large, unreadable: its grading says why). Opened without blocking: a file
        replaced by a named pipe since the listing is never waited on."""
        if self._db is None:
            return None
        if where not in self._looked:
            self._looked[where] = self._hashed(where=where, shown=shown)
        return self._looked[where]

    def _hashed(self, *, where: str, shown: str) -> Seen | None:
        try:
            handle = os.open(where, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_HASHED_BYTES:
                return None
            digest = hashlib.blake2b(self._run_key, digest_size=20)
            digest.update(shown.encode("utf-8", "surrogatepass") + b"\0")
            while chunk := os.read(handle, _CHUNK):
                digest.update(chunk)
        except OSError:
            return None
        finally:
            os.close(handle)
        return Seen(where=where, key=digest.digest(), stamp=_stamp(info))

    def used(self, seen: Seen, *, shown: str) -> None:
        """The run reused the file shown as ``shown``: its record stays for the next runs."""
        with self._lock:
            self._used.append(seen.key)
            self._whole.add(shown)

    def set_key(self, files: Iterable[tuple[str, Seen]]) -> bytes:
        """The key of a whole report set of ``files`` ((shown name, as seen) of every file of a run, in order)
        under this run's grading and every one of its overrides entries (grader/reports/set_cache.py)."""
        digest = hashlib.blake2b(self._run_key, digest_size=20)
        digest.update(self._scope.whole().encode("ascii") + b"\0")
        for shown, seen in files:
            digest.update(shown.encode("utf-8", "surrogatepass") + b"\0" + seen.key)
        return digest.digest()

    def covers(self, shown: Iterable[str]) -> bool:
        """Whether this run kept or reused the whole share of every one of the files shown as ``shown``."""
        with self._lock:
            return self._whole.issuperset(shown)

    def slim_of(self, seen: Seen) -> SubmissionResult | None:
        """The kept slim copy of a file (for a progress display), None when there is none."""
        try:
            with self._lock:
                row = None if self._db is None else \
                    self._db.execute("SELECT slim FROM files WHERE key = ?", (seen.key,)).fetchone()
            return None if row is None else SubmissionResult.model_validate_json(unpack(row[0]))
        except (sqlite3.Error, zlib.error, ValueError):
            return None

    def expect(self, *, shown: str, seen: Seen) -> None:
        """The run grades the file shown as ``shown``: it is kept once graded (:meth:`keep`)."""
        with self._lock:
            self._seen[shown] = seen

    def found(self, seen: Seen) -> Hit | Known | None:
        """The file's share as a run kept it under the same entries' fingerprint; its result before the decisions
        when the entries that concern it changed since; else None."""
        try:
            with self._lock:
                if self._db is None:
                    return None
                row = self._db.execute("SELECT scope, page, meta, groups, item, waiting, slim, graded FROM files "
                                       "WHERE key = ?", (seen.key,)).fetchone()
            if row is None:
                return None
            scope, page, meta, packed, item, waiting, slim, graded = row
            kept = json.loads(zlib.decompress(meta))
            groups = self._rows.decoded(packed)
            if self._scope.fingerprint(student=kept["student"], groups=((g.part_id, g.key) for g in groups)) != scope:
                return Known(graded=item if graded is None else graded)
            return hit_of(kept, groups=groups, item=item, waiting=waiting, slim=slim, page=page)
        except (sqlite3.Error, zlib.error, ValueError, KeyError, TypeError):
            return None

    def place(self, hit: Hit, *, out_dir: Path, stem: str) -> bool:
        """Put the hit's kept pages in ``out_dir`` as ``stem``'s; False (nothing placed) when one is gone or is
        not the size it was kept at (edited in place since)."""
        placed: list[str] = []
        try:
            for (folder, suffix), size in zip(_PAGES, hit.sizes, strict=True):
                source = os.path.join(self._pages, hit.page + suffix)
                target = os.path.join(out_dir, folder, stem + suffix)
                if os.stat(source).st_size != size:
                    raise FileNotFoundError(source)
                link_or_copy(source, target)
                placed.append(target)
            return True
        except (OSError, ValueError):
            for target in placed:
                Path(target).unlink(missing_ok=True)
            return False

    # --- after grading ------------------------------------------------------------------------------------

    def keep(self, *, shown: str, report: FileReport | None, flagged: tuple[str, ...], out_dir: Path,
             stem: str, item: bytes, waiting: bytes | None, lines: tuple[str, str]) -> None:
        """Keep a file graded in this run (its pages are in ``out_dir`` as ``stem``'s; ``item`` and ``waiting``:
        its report's, packed; ``lines``: its class-page row and grades.csv line) for the next runs, unless it
        changed while it was graded; ``report`` None: the file is not to be kept (see :func:`reusable`)."""
        with self._lock:
            seen = self._seen.pop(shown, None)
        if seen is None or report is None or self._db is None:
            return
        try:
            if _stamp(os.stat(seen.where)) != seen.stamp:
                return
            scope = self._scope.fingerprint(student=report.student, groups=((g.part_id, g.key) for g in report.groups))
            page = hashlib.blake2b(seen.key + scope.encode(), digest_size=16).hexdigest()
            sizes = []
            for folder, suffix in _PAGES:
                made, target = os.path.join(out_dir, folder, stem + suffix), os.path.join(self._pages, page + suffix)
                sizes.append(os.stat(made).st_size)
                try:
                    link_or_copy(made, target)
                except FileExistsError:  # kept by an earlier run under the same entries
                    pass
            text = json.dumps(record_meta(report, flagged=flagged, sizes=sizes, stem=stem, lines=lines), ensure_ascii=False)
            record = (seen.key, scope, page, zlib.compress(text.encode("utf-8", "surrogatepass"), 1),
                      pack_groups(report.groups), item, waiting,
                      report.kept_slim or pack(report.slim.model_dump_json()), report.graded)
            with self._lock:
                if self._db is not None:
                    self._pending.append(record)
                    self._whole.add(shown)
                    if len(self._pending) >= _COMMIT_EVERY:
                        self._write(self._db)
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return

    def _write(self, db: sqlite3.Connection) -> None:
        """Write the pending records (key, scope, page, meta, groups, item, waiting, slim, graded) and commit them
        (a concurrent run of the same assignment waits no longer than a batch), dropping the pages of the records
        they replace."""
        records, self._pending = self._pending, []
        if not records:
            return
        keys = [record[0] for record in records]
        old: dict[bytes, str] = {}
        for start in range(0, len(keys), _COMMIT_EVERY):  # SQLite's bound on a statement's parameters: 999 or more
            chunk = keys[start:start + _COMMIT_EVERY]
            marks = ", ".join("?" * len(chunk))
            old.update(db.execute(f"SELECT key, page FROM files WHERE key IN ({marks})", chunk))  # noqa: S608
        db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
        db.executemany("INSERT OR REPLACE INTO used VALUES (?, ?)", ((key, self._run) for key in keys))
        db.execute("COMMIT")
        db.execute("BEGIN")
        for record in records:
            was = old.get(record[0])
            if was is not None and was != record[2]:
                self._remove_pages(was)

    def _remove_pages(self, page: str) -> None:
        for _, suffix in _PAGES:
            try:
                os.unlink(f"{self._pages}/{page}{suffix}")
            except FileNotFoundError:
                pass

    def close(self) -> None:
        """Mark the files this run reused, drop the records of the runs before the last :data:`KEEP_RUNS`, and
        commit (a run that stops early keeps the files it graded: each record is a whole file's share)."""
        with self._lock:
            db, self._db = self._db, None
        if db is None:
            return
        try:
            self._write(db)
            db.executemany("INSERT OR REPLACE INTO used VALUES (?, ?)", ((key, self._run) for key in self._used))
            last = self._run - KEEP_RUNS
            gone = "SELECT key FROM used WHERE run <= ?"
            old = db.execute(f"SELECT page FROM files WHERE key IN ({gone})", (last,)).fetchall()  # noqa: S608
            db.execute(f"DELETE FROM files WHERE key IN ({gone})", (last,))  # noqa: S608 - constant text
            db.execute("DELETE FROM used WHERE run <= ?", (last,))
            db.execute("COMMIT")
            for (page,) in old:
                self._remove_pages(page)
        except (sqlite3.Error, OSError):
            pass
        finally:
            db.close()


def _next_run(db: sqlite3.Connection) -> int:
    """This run's number (one more than the last one's), and its transaction begun."""
    row = db.execute("SELECT n FROM runs").fetchone()
    run = 1 if row is None else row[0] + 1
    db.execute("DELETE FROM runs")
    db.execute("INSERT INTO runs VALUES (?)", (run,))
    db.execute("BEGIN")
    return run


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` the same file as ``source`` (a hard link; a copy where the two folders' file systems differ or
    links are not allowed)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def run_key(*, assignment_fingerprint: str, grader_fingerprint: str, options: dict[str, Any]) -> bytes:
    """What every file's grading and reports are made of besides the file: the assignment's and the grader's
    fingerprints (the latter with the versions of the libraries it runs on) and the run's bounds."""
    material = json.dumps([assignment_fingerprint, grader_fingerprint, options], sort_keys=True)
    return hashlib.blake2b(material.encode("utf-8"), digest_size=20).digest()


def open_file_cache(*, assignment: Any, options: dict[str, Any], decisions: Any) -> FileCache | None:
    """The file cache of ``assignment`` (as loaded) for a run with ``options`` (its bounds) and ``decisions``
    (the overrides entries), or None when the assignment was not read from a folder (nothing to key it by)."""
    from grader.grading.verdict_store import assignment_fingerprint, cache_folder, grader_fingerprint
    from grader.results import RunResult
    from grader.review.overrides import own_entries

    content = assignment_fingerprint(assignment=assignment)
    if content is None:
        return None
    grader = grader_fingerprint()
    key = run_key(assignment_fingerprint=content, grader_fingerprint=grader, options=options)
    entries = own_entries(run=RunResult.of(assignment=assignment, submissions=()), overrides=decisions)
    path = cache_folder() / f"files-{assignment.id}-{content}-{grader}.sqlite"
    return FileCache(path=path, run_key=key, scope=DecisionScope(entries))
