"""The quick test before the MARKER scan never skips a text MARKER matches (grader/freeform/candidates.py)."""

from __future__ import annotations

import re
import sys

from grader.freeform.candidates import MARKER_WORDS, _may_have_marker
from grader.freeform.evidence import MARKER

#: MARKER's words, as its pattern lists them
ALTERNATIVES = ("final answer", "answer", "ans", "ответ", "итого", "итог", "antwort", "ergebnis", "réponse",
                "reponse", "respuesta", "resposta", "risposta", "پاسخ", "جواب", "答案")
_ALL = "".join(chr(point) for point in range(sys.maxunicode + 1) if not 0xD800 <= point < 0xE000)


def test_every_marker_word_holds_a_hint_word() -> None:
    body = MARKER.pattern
    for word in ALTERNATIVES:
        assert word.replace(" ", r"\s+") in body
        assert any(hint in word for hint in MARKER_WORDS)


def test_ignorecase_matches_only_what_casefold_keeps_equal_but_dotless_and_dotted_i() -> None:
    odd = set()
    for letter in sorted(set("".join(MARKER_WORDS))):
        for match in re.compile(re.escape(letter), re.IGNORECASE).finditer(_ALL):
            if match.group(0).casefold() != letter.casefold():
                odd.add(match.group(0))
    assert odd <= {"ı", "İ"}  # the hint scans every text holding one of these


def test_marked_texts_pass_the_hint() -> None:
    for text in ("Final Answer: 3", "ANS. 0.25", "**Ответ:** 5", "ИТОГО = 4", "Antwort: x", "Réponse : 2",
                 "RESPUESTA: 1", "پاسخ: ۲", "答案：3", "ergebnıs: 4", "ANTWORT", "anſwer: 2", "ＡＮＳ"):
        if MARKER.search(text):
            assert _may_have_marker(text), text


def test_whitespace_split_is_the_regex() -> None:
    assert "".join(_ALL.split()) == re.sub(r"\s+", "", _ALL)
