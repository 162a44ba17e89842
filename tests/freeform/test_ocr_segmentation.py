"""Segmentation of real OCR layouts (issue 11, item 1): synthetic inputs in the style of fixture set C.

Each row is (document text, part ids, expected first candidate per part); a part missing from the
expected map must have no candidate at all.
"""

from __future__ import annotations

import time

import pytest

from grader.freeform import Document, extract_answers, layout_from_part_ids

DL = "1a 1b 1c 1d 2a 2b 2c 2d 2e 3a 3b 3c 4a 4b 4c 4d 4e 4f 4g 4h 4i 4j 4k 4l 4m 4n 5a 5b 6".split()
CNN = "1a 1b 1c 2a 2b 2c 2d 2e 3a 3b 3c 3d 4a 4b 4c 5a 5b 5c 5d 5e 6a 6b 7a 7b".split()


def _doc(text: str) -> Document:
    return Document(text=text, lines=tuple(text.split("\n")), encoding="utf-8", kind="text", truncated=False)


def _extract(text: str, ids: list[str]):
    return extract_answers(document=_doc(text), layout=layout_from_part_ids(part_ids=ids)).parts


def _first(text: str, ids: list[str]) -> dict[str, str]:
    return {pid: p.candidates[0].text for pid, p in _extract(text, ids).items() if p.candidates}


