"""The student's name and student number from a free-form file's header.

Only the first lines are looked at (``MAX_HEADER_LINES`` non-empty lines among the first
``MAX_SCAN_LINES``, each cut at ``MAX_LINE_CHARS``), so the cost is bounded and linear. A line is
split into *fields* at wide gaps and at separators (``—``, `` - ``, ``·``, ``|``, ``,``, ``4.`` after a
number) and a name is taken only from a line that looks like a header, never from prose:

1. ``keyword``: a name keyword with a colon (``Name: Anna Volkova``, ``Студент: Иванов И.И.``,
   ``نام: مریم رستمی``);
2. ``id``: a name-like field next to an id-like number (5 to 12 digits, an optional letter prefix) or
   to an id keyword (``ID 1234``, ``Matr.-Nr. 5520187``, ``شماره دانشجویی: ۹۸۱۲۳۴۵۶``);
3. ``title``: the only name-like field of a homework title line (``Домашнее задание 1 — Смирнова
   Ольга``, ``sam okafor   HW2   pg 1``, ``# CNN basics — Tom Wright``: a field of nothing but words of
   the assignment's title counts as a title);
4. ``after-title``: a line holding nothing but a name, directly below a title line (``# HW 4`` /
   ``Ben Carter``).

A *name-like* field is 2 to 4 words (1 to 4 after a name keyword) of letters, hyphens, apostrophes or
initials (``T.``, ``И.И.``), consistently cased (all capitalised or all lower case), none of them a
title, page, date or course word nor a word of the assignment's title. The earliest kind wins
(keyword before id before title), then the earliest line; a title line with two name-like fields
gives no name. The student number comes from the name's line, else from a header line with an id
keyword. Persian and Arabic-Indic digits are folded to ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.text.characters import fold_digits

MAX_SCAN_LINES = 12
MAX_HEADER_LINES = 6
MAX_LINE_CHARS = 300

_SPLIT = re.compile(r"\s{2,}|\t|\s*[—–]\s*|\s+-{1,2}\s+|\s*[·|•]\s*|\s+/\s+|[,;،]\s*|(?<=[\d)])[.:]\s+")
_NAME_KEY = re.compile(
    r"^(?:full\s+name|student\s+name|name|student|studentin|nom|nombre|nome|имя|фио|студент|студентка"
    r"|выполнил|выполнила|نام\s+و\s+نام\s+خانوادگی|نام|دانشجو|姓名)\s*[:：]\s*(?P<rest>.*)$", re.IGNORECASE)
_ID_KEY = re.compile(
    r"^(?:student\s*(?:id|no\.?|number|#)|id|matr\.?-?\s*nr\.?|matrikel(?:nummer|nr\.?)?|mat\.?\s*no\.?|№"
    r"|номер(?:\s+зач[её]тки)?|зач[её]тка|شماره\s+دانشجویی|شماره|کد\s+دانشجویی)"
    r"\s*[:：.#]?\s*(?P<number>[A-Za-z]{0,2}\d{3,12})$", re.IGNORECASE)
_BARE_ID = re.compile(r"^[A-Za-z]{0,2}\d{5,12}$")
_TITLE = re.compile(
    r"(?<![^\W\d_])(?:homework|hw|assignment|problem\s+set|exercise\s+sheet|sheet|übungsblatt|übung|hausaufgabe"
    r"|домашнее\s+задание|домашняя\s+работа|дз|задание|лабораторная|تمرین|تکلیف|devoir|tarea|esercizio)"
    r"(?![^\W\d_])", re.IGNORECASE)
_STOP = frozenset("""
    homework hw assignment problem problems prob sheet exercise page pg p date datum дата subject course class
    group группа gruppe year month day week answer answers solution solutions lösung ответ решение task question
    deep learning basics neural network networks machine cnn cnns convolution convolutional backprop backpropagation
    übungsblatt hausaufgabe aufgabe задача задание домашнее страница стр سؤال سوال صفحه تاریخ تمرین خدا به بسم
    the of and for to in on by with von und der die das
