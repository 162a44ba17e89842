"""Overrides: loading and validation, applying (student, group, stale), recording."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.results import RunResult
from grader.review.overrides import (Override, OverridesError, apply_overrides, load_overrides, record_override)
from tests.review.test_groups import _class

AT = "2026-12-01T10:30:00+00:00"


def _run() -> RunResult:
    return RunResult(assignment="a", part_ids=("p",), max=2.0, submissions=tuple(_class()))


def _entry(**fields) -> Override:
    return Override(**({"assignment": "a", "part": "p", "score": 1.5, "comment": "close", "by": "ta", "at": AT}
                       | fields))


def _part(run: RunResult, student: str):
    return next(s for s in run.submissions if s.student == student).parts["p"]


def test_student_override_is_applied_and_keeps_the_automatic_verdict() -> None:
    run, stale = apply_overrides(_run(), [_entry(student="fay", answer="about 18 hundred")])
    part = _part(run, "fay")
    assert stale == ()
    assert (part.verdict, part.score, part.auto_verdict, part.auto_score, part.feedback) == \
        ("overridden", 1.5, "needs_review", 0.0, "close")
    assert part.override.by == "ta" and part.override.group is None
    assert next(s for s in run.submissions if s.student == "fay").score == 1.5
    assert "p" not in next(s for s in run.submissions if s.student == "fay").flagged
    group = next(g for g in run.groups["p"] if g.key == "about 18 hundred")
    assert (group.flagged, group.overridden, group.verdict) == (0, 1, "needs_review")


def test_stale_override_is_reported_and_not_applied() -> None:
    run, stale = apply_overrides(_run(), [_entry(student="dan", answer="1700")])
    assert _part(run, "dan").verdict == "incorrect"
    assert [(s.entry, s.student, s.answer, s.now, s.reason) for s in stale] == \
        [(1, "dan", "1700", "1800", "the answer changed since the decision")]
    assert run.stale_overrides == stale
    _, gone = apply_overrides(_run(), [_entry(student="zed", answer="1")])
    assert "no graded part" in gone[0].reason


def test_group_override_applies_to_every_student_with_that_key_and_a_student_entry_wins() -> None:
    entries = [_entry(group="1800", answer="1800", score=0.5), _entry(student="eve", answer="1800", score=2)]
    run, stale = apply_overrides(_run(), entries)
    assert stale == ()
    assert (_part(run, "dan").score, _part(run, "dan").override.group) == (0.5, "1800")
    assert (_part(run, "eve").score, _part(run, "eve").override.group) == (2.0, None)
    assert _part(run, "ann").verdict == "correct"
    _, stale = apply_overrides(_run(), [_entry(group="1799", answer="1799")])
    assert stale[0].reason == "no student's answer is in this group any more"


def test_other_assignments_entries_are_ignored_and_score_above_points_is_an_error() -> None:
    run, _ = apply_overrides(_run(), [_entry(assignment="b", student="dan", answer="1800")])
    assert _part(run, "dan").verdict == "incorrect"
    with pytest.raises(OverridesError, match=r"entry 1 .*above the part's 2 points"):
        apply_overrides(_run(), [_entry(student="dan", answer="1800", score=3)])


def test_record_replaces_the_same_target_and_survives_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    record_override(path, _entry(student="dan", answer="1800", score=1))
    record_override(path, _entry(group="1820", answer="1820", score=2))
    _, replaced = record_override(path, _entry(student="dan", answer="1800", score=0.5, comment="new"))
    assert replaced
    entries = load_overrides(path)
    assert [(e.student, e.group, e.score, e.comment) for e in entries] == [("dan", None, 0.5, "new"),
                                                                           (None, "1820", 2.0, "close")]
    text = path.read_text(encoding="utf-8")
    assert text.index("assignment:") < text.index("part:") < text.index("student:") < text.index("answer:")
    # applying twice (two runs of the same class) gives the same result
    assert apply_overrides(_run(), entries)[0] == apply_overrides(_run(), entries)[0]


@pytest.mark.parametrize(("body", "message"), [
    ("- {assignment: a, part: p, student: x, score: 1, at: '2026-12-01'}\n"
     "- {assignment: a, part: p, score: 1, at: '2026-12-01'}\n", r"entry 2 \(line 3\).*exactly one of student"),
    ("- {assignment: a, part: p, student: x, score: lots, at: '2026-12-01'}\n", r"entry 1 .*score must be a number"),
    ("- {assignment: a, part: p, student: x, score: 1, at: yesterday}\n", r"entry 1 .*not an ISO time"),
    ("- {assignment: a, part: p, student: x, score: 1, at: '2026-12-01', mood: ok}\n", r"entry 1 .*mood"),
    ("- {assignment: a, part: p, student: x, score: 1, at: '2026-12-01'}\n"
     "- {assignment: a, part: p, student: x, score: 2, at: '2026-12-01'}\n", r"entries 1 and 2 both decide"),
])
def test_bad_entries_name_the_entry(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text("overrides:\n" + body, encoding="utf-8")
    with pytest.raises(OverridesError, match=message):
        load_overrides(path)


def test_missing_file_means_no_overrides(tmp_path: Path) -> None:
    assert load_overrides(tmp_path / "overrides.yaml") == ()
