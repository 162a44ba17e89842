"""The rules that flag a graded part for a person, in the order their reasons take precedence: each looks at
the answer as read and checked, and returns a ``ReviewFlag`` (why, and a note for the part) or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from grader.answers import Check, Parsed
from grader.grading.competing_readings import ambiguous_reading, right_size_elsewhere, several_values_on_line
from grader.submissions.inputs import Candidate, PartInput

REVIEW_BELOW_CONFIDENCE = 0.5


@dataclass
class Reading:
    """A part's answer as read (``used``, ``parsed``) and first checked against the reference (``first``),
    before error carried forward or a known mistake re-decided it."""

    part: Any
    answer_type: Any
    reference: Any
    seed: int
    part_input: PartInput
    parsed: Parsed
    used: Candidate
    failures: tuple[str, ...]  # why the stronger candidates passed over could not be read
    first: Check

    @cached_property
    def ambiguity(self) -> str | None:
        return ambiguous_reading(self.parsed, self.first, self.answer_type, self.part, self.reference, self.seed)


@dataclass(frozen=True)
class ReviewFlag:
    why: str  # the reason shown in the feedback ("Flagged for a person: {why}.")
    note: str | None = None  # added to the part's notes


#: a rule sees the reading and the final check (after error carried forward or a known mistake)
ReviewRule = Callable[[Reading, Check], "ReviewFlag | None"]


def _ambiguous(reading: Reading, final: Check) -> ReviewFlag | None:
    """The answer reads more than one way, and the readings get different verdicts."""
    if not reading.ambiguity:
        return None
    return ReviewFlag(why="the answer could be read more than one way", note=reading.ambiguity)


def _several_values(reading: Reading, final: Check) -> ReviewFlag | None:
    """The answer was picked from a line holding several values of the type, which disagree."""
    if reading.ambiguity:
        return None
    several = several_values_on_line(reading.used, reading.parsed, reading.first, reading.answer_type,
                                     reading.part, reading.reference, reading.seed)
    if not several:
        return None
    return ReviewFlag(why="the answer was picked from a line holding several values", note=several)


def _passed_over(reading: Reading, final: Check) -> ReviewFlag | None:
    """A stronger candidate (a marked or two-case answer) was unreadable and a weaker one is not right: the
    student's real answer may be the one that could not be read."""
    if not reading.failures or final.verdict == "correct":
        return None
    return ReviewFlag(
        why="the grader could not read the answer it would have preferred",
        note=f"Could not read the stronger candidate `{reading.part_input.candidates[0].text[:120]}` "
             f"({reading.failures[0]}); graded `{reading.used.text[:120]}` instead.")


def _wrong_size(reading: Reading, final: Check) -> ReviewFlag | None:
    """The value graded has another size than the answer while the part's text holds one of the right size:
    the value graded may belong to another part (a label the extractor missed)."""
    other = right_size_elsewhere(reading.first, reading.used, reading.part_input.candidates, reading.answer_type,
                                 reading.part, reading.reference, reading.seed)
    if other is None or final.verdict not in ("incorrect", "partial"):
        return None
    return ReviewFlag(
        why="the value graded has the wrong size but the part holds one of the right size",
        note=f"Graded `{reading.used.text[:120]}`, which has another size than the answer; the part's text also "
             f"holds `{other.text[:120]}`, of the right size.")


def _low_confidence(reading: Reading, final: Check) -> ReviewFlag | None:
    """The extractor was not sure it found the part's answer."""
    if reading.part_input.confidence >= REVIEW_BELOW_CONFIDENCE:
        return None
    return ReviewFlag(why="the grader is not sure it found the answer")


REVIEW_RULES: tuple[ReviewRule, ...] = (_ambiguous, _several_values, _passed_over, _wrong_size, _low_confidence)
