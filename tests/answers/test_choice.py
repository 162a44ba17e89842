"""(reference, config, answer, verdict, feedback id) tables for the ``choice`` answer type."""

from __future__ import annotations

import pytest

from grader.answers import ReferenceValueError, get_answer_type

from structured_helpers import grade, make_part, round_trip

OPTIONS = [{"id": "a", "text": "sigmoid", "feedback": "Sigmoid saturates; its derivative is at most 1/4."},
           {"id": "b", "text": "ReLU", "labels": ["rectifier"]},
           {"id": "c", "text": "tanh", "feedback": "tanh saturates too."}]

SINGLE = [
    ("(b)", "correct", None),
    ("b)", "correct", None),
    ("b.", "correct", None),
    ("[b]", "correct", None),
    ("B", "correct", None),
    ("**b**", "correct", None),
    ("Answer: B", "correct", None),
    ("Ответ: b", "correct", None),
    ("option b", "correct", None),
    ("ReLU", "correct", None),
    ("the rectifier", "correct", None),
    ("$\\text{ReLU}$", "correct", None),
    ("(b) ReLU, because the sigmoid saturates", "correct", None),  # the letter wins over texts in the explanation
    ("(a)", "incorrect", "choice-a"),
    ("(c) tanh", "incorrect", "choice-c"),
    ("(а)", "incorrect", "choice-a"),                               # Cyrillic а
    ("(a) or (b)", "ambiguous", "choice-a"),                        # two options: a person decides
    ("ReLU, not sigmoid", "ambiguous", None),
    ("(d)", "unreadable", None),
    ("banana", "unreadable", None),
]


@pytest.mark.parametrize(("text", "verdict", "feedback_id"), SINGLE)
def test_single_answer(text, verdict, feedback_id):
    assert grade(make_part("choice", choices=OPTIONS), "b", text) == (verdict, feedback_id)


def test_wrong_option_gets_its_own_feedback():
    answer_type = get_answer_type("choice")
    part = make_part("choice", choices=OPTIONS)
    ref = answer_type.reference_value(value="b", part=part)
    check = answer_type.check(parsed=answer_type.parse(text="(a)", part=part, reference=ref), reference=ref,
                              part=part, seed=0)
    assert check.feedback == OPTIONS[0]["feedback"]


TRUE_FALSE = [
    ("false", "correct", None),
    ("False.", "correct", None),
    ("no", "correct", None),
    ("неверно", "correct", None),
    ("нет", "correct", None),
    ("falsch", "correct", None),
    ("نادرست", "correct", None),
    ("not true", "correct", None),
    ("(false)", "correct", None),
    ("true", "incorrect", "choice-true"),
    ("верно", "incorrect", "choice-true"),
    ("richtig", "incorrect", "choice-true"),
    ("درست", "incorrect", "choice-true"),
    ("maybe", "unreadable", None),
]


@pytest.mark.parametrize(("text", "verdict", "feedback_id"), TRUE_FALSE)
def test_true_false(text, verdict, feedback_id):
    part = make_part("choice", choices=[{"id": "true"}, {"id": "false", "feedback": "The full network is used."}])
    assert grade(part, "false", text) == (verdict, feedback_id)


SELECT_ALL = [
    ("(a), (c)", "correct", "correct", None),
    ("a and c", "correct", "correct", None),
    ("sigmoid and tanh", "correct", "correct", None),
    ("(a)", "incorrect", "partial", "wrong-selection"),
    ("(a), (b), (c)", "incorrect", "incorrect", "wrong-selection"),   # proportional: 2 right - 1 wrong = 1/2
    ("(b)", "incorrect", "incorrect", "wrong-selection"),
]


@pytest.mark.parametrize(("text", "all_or_nothing", "proportional", "feedback_id"), SELECT_ALL)
def test_select_all(text, all_or_nothing, proportional, feedback_id):
    assert grade(make_part("choice", choices=OPTIONS), ["a", "c"], text) == (all_or_nothing, feedback_id)
    expected = "partial" if text == "(a), (b), (c)" else proportional
    assert grade(make_part("choice", choices=OPTIONS, entry_credit="proportional"), ["a", "c"], text) == (
        expected, feedback_id)


@pytest.mark.parametrize("reference", ["b", "B", "ReLU", ["a", "c"]])
def test_round_trip(reference):
    assert round_trip(make_part("choice", choices=OPTIONS), reference) == "correct"


def test_true_false_references():
    part = make_part("choice", choices=[{"id": "true"}, {"id": "false"}])
    assert round_trip(part, False) == "correct" and round_trip(part, "true") == "correct"


@pytest.mark.parametrize(("reference", "message"), [("d", "not one of the choices"), ([], "at least one")])
def test_bad_references(reference, message):
    with pytest.raises(ReferenceValueError, match=message):
        get_answer_type("choice").reference_value(value=reference, part=make_part("choice", choices=OPTIONS))


def test_value_of_and_validate():
    answer_type = get_answer_type("choice")
    part = make_part("choice", choices=OPTIONS)
    ref = answer_type.reference_value(value="b", part=part)
    assert answer_type.value_of(parsed=answer_type.parse(text="(b)", part=part, reference=ref)) == "b"
    assert answer_type.validate_part(part=part) == []
    assert any("at least two" in p for p in answer_type.validate_part(part=make_part("choice", choices=OPTIONS[:1])))
    twice = answer_type.validate_part(part=make_part("choice", choices=[{"id": "a"}, {"id": "A"}]))
    assert any("used twice" in p for p in twice)
