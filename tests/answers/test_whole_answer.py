"""Free-form files: a part whose answer type reads the whole answer (record, table, choice,
coordinates) gets the whole marked answer or the whole block as its first candidate, instead of
the last value cut out of it; other parts keep their candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.answers import ParseFailure, get_answer_type, known_answer_types
from grader.freeform import extract_answers, layout_from_part_ids, read_document

from structured_helpers import make_part

DOCUMENT = """\
# 1a
in: 10, out: 20

# 1b
Z[3,1] = 9 is the largest

# 1c
| layer | shape | params |
|---|---|---|
| conv1 | 26x26x10 | 100 |
| pool1 | 13x13x10 | 0 |

# 1d
Answer: (b) ReLU, since the sigmoid saturates

# 2
The output size is 26 x 26.
"""
PARTS = {
    "1a": (make_part("record", fields=[{"name": "in", "type": "integer"}, {"name": "out", "type": "integer"}]),
           {"in": 10, "out": 20}),
    "1b": (make_part("coordinates", index_base=1), [3, 1]),
    "1c": (make_part("table", columns=[{"name": "output_shape", "type": "shape", "labels": ["shape"]},
                                       {"name": "params", "type": "integer"}], rows=["conv1", "pool1"]),
           [{"output_shape": [26, 26, 10], "params": 100}, {"output_shape": [13, 13, 10], "params": 0}]),
    "1d": (make_part("choice", choices=[{"id": "a", "text": "sigmoid"}, {"id": "b", "text": "ReLU"}]), "b"),
}
WHOLE = tuple(PARTS)


def _extract(tmp_path: Path, whole: tuple[str, ...]):
    path = tmp_path / "s.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    return extract_answers(document=read_document(path=path),
                           layout=layout_from_part_ids(part_ids=[*PARTS, "2"], whole_answer=whole))


def _first_readable_verdict(part_id: str, candidates) -> str:
    """What grading/part.py does: the first candidate the type can read is graded."""
    part, raw = PARTS[part_id]
    answer_type = get_answer_type(part.type)
    reference = answer_type.reference_value(value=raw, part=part)
    for candidate in candidates:
        parsed = answer_type.parse(text=candidate.text, part=part, reference=reference)
        if not isinstance(parsed, ParseFailure):
            return answer_type.check(parsed=parsed, reference=reference, part=part, seed=0).verdict
    return "unreadable"


def test_whole_answer_parts_are_graded_on_the_whole_answer(tmp_path):
    extraction = _extract(tmp_path, WHOLE)
    firsts = {pid: extraction.parts[pid].candidates[0].text for pid in PARTS}
    assert firsts["1a"] == "in: 10, out: 20"
    assert firsts["1b"].startswith("Z[3,1] = 9")
    assert firsts["1c"].count("\n") == 3
    assert firsts["1d"] == "(b) ReLU, since the sigmoid saturates"
    for part_id in PARTS:
        assert _first_readable_verdict(part_id, extraction.parts[part_id].candidates) == "correct", part_id


def test_without_the_flag_the_last_value_comes_first(tmp_path):
    """Why the flag exists: the table is cut to its last row, the position to the value after `=`."""
    extraction = _extract(tmp_path, ())
    assert extraction.parts["1b"].candidates[0].text == "9"
    assert extraction.parts["1c"].candidates[0].text == "pool1 | 13x13x10 | 0"
    assert _first_readable_verdict("1c", extraction.parts["1c"].candidates) == "partial"


def test_other_parts_and_confidence_are_unchanged(tmp_path):
    plain, whole = _extract(tmp_path, ()), _extract(tmp_path, WHOLE)
    assert plain.parts["2"] == whole.parts["2"]
    for part_id in PARTS:  # confidence still comes from the strongest evidence found
        assert plain.parts[part_id].confidence == whole.parts[part_id].confidence
        # the same candidates, only in another order
        assert sorted(c.text for c in plain.parts[part_id].candidates) == sorted(
            c.text for c in whole.parts[part_id].candidates)


@pytest.mark.parametrize("name", known_answer_types())
def test_which_types_read_the_whole_answer(name):
    expected = name in ("record", "table", "choice", "coordinates", "range")
    assert getattr(get_answer_type(name), "reads_whole_answer", False) is expected
