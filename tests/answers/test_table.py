"""(reference, config, answer, verdict, feedback id) tables for the ``table`` answer type."""

from __future__ import annotations

import pytest

from grader.answers import ReferenceValueError, get_answer_type

from structured_helpers import grade, make_part, round_trip

COLUMNS = [{"name": "output_shape", "type": "shape", "labels": ["shape", "output", "Form", "размер"]},
           {"name": "params", "type": "integer", "labels": ["parameters", "#params", "Parameter", "параметров"]}]
ROWS = ["conv1", "pool1", "fc1"]
#: what a solver such as layers.stack_table returns: extra keys are ignored
SOLVER_ROWS = [{"layer": "conv1", "output_shape": (26, 26, 10), "params": 100, "multiplications": 60840},
               {"layer": "pool1", "output_shape": (13, 13, 10), "params": 0, "multiplications": 0},
               {"layer": "fc1", "output_shape": (10,), "params": 16910, "multiplications": 16900}]

MARKDOWN = "| layer | shape | #params |\n|---|---|---|\n| conv1 | 26×26×10 | 100 |\n| pool1 | 13x13x10 | 0 |\n| fc1 | 10 | {fc} |"

CASES = [
    (MARKDOWN.format(fc="16910"), "correct", None),
    (MARKDOWN.format(fc="16 910"), "correct", None),
    (MARKDOWN.format(fc="۱۶۹۱۰"), "correct", None),
    # header in another order, labels in other cases and spacing
    ("| Layer | Parameters | Output |\n|:--|--:|--|\n| Conv 1 | 100 | (26, 26, 10) |\n| POOL1 | 0 | 13 × 13 × 10 |"
     "\n| fc_1 | 16910 | 10 |", "correct", None),
    # rows in another order are matched by label
    ("| layer | shape | params |\n|---|---|---|\n| fc1 | 10 | 16910 |\n| conv1 | 26x26x10 | 100 |\n"
     "| pool1 | 13x13x10 | 0 |", "correct", None),
    # no header: cells in column order
    ("| conv1 | 26x26x10 | 100 |\n| pool1 | 13x13x10 | 0 |\n| fc1 | 10 | 16910 |", "correct", None),
    # LaTeX tabular
    ("\\begin{tabular}{lll}\nconv1 & $26 \\times 26 \\times 10$ & 100 \\\\\n\\hline\npool1 & 13 \\times 13 \\times 10 & 0 \\\\\n"
     "fc1 & 10 & 16910 \\\\\n\\end{tabular}", "correct", None),
    # one row per line
    ("conv1: 26x26x10, 100 params\npool1: 13x13x10, 0 params\nfc1: 10, 16910 params", "correct", None),
    ("conv1: output 26x26x10, parameters 100\npool1: output 13x13x10, parameters 0\nfc1: output 10, parameters 16910",
     "correct", None),
    ("conv1 — размер 26×26×10, параметров 100\npool1: 13×13×10, 0\nfc1: 10, 16910", "correct", None),
    # one wrong row: partial, never correct
    (MARKDOWN.format(fc="16900"), "partial", "wrong-rows"),
    ("| layer | shape | params |\n|---|---|---|\n| conv1 | 26x26x10 | 100 |\n| pool1 | 26x26x10 | 0 |\n| fc1 | 10 | 16910 |",
     "partial", "wrong-rows"),
    # a missing row
    ("| layer | shape | params |\n|---|---|---|\n| conv1 | 26x26x10 | 100 |\n| fc1 | 10 | 16910 |", "partial", "wrong-rows"),
    # every row wrong
    ("| conv1 | 28x28x10 | 280 |\n| pool1 | 14x14x10 | 10 |\n| fc1 | 20 | 1 |", "incorrect", "wrong-rows"),
    ("banana", "unreadable", None),
    # a numbered list of rows
    ("1) conv1: 26x26x10, 100 params\n2) pool1: 13x13x10, 0 params\n3. fc1: 10, 16910 params", "correct", None),
    # a row seen but none of its cells read is not a wrong row: the table is unreadable (a person reads it)
    ("conv1: 26x26x10, 100 params\npool1: see above, same as before\nfc1: 10, 16910 params", "unreadable", None),
]


@pytest.mark.parametrize("reference", [SOLVER_ROWS, [[(26, 26, 10), 100], [(13, 13, 10), 0], [[10], 16910]]])
@pytest.mark.parametrize(("text", "verdict", "feedback_id"), CASES)
def test_layer_table(reference, text, verdict, feedback_id):
    assert grade(make_part("table", columns=COLUMNS, rows=ROWS), reference, text) == (verdict, feedback_id)