""".split())
_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]\.?$")
_DECORATION = re.compile(r"^\s*(?:#+\s*|>\s*)?|[*_`]{2,}|\\?\$")

KINDS = ("keyword", "id", "title", "after-title")


@dataclass(frozen=True)
class Identity:
    name: str | None
    student_number: str | None
    line: int  # 1-based line the name (or the number) was read from
    quote: str
    how: str  # one of KINDS, or "id-only"


def find_identity(*, lines: tuple[str, ...] | list[str], exclude_words: frozenset[str] = frozenset()
                  ) -> Identity | None:
    """The name and number in the header of a file, or None when no line looks like a header."""
    stop = _STOP | {w.lower() for w in exclude_words}
    header: list[tuple[int, str, list[str]]] = []
    for index, raw in enumerate(lines[:MAX_SCAN_LINES]):
        if len(header) >= MAX_HEADER_LINES:
            break
        if not raw.strip():
            continue
        text = fold_digits(text=raw[:MAX_LINE_CHARS])
        clean = _DECORATION.sub(" ", text).strip()
        fields = [_trim(f) for f in _SPLIT.split(clean)]
        header.append((index + 1, raw[:MAX_LINE_CHARS].strip(), [f for f in fields if f]))

    best: tuple[int, int, str, str | None] | None = None  # (kind rank, line, name, number on that line)
    course = {w.lower() for w in exclude_words}

    def is_title(field: str) -> bool:  # a homework keyword, or nothing but words of the assignment's title
        words = re.findall(r"[^\W\d_]+", field.lower())
        return bool(_TITLE.search(field)) or bool(words) and all(w in course for w in words)

    title_lines = {line for line, _, fields in header if any(is_title(f) for f in fields)}
    previous_line = None
    for line, _, fields in header:
        number = _number_in(fields=fields)
        found = _name_on_line(fields=fields, stop=stop, title=line in title_lines, is_title=is_title)
        if found is None and previous_line in title_lines and len(fields) == 1 and _name_like(fields[0], stop):
            found = (3, fields[0])
        if found is not None and (best is None or (found[0], line) < best[:2]):
            best = (found[0], line, found[1], number)
        previous_line = line
    quotes = {line: quote for line, quote, _ in header}
    if best is None:
        return None
    rank, line, name, number = best
    if number is None:
        number = next((n for _, _, fields in header for n in [_keyed_number(fields=fields)] if n), None)
    return Identity(name=" ".join(name.split()), student_number=number, line=line, quote=quotes[line][:200],
                    how=KINDS[rank])


def _trim(field: str) -> str:
    """A field without surrounding brackets and colons, and without a full stop after a whole word."""
    field = field.strip(" :()[]")
    last = field.split()[-1] if field.split() else ""
    return field[:-1].rstrip() if field.endswith(".") and not _INITIALS.match(last) else field


def _name_on_line(*, fields: list[str], stop: frozenset[str], title: bool, is_title) -> tuple[int, str] | None:
    for field in fields:
        match = _NAME_KEY.match(field)
        if match and _name_like(match.group("rest"), stop, minimum=1):
            return 0, match.group("rest")
    for i, field in enumerate(fields):
        if _BARE_ID.match(field) or _ID_KEY.match(field):
            for j in (i - 1, i + 1):
                if 0 <= j < len(fields) and _name_like(fields[j], stop):
                    return 1, fields[j]
    if title:
        names = [f for f in fields if not is_title(f) and _name_like(f, stop)]
        if len(names) == 1:
            return 2, names[0]
    return None


def _name_like(field: str, stop: frozenset[str], minimum: int = 2) -> bool:
    tokens = field.split()
    if not minimum <= len(tokens) <= 4:
        return False
    words = [t for t in tokens if not _INITIALS.match(t)]
    if not words or not all(_WORD.match(t) and len(t) >= 2 for t in words):
        return False
    if any(t.lower().strip(".") in stop for t in tokens):
        return False
    cased = [t for t in tokens if t[0].lower() != t[0].upper()]
    if cased:
        capitalised = all(t[0].isupper() and not (len(t) > 1 and t.isupper() and not _INITIALS.match(t))
                          for t in cased)
        lower = all(t.islower() for t in cased)
        if not (capitalised or lower or all(t.isupper() for t in cased) and len(cased) == 1):
            return False
    return True


def _number_in(*, fields: list[str]) -> str | None:
    for field in fields:
        keyed = _ID_KEY.match(field)
        if keyed:
            return keyed.group("number")
        if _BARE_ID.match(field):
            return field
    return None


def _keyed_number(*, fields: list[str]) -> str | None:
    for field in fields:
        keyed = _ID_KEY.match(field)
        if keyed:
            return keyed.group("number")
    return None
