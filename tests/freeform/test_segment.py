"""Problem/part labels in many notations, mapped onto the assignment layout."""

from __future__ import annotations

import pytest

from grader.freeform import Document, extract_answers, layout_from_part_ids
from grader.freeform.labels import label_index, parse_line

PART_IDS = ("1a 1b 1c 1d 2a 2b 2c 2d 2e 3a 3b 3c 4a 4b 4c 4d 4e 4f 4g 4h 4i 4j 4k 4l 4m 4n 5a 5b 6").split()
LAYOUT = layout_from_part_ids(part_ids=PART_IDS)


def _doc(text: str) -> Document:
    return Document(text=text, lines=tuple(text.split("\n")), encoding="utf-8", kind="text", truncated=False)


def _answers(text: str) -> dict[str, str]:
    parts = extract_answers(document=_doc(text), layout=LAYOUT).parts
    return {pid: p.candidates[0].text for pid, p in parts.items() if p.candidates}


@pytest.mark.parametrize(
    ("line", "problem", "part"),
    [
        ("1.", 1, None), ("2)", 2, None), ("Problem 3", 3, None), ("Task 4:", 4, None), ("Q5", 5, None),
        ("Question 6", 6, None), ("**Задача 1**", 1, None), ("Aufgabe 3", 3, None), ("مسئله ۲", 2, None),
        ("سوال ۱", 1, None), ("سؤال ۲ ب)", 2, "ب"), ("## 1", 1, None), ("# Problem 2", 2, None),
        ("## 4n", 4, "n"), ("1a) 5", 1, "a"), ("1a: 5", 1, "a"), ("1.(a) (100,3)", 1, "a"), ("3. Task", 3, None),
        ("(a) x", None, "a"), ("a) x", None, "a"), ("b. x", None, "b"), ("а) текст", None, "а"),
        ("الف) متن", None, "الف"), ("ii) y", None, "ii"), ("$$(c) \\frac{1}{2}$$", None, "c"),
        ("2x + 3 = 5", None, None), ("a -входные значения", None, None), ("Ответ: 5", None, None),
        ("به) نه", None, None), ("abc) no", None, None),
    ],
)
def test_parse_line(line: str, problem: int | None, part: str | None) -> None:
    labels = parse_line(line=line)
    assert labels.problem == problem
    assert (labels.part.value if labels.part else None) == part


@pytest.mark.parametrize(
    ("value", "kind", "index"),
    [("а", "cyrillic", 1), ("в", "cyrillic", 3), ("и", "cyrillic", 9), ("к", "cyrillic", 10),
     ("о", "cyrillic", 14), ("الف", "persian", 1), ("پ", "persian", 3), ("ث", "persian", 5),
     ("ج", "persian", 6), ("iv", "roman", 4), ("n", "latin", 14), ("3", "number", 3), ("ω", "greek", 24)],
)
def test_label_index(value: str, kind: str, index: int) -> None:
    assert label_index(raw=value, kind=kind) == index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Problem 4\n(h) Answer: 1\n(i) Answer: 2\n(j) Answer: 3", {"4h": "1", "4i": "2", "4j": "3"}),
        ("Problem 3\n(a) 5 (b) 7 (c) 9", {"3a": "5", "3b": "7", "3c": "9"}),
        ("Задача 2\nа) 1\nб) 2\nв) 3\nг) 4\nд) 5", {"2a": "1", "2b": "2", "2c": "3", "2d": "4", "2e": "5"}),
        ("سوال ۲\nالف) ۱\nب) ۲\nپ) ۳\nت) ۴\nث) ۵", {"2a": "1", "2b": "2", "2c": "3", "2d": "4", "2e": "5"}),
        ("Problem 3\ni) 4\nii) 5\niii) 6", {"3a": "4", "3b": "5", "3c": "6"}),
        ("Problem 3\n1) 4\n2) 5\n3) 6", {"3a": "4", "3b": "5", "3c": "6"}),
        ("1.(a) 3\n(b) 4\n2\n(a) 5\n3.\n(a) 6", {"1a": "3", "1b": "4", "2a": "5", "3a": "6"}),
        ("Q1\na. 3\nb. 4\nQ5\na. x^2\nb. 2x", {"1a": "3", "1b": "4", "5a": "x^2", "5b": "2x"}),
        ("## 6\nReLU does not saturate for positive inputs.", {"6": "ReLU does not saturate for positive inputs."}),
        ("Problem 6\n1) sigmoid saturates\n2) Answer: ReLU has slope one", {"6": "ReLU has slope one"}),
    ],
)
def test_layouts(text: str, expected: dict[str, str]) -> None:
    answers = _answers(text)
    for part_id, value in expected.items():
        assert answers.get(part_id) == value, part_id
    assert set(answers) == set(expected)