def test_without_row_labels_rows_are_compared_in_order():
    part = make_part("table", columns=COLUMNS)
    assert grade(part, SOLVER_ROWS, "| 26x26x10 | 100 |\n| 13x13x10 | 0 |\n| 10 | 16910 |") == ("correct", None)
    assert grade(part, SOLVER_ROWS, "| 13x13x10 | 0 |\n| 26x26x10 | 100 |\n| 10 | 16910 |") == ("partial", "wrong-rows")


def test_credit_per_row_or_per_cell_and_feedback_names_the_cell():
    answer_type = get_answer_type("table")
    text = MARKDOWN.format(fc="16900")
    for credit_policy, expected in (("all_or_nothing", 2 / 3), ("proportional", 5 / 6)):
        part = make_part("table", columns=COLUMNS, rows=ROWS, entry_credit=credit_policy)
        ref = answer_type.reference_value(value=SOLVER_ROWS, part=part)
        check = answer_type.check(parsed=answer_type.parse(text=text, part=part, reference=ref), reference=ref,
                                  part=part, seed=0)
        assert check.verdict == "partial" and check.credit == pytest.approx(expected)
        assert "fc1: params 16900, expected 16 910" in check.feedback


def test_column_tolerance():
    columns = [{"name": "loss", "type": "number", "tolerance": {"policy": "absolute", "abs": 0.01}}]
    part = make_part("table", columns=columns, rows=["epoch1", "epoch2"])
    assert grade(part, [{"loss": 0.5}, {"loss": 0.25}], "epoch1: 0,51\nepoch2: 0,26") == ("correct", None)
    assert grade(part, [{"loss": 0.5}, {"loss": 0.25}], "epoch1: 0,51\nepoch2: 0,3") == ("partial", "wrong-rows")


def test_an_ambiguous_comma_in_a_cell_goes_to_review():
    columns = [{"name": "loss", "type": "number"}]
    part = make_part("table", columns=columns, rows=["epoch1", "epoch2"])
    assert grade(part, [{"loss": 0.5}, {"loss": 1.125}], "epoch1: 0.5\nepoch2: 1,125") == ("ambiguous", "wrong-rows")
    # 0,125 is 0.125: a lone 0 never starts a thousands group
    assert grade(part, [{"loss": 0.5}, {"loss": 0.125}], "epoch1: 0.5\nepoch2: 0,125") == ("correct", None)


@pytest.mark.parametrize("rows", [ROWS, ()])
def test_round_trip(rows):
    assert round_trip(make_part("table", columns=COLUMNS, rows=rows), SOLVER_ROWS) == "correct"


def test_value_of_and_text_reference():
    answer_type = get_answer_type("table")
    part = make_part("table", columns=COLUMNS, rows=ROWS)
    ref = answer_type.reference_value(value=MARKDOWN.format(fc="16910"), part=part)
    assert ref == answer_type.reference_value(value=SOLVER_ROWS, part=part)
    parsed = answer_type.parse(text=MARKDOWN.format(fc="16910"), part=part, reference=ref)
    assert answer_type.value_of(parsed=parsed)[0] == {"output_shape": (26, 26, 10), "params": 100, "row": "conv1"}


@pytest.mark.parametrize(("reference", "message"), [
    ([], "non-empty list of rows"),
    ({"conv1": 1}, "non-empty list of rows"),
    (SOLVER_ROWS[:2], "names 3 rows"),
    ([{"output_shape": (1,)}] * 3, "has no params"),
    ([[1, 2, 3]] * 3, "mapping keyed by column name"),
    ([{"output_shape": (1,), "params": 1.5}] * 3, "column 'params'"),
])
def test_bad_references(reference, message):
    with pytest.raises(ReferenceValueError, match=message):
        get_answer_type("table").reference_value(value=reference, part=make_part("table", columns=COLUMNS, rows=ROWS))


def test_validate_part():
    answer_type = get_answer_type("table")
    assert answer_type.validate_part(part=make_part("table", columns=COLUMNS, rows=ROWS)) == []
    assert any("needs 'columns'" in p for p in answer_type.validate_part(part=make_part("table")))
    problems = answer_type.validate_part(part=make_part("table", columns=COLUMNS, rows=["conv1", "Conv 1"]))
    assert any("used twice" in p for p in problems)
