"""The one character table: digit scripts, direction marks and look-alikes fold; no other module keeps its own."""

from __future__ import annotations

import re
from pathlib import Path

import grader
from grader.text.characters import blank_marks, fold_characters, fold_digits


def test_persian_and_arabic_indic_digits_fold() -> None:
    assert fold_digits(text="۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩") == "0123456789 0123456789"
    assert len(fold_digits(text="x = ۱۲\u200f")) == len("x = ۱۲\u200f")  # columns stay valid


def test_direction_marks_and_zero_width_are_dropped() -> None:
    marks = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    assert fold_characters(text=f"{marks}۳٫۵\u200b") == "3.5"
    assert blank_marks(text="\u200f3\ufeff") == " 3 "


def test_lookalikes_fold() -> None:
    assert fold_characters(text="−1 – 2 — 3") == "-1 - 2 - 3"
    assert fold_characters(text="2·3⋅4") == "2*3*4"
    assert fold_characters(text="1\u00a0000\u2009000") == "1 000 000"
    assert fold_characters(text="۱٬۲۳۴، ۵؛ ６，7；") == "1,234, 5; ６,7;"


def test_candidate_profile_keeps_dashes_and_drops_thousands_separator() -> None:
    text = "۱٬۲۳۴ – 5·6 \u2212 7"
    assert fold_characters(text=text, lookalikes=False, thousands="", separators="\u060c\u061b") == "1234 – 5·6 - 7"


_DIGIT_TABLE = re.compile(r"0x0?6[Ff]0|0x0?660|\\u06[Ff]0|\\u0660|۰۱۲|٠١٢|\\u200[Ff]|\\u061[Cc]|\u200f", re.IGNORECASE)


def test_no_other_module_defines_a_digit_or_mark_table() -> None:
    root = Path(grader.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.parent.name != "text" and _DIGIT_TABLE.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
