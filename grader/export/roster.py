"""Class rosters as the LMSs export them, and matching our submissions to their rows.

A roster is the CSV an LMS exports (Canvas gradebook, Moodle grade export, Blackboard Grade Center download,
Brightspace grades export, or any CSV with such columns). Columns are recognised by their header (case,
spaces and punctuation ignored): student number (``SIS User ID``, ``Student ID``, ``ID number``,
``OrgDefinedId``, ``Student number``), e-mail (``Email address``, ``Email``), login (``SIS Login ID``,
``Username``), the LMS's own id (``ID``) and the name (``Student``/``Name``/``Full name``, or ``First name`` +
``Last name``).

Matching, for each submission, stage by stage; the first stage that finds any row decides:

1. its ``student_number`` (read from the file's header) = the roster's student number;
2. its id (``student``) = the student number, the e-mail (or the e-mail's part before ``@``), the login
   (a leading ``#``, as Brightspace writes usernames, is ignored) or the LMS id;
3. its ``name`` (read from the file's header) = the roster name, ignoring case, diacritics, whitespace,
   punctuation and word order (so "Last, First" and "First Last" are the same name);
4. its id read as a name (``alice.chen`` -> "alice chen"), same rules.

A stage that finds two rows leaves the submission unmatched (ambiguous, naming the rows). Duplicate
student numbers, e-mails, logins or LMS ids in the roster, and two submissions matching one row, are errors
that name the rows and files."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

from grader.results import SubmissionResult

KEYS = ("number", "email", "login", "lms_id")

_ALIASES = {
    "number": ("sisuserid", "studentid", "idnumber", "orgdefinedid", "studentnumber", "matriculationnumber",
               "matrikelnummer"),
    "email": ("email", "emailaddress", "mail"),
    "login": ("sisloginid", "username", "login", "loginid"),
    "lms_id": ("id",),
    "full_name": ("student", "name", "fullname", "studentname"),
    "first_name": ("firstname", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
}


class RosterError(Exception):
    """The roster cannot be read or is inconsistent; the message names the rows."""


def _header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


@dataclass(frozen=True)
class RosterRow:
    #: line of the roster file where the row ends (1 = the header)
    line: int
    fields: dict[str, str]
    #: recognised identifiers: number, email, login, lms_id (as written)
    ids: dict[str, str]
    first_name: str = ""
    last_name: str = ""
    full_name: str = ""

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def describe(self) -> str:
        ids = ", ".join(f"{key}={value}" for key, value in self.ids.items() if value)
        return f"line {self.line} ({self.display_name or '?'}{'; ' + ids if ids else ''})"

    def name_keys(self) -> set[tuple[str, ...]]:
        keys = {name_key(self.full_name)} if self.full_name else set()
        if self.first_name or self.last_name:
            keys.add(name_key(f"{self.first_name} {self.last_name}"))
        keys.discard(())
        return keys


@dataclass(frozen=True)
class Roster:
    path: Path
    headers: tuple[str, ...]
    rows: tuple[RosterRow, ...]
    #: header of each recognised column (number, email, login, lms_id, full_name, first_name, last_name)
    columns: dict[str, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.columns and any(row.ids.get(key) for row in self.rows)


def name_key(text: str | None) -> tuple[str, ...]:
    """A name compared ignoring case, diacritics, whitespace, punctuation and word order."""
    if not text:
        return ()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u200c", "").replace("ي", "ی").replace("ك", "ک")  # Persian ZWNJ, Arabic yeh/kaf
    return tuple(sorted(re.findall(r"[^\W_]+", text.casefold())))


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"{path}: the roster is not UTF-8 text (save it as CSV UTF-8)") from None


def read_roster(*, path: Path, skip: Callable[[dict[str, str]], bool] | None = None) -> Roster:
    """Read an LMS roster export; ``skip`` drops non-student rows (Canvas's ``Points Possible``)."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster: {exc.strerror or exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RosterError(f"{path}: the roster is empty") from None
    columns: dict[str, str] = {}
    for header in headers:
        key = _header_key(header)
        for kind, aliases in _ALIASES.items():
            if key in aliases and kind not in columns:
                columns[kind] = header
    if not any(kind in columns for kind in (*KEYS, "full_name", "first_name", "last_name")):
        raise RosterError(f"{path}: no student column recognised in the header {headers!r} (expected e.g. "
                          "'SIS User ID', 'Email address', 'Username', 'OrgDefinedId', 'Student' or 'Last Name')")
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            fields = {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers)}
            if skip is not None and skip(fields):
                continue
            get = lambda kind, fields=fields: fields.get(columns[kind], "").strip() if kind in columns else ""  # noqa: E731
            rows.append(RosterRow(line=reader.line_num, fields=fields, ids={k: get(k) for k in KEYS if k in columns},
                                  first_name=get("first_name"), last_name=get("last_name"), full_name=get("full_name")))
    except csv.Error as exc:
        raise RosterError(f"{path}: line {reader.line_num}: not valid CSV: {exc}") from None
    roster = Roster(path=path, headers=tuple(headers), rows=tuple(rows), columns=columns)
    _check_unique(roster)
    return roster


