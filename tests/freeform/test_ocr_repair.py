"""LaTeX commands an OCR pipeline ate as escapes are repaired, and nothing else is."""

from __future__ import annotations

import pytest

from grader.text.ocr_escapes import repair_ocr


@pytest.mark.parametrize(("text", "expected"), [
    ("\\lfloor \\frac{n}{s}\nfloor + 1", "\\lfloor \\frac{n}{s}\n\\rfloor + 1"),   # `\r` of `\rfloor` eaten
    ("rac{a}{b} imes 2", "\\frac{a}{b} \\times 2"),
    ("floor((N-1)/s) + 1", "floor((N-1)/s) + 1"),                               # the floor function, in words
    ("the length is floor ((N-1)/s) + 1", "the length is floor ((N-1)/s) + 1"),
    ("\\lfloor x \\rfloor", "\\lfloor x \\rfloor"),
])
def test_repair(text: str, expected: str) -> None:
    assert repair_ocr(text=text) == expected
