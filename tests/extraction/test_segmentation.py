"""Label notations, derivation steps vs parts, inline labels, order guesses, conflicts, cases."""

from __future__ import annotations

import pytest

from grader.extraction import extract_answers, layout_from_part_ids
from grader.reading import read_document


def _extract(tmp_path, text, part_ids=None, layout=None):
    path = tmp_path / "s.md"
    path.write_text(text, encoding="utf-8")
    if layout is None:
        layout = layout_from_part_ids(part_ids=part_ids)
    return extract_answers(document=read_document(path=path), layout=layout)


def _top(extraction, part):
    found = extraction.parts[part]
    return found.candidates[0].text if found.candidates else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.\n(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("Problem 1\na) 5\nb) 7\n", {"1a": "5", "1b": "7"}),
        ("Task 1\na. 5\nb. 7\n", {"1a": "5", "1b": "7"}),
        ("Q1\n(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("Question 1:\n(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("# Problem 1\n(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("## 1\n(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("Задача 1\nа) 5\nб) 7\n", {"1a": "5", "1b": "7"}),
        ("Aufgabe 1\na) 5\nb) 7\n", {"1a": "5", "1b": "7"}),
        ("مسئله ۱\nالف) ۵\nب) ۷\n", {"1a": "5", "1b": "7"}),
        ("سؤال ۱\nالف) 5\nپ) 7\n", {"1a": "5", "1c": "7"}),
        ("1.(a) 5\n(b) 7\n", {"1a": "5", "1b": "7"}),
        ("Problem 1: (a) 5 (b) 7\n", {"1a": "5", "1b": "7"}),
        ("1a: 5\n1b: 7\n", {"1a": "5", "1b": "7"}),
        ("Problem 1a: 5\nQ1b) 7\n", {"1a": "5", "1b": "7"}),
        ("**1a.** 5\n(1b) 7\n", {"1a": "5", "1b": "7"}),
        ("Problem 1\ni) 5\nii) 7\n", {"1a": "5", "1b": "7"}),
        ("Problem 1\n1) 5\n2) 7\n3) 8\n4) 9\n", {"1a": "5", "1b": "7", "1c": "8", "1d": "9"}),
    ],
)
def test_label_notations(tmp_path, text, expected):
    extraction = _extract(tmp_path, text, part_ids=["1a", "1b", "1c", "1d"])
    for part, value in expected.items():
        assert _top(extraction, part) == value, (part, extraction.parts[part])
        assert extraction.parts[part].label_found == "explicit"


def test_cyrillic_alphabet_skips_short_i(tmp_path):
    text = "Задача 4\n" + "\n".join(f"{letter}) {n}" for n, letter in enumerate("абвгдежзиклмно", start=1))
    layout = layout_from_part_ids(part_ids=[f"4{c}" for c in "abcdefghijklmn"])
    extraction = _extract(tmp_path, text, layout=layout)
    assert [_top(extraction, f"4{c}") for c in "abcdefghijklmn"] == [str(n) for n in range(1, 15)]


def test_part_i_of_problem_4_is_a_letter_not_a_roman_one(tmp_path):
    layout = layout_from_part_ids(part_ids=[f"4{c}" for c in "abcdefghijklmn"])
    text = "Problem 4\n" + "\n".join(f"({c}) {n}" for n, c in enumerate("abcdefghijklmn", start=1))
    extraction = _extract(tmp_path, text, layout=layout)
    assert _top(extraction, "4i") == "9"
    assert _top(extraction, "4a") == "1"


def test_derivation_steps_are_not_parts_or_problems(tmp_path):
    text = (
        "Problem 2\n(a)\n1) 224 -> 112\n2) 112 -> 112\n3) 112 -> 56\n4) 56 -> 26\nAnswer: 26 x 26\n"
        "(b) Answer: 1820\nProblem 3\n(a) Answer: m_i/(1-p)\n"
    )
    extraction = _extract(tmp_path, text, part_ids=["2a", "2b", "2c", "2d", "2e", "3a", "3b"])
    assert _top(extraction, "2a") == "26 x 26"
    assert _top(extraction, "2b") == "1820"
    assert _top(extraction, "2c") is None
    assert _top(extraction, "3a") == "m_i/(1-p)"


def test_bare_numbered_steps_after_a_bare_heading(tmp_path):
    text = "1.\n(a) 5\n2.\n(a)\n1) $n = 112$\n2) $n = 56$\n3) $n = 26$\n3.\n(a) $m/(1-p)$\n"
    extraction = _extract(tmp_path, text, part_ids=["1a", "2a", "2b", "3a"])
    assert _top(extraction, "2a") == "26"
    assert _top(extraction, "3a") == "m/(1-p)"
    assert _top(extraction, "2b") is None


def test_single_part_problem_ignores_labels(tmp_path):
    text = "6.\na) ReLU' = 1 for x > 0\nb) sigmoid' <= 1/4, so gradients vanish\n"
    extraction = _extract(tmp_path, text, part_ids=["5a", "6"])
    found = extraction.parts["6"]
    assert found.label_found == "explicit"
    assert "ReLU" in found.context and "vanish" in found.context


def test_unknown_alphabet_maps_by_order_and_flags(tmp_path):
    text = "Problem 1\nα) 5\nβ) 7\n"
    extraction = _extract(tmp_path, text, part_ids=["1a", "1b"])
    assert _top(extraction, "1a") == "5" and _top(extraction, "1b") == "7"
    for part in ("1a", "1b"):
        assert extraction.parts[part].label_found == "order"
        assert "label-guessed-from-order" in extraction.parts[part].flags
        assert extraction.parts[part].confidence < 0.5


def test_unlabelled_parts_split_at_answers(tmp_path):
    text = "Problem 3\nwe have f = m a/(1-p)\nAnswer: m_i/(1-p)\nthen\nAnswer: (4, 0, 6)\n"
    extraction = _extract(tmp_path, text, part_ids=["3a", "3b", "3c"])
    assert _top(extraction, "3a") == "m_i/(1-p)"
    assert _top(extraction, "3b") == "(4, 0, 6)"
    assert extraction.parts["3a"].label_found == "order"
    assert extraction.parts["3a"].confidence < 0.5
    assert extraction.parts["3c"].candidates == ()


def test_conflicting_answers_lower_confidence(tmp_path):
    text = "Problem 2\n(b) Answer: 1800\nbias too\nAnswer: 1820\n"
    found = _extract(tmp_path, text, part_ids=["2a", "2b"]).parts["2b"]
    assert found.candidates[0].text == "1820"  # the last marked answer first
    assert {c.text for c in found.candidates if c.source == "marker"} == {"1800", "1820"}
    assert "conflicting-candidates" in found.flags
    assert found.confidence < 0.5


def test_marker_on_its_own_line_takes_the_next_line(tmp_path):
    text = "Problem 1\n(b)\nlots of algebra = x\n**Answer:**\n$$\\hat{y} - y$$\n"
    assert _top(_extract(tmp_path, text, part_ids=["1a", "1b"]), "1b") == "\\hat{y} - y"


def test_boxed_with_nested_braces(tmp_path):
    text = "Problem 5\n(a) so $\\boxed{(A + A^{T}) w}$ and done\n"
    found = _extract(tmp_path, text, part_ids=["5a", "5b"]).parts["5a"]
    assert (found.candidates[0].text, found.candidates[0].source) == ("(A + A^{T}) w", "boxed")


def test_two_cases_with_markers(tmp_path):
    text = (
        "Problem 1\n(a)\nAnswer: for i = j: $\\partial \\hat y_i/\\partial z_j = \\hat{y}_i(1-\\hat{y}_i)$\n"
        "Answer: for $j \\neq i$: $\\partial \\hat y_i/\\partial z_j = -\\hat{y}_i \\hat{y}_j$\n(b) Answer: 0\n"
    )
    found = _extract(tmp_path, text, part_ids=["1a", "1b"]).parts["1a"]
    top = found.candidates[0]
    assert top.source == "marker"
    assert top.text == (
        "\\begin{cases} \\hat{y}_i(1-\\hat{y}_i) & i = j \\\\ -\\hat{y}_i \\hat{y}_j & j \\neq i \\end{cases}"
    )
    assert (top.line_start, top.line_end) == (3, 4)


def test_prose_around_math_is_stripped(tmp_path):
    text = (
        "Задача 2\nа) Ответ: итоговый размер изображения $= 26 \\times 26$.\n"
        "в) the shapes of Z and U are both (46,62,20).\n"
    )
    extraction = _extract(tmp_path, text, part_ids=["2a", "2b", "2c"])
    assert _top(extraction, "2a") == "26 \\times 26"
    assert _top(extraction, "2c") == "(46,62,20)"


def test_unassigned_text_between_problems_is_kept(tmp_path):
    text = "Problem 1\n(a) Answer: 5\nProblem 7\nsome notes about an extra question\nProblem 2\n(a) Answer: 26\n"
    extraction = _extract(tmp_path, text, part_ids=["1a", "2a"])
    assert _top(extraction, "1a") == "5" and _top(extraction, "2a") == "26"
    assert (3, 4) in extraction.unassigned or (4, 4) in extraction.unassigned
    assert any("problem 7" in w for w in extraction.warnings)


def test_empty_parts_have_no_candidates(tmp_path):
    extraction = _extract(tmp_path, "1a) 5\n1b)\n", part_ids=["1a", "1b", "1c"])
    assert extraction.parts["1b"].candidates == ()
    assert extraction.parts["1c"].candidates == () and extraction.parts["1c"].label_found == "none"


def test_direction_marks_around_persian_labels(tmp_path):
    text = "\u200fسوال ۲\n\u200fالف) \u200fپاسخ: ۲۶\u200f\n\u200fب) \u200fپاسخ: ۱۸۲۰\n"
    extraction = _extract(tmp_path, text, part_ids=["2a", "2b"])
    assert _top(extraction, "2a") == "26"
    assert _top(extraction, "2b") == "1820"


def test_algebra_at_line_start_is_not_a_label(tmp_path):
    text = "Problem 1\n(c) we expand\na - b = 3\nAnswer: 7\n"
    extraction = _extract(tmp_path, text, part_ids=["1a", "1b", "1c"])
    assert _top(extraction, "1c") == "7"
    assert extraction.parts["1a"].candidates == ()


@pytest.mark.parametrize(
    ("marker_line", "value"),
    [("Итого: 1820", "1820"), ("Ans. 1820", "1820"), ("Final answer: 1820", "1820"), ("Réponse : 1820", "1820"),
     ("Respuesta: 1820", "1820"), ("جواب: 1820", "1820"), ("答案：1820", "1820"), ("**Answer:** $1820$", "1820")],
)
def test_marker_words(tmp_path, marker_line, value):
    text = f"Problem 2\n(b) 3*3*10*20 = 1800 plus bias\n{marker_line}\n"
    found = _extract(tmp_path, text, part_ids=["2a", "2b"]).parts["2b"]
    assert (found.candidates[0].text, found.candidates[0].source) == (value, "marker")
    assert found.confidence >= 0.9


def test_heading_with_inline_free_text(tmp_path):
    text = "Problem 5\n(a) $(A + A^T) w$\nProblem 6: ReLU keeps the gradient, sigmoid squashes it.\n"
    extraction = _extract(tmp_path, text, part_ids=["5a", "6"])
    found = extraction.parts["6"]
    assert found.label_found == "explicit"
    assert found.candidates[-1].source == "block"
    assert found.candidates[-1].text == "ReLU keeps the gradient, sigmoid squashes it."
    assert _top(extraction, "5a") == "(A + A^T) w"


def test_layout_from_part_ids():
    layout = layout_from_part_ids(part_ids=["1a", "4n", "6", "2a.1"])
    assert [(p.part_id, p.problem, p.label) for p in layout.parts] == [("1a", 1, "a"), ("4n", 4, "n"), ("6", 6, None)]
    with pytest.raises(ValueError):
        layout_from_part_ids(part_ids=["problem one"])
