"""The verdict table is the one place a verdict's words, colours and "needs a person" are written."""

from __future__ import annotations

from typing import get_args

from grader.verdicts import REVIEW_VERDICTS, VERDICTS, PartVerdict, SymbolicVerdict, Verdict


def _names(literal: object) -> set[str]:
    names: set[str] = set()
    for arg in get_args(literal):
        names |= _names(arg) if get_args(arg) else {arg}
    return names


def test_every_part_verdict_has_one_row() -> None:
    assert _names(PartVerdict) == set(VERDICTS)
    assert _names(Verdict) == set(VERDICTS) - {"overridden"}


def test_a_symbolic_check_reaches_only_verdicts_of_the_table() -> None:
    assert _names(SymbolicVerdict) <= _names(Verdict)


def test_the_verdicts_that_wait_for_a_person() -> None:
    assert REVIEW_VERDICTS == ("needs_review", "could_not_evaluate")


def test_feedback_shows_the_reference_after_a_wrong_or_undecided_answer_only() -> None:
    hidden = {verdict for verdict, style in VERDICTS.items() if not style.shows_reference}
    assert hidden == {"correct", "ecf", "needs_review"}
