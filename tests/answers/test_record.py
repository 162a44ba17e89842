"""(reference, config, answer, verdict, feedback id) tables for the ``record`` answer type."""

from __future__ import annotations

import pytest

from grader.answers import ReferenceValueError, get_answer_type

from structured_helpers import grade, make_part, round_trip

CHANNELS = [
    {"name": "in", "type": "integer", "labels": ["input", "in_channels", "C_in", "входных", "Eingang", "Eingabe"]},
    {"name": "out", "type": "integer", "labels": ["output", "out_channels", "C_out", "выходных", "Ausgang", "Ausgabe"]},
]
REF = {"in": 10, "out": 20}

CASES = [
    ("the input channel is 10, the output channel is 20", "correct", None),
    ("in: 10, out: 20", "correct", None),
    ("out: 20, in: 10", "correct", None),
    ("C_in = 10; C_out = 20", "correct", None),
    ("$C_{in} = 10$, $C_{out} = 20$", "correct", None),
    (r"$C_{\text{in}} = 10,\ C_{\text{out}} = 20$", "correct", None),
    ("10 входных и 20 выходных каналов", "correct", None),
    ("входной канал: 10, выходной: 20", "correct", None),
    ("Eingang: ۱۰, Ausgang: ۲۰", "correct", None),
    ("Eingangskanäle 10, Ausgangskanäle 20", "correct", None),
    ("10, 20", "correct", None),
    ("(10, 20)", "correct", None),
    ("in_channels=10, out_channels=20", "correct", None),
    ("input 10 output 20", "correct", None),
    ("10 input and 20 output channels", "correct", None),
    ("in: 10, 20", "correct", None),  # out read by order, with a note
    # wrong answers that look right
    ("in: 20, out: 10", "incorrect", "fields-swapped"),
    ("the input channel is 20, the output channel is 10", "incorrect", "fields-swapped"),
    ("20, 10", "incorrect", "fields-swapped"),
    ("in: 10, out: 30", "partial", "wrong-fields"),
    ("in: 10", "partial", "wrong-fields"),            # out missing: wrong with a note, not unreadable
    ("in: 10.5, out: 20", "partial", "wrong-fields"),
    ("in: 3, out: 5", "incorrect", "wrong-fields"),
    # not a record: no names and not one value per field
    ("20", "unreadable", None),
    ("Conv2d(10, 20, 5)", "unreadable", None),
    ("banana", "unreadable", None),
    ("", "unreadable", None),
]


@pytest.mark.parametrize(("text", "verdict", "feedback_id"), CASES)
def test_channels(text, verdict, feedback_id):
    assert grade(make_part("record", fields=CHANNELS), REF, text) == (verdict, feedback_id)


def test_weights_give_partial_credit_and_feedback_names_the_wrong_field():
    part = make_part("record", fields=[{**CHANNELS[0], "weight": 1}, {**CHANNELS[1], "weight": 3}])
    answer_type = get_answer_type("record")
    ref = answer_type.reference_value(value=REF, part=part)
    parsed = answer_type.parse(text="in: 11, out: 20", part=part, reference=ref)
    check = answer_type.check(parsed=parsed, reference=ref, part=part, seed=0)
    assert (check.verdict, check.credit) == ("partial", 0.75)
    assert "in: 11, expected 10" in check.feedback and "out" not in check.feedback.split("Wrong:")[1]


def test_missing_field_and_order_reading_are_noted():
    part = make_part("record", fields=CHANNELS)
    answer_type = get_answer_type("record")
    missing = answer_type.parse(text="in: 10", part=part, reference=REF)
    assert any("no value found for out" in note for note in missing.notes)
    ordered = answer_type.parse(text="10, 20", part=part, reference=REF)
    assert any("order" in note for note in ordered.notes)


def test_field_tolerance_and_types():
    fields = [{"name": "shape", "type": "shape", "labels": ["output"]},
              {"name": "rate", "type": "number", "labels": ["p"], "tolerance": {"policy": "absolute", "abs": 0.01}}]
    part = make_part("record", fields=fields)
    ref = {"shape": [26, 26, 10], "rate": 0.5}
    assert grade(part, {**ref, "rate": 1.5}, "output: 26x26x10, p = 1,505") == ("ambiguous", "wrong-fields")  # 1505 or 1.505
    assert grade(part, ref, "output: 26x26x10, p = 0,505") == ("correct", None)  # a lone 0 never groups thousands
    assert grade(part, ref, "output: 26x26x10, p = 0,51") == ("correct", None)
    assert grade(part, ref, "output: 26 × 26 × 10, p = 0.52") == ("partial", "wrong-fields")
    assert grade(part, ref, "output (26, 26, 10); p = 0.5") == ("correct", None)


def test_two_disagreeing_pairings_go_to_review():
    # "10 in 20 out 30": label after its value (in=10, out=20) or before it (in=20, out=30)
    part = make_part("record", fields=CHANNELS)
    assert grade(part, REF, "10 in 20 out 30")[0] == "ambiguous"


@pytest.mark.parametrize("reference", [REF, [10, 20], "in: 10, out: 20", {"in": 10.0, "out": 20, "extra": 5}])
def test_reference_forms_and_round_trip(reference):
    part = make_part("record", fields=CHANNELS)
    assert get_answer_type("record").reference_value(value=reference, part=part) == REF
    assert round_trip(part, reference) == "correct"


@pytest.mark.parametrize(("reference", "message"), [
    ({"in": 10}, "no value for out"),
    ([10], "needs 2 values"),
    (5, "mapping"),
    ({"in": 10, "out": 20.5}, "field 'out'"),
    ("in: 10", "no value for out"),
])
def test_bad_references(reference, message):
    with pytest.raises(ReferenceValueError, match=message):
        get_answer_type("record").reference_value(value=reference, part=make_part("record", fields=CHANNELS))


def test_value_of_is_a_plain_dict():
    part = make_part("record", fields=CHANNELS)
    answer_type = get_answer_type("record")
    parsed = answer_type.parse(text="in: 10, out: 20", part=part, reference=REF)
    assert answer_type.value_of(parsed=parsed) == {"in": 10, "out": 20}


def test_validate_part():
    answer_type = get_answer_type("record")
    assert answer_type.validate_part(part=make_part("record", fields=CHANNELS)) == []
    assert any("needs 'fields'" in p for p in answer_type.validate_part(part=make_part("record")))
    bad = [{"name": "a", "type": "vector"}, {"name": "b", "type": "nosuch", "labels": ["a"]}]
    problems = answer_type.validate_part(part=make_part("record", fields=bad))
    assert any("'vector'" in p for p in problems) and any("unknown type 'nosuch'" in p for p in problems)
    assert any("label 'a' names both" in p for p in problems)
    no_ref = make_part("record", fields=CHANNELS, solver=None)
    assert any("needs its reference" in p for p in answer_type.validate_part(part=no_ref))