ROWS = [
    # 1. a whole page on one line / several labels and problem numbers in one line
    pytest.param("Name  Student 123\n\n1. (a) 7 (b) 8 (c) 9 2. (a) 11 (b) 12 3. (a) 13", DL,
                 {"1a": "7", "1b": "8", "1c": "9", "2a": "11", "2b": "12", "3a": "13"}, id="one-line-page"),
    pytest.param("Homework — A. Student   1. (a) 4 (b) 5   2. (a) 6   6. (a) 7 (b) 8", CNN,
                 {"1a": "4", "1b": "5", "2a": "6", "6a": "7", "6b": "8"}, id="first-label-mid-line"),
    pytest.param("1. (a) (6, 4, 3) (b) (8, 1, 3) 2. (a) 5", CNN,
                 {"1a": "(6, 4, 3)", "1b": "(8, 1, 3)", "2a": "5"}, id="number-before-close-paren-is-no-problem"),
    pytest.param("1. (a) 2.5 (b) 3", DL, {"1a": "2.5", "1b": "3"}, id="decimal-is-no-problem-number"),
    pytest.param("Problem 2\n(a) the max is at (3, 1) and (b - a) is 4\n(b) 9", DL,
                 {"2a": "4", "2b": "9"}, id="tuples-and-differences-are-no-labels"),
    pytest.param("Problem 3. (a) 26 (b) 8 (c) see below (d) 3216", CNN,
                 {"3a": "26", "3b": "8", "3c": "see below", "3d": "3216"}, id="keyword-header-then-inline-labels"),
    pytest.param("Problem 2\n(a) 5 (c) 7", DL, {"2a": "5", "2c": "7"}, id="inline-skipped-part"),
    pytest.param("1. (a) 4 $f(b) = 2$ (b) 6", DL, {"1a": "2", "1b": "6"}, id="no-label-inside-math"),
    pytest.param("Problem 2\n(a) 5 3. (a) 8", DL, {"2a": "5", "3a": "8"}, id="inline-problem-after-header"),
    pytest.param("Problem 3\n(a) 5 2. (a) 8", DL, {"3a": "5 2. (a) 8"}, id="earlier-problem-number-inline-is-text"),
    # 2. OCR-mangled labels, only where the expected next label fits
    pytest.param("Problem 4\n(a) z = 1\nCb) a = 2\nC) y = 3\ncd) o = 4\n(e). E = 5", DL,
                 {"4a": "1", "4b": "2", "4c": "3", "4d": "4", "4e": "5"}, id="mangled-labels"),
    pytest.param("l) a.) (6, 4)\nCb) (8, 2)\n2) (a) 3", CNN, {"1a": "(6, 4)", "1b": "(8, 2)", "2a": "3"},
                 id="l-for-1-and-a-dot-paren"),
    pytest.param("Name\n\nla) 7\nlb) $p - y$\n1c) 9", DL, {"1a": "7", "1b": "p - y", "1c": "9"}, id="la-for-1a"),
    pytest.param("Ia. 7\n1b. 8", DL, {"1a": "7", "1b": "8"}, id="Ia-for-1a"),
    pytest.param("2a) 5\nla) is a note", ["2a"], {"2a": "5\nla) is a note"}, id="la-without-a-part-1a-is-text"),
    # a mangled label the page does not confirm stays text of the part above; the part it names, with no text
    # of its own, reads it as an unconfirmed candidate (a person decides: never a silent zero)
    pytest.param("Problem 4\n(a) z = 1\ncd) o = 4", DL, {"4a": "4", "4d": "4"}, id="mangled-label-not-due-is-text"),
    pytest.param("1. (a) 4 Cb) 6", DL, {"1a": "4", "1b": "6"}, id="mangled-label-inline"),
    pytest.param("Problem 4\n(c). [1, 2]\nCe) 0,1984\n(f) [3, 4]", DL, {"4c": "[1, 2]", "4e": "0,1984", "4f": "[3, 4]"},
                 id="mangled-label-skipping-a-part-confirmed-by-the-next-label"),
    pytest.param("Problem 1\nCa) 7\nProblem 4\n(a) 1\n(l) [1, 2]\nCn) [3, 4]", DL, {"1a": "7", "4a": "1", "4l": "[1, 2]", "4n": "[3, 4]"},
                 id="mangled-label-skipping-a-part-confirmed-by-the-files-ocr"),
    pytest.param("Problem 2\n(b) 1\nCd) 2\n(e) 3\nProblem 3\n(a) 4\nCc) 5", DL,
                 {"2b": "1", "2d": "2", "2e": "3", "3a": "4", "3c": "5"}, id="mangled-skip-confirmed-by-an-earlier-skip"),
    pytest.param("Problem 4\n(a) z = 1\ncd) o = 4\n(b) 9", DL, {"4a": "4", "4b": "9", "4d": "4"},
                 id="mangled-label-after-an-earlier-label-is-text"),
    pytest.param("Problem 1\n(a) 7\n(b) \\hat{y} - y\nCd) $0,082$\nProblem 2\n(a) 5", DL,
                 {"1a": "7", "1b": "0,082", "1d": "0,082", "2a": "5"}, id="mangled-label-skipping-a-part-unconfirmed"),
    pytest.param("1. (a) 7 (b) 8 4. (n) $(0.4497, 0.5134)^T$ 6. Die Ableitung von ReLU ist 1 für positive Eingaben",
                 DL, {"1a": "7", "1b": "8", "4n": "(0.4497, 0.5134)^T",
                      "6": "Die Ableitung von ReLU ist 1 für positive Eingaben"},
                 id="one-line-page-skipping-a-problem-to-a-prose-answer"),
    pytest.param("1. (a) 7 4. (n) 0.45 6. 3", DL, {"1a": "7", "4n": "0.45 6. 3"},
                 id="number-after-a-skip-followed-by-a-value-is-text"),
    pytest.param("Problem 4\n(a) 1\n(c) 2\n(d) 3\nCc) 4\n(e) 5", DL, {"4a": "1", "4c": "2", "4d": "4", "4e": "5"},
                 id="mangled-label-of-an-answered-part-is-text"),
    # 4. a math line that opens with a letter and a minus is not a label `(p) -`
    pytest.param("Problem 1\n(a) 7\n(b) the gradient\n$p - y$", DL, {"1a": "7", "1b": "p - y"},
                 id="letter-in-inline-math-is-no-label"),
    pytest.param("Problem 1\n(a) 7\n(b) by the chain rule\ny - \\hat y", DL, {"1a": "7", "1b": "y - \\hat y"},
                 id="dash-letter-past-the-parts-is-math"),
    pytest.param("Problem 1\n(a) 7\n(c) 8\na - b", DL, {"1a": "7", "1c": "a - b"},
                 id="dash-letter-of-an-answered-part-is-math"),
    pytest.param("Problem 2\na - 5\nc - 7", DL, {"2a": "5", "2c": "7"}, id="dash-labels-in-order"),
    pytest.param("Problem 2\n(b) 7\na - 20", DL, {"2a": "20", "2b": "7"}, id="dash-label-out-of-order"),
    pytest.param("Problem 2\n(e) 7\nf - 20 bonus\nProblem 3\n(a) 5", DL, {"2e": "7", "3a": "5"},
                 id="dash-letter-after-the-last-part-splits-off"),
    # a letter wearing a math accent (precomposed or combining) is a symbol, not a prose word: `ŷ − y` is not
    # `− y`; the acute and grave of prose words (`à`) stay prose
    pytest.param("Problem 1\n(b) ŷ − y", DL, {"1b": "ŷ - y"}, id="hatted-letter-is-math"),
    pytest.param("Problem 1\n(b) y\u0302 − y", DL, {"1b": "y\u0302 - y"}, id="combining-hat-is-math"),
    pytest.param("1) a) 7  b) ŷ − y  c) (1, 2)", DL, {"1a": "7", "1b": "ŷ - y", "1c": "(1, 2)"},
                 id="hatted-letter-on-a-one-line-page"),
    pytest.param("Problem 1\n(b) à la fin: 5", DL, {"1b": "5"}, id="accented-prose-word-stays-prose"),
    # 3. Persian/Arabic letter labels in either order
    pytest.param("سؤال ۲\nالف) ۱\nب) ۲\nج) ۳\nد) ۴\nه) ۵", CNN,
                 {"2a": "1", "2b": "2", "2c": "3", "2d": "4", "2e": "5"}, id="abjad-order"),
    pytest.param("سؤال ۲\nالف) ۱\nب) ۲\nپ) ۳\nت) ۴\nث) ۵", CNN,
                 {"2a": "1", "2b": "2", "2c": "3", "2d": "4", "2e": "5"}, id="persian-order"),
    pytest.param("سؤال ۵\nالف) ۵\nب) ۶\nد) ۷", CNN, {"5a": "5", "5b": "6", "5d": "7"}, id="abjad-skipped-part"),
    # 5. numbered lists inside an answer; labels for parts the assignment does not have
    pytest.param("Problem 1\n(a) two cases:\n1) i = j: x = 1\n2) i != j: x = 2\nAnswer: 3\n(b) 4", DL,
                 {"1a": "3", "1b": "4"}, id="numbered-list-inside-answer"),
    pytest.param("Problem 2\n(e) 7\n(f) (extra, not asked) 20 maps\nProblem 3\n(a) 5", DL,
                 {"2e": "7", "3a": "5"}, id="extra-label-split-off"),
    pytest.param("Problem 3\n(a) 5\n(d) bonus: 99\n(c) 6", DL, {"3a": "5", "3c": "6"}, id="extra-label-then-real"),
    pytest.param("Problem 3. (a) 1 (b) 2 (c) 3 (d) 4 (e) (not asked) 77", CNN,
                 {"3a": "1", "3b": "2", "3c": "3", "3d": "4"}, id="extra-label-inline"),
    pytest.param("Problem 3. (a) 1 (c) see below\n\n(c) outputs 14976\n**Answer: 29**\n\nProblem 5\n(a) 2", CNN,
                 {"3a": "1", "3c": "29", "5a": "2"}, id="repeated-label-is-same-part-not-next-problem"),
    # 6. answer markers that name their part, and an unnamed one under the next heading
    pytest.param("Задача 2\nб) 3·3·10·20 + 20\nв) 46 на 62 на 20\nОтвет (б): 1820\nг) 7", DL,
                 {"2b": "1820", "2c": "20", "2d": "7"}, id="named-answer-below-later-label"),
    pytest.param("سؤال ۱\nالف) متن\nب) متن\nپاسخ الف: $x$\nپاسخ ب: $y$", DL,
                 {"1a": "x", "1b": "y"}, id="named-persian-answers"),
    pytest.param("Aufgabe 3\na) text\nb) mehr\nAntwort a): 5\nAntwort b): 6", DL,
                 {"3a": "5", "3b": "6"}, id="named-answer-close-paren"),
    pytest.param("Задача 1\nа) Производная.\n\n1) $x = 1$\n\nб) Градиент.\n\nОтвет: $7$\n\n$L = 2$\n\nОтвет: $8$",
                 DL, {"1a": "7", "1b": "8"}, id="unnamed-answer-under-next-heading-moves-up"),
    pytest.param("Задача 1\nа) Answer: $5$\nб) Градиент.\nОтвет: $7$\n$L = 2$\nОтвет: $8$", DL,
                 {"1a": "5", "1b": "8"}, id="unnamed-answer-stays-when-part-above-has-one"),
    pytest.param("Задача 1\nа) $x = 1$\nб) Градиент.\nОтвет: $7$", DL,
                 {"1a": "1", "1b": "7"}, id="single-unnamed-answer-stays"),
]


