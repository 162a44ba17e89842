"""The verdict cache on disk, so that a re-run (after a review decision, or for one late submission)
checks only the answers it has not seen.

One SQLite file (stdlib ``sqlite3``) per assignment version and grader version, in the user's cache
folder (``$GRADER_CACHE_DIR``, else ``$XDG_CACHE_HOME/grader``, else ``~/.cache/grader``): its name holds
a hash of the assignment's files (manifest, problem files, its own solver modules), of the grader's own
files (its source, LaTeX grammar and templates) and of the Python and library versions, and the version of
the keys' material (``verdict_cache.KEY_VERSION``, which also personalises their hash), so an edited problem,
a changed grader, another NumPy or keys made another way never read an outcome computed before.  Keys are
:func:`~grader.grading.verdict_cache.verdict_key`; outcomes are read back through the workers' allow-list
unpickler (``grader.sandbox.safe_arguments``), as a file on disk may have been changed by anyone.  ``grade
--no-cache`` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import os
import pickle  # noqa: S403 - dumps here; loads go through the sandbox's allow-list unpickler
import sqlite3
import sys
import threading
from functools import lru_cache
from pathlib import Path

from grader.grading.part import PartOutcome
from grader.problems.models import Assignment

_SCHEMA = "CREATE TABLE IF NOT EXISTS verdicts (key BLOB PRIMARY KEY, outcome BLOB NOT NULL)"


def cache_folder() -> Path:
    if os.environ.get("GRADER_CACHE_DIR"):
        return Path(os.environ["GRADER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "grader"


_LIBRARIES = ("numpy", "sympy", "pydantic", "jinja2", "markupsafe", "latex2mathml")


@lru_cache(maxsize=1)
def grader_fingerprint() -> str:
    """A hash of the grader's own files (source, grammar, templates: :func:`source_digest`) and of the versions its
    results and reports depend on (Python and the libraries that compute, parse or render them): every cache keyed
    by it (verdicts, whole files, the checked context, compiled templates) starts afresh when one of them
    changes."""
    from importlib import metadata

    digest = hashlib.blake2b(digest_size=16)
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    digest.update(f"{sys.version_info[:3]} {' '.join(versions)}".encode())
    source_digest(folder=Path(__file__).resolve().parents[1], into=digest)
    return digest.hexdigest()


def source_digest(*, folder: Path, into: "hashlib.blake2b") -> None:
    """Every file of the package at ``folder`` into ``into``, by its path and bytes: its modules and what they
    read (the LaTeX grammar, the report and review templates, the style sheet, the math font), so a changed
    grammar or template is a changed grader too; never what Python writes beside them (``__pycache__``)."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if "__pycache__" in relative.parts or path.suffix in (".pyc", ".pyo") or not path.is_file():
            continue
        into.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def assignment_fingerprint(*, assignment: Assignment) -> str | None:
    """A hash of the files the assignment was read from (None: it was not read from a folder)."""
    from grader.problems.loader import ASSIGNMENT_FILE
    from grader.solvers.local import local_solver_files

    if not assignment.source_dir:
        return None
    folder = Path(assignment.source_dir)
    files = [folder / ASSIGNMENT_FILE, *(folder / name for name in assignment.problem_files),
             *local_solver_files(folder=folder)]
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            return None
    return digest.hexdigest()


def store_path(*, assignment: Assignment) -> Path | None:
    """Where the verdicts of this assignment version graded by this grader version are kept."""
    content = assignment_fingerprint(assignment=assignment)
    if content is None:
        return None
    from grader.grading.verdict_cache import KEY_VERSION

    # the key's version as well as the grader's: a store of keys made another way is another file
    return cache_folder() / f"verdicts-{assignment.id}-{content}-{grader_fingerprint()}-k{KEY_VERSION}.sqlite"


#: new outcomes a process keeps before it writes them: a file's job writes its own at its end (one transaction per
#: file instead of a commit per new outcome, three quarters of the store's cost), a longer job every this many
MAX_PENDING = 256

