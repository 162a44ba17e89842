"""(reference, config, answer, verdict, feedback id) tables for the ``coordinates`` answer type."""

from __future__ import annotations

import numpy as np
import pytest

from grader.answers import ReferenceValueError, get_answer_type

from structured_helpers import grade, make_part, round_trip

ONE_BASED = [
    ("(3, 1)", "correct", None),
    ("[3,1]", "correct", None),
    ("$(3; 1)$", "correct", None),
    ("Z[3,1]", "correct", None),
    ("Z_{3,1}", "correct", None),
    ("row 3, column 1", "correct", None),
    ("column 1, row 3", "correct", None),
    ("i=3, j=1", "correct", None),
    ("строка ۳, столбец ۱", "correct", None),
    ("Zeile 3, Spalte 1", "correct", None),
    ("(1, 3)", "incorrect", "coordinates-swapped"),
    ("(2, 0)", "incorrect", "off-by-one-index"),     # counted from 0
    ("(2, 2)", "incorrect", "wrong-position"),        # another pixel, not the maximum
    ("(3, 1, 1)", "incorrect", "wrong-coordinate-count"),
    ("(3, 1) or (2, 2)", "ambiguous", None),          # two positions that would get different verdicts
    ("(3.5, 1)", "unreadable", None),
    ("banana", "unreadable", None),
]


@pytest.mark.parametrize(("text", "verdict", "feedback_id"), ONE_BASED)
def test_one_based_point(text, verdict, feedback_id):
    assert grade(make_part("coordinates", index_base=1), [3, 1], text) == (verdict, feedback_id)


TIES = [
    ("(2, 0)", "correct", None),
    ("(0, 2)", "correct", None),                      # swapped, but itself a maximum
    ("(2, 0) or (0, 2)", "correct", None),
    ("(1, 1)", "incorrect", "wrong-position"),        # a pixel that is not a maximum
    ("(3, 1)", "incorrect", "off-by-one-index"),      # (2, 0) counted from 1
]


@pytest.mark.parametrize("reference", [{"any_of": [[2, 0], [0, 2]]}, [[2, 0], [0, 2]], np.array([[2, 0], [0, 2]])])
@pytest.mark.parametrize(("text", "verdict", "feedback_id"), TIES)
def test_several_maxima(reference, text, verdict, feedback_id):
    assert grade(make_part("coordinates", index_base=0), reference, text) == (verdict, feedback_id)


@pytest.mark.parametrize("reference", [[3, 1], {"any_of": [[3, 1], [1, 3]]}, "(3, 1)", [[0, 0, 1]]])
def test_round_trip(reference):
    assert round_trip(make_part("coordinates"), reference) == "correct"


@pytest.mark.parametrize(("reference", "message"), [
    ([], "a point such as"),
    ({"points": [[1, 2]]}, "any_of"),
    ([[1, 2], [1, 2, 3]], "different numbers of coordinates"),
    ([1.5, 2], "whole number"),
    ([[1, 2], 3], "mixes numbers and points"),
])
def test_bad_references(reference, message):
    with pytest.raises(ReferenceValueError, match=message):
        get_answer_type("coordinates").reference_value(value=reference, part=make_part("coordinates"))


def test_value_of_and_validate():
    answer_type = get_answer_type("coordinates")
    part = make_part("coordinates")
    parsed = answer_type.parse(text="(3, 1)", part=part, reference=((3, 1),))
    assert answer_type.value_of(parsed=parsed) == (3, 1)
    assert answer_type.validate_part(part=part) == []
    assert "needs its reference" in answer_type.validate_part(part=make_part("coordinates", solver=None))[0]
