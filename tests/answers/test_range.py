"""(reference, config, answer, verdict, feedback id) tables for the ``range`` answer type."""

from __future__ import annotations

import pytest

from grader.answers import ReferenceValueError, get_answer_type

from structured_helpers import grade, make_part, round_trip

INTEGERS = [
    ("0 ≤ k₁ < 2", "correct", None),
    (r"$0 \le k_1 \leq 1$", "correct", None),
    ("0 <= k <= 1", "correct", None),
    ("2 > k ≥ 0", "correct", None),
    ("k ≥ 0, k < 2", "correct", None),
    ("k ∈ {0, 1}", "correct", None),
    (r"k \in \{0,1\}", "correct", None),
    (r"k \in \mathbb{Z}, 0 \le k < 2", "correct", None),
    ("[0, 2)", "correct", None),
    ("[0; 2)", "correct", None),
    ("0..1", "correct", None),
    ("от 0 до 1", "correct", None),
    ("k = 0, 1", "correct", None),
    ("k = 0 or 1", "correct", None),
    ("۰ ≤ k < ۲", "correct", None),
    ("0 ≤ k < 2, also written k ∈ {0, 1}", "correct", None),   # the same range twice
    # wrong answers that look right
    ("0 ≤ k < 3", "incorrect", "range-off-by-one"),
    ("0 ≤ k ≤ 2", "incorrect", "range-off-by-one"),
    ("1 ≤ k ≤ 1", "incorrect", "range-off-by-one"),
    ("[0, 2]", "incorrect", "range-off-by-one"),
    ("k ∈ {0, 1, ..., 5}", "incorrect", "wrong-range"),
    ("0 < k < 1", "incorrect", "wrong-range"),                  # empty
    ("(0, 2)", "incorrect", "range-off-by-one"),                # {1} as an open interval, {0, 1, 2} as closed: both wrong
    # not one range
    ("0 ≤ k₁ < 2, 0 ≤ k₂ < 2", "unreadable", None),
    ("0 ≤ k₁ < 2, 0 ≤ k₂ < 3", "unreadable", None),
    ("k < 2", "unreadable", None),
    ("banana", "unreadable", None),
]


@pytest.mark.parametrize("reference", [r"0 \le k < 2", {"min": 0, "max": 1}, {"low": 0, "high": 2, "high_open": True},
                                       [0, 1], range(0, 2)])
@pytest.mark.parametrize(("text", "verdict", "feedback_id"), INTEGERS)
def test_integer_range(reference, text, verdict, feedback_id):
    assert grade(make_part("range"), reference, text) == (verdict, feedback_id)


REALS = [
    ("0 ≤ x < 2", "correct", None),
    ("[0, 2)", "correct", None),
    ("[0; 2,0)", "correct", None),
    ("0 ≤ x ≤ 2", "incorrect", "range-open-closed"),
    ("(0, 2)", "incorrect", "range-open-closed"),
    ("0 ≤ x < 3", "incorrect", "range-off-by-one"),
    ("0 ≤ x < 1.5", "incorrect", "wrong-range"),
    ("x ∈ {0, 1}", "incorrect", "wrong-range"),
]


@pytest.mark.parametrize(("text", "verdict", "feedback_id"), REALS)
def test_real_interval(text, verdict, feedback_id):
    assert grade(make_part("range", domain="reals"), {"low": 0, "high": 2, "high_open": True}, text) == (verdict, feedback_id)


def test_round_brackets_may_mean_a_closed_range():
    # (0, 2) is {1} as an open interval but {0, 1, 2} if the student meant "from 0 to 2": a person decides
    assert grade(make_part("range"), {"min": 0, "max": 2}, "(0, 2)") == ("ambiguous", "wrong-range")
    assert grade(make_part("range"), {"min": 1, "max": 1}, "(0, 2)") == ("ambiguous", None)


def test_unbounded_real_interval():
    part = make_part("range", domain="reals")
    assert grade(part, r"[0, \infty)", "x ≥ 0 and x < ∞") == ("correct", None)
    assert round_trip(part, "[0, ∞)") == "correct"


@pytest.mark.parametrize(("reference", "domain"), [
    (r"0 \le k < 2", "integers"), ({"min": 3, "max": 3}, "integers"), ([0, 2, 5], "integers"),
    ({"low": 0, "high": 2, "high_open": True}, "reals"), ({"low": -1.5, "high": 2.25, "low_open": True}, "reals"),
    ([0.5, 1.5], "reals"),
])
def test_round_trip(reference, domain):
    assert round_trip(make_part("range", domain=domain), reference) == "correct"


@pytest.mark.parametrize(("reference", "message"), [
    ({"min": 2, "max": 0}, "above the upper end"),
    ({"from": 0, "to": 1}, "min: 0, max: 1"),
    ({"min": 0.5, "max": 1}, "whole number"),
    ({"low": 0, "high": 1, "low_open": "yes"}, "true or false"),
    ("0 < k < 1", "empty"),
    ("banana", "could not read a range"),
    (None, "a range reference is text"),
])
def test_bad_references(reference, message):
    with pytest.raises(ReferenceValueError, match=message):
        get_answer_type("range").reference_value(value=reference, part=make_part("range"))


def test_value_of_matches_reference_forms():
    answer_type = get_answer_type("range")
    part = make_part("range")
    parsed = answer_type.parse(text="0 ≤ k < 2", part=part, reference=None)
    assert answer_type.value_of(parsed=parsed) == {"min": 0, "max": 1}
    reals = make_part("range", domain="reals")
    parsed = answer_type.parse(text="[0, 2)", part=reals, reference=None)
    plain = answer_type.value_of(parsed=parsed)
    assert plain == {"low": 0.0, "high": 2.0, "low_open": False, "high_open": True}
    assert answer_type.reference_value(value=plain, part=reals) == parsed.value


def test_huge_ranges_stay_cheap():
    assert grade(make_part("range"), "0 ≤ k < 1000000000", "k ∈ {0, 1, ..., 999999999}") == ("correct", None)