#: keys of the file a process mirrors in memory (~90 bytes each), so that a miss asks the file only for a key it
#: holds; a bigger file is asked on every miss
MAX_KNOWN = 50_000


class VerdictStore:
    """The SQLite file of one store path; each process (and thread) opens its own connection. New outcomes are
    kept in memory until :meth:`flush` (the jobs call it at the end of each file and part), then written in one
    transaction: another process sees them from then on. Each process mirrors the file's keys (read at the
    first use, and those written since at each flush), so that a miss, most of a cold run's look-ups, costs no
    query: an outcome another process wrote since this one last looked is checked again (the same result)."""

    def __init__(self, *, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._pending: dict[bytes, PartOutcome] = {}
        self._lock = threading.Lock()  # the kept outcomes and the mirrored keys
        self._known: set[bytes] | None = set()  # None: the file holds too many keys to mirror
        self._known_rowid = 0
        self.broken = False  # a cache that cannot be used is no reason to stop grading

    def _connection(self) -> sqlite3.Connection | None:
        if self.broken:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
                self._learn_keys(conn)
            except (sqlite3.Error, OSError):
                self.broken = True
                return None
            self._local.conn = conn
        return conn

    def _learn_keys(self, conn: sqlite3.Connection) -> None:
        """Add the keys written to the file since this process last looked (rows are only ever added or
        replaced by the same key, so each new key has a rowid above every one seen before)."""
        with self._lock:
            if self._known is None:
                return
            after = self._known_rowid
        last = conn.execute("SELECT max(rowid) FROM verdicts").fetchone()[0] or 0
        if last <= after:
            return
        if last - after > MAX_KNOWN:  # rowids are never fewer than the rows: too many to mirror
            with self._lock:
                self._known = None
            return
        rows = conn.execute("SELECT rowid, key FROM verdicts WHERE rowid > ?", (after,)).fetchall()
        with self._lock:
            if self._known is None or not rows:
                return
            self._known.update(key for _, key in rows)
            self._known_rowid = max(self._known_rowid, max(rowid for rowid, _ in rows))
            if len(self._known) > MAX_KNOWN:
                self._known = None

    def _may_hold(self, key: bytes) -> bool:
        with self._lock:
            return self._known is None or key in self._known

    def get(self, key: bytes) -> PartOutcome | None:
        from grader.sandbox.safe_arguments import decode_arguments

        with self._lock:
            found = self._pending.get(key)
        if found is not None:
            return found
        conn = self._connection()
        if conn is None or not self._may_hold(key):
            return None
        try:
            row = conn.execute("SELECT outcome FROM verdicts WHERE key = ?", (key,)).fetchone()
            found = decode_arguments(data=row[0]) if row is not None else None
        except Exception:  # noqa: BLE001 - an unreadable entry is a miss
            return None
        return found if isinstance(found, PartOutcome) else None

    def put(self, key: bytes, outcome: PartOutcome) -> None:
        """Keep ``outcome`` to be written by the next :meth:`flush` (at once when many are waiting)."""
        if self.broken:
            return
        with self._lock:
            self._pending[key] = outcome
            full = len(self._pending) >= MAX_PENDING
        if full:
            self.flush()

    def flush(self) -> None:
        """Write the outcomes kept since the last flush, in one transaction (an outcome that does not pickle is
        left out; a store that fails to write loses them, and grading goes on), and learn the keys other
        processes wrote meanwhile."""
        with self._lock:
            pending, self._pending = self._pending, {}
        conn = self._connection()
        if conn is None:
            return
        if pending:
            self._write(conn, pending)
        try:
            self._learn_keys(conn)
        except sqlite3.Error:
            pass

    def _write(self, conn: sqlite3.Connection, pending: dict[bytes, PartOutcome]) -> None:
        rows = []
        for key, outcome in pending.items():
            try:
                rows.append((key, pickle.dumps(outcome, protocol=5)))
            except (pickle.PicklingError, TypeError):
                continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany("INSERT OR REPLACE INTO verdicts (key, outcome) VALUES (?, ?)", rows)
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