@pytest.mark.parametrize(("text", "ids", "expected"), ROWS)
def test_ocr_layouts(text: str, ids: list[str], expected: dict[str, str]) -> None:
    assert _first(text, ids) == expected


def test_an_unconfirmed_mangled_label_is_a_candidate_for_a_person() -> None:
    parts = _extract("Problem 1\n(a) 7\n(b) 8\nCd) $0,082$\nProblem 2\n(a) 5", DL)
    assert "label-unconfirmed" in parts["1d"].flags and parts["1d"].confidence < 0.5
    assert parts["1d"].line_start == 4 and "unread-label-in-block" in parts["1b"].flags
    assert "label-unconfirmed" not in _extract("Problem 1\n(a) 7\n(d) 9\nCd) $0,082$", DL)["1d"].flags  # has text


def test_mangled_label_is_explicit_and_guess_stays_flagged() -> None:
    parts = _extract("Problem 4\n(a) z = 1\nCb) a = 2", DL)
    assert parts["4b"].label_found == "explicit"
    assert "label-guessed-from-order" not in parts["4b"].flags
    parts = _extract("Problem 4\n(a) 1\n(β) 2", DL)  # an unknown alphabet is still a guess, sent to review
    assert parts["4b"].label_found == "order" and parts["4b"].confidence < 0.5


