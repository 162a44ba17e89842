"""Value notations from OCR'd hand-ins, one row per notation: (answer text, part type, expected value).

Plus the choice between a part's candidates by type (``grader.grading.candidate_reading.first_readable``) and
property tests for the span finders (never raise, bounded)."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers import ParseFailure, get_answer_type
from grader.answers.spans import array_spans, scalar_spans, shape_spans
from grader.freeform.candidates import is_non_answer
from grader.text.wrappers import rhs
from grader.grading.candidate_reading import SEVERAL_VALUES, first_readable
from grader.problems.models import Part, Tolerance
from grader.submissions.inputs import Candidate

REFERENCES = {"number": 0.5, "integer": 3216, "shape": (46, 62, 20), "vector": np.array([0.5, 0.5, 1.0]),
              "matrix": np.array([[1.0, 2.0], [3.0, 4.0]])}


def _part(type_name: str) -> Part:
    return Part(id="9z", prompt="", type=type_name, solver="x", tolerance=Tolerance(abs=1e-3))


def _value(type_name: str, text: str):
    answer_type = get_answer_type(type_name)
    parsed = answer_type.parse(text=text, part=_part(type_name), reference=REFERENCES[type_name])
    assert not isinstance(parsed, ParseFailure), parsed
    return parsed


#: (answer text, part type, expected value)
NOTATIONS = [
    # thousands separators
    ("5{,}133{,}600", "integer", 5133600),
    ("$5{,}133{,}600$", "integer", 5133600),
    ("5 133 600", "integer", 5133600),
    ("5.133.600", "integer", 5133600),
    ("5,133,600", "integer", 5133600),
    ("3.216", "integer", 3216),                      # German thousands dot in a whole-number part
    ("5 * 5 * 8 * 16 + 16 = 3.216", "integer", 3216),
    ("1.234,5", "number", 1234.5),
    ("1,234.5", "number", 1234.5),
    # LaTeX decimal comma
    ("0{,}5", "number", 0.5),
    ("$0{,}5$", "number", 0.5),
    ("0,5", "number", 0.5),
    ("(0{,}5;\\ 0{,}5;\\ 1)", "vector", [0.5, 0.5, 1.0]),
    ("$\\hat y = (0{,}090;\\ 0{,}245;\\ 0{,}665)$", "vector", [0.09, 0.245, 0.665]),
    # update arrows: the value is on the right
    ("b^{(1)} \\leftarrow (0.5, 0.5, 1)", "vector", [0.5, 0.5, 1.0]),
    ("b ← (0.5, 0.5, 1)", "vector", [0.5, 0.5, 1.0]),
    ("b ⇐ (0.5, 0.5, 1)", "vector", [0.5, 0.5, 1.0]),
    ("b \\gets (0.5, 0.5, 1)", "vector", [0.5, 0.5, 1.0]),
    ("W := [[1, 2], [3, 4]]", "matrix", [[1.0, 2.0], [3.0, 4.0]]),
    ("lr \\leftarrow 0.5", "number", 0.5),
    # transposed literals
    ("(4, 0, 6)^T", "vector", [4.0, 0.0, 6.0]),
    ("[1, 2, 3]^{T}", "vector", [1.0, 2.0, 3.0]),
    ("(1,2,3)ᵀ", "vector", [1.0, 2.0, 3.0]),
    ("(1, 2, 3)^\\top", "vector", [1.0, 2.0, 3.0]),
    ("[[1, 3], [2, 4]]^T", "matrix", [[1.0, 2.0], [3.0, 4.0]]),
    # dimensions in words and spaced commas
    ("46 на 62 на 20", "shape", (46, 62, 20)),
    ("46 by 62 by 20", "shape", (46, 62, 20)),
    ("46 mal 62 mal 20", "shape", (46, 62, 20)),
    ("26 x 36 x 16", "shape", (26, 36, 16)),
    ("(32 , 50 , 300)", "shape", (32, 50, 300)),
]


@pytest.mark.parametrize(("text", "type_name", "expected"), NOTATIONS)
def test_notation(text, type_name, expected):
    parsed = _value(type_name, text)
    value = get_answer_type(type_name).value_of(parsed=parsed)
    if type_name in ("vector", "matrix"):
        assert np.allclose(value, expected) and np.shape(value) == np.shape(expected)
    else:
        assert value == expected


def test_thousands_dot_is_noted_and_decimal_dot_stays_in_number_parts():
    assert any("thousands" in note for note in _value("integer", "3.216").notes)
    assert _value("number", "3.216").value.value == Fraction("3.216")
    assert _value("integer", "1.5").value == Fraction(3, 2)  # not a thousands group: still not whole


def test_decimal_or_thousands_comma_keeps_the_alternative():
    parsed = _value("number", "2{,}718")
    assert parsed.alternatives  # 2718 or 2.718: a person decides when the verdicts differ


def test_semicolon_list_is_a_row_and_a_transposed_vector_says_so():
    assert _value("vector", "(0,5; 0,5; 1)").notes == ()
    assert "transposed" in _value("vector", "(4, 0, 6)^T").notes[0]


@pytest.mark.parametrize(("text", "right"), [("x = (1, 2)", "(1, 2)"), ("W := 5", "5"), ("b \\leftarrow b - 0.1", "b - 0.1"),
                                           ("y ← 3", "3"), ("z ⇐ 4", "4"), ("b \\gets 2", "2")])
def test_update_arrows_split_the_right_hand_side(text, right):
    assert rhs(text=text) == right


@pytest.mark.parametrize(("text", "skipped"), [
    ("skipped", True), ("skipped, see (c)", True), ("не решено", True), ("Не решено.", True), ("—", True),
    ("übersprungen", True), ("حل نشد", True), ("n/a", True), ("**skipped**", True),
    ("-3", False), ("— 5", False), ("skip this, the answer is 5", False), ("na", False), ("see (c)", False),
])
def test_non_answers(text, skipped):
    assert is_non_answer(text=text) is skipped


# ------------------------------------------------------------------ choice by type

def _cand(text: str, quote: str, source: str = "last_value", line: int = 3) -> Candidate:
    return Candidate(text=text, source=source, line_start=line, line_end=line, quote=quote)


#: (candidates as (text, quote, source), part type, expected graded text)
CHOICES = [
    ([("20", "Die Ausgabe hat die Form 46 mal 62 mal 20.", "last_value")], "shape", "46 mal 62 mal 20"),
    ([("20", "46 на 62 на 20", "structured")], "shape", "46 на 62 на 20"),
    ([("46", "Answer: 46 by 62 by 20", "marker")], "shape", "46 by 62 by 20"),
    ([("300)", "(32 , 50 , 300)", "last_value"), ("(32 , 50 , 300)", "(32 , 50 , 300)", "block")], "shape",
     "(32 , 50 , 300)"),
    ([("× 16", "$(128, 112, 112, 3)$ — 8 clips × 16 frames", "last_value")], "shape", "(128, 112, 112, 3)"),
    ([("16", "фильтров 16, значит Z имеет размер 26 на 36 на 16", "last_value")], "shape", "26 на 36 на 16"),
    ([("(1, 0)", "the largest value is 5, at pixel (1, 0)", "last_value"),
      ("the largest value is 5, at pixel (1, 0)", "the largest value is 5, at pixel (1, 0)", "block")],
     "number", "5"),
    # a marked answer is not replaced by a value elsewhere on the page
    ([("20", "Answer: 20", "marker"), ("46 by 62 by 20\nAnswer: 20", "46 by 62 by 20\nAnswer: 20", "block")],
     "shape", "20"),
    # a derivation's operands are not whole values
    ([("1800", "3·3·10·20 = 1800", "last_rhs")], "integer", "1800"),
]


@pytest.mark.parametrize(("cands", "type_name", "graded"), CHOICES)
def test_choice_by_type(cands, type_name, graded):
    candidates = tuple(_cand(text, quote, source) for text, quote, source in cands)
    reference = get_answer_type(type_name).coerce(value=(46, 62, 20) if type_name == "shape" else 5, part=_part(type_name)) \
        if type_name != "integer" else 1800
    parsed, used, _ = first_readable(candidates, get_answer_type(type_name), _part(type_name), reference)
    assert used is not None and used.text == graded


def test_several_values_on_the_line_are_noted():
    candidates = (_cand("(46, 62, 10)", "(46, 62, 20) or maybe (46, 62, 10)"),)
    parsed, used, _ = first_readable(candidates, get_answer_type("shape"), _part("shape"), (46, 62, 20))
    assert any(note.startswith(SEVERAL_VALUES) for note in parsed.notes)
    assert parsed.line_values == ("(46, 62, 20)",)


def test_a_derivation_line_is_not_several_values():
    quote = "b \\leftarrow (0.3, 0.3) - 0.4 (0.0059, 0.0070) = (0.2976, 0.2972)"
    parsed, _, _ = first_readable((_cand("(0.2976, 0.2972)", quote, "last_rhs"),), get_answer_type("vector"),
                                   _part("vector"), np.array([0.2976, 0.2972]))
    assert parsed.line_values == ()
    quote = "Pro Ausgabewert 5·5·8 = 200 Multiplikationen, also 26·36·16·200 = 2 995 200"
    parsed, _, _ = first_readable((_cand("2 995 200", quote, "last_rhs"),), get_answer_type("integer"),
                                   _part("integer"), 2995200)
    assert parsed.line_values == ()


def test_a_line_with_several_values_is_not_guessed_when_nothing_reads():
    candidates = (_cand("(a) 5 (b) 7", "(a) 5 (b) 7", "block"),)
    parsed, used, failures = first_readable(candidates, get_answer_type("number"), _part("number"), 5)
    assert parsed is None and failures


# ------------------------------------------------------------------ properties

TEXT = st.lists(st.sampled_from(list("0123456789 .,;:()[]{}^T×x*+-=—") +
                                ["mal", "by", "на", "\\top", "ᵀ", "{,}", "\\leftarrow", "skipped", "\n", "۵"]),
                max_size=120).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_span_finders_never_raise_and_stay_bounded(text):
    start = time.process_time()
    for finder in (shape_spans, array_spans, scalar_spans):
        for standalone in (False, True):
            spans = finder(text, standalone=standalone, stated=standalone)
            assert len(spans) <= 12 and all(isinstance(s, str) for s in spans)
    is_non_answer(text=text)
    assert time.process_time() - start < 1.0


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(sorted(REFERENCES)))
def test_changed_readers_never_raise(text, type_name):
    start = time.process_time()
    get_answer_type(type_name).parse(text=text, part=_part(type_name), reference=REFERENCES[type_name])
    candidates = (_cand(text[:40], text), _cand(text, text, "block"))
    first_readable(candidates, get_answer_type(type_name), _part(type_name), REFERENCES[type_name])
    assert time.process_time() - start < 1.0


def test_long_hostile_lines_stay_fast():
    for text in ("46 mal " * 5000, "(1, " * 5000, "1 x " * 5000 + "(", "5{,}" * 5000, "(1,2)^" * 4000):
        start = time.process_time()
        for finder in (shape_spans, array_spans, scalar_spans):
            finder(text, standalone=True, stated=True)
        for type_name in REFERENCES:
            first_readable((_cand(text[-30:], text), ), get_answer_type(type_name), _part(type_name),
                            REFERENCES[type_name])
        assert time.process_time() - start < 2.0, text[:20]
