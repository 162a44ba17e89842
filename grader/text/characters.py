"""Characters that stand in for ASCII ones in OCR'd and hand-typed answers: one table each.

Persian and Arabic-Indic digits, direction marks, zero-width characters, narrow spaces, look-alike dashes,
multiplication dots and Arabic / full-width separators.  Every reader folds from these tables, so an OCR
quirk is fixed here once.  Readers differ in *which* groups they fold (see the parameters of
``character_table``); the characters themselves are listed only here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

PERSIAN_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))
ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + i) for i in range(10))
DIGITS: dict[int, str] = {ord(ch): str(i) for script in (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS)
                          for i, ch in enumerate(script)}

#: LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI and the Arabic letter mark: invisible, say nothing
DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
BYTE_ORDER_MARK = "\ufeff"
ZERO_WIDTH = "\u200b\u200c\u200d"
#: thin, narrow no-break, no-break and figure space
NARROW_SPACES = "\u2009\u202f\u00a0\u2007"
MINUS_SIGN = "\u2212"
#: minus sign, en dash, em dash, figure dash, small and full-width hyphen-minus
DASHES = MINUS_SIGN + "\u2013\u2014\u2012\ufe63\uff0d"
#: middle dot, dot operator, bullet operator, bullet
MULTIPLICATION_DOTS = "\u00b7\u22c5\u2219\u2022"
ARABIC_DECIMAL_SEPARATOR = "\u066b"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"
#: Arabic comma and semicolon, full-width comma, semicolon and colon
SEPARATORS = {"\u060c": ",", "\u061b": ";", "\uff0c": ",", "\uff1b": ";", "\uff1a": ":"}


@cache
def character_table(*, digits: bool = True, lookalikes: bool = True, thousands: str | None = ",",
                    dot: str | None = "*", separators: str = "".join(SEPARATORS),
                    spaces: str = NARROW_SPACES) -> dict[int, str | None]:
    """A ``str.translate`` table built from the tables above.

    ``digits``: Persian and Arabic-Indic digits to ASCII.  Always: direction marks dropped, the Arabic
    decimal separator to ``.``, ``separators`` (a subset of ``SEPARATORS``) to ASCII, the minus sign to
    ``-``.  ``lookalikes``: the other dashes to ``-``, ``spaces`` to a space, zero-width characters dropped,
    multiplication dots to ``dot`` (None: left alone).  ``thousands``: what the Arabic thousands separator
    becomes ("" drops it, None leaves it).
    """
    table: dict[int, str | None] = dict(DIGITS) if digits else {}
    table.update({ord(ch): None for ch in DIRECTION_MARKS})
    table[ord(ARABIC_DECIMAL_SEPARATOR)] = "."
    table.update({ord(ch): SEPARATORS[ch] for ch in separators})
    table[ord(MINUS_SIGN)] = "-"
    if thousands is not None:
        table[ord(ARABIC_THOUSANDS_SEPARATOR)] = thousands or None
    if lookalikes:
        table.update({ord(ch): "-" for ch in DASHES})
        table.update({ord(ch): " " for ch in spaces})
        table.update({ord(ch): None for ch in ZERO_WIDTH})
        if dot is not None:
            table.update({ord(ch): dot for ch in MULTIPLICATION_DOTS})
    return table


class _Fold:
    """``str.translate`` with a table, skipped when the text holds none of the table's characters: translate
    looks every character up in the table (~20 µs for a line of Cyrillic), the check is one regex search,
    and nothing at all for ASCII text when the table maps no ASCII character (isascii is a flag, O(1))."""

    def __init__(self, table: Mapping[int, str | None]) -> None:
        self.table = table
        self.ascii_kept = all(point >= 128 for point in table)
        self.present = re.compile("[" + "".join(re.escape(chr(point)) for point in sorted(table)) + "]")

    def __call__(self, text: str) -> str:
        if (self.ascii_kept and text.isascii()) or self.present.search(text) is None:
            return text
        return text.translate(self.table)


_FOLD_DIGITS = _Fold(DIGITS)


def fold_digits(*, text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; same length as ``text``, so column positions stay valid."""
    return _FOLD_DIGITS(text)


def fold_characters(*, text: str, **groups) -> str:
    """``text`` with the groups chosen in ``character_table`` folded (defaults: everything, for the readers)."""
    return _folding(**groups)(text)


@cache
def _folding(**groups) -> _Fold:
    return _Fold(character_table(**groups))


_BLANK_MARKS = {ord(ch): " " for ch in DIRECTION_MARKS + BYTE_ORDER_MARK}
_BLANK = _Fold(_BLANK_MARKS)


def blank_marks(*, text: str) -> str:
    """Direction marks and the byte-order mark as spaces: same length, so column positions stay valid."""
    return _BLANK(text)


def fold_answer(*, text: str) -> str:
    """Persian/Arabic digits and separators as ASCII, for candidate texts (not quotes).

    Lighter than what the readers fold: candidate texts keep their dashes, dots, spaces and full-width
    punctuation (the readers fold those later), and the Arabic thousands separator is dropped here
    (`۱٬۲۳۴` is the candidate `1234`) where the readers turn it into `,`; kept as it was.
    """
    return _ANSWER_FOLD(text)


_ANSWER_FOLD = _folding(lookalikes=False, thousands="", separators="\u060c\u061b")


# ------------------------------------------------------------------ label reading
#: zero-width space, non-joiner, joiner, word joiner and a byte-order mark inside a line: a label reader
#: sees a space (`2\u200bb)` is `2 b)`), so columns stay valid
LABEL_BLANKS = ZERO_WIDTH + "\u2060" + BYTE_ORDER_MARK + DIRECTION_MARKS + "\u3000"
#: full-width ASCII forms (`２`, `ｂ`, `（`, `）`) as ASCII
FULLWIDTH = {0xFF01 + i: chr(0x21 + i) for i in range(94)}
_LABEL_TABLE = {**{ord(ch): " " for ch in LABEL_BLANKS}, **FULLWIDTH, **DIGITS}
_LABEL_FOLD = _Fold(_LABEL_TABLE)

#: Cyrillic letters that look like Latin ones, as students' keyboards and OCR mix them into Latin labels (`2с)`);
#: folded only for reading labels, and only where the file's labels are Latin (see grader/freeform/segment.py)
LATIN_LOOKALIKES = dict(zip("аАВсСеЕНкКМоОрРТхХуУіІјЈѕЅԁһԛԝ", "aABcCeEHkKMoOpPTxXyYiIjJsSdhqw"))
_LOOKALIKE_LETTER = re.compile(rf"(?<![^\W\d_])[{''.join(LATIN_LOOKALIKES)}](?![^\W\d_])")


def label_characters(*, text: str) -> str:
    """``text`` as label readers see it: digits of any script, full-width forms as ASCII, invisible marks and
    zero-width characters as spaces. Same length, so column positions stay valid."""
    return _LABEL_FOLD(text)


def fold_lookalikes(*, text: str) -> str:
    """Cyrillic look-alike letters standing alone (a label: `2с)`, `(а)`; not inside a word) as Latin ones.
    Same length. For label reading only: never applied to prose or answers."""
    if text.isascii():  # the look-alikes are all Cyrillic
        return text
    return _LOOKALIKE_LETTER.sub(lambda match: LATIN_LOOKALIKES[match.group(0)], text)
