"""The folding functions return ASCII text as it is: only right while no table maps an ASCII character."""

from __future__ import annotations

import string

from grader.text import characters as C


def test_static_tables_map_no_ascii_character() -> None:
    for table in (C.DIGITS, C._BLANK_MARKS, C._LABEL_TABLE):
        assert all(point >= 128 for point in table)


def test_ascii_text_is_unchanged_by_every_fold() -> None:
    text = string.printable + "x = 0.25, (b) 2) $\\frac{1}{2}$"
    assert C.fold_digits(text=text) == text.translate(C.DIGITS)
    assert C.blank_marks(text=text) == text
    assert C.label_characters(text=text) == text
    assert C.fold_answer(text=text) == text
    assert C.fold_characters(text=text) == text.translate(C.character_table())


def test_non_ascii_text_is_still_folded() -> None:
    assert C.fold_digits(text="x = ۰٫۲۵") == "x = 0٫25"
    assert C.fold_answer(text="۱٬۲۳۴") == "1234"
    assert C.label_characters(text="２ｂ)") == "2b)"


def test_a_fold_skips_only_text_it_would_not_change() -> None:
    import random

    rng = random.Random(13)
    tables = (C.DIGITS, C._BLANK_MARKS, C._LABEL_TABLE, C.character_table(),
              C.character_table(lookalikes=False, thousands="", separators="\u060c\u061b"))
    for table in tables:
        fold = C._Fold(table)
        alphabet = [chr(code) for code in table] + list("ab 1(б)ж\\]-^") + ["\u0430", "\u06f0"]
        for _ in range(300):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            assert fold(text) == text.translate(table)