def test_numbered_steps_inside_lettered_part_stay_in_the_part() -> None:
    text = ("Задача 2\nа) по формуле\n1) $224 \\to 112$\n2) $112 \\to 112$\n3) $112 \\to 56$\n"
            "Ответ: $26 \\times 26$\nб) $1820$")
    answers = _answers(text)
    assert answers == {"2a": "26 \\times 26", "2b": "1820"}


def test_problem_four_i_is_a_letter_not_roman_one() -> None:
    text = "Problem 4\n(a) Answer: 1\n(i) Answer: 9"
    answers = _answers(text)
    assert answers == {"4a": "1", "4i": "9"}


def test_unknown_alphabet_maps_by_order_with_low_confidence() -> None:
    text = "Problem 3\nα) Answer: 1\nβ) Answer: 2"
    parts = extract_answers(document=_doc(text), layout=LAYOUT).parts
    assert parts["3a"].candidates[0].text == "1"
    assert parts["3b"].candidates[0].text == "2"
    for part_id in ("3a", "3b"):
        assert parts[part_id].label_found == "order"
        assert parts[part_id].confidence < 0.5
        assert "label-guessed-from-order" in parts[part_id].flags


def test_unlabelled_problem_goes_to_first_part_by_order() -> None:
    text = "Problem 3\nthe derivative is m/(1-p)\nAnswer: m/(1-p)"
    parts = extract_answers(document=_doc(text), layout=LAYOUT).parts
    assert parts["3a"].label_found == "order"
    assert parts["3a"].confidence < 0.5
    assert parts["3b"].candidates == ()


def test_conflicting_markers_lower_confidence() -> None:
    text = "Problem 2\n(b) Answer: 1800\nhmm, with bias\nAnswer: 1820"
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts["2b"]
    assert {c.text for c in part.candidates} >= {"1800", "1820"}
    assert part.candidates[0].text == "1820"  # the later answer first
    assert "conflicting-candidates" in part.flags
    assert part.confidence < 0.5


def test_two_cases_with_markers_joined_as_marker() -> None:
    text = ("Problem 1\n(a)\nfor i = j: Answer: $\\hat y_i(1-\\hat y_i)$\n"
            "for i \\neq j: Answer: $-\\hat y_i \\hat y_j$")
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts["1a"]
    top = part.candidates[0]
    assert top.text == "\\begin{cases} \\hat y_i(1-\\hat y_i) & i = j \\\\ -\\hat y_i \\hat y_j & i \\neq j \\end{cases}"
    assert top.source == "marker"
    assert (top.line_start, top.line_end) == (3, 4)
    assert "conflicting-candidates" not in part.flags


def test_text_before_first_problem_and_unknown_problem_unassigned() -> None:
    text = "Name: Kim\nStudent id 42\n\nProblem 9\nsome text\nProblem 2\n(a) 26\n"
    extraction = extract_answers(document=_doc(text), layout=LAYOUT)
    assert (1, 2) in extraction.unassigned
    assert any(a <= 5 <= b for a, b in extraction.unassigned)
    assert any("problem 9" in w for w in extraction.warnings)
    assert extraction.parts["2a"].candidates[0].text == "26"


def test_empty_part_has_no_candidates() -> None:
    parts = extract_answers(document=_doc("Problem 2\n(a)\n(b) 5"), layout=LAYOUT).parts
    assert parts["2a"].candidates == ()
    assert parts["2a"].label_found == "none"
    assert parts["2a"].confidence == 0.0
    assert parts["2b"].candidates[0].text == "5"


CASES = "\\begin{cases} %s & i = j \\\\ %s & i \\neq j \\end{cases}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1a) $\\hat y_i(1-\\hat y_i)$ if $i = j$, $-\\hat y_i \\hat y_j$ if $i \\neq j$",
         CASES % ("\\hat y_i(1-\\hat y_i)", "-\\hat y_i \\hat y_j")),
        ("1a) for i = j: y_i(1-y_i); for j \\neq i: -y_i y_j", CASES % ("y_i(1-y_i)", "-y_i y_j")),
        ("1a) Answer: i \\neq j: -y_i y_j, i = j: y_i(1-y_i)", CASES % ("y_i(1-y_i)", "-y_i y_j")),
        ("1a) dy_i/dz_j = y_i(1-y_i) for i=j and = -y_i y_j for i ≠ j", CASES % ("y_i(1-y_i)", "-y_i y_j")),
        ("Problem 1\n(a)\ncase $j \\neq i$:\n$$\\Rightarrow \\frac{\\partial y_j}{\\partial z_i} = -y_i y_j$$\n"
         "case $i = j$:\n$$\\Rightarrow \\frac{\\partial y_i}{\\partial z_i} = y_i(1 - y_i)$$",
         CASES % ("y_i(1 - y_i)", "-y_i y_j")),
    ],
)
def test_two_cases_joined(text: str, expected: str) -> None:
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts["1a"]
    assert part.candidates[0].text == expected
    assert "two-cases-joined" in part.flags


