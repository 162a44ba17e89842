"""A file cache record's answer-group rows (grader/reports/file_record.py): packed a JSON line each, every
distinct row's line made once per process, and read back as the rows they were."""

from __future__ import annotations

import json

import pytest

from grader.reports.file_record import GroupRowLines, pack_groups
from grader.review.groups import GroupRow


def _row(**changed) -> GroupRow:
    fields = dict(part_id="1a", key="k1", answer="p - y", auto_verdict="correct", auto_score=1.0, suggested=None,
                  flagged=False, overridden=False)
    return GroupRow(**{**fields, **changed})


# rows that compare equal as Python values but are not the same JSON line: a memo keyed on the rows' equality
# alone would hand one the other's line
@pytest.mark.parametrize(("first", "second"), [
    (_row(auto_score=1.0), _row(auto_score=1)),
    (_row(auto_score=1), _row(auto_score=True)),
    (_row(suggested=0.5), _row(suggested=None)),
    (_row(suggested=1), _row(suggested=1.0)),
    (_row(flagged=True), _row(flagged=1)),
    (_row(overridden=False), _row(overridden=0)),
    (_row(answer="p - y"), _row(answer="p-y")),
    (_row(part_id="1a"), _row(part_id="1b")),
])
def test_rows_equal_in_python_keep_their_own_lines(first: GroupRow, second: GroupRow) -> None:
    for row in (first, second, first):  # the second row meets the first's line in the memo, and back
        assert pack_groups([row]).decode("ascii") == json.dumps(
            [row.part_id, row.key, row.answer, row.auto_verdict, row.auto_score, row.suggested, row.flagged,
             row.overridden])


def test_packed_rows_read_back_as_they_were() -> None:
    rows = (_row(), _row(part_id="2c", key="k2", answer="(26, 26)", auto_verdict="incorrect", auto_score=0.0,
                         suggested=0.5, flagged=True), _row(answer="Ä\u2028ü\n", overridden=True))
    packed = pack_groups(rows)
    assert packed.count(b"\n") == len(rows) - 1  # a line each: no row's text breaks a line
    assert GroupRowLines().decoded(packed) == rows
    assert pack_groups(()) == b"" and GroupRowLines().decoded(b"") == ()
