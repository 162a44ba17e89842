"""Read a class roster: a CSV with a header, or a text file with one student id per line.

CSV: the id column is the first header (case and blanks ignored) among ``SIS User ID``,
``username``, ``student``, ``student id``, ``id``, else the first column; the name column is
``name``, ``full name``, ``student name`` or ``display name``, else ``student`` when it is not the
id column (a Canvas export: ``Student`` holds the name, ``SIS User ID`` the id).  Rows without an
id and Canvas's ``Points Possible`` row are skipped; a repeated id is kept once.  Delimiters
``,``, ``;`` and tab are recognised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

ID_COLUMNS = ("sis user id", "username", "student", "student id", "id")
NAME_COLUMNS = ("name", "full name", "student name", "display name")
_SKIP_IDS = ("points possible",)


class RosterError(ValueError):
    pass


@dataclass(frozen=True)
class RosterEntry:
    student: str
    name: str = ""


def read_roster(*, path: Path) -> tuple[RosterEntry, ...]:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: the roster is not UTF-8 text (save it as CSV UTF-8)") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise RosterError(f"{path}: the roster is empty")
    if path.suffix.lower() in (".csv", ".tsv") or any(mark in lines[0] for mark in ",;\t"):
        entries = _from_csv(text, path)
    else:
        entries = [RosterEntry(student=line.strip()) for line in lines if not line.lstrip().startswith("#")]
    seen: set[str] = set()
    unique = []
    for entry in entries:
        key = entry.student.casefold()
        if key in seen:
            continue
        seen.add(key)
        unique.append(entry)
    if not unique:
        raise RosterError(f"{path}: no student ids found")
    return tuple(unique)


def _from_csv(text: str, path: Path) -> list[RosterEntry]:
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().casefold() for cell in rows[0]]
    id_col = next((header.index(name) for name in ID_COLUMNS if name in header), 0)
    name_col = next((header.index(name) for name in NAME_COLUMNS if name in header), None)
    if name_col is None and "student" in header and header.index("student") != id_col:
        name_col = header.index("student")
    entries = []
    for row in rows[1:]:
        student = row[id_col].strip() if id_col < len(row) else ""
        if not student or student.casefold() in _SKIP_IDS or (row and row[0].strip().casefold() in _SKIP_IDS):
            continue
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        entries.append(RosterEntry(student=student, name=name))
    return entries