@pytest.mark.parametrize(
    ("text", "part_id", "expected"),
    [
        ("Problem 1\n(b) Answer:\n$$\n\\hat y - y\n$$", "1b", "\\hat y - y"),
        ("Problem 1\n(b) **Ответ:** $\\hat y - y$", "1b", "\\hat y - y"),
        ("Task 6: ReLU is linear for positive inputs so the gradient passes unchanged", "6",
         "ReLU is linear for positive inputs so the gradient passes unchanged"),
        ("Problem 2\n(e) Final answer: $2L + 1$ pixels", "2e", "2L + 1"),
        ("Problem 2\n(e) Réponse : $2L+1$", "2e", "2L+1"),
        ("Problem 2\n(e) 答案: 2L+1", "2e", "2L+1"),
        ("Problem 2\n(b) \\[ 3 \\cdot 3 \\cdot 10 \\cdot 20 + 20 \\implies 1820 \\]", "2b", "1820"),
        ("Problem 3\n(a) so the derivative is $\\boxed{\\frac{m_i}{1-p}}$ as claimed", "3a", "\\frac{m_i}{1-p}"),
        ("Problem 2\n(c) the shapes of Z and U are both (46,62,20).", "2c", "(46,62,20)"),
        ("سوال ۲\nب) تعداد پارامترها: $3 \\times 3 \\times 10 \\times 20 + 20 = ۱۸۲۰$", "2b", "1820"),
    ],
)
def test_answer_forms(text: str, part_id: str, expected: str) -> None:
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts[part_id]
    assert part.candidates[0].text == expected


def test_lone_number_in_a_derivation_is_not_a_problem_header() -> None:
    text = "1.\n(a) x = \\frac{1}{\n2\n}\nAnswer: 0.5\n(b) 7\n2\n(a) 26"
    answers = _answers(text)
    assert answers == {"1a": "0.5", "1b": "7", "2a": "26"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\\section*{Problem 2}\n\\subsection*{(b)}\n$1820$\n\\subsection*{(c)}\nAnswer: $(46, 62, 20)$",
         {"2b": "1820", "2c": "(46, 62, 20)"}),
        ("\\section*{Problem 3}\n\\begin{enumerate}\n\\item[(a)] $\\frac{m}{1-p}$\n\\item[(b)] $(4, 0, 6)$\n"
         "\\end{enumerate}", {"3a": "\\frac{m}{1-p}", "3b": "(4, 0, 6)"}),
        ("Problem 3\nPart (a): m/(1-p)\nPart b. (4, 0, 6)", {"3a": "m/(1-p)", "3b": "(4, 0, 6)"}),
        ("Aufgabe 3\nTeil a) Antwort: m/(1-p)", {"3a": "m/(1-p)"}),
        ("**1a)** 5\n**1b)** 7", {"1a": "5", "1b": "7"}),
    ],
)
def test_latex_and_word_labels(text: str, expected: dict[str, str]) -> None:
    answers = _answers(text)
    assert {k: v for k, v in answers.items() if k in expected} == expected


def test_lettering_restart_without_header_guesses_next_problem() -> None:
    text = "Problem 2\n(a) 26\n(b) 1820\n(c) (46, 62, 20)\n(a) Answer: m/(1-p)\n(b) (4, 0, 6)"
    parts = extract_answers(document=_doc(text), layout=LAYOUT).parts
    assert parts["2a"].candidates[0].text == "26"
    assert parts["3a"].candidates[0].text == "m/(1-p)"
    assert parts["3b"].candidates[0].text == "(4, 0, 6)"
    assert "problem-guessed-from-order" in parts["3a"].flags
    assert parts["3a"].confidence < 0.5


def test_repeated_label_is_kept_and_flagged() -> None:
    # problem 3 was already answered, so `(a)` again inside problem 2 is a repeat, not a lost header
    text = "Problem 3\n(a) m\nProblem 2\n(a) 26\n(b) 1820\n(a) Answer: 26 x 26"
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts["2a"]
    assert "label-repeated" in part.flags
    assert part.candidates[0].text == "26 x 26"


@pytest.mark.parametrize(
    ("text", "part_id", "expected"),
    [
        ("Problem 2\n(b) the size of $Z[i,j]$ is (5,4)", "2b", "(5,4)"),
        ("Problem 2\n(b) Answer: $(46, 62, 20)$ (shape of Z and U)", "2b", "(46, 62, 20)"),
        ("Problem 2\n(b) we get $n = 26$ so the output is $26 \\times 26$", "2b", "26 \\times 26"),
    ],
)
def test_math_picked_out_of_prose(text: str, part_id: str, expected: str) -> None:
    part = extract_answers(document=_doc(text), layout=LAYOUT).parts[part_id]
    assert part.candidates[0].text == expected


def test_bidi_marks_around_persian_labels() -> None:
    text = "\u200fسوال ۲\n\u200fالف) پاسخ: \u202b$26 \\times 26$\u202c\n\u200fب) ۱۸۲۰"
    assert _answers(text) == {"2a": "26 \\times 26", "2b": "1820"}
