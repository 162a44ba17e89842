"""Helpers shared by the tests of the structured answer types."""

from __future__ import annotations

from typing import Any

from grader.answers import ParseFailure, get_answer_type
from grader.problems.models import Part


def make_part(type_name: str, **fields: Any) -> Part:
    fields.setdefault("solver", "test.fixture")
    return Part(id="9z", prompt="", type=type_name, **fields)


def grade(part: Part, reference: Any, text: str) -> tuple[str, str | None]:
    """(verdict, feedback id) of ``text``; ``reference`` is a raw reference (as in YAML or from a solver)."""
    answer_type = get_answer_type(part.type)
    ref = answer_type.reference_value(value=reference, part=part)
    parsed = answer_type.parse(text=text, part=part, reference=ref)
    if isinstance(parsed, ParseFailure):
        return "unreadable", None
    check = answer_type.check(parsed=parsed, reference=ref, part=part, seed=0)
    if parsed.alternatives:
        others = {answer_type.check(parsed=type(parsed)(value=alt, shown=""), reference=ref, part=part, seed=0).verdict
                  for alt in parsed.alternatives}
        if others != {check.verdict}:
            return "ambiguous", check.feedback_id
    return check.verdict, check.feedback_id


def round_trip(part: Part, reference: Any) -> str:
    """The verdict of the reference's own ``show`` text read back (the load-time self-check)."""
    answer_type = get_answer_type(part.type)
    ref = answer_type.reference_value(value=reference, part=part)
    parsed = answer_type.parse(text=answer_type.show(value=ref, part=part), part=part, reference=ref)
    assert not isinstance(parsed, ParseFailure), parsed
    return answer_type.check(parsed=parsed, reference=ref, part=part, seed=0).verdict
