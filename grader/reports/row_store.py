"""Where a streamed run keeps its submissions until the class-level reports are written: an SQLite file in the
staging folder, one row per file (its slim copy and its results.json item), so the run's process holds none of
them in memory, whatever the number of files.

Rows come back in file order (the order of ``sorted`` on the names): names are stored as UTF-8 bytes
(``surrogatepass``: a name that is not valid UTF-8 is kept in its escaped form), whose byte order is their code
point order. The file is scratch: no journal, no fsync; the staging folder is swapped in whole, and the store
is removed before. The two large columns, the results.json item and the review copy of a file waiting for a
person, are kept *packed* (:func:`pack`: zlib, fast): a third of the bytes to write and read, and a file reused
from an earlier run (grader/reports/file_cache.py) hands over its packed bytes as they were kept.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

from grader.grading.duplicates import id_key

STORE = ".results.sqlite"
_COMMIT_EVERY = 2000


def pack(text: str) -> bytes:
    """``text`` as the store keeps a large column."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


def _key(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


_READ = {"row": _text, "waiting": unpack, "item": unpack, "flagged": _text, "html": _text, "csv": _text}


class RowStore:
    """The rows of one run (see the module docstring); used from one thread at a time."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / STORE
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-4096"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE rows (file BLOB PRIMARY KEY, id BLOB NOT NULL, row BLOB NOT NULL, "
                         "waiting BLOB, item BLOB NOT NULL, flagged BLOB NOT NULL, html BLOB NOT NULL, "
                         "csv BLOB NOT NULL) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self._pending = 0
        self.count = 0

    def put(self, *, file: str, student: str, row: bytes, waiting: bytes | None, item: bytes,
            flagged: tuple[str, ...], html: str, csv: str) -> None:
        """Keep one file's row: its ClassRow, its slim copy when a part waits for a person, its results.json item
        (those two :func:`pack` ed; ``flagged``: the other files its item already names as claiming its student
        id), and its row of the class page's student table and its line of grades.csv, made."""
        try:
            self._db.execute("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (_key(file), _key(id_key(student)), row, waiting, item,
                              json.dumps(list(flagged)).encode("utf-8"), html.encode("utf-8"), csv.encode("utf-8")))
        except sqlite3.IntegrityError:
            raise ValueError(f"{file!r} was reported twice in one run") from None
        self.count += 1
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:  # keeps the store's page cache, not the transaction, in memory
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._pending = 0

    def done(self) -> None:
        """Every row is in: commit them, to be read."""
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def same_student(self) -> dict[str, tuple[str, ...]]:
        """File -> the other files claiming its student id (case and spaces ignored), for those files only."""
        query = ("SELECT file, id FROM rows WHERE id IN (SELECT id FROM rows GROUP BY id HAVING COUNT(*) > 1) "
                 "ORDER BY id, file")
        claims: dict[bytes, list[str]] = {}
        for file, key in self._db.execute(query):
            claims.setdefault(key, []).append(_text(file))
        return {file: tuple(other for other in files if other != file)
                for files in claims.values() for file in files}

    def rows(self, *columns: str, waiting: bool = False) -> Iterator[tuple[str, ...]]:
        """(file, *columns) of every row in file order (``waiting``: only those with a part waiting for a
        person); ``columns``: row, waiting, item, flagged, html, csv (as text, unpacked)."""
        if not columns or any(c not in _READ for c in columns):
            raise ValueError(f"unknown column in {columns!r}")
        where = " WHERE waiting IS NOT NULL" if waiting else ""
        cursor = self._db.execute(f"SELECT file, {', '.join(columns)} FROM rows{where} ORDER BY file")  # noqa: S608
        readers = (_text, *(_READ[c] for c in columns))
        for row in cursor:
            yield tuple([read(value) for read, value in zip(readers, row)])

    def row_of(self, file: str) -> str:
        """The ClassRow JSON of one file."""
        found = self._db.execute("SELECT row FROM rows WHERE file = ?", (_key(file),)).fetchone()
        if found is None:
            raise KeyError(file)
        return _text(found[0])

    def close(self) -> None:
        """Close and remove the store (also when the run stops early: the staging folder goes anyway)."""
        try:
            self._db.close()
        finally:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