def test_unconfirmed_mangled_label_sends_the_block_to_a_person() -> None:
    parts = _extract("Problem 4\n(a) z = 1\ncd) o = 4", DL)  # a lone `cd)` is text, but the block may run on
    assert "unread-label-in-block" in parts["4a"].flags and parts["4a"].confidence < 0.5
    parts = _extract("Problem 4\n(a) 1\nCb) 2\n(c) 3", DL)
    assert all("unread-label-in-block" not in p.flags for p in parts.values())


def test_extra_label_warns_and_leaves_text_unassigned() -> None:
    text = "Problem 2\n(e) 7\n(f) not asked 20"
    extraction = extract_answers(document=_doc(text), layout=layout_from_part_ids(part_ids=DL))
    assert any("(f)" in w for w in extraction.warnings)
    assert "20" not in extraction.parts["2e"].context


@pytest.mark.parametrize("text", [
    "1. (a) " + "(b) 2. (a) 3. " * 20_000,
    "Problem 4\n(a)" + " Cb) (c) cd) (e). 5." * 2_000,
    "1. (a) " + "(" * 15_000 + " (b) 2. (a)",
    "Problem 2\n" + "Ответ (б): 1\n" * 5_000,
])
def test_hostile_lines_stay_fast(text: str) -> None:
    began = time.process_time()
    _extract(text, DL)
    assert time.process_time() - began < 2.0