def _id_value(kind: str, value: str) -> str:
    value = value.strip().casefold()
    return value.lstrip("#") if kind == "login" else value


def _check_unique(roster: Roster) -> None:
    problems = []
    for kind in KEYS:
        seen: dict[str, list[RosterRow]] = {}
        for row in roster.rows:
            value = _id_value(kind, row.ids.get(kind, ""))
            if value:
                seen.setdefault(value, []).append(row)
        for value, rows in seen.items():
            if len(rows) > 1:
                problems.append(f"{roster.columns[kind]!r} {value!r} is on " + " and ".join(r.describe() for r in rows))
    if problems:
        raise RosterError(f"{roster.path}: duplicate ids in the roster:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Match:
    submission: SubmissionResult
    row: RosterRow
    #: which rule matched (for the side report)
    how: str


@dataclass(frozen=True)
class Unmatched:
    submission: SubmissionResult
    reason: str


@dataclass(frozen=True)
class Matching:
    matches: tuple[Match, ...]
    missing: tuple[RosterRow, ...]
    unmatched: tuple[Unmatched, ...]

    def submission_of(self, row: RosterRow) -> SubmissionResult | None:
        for match in self.matches:
            if match.row is row:
                return match.submission
        return None


def _stages(submission: SubmissionResult):
    number = (submission.student_number or "").strip().casefold()
    sid = submission.student.strip().casefold()
    yield "student number", lambda row: bool(number) and _id_value("number", row.ids.get("number", "")) == number
    yield "id = student number", lambda row: _id_value("number", row.ids.get("number", "")) == sid
    yield "id = e-mail", lambda row: (bool(row.ids.get("email"))
                                      and sid in (_id_value("email", row.ids["email"]),
                                                  _id_value("email", row.ids["email"]).split("@")[0]))
    yield "id = login", lambda row: _id_value("login", row.ids.get("login", "")) == sid.lstrip("#")
    yield "id = LMS id", lambda row: _id_value("lms_id", row.ids.get("lms_id", "")) == sid
    name = name_key(submission.student_name)
    yield "name", lambda row: bool(name) and name in row.name_keys()
    id_name = name_key(re.sub(r"[._\-]+", " ", submission.student))
    yield "id as name", lambda row: len(id_name) >= 2 and id_name in row.name_keys()


def match_roster(*, submissions: tuple[SubmissionResult, ...], roster: Roster) -> Matching:
    matches: list[Match] = []
    unmatched: list[Unmatched] = []
    for submission in submissions:
        for how, test in _stages(submission):
            hits = [row for row in roster.rows if test(row)]
            if len(hits) == 1:
                matches.append(Match(submission=submission, row=hits[0], how=how))
                break
            if hits:
                unmatched.append(Unmatched(submission=submission, reason=f"ambiguous by {how}: " +
                                           ", ".join(row.describe() for row in hits)))
                break
        else:
            unmatched.append(Unmatched(submission=submission, reason="no roster row has its student number, id "
                                       "or name"))
    by_row: dict[int, list[Match]] = {}
    for match in matches:
        by_row.setdefault(id(match.row), []).append(match)
    clashes = [group for group in by_row.values() if len(group) > 1]
    if clashes:
        lines = [f"{group[0].row.describe()} is matched by " + " and ".join(
            f"{m.submission.file} ({m.how})" for m in group) for group in clashes]
        raise RosterError(f"{roster.path}: two submissions match one roster row:\n  " + "\n  ".join(lines))
    matched_rows = {id(m.row) for m in matches}
    return Matching(matches=tuple(matches), missing=tuple(r for r in roster.rows if id(r) not in matched_rows),
                    unmatched=tuple(unmatched))
