"""Answer groups: counts, verdicts, students, ordering and determinism."""

from __future__ import annotations

from grader.results import PartResult, RunResult, SubmissionResult
from grader.review.groups import answer_groups, group_key, with_groups


def _sub(student: str, **parts: tuple[str | None, str, float, str | None]) -> SubmissionResult:
    """parts: part id -> (answer, verdict, score, canonical)."""
    return SubmissionResult(student=student, file=f"{student}.yaml", status="graded", max=2.0, parts={
        pid: PartResult(part_id=pid, score=score, max=2.0, verdict=verdict, answer=answer, canonical=canonical,
                        suggested_score=1.0 if verdict == "needs_review" else None)
        for pid, (answer, verdict, score, canonical) in parts.items()})


def _class() -> list[SubmissionResult]:
    return [
        _sub("ann", p=("1820", "correct", 2.0, "1820")),
        _sub("bob", p=(" 1820 ", "correct", 2.0, "1820")),
        _sub("cat", p=("1,820", "correct", 2.0, "1820")),          # another spelling, same canonical form
        _sub("dan", p=("1800", "incorrect", 0.0, "1800")),
        _sub("eve", p=("1800", "incorrect", 0.0, "1800")),
        _sub("fay", p=("about  18 hundred", "needs_review", 0.0, None)),  # not read: whitespace-normalised text
        _sub("gus", p=(None, "no_answer", 0.0, None)),
        SubmissionResult(student="hal", file="hal.pdf", status="unreadable", reason="x", max=2.0),
    ]


def test_groups_count_verdicts_students_and_order() -> None:
    groups = answer_groups(part_ids=["p"], submissions=_class())["p"]
    assert [(g.key, g.count, g.verdict, g.score, g.students) for g in groups] == [
        ("about 18 hundred", 1, "needs_review", 0.0, ("fay",)),      # flagged first
        ("1820", 3, "correct", 2.0, ("ann", "bob", "cat")),           # then the largest
        ("1800", 2, "incorrect", 0.0, ("dan", "eve")),
    ]
    assert groups[0].flagged == 1 and groups[0].suggested_score == 1.0 and groups[1].flagged == 0
    assert groups[1].answer == "1820" and groups[1].verdicts == {"correct": 3}
    # parts without an answer and unreadable files are not grouped
    assert sum(g.count for g in groups) == 6


def test_mixed_verdicts_in_one_group() -> None:
    subs = [_sub("a", p=("5", "correct", 2.0, "5")), _sub("b", p=("5", "ecf", 1.0, "5"))]
    (group,) = answer_groups(part_ids=["p"], submissions=subs)["p"]
    assert (group.verdict, group.score, group.verdicts) == ("mixed", None, {"correct": 1, "ecf": 1})


def test_groups_are_deterministic_whatever_the_input_order() -> None:
    subs = _class()
    one = with_groups(RunResult(assignment="a", part_ids=("p",), submissions=tuple(subs)))
    two = with_groups(RunResult(assignment="a", part_ids=("p",), submissions=tuple(reversed(subs))))
    assert one.groups == two.groups
    assert one.model_dump_json() == with_groups(one).model_dump_json()


def test_group_key_of_a_results_json_part() -> None:
    assert group_key({"answer": " x +  1", "canonical": None}) == "x + 1"
    assert group_key({"answer": "x+1", "canonical": "x + 1"}) == "x + 1"
    assert group_key({"answer": "   ", "canonical": None}) is None
