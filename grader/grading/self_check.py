"""Every reference must pass its own part's check, and no catalogued mistake may
equal the reference: otherwise a class would be graded against a broken key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grader.answers import ParseFailure, get_answer_type
from grader.problems.models import Part, Problem


def reference_text(*, part: Part, reference: Any) -> str | None:
    """How the reference would be written by a student (None for free text)."""
    if part.type == "text":
        return None
    if part.type == "expression":
        return str((part.symbolic or {}).get("reference", ""))
    return get_answer_type(part.type).show(value=reference, part=part)


def self_check_problems(*, part: Part, problem: Problem, references: dict[str, Any],
                        local: Mapping[str, Any] | None = None) -> list[tuple[str, str, str]]:
    """(field, problem, fix) for each way the part's key fails its own check."""
    from grader.grading.context import misconception_values

    reference = references.get(part.id)
    text = reference_text(part=part, reference=reference)
    if text is None:
        return []
    answer_type = get_answer_type(part.type)
    parsed = answer_type.parse(text=text, part=part, reference=reference)
    if isinstance(parsed, ParseFailure):
        return [("reference", f"the reference {text!r} cannot be read by its own answer type: {parsed.reason}",
                 "write the reference in a form the answer type reads (see README)")]
    check = answer_type.check(parsed=parsed, reference=reference, part=part, seed=0)
    if check.verdict != "correct":
        return [("reference", f"the reference {text!r} fails its own check: {check.feedback}",
                 "make the reference, the truth/solver and the symbols agree")]
    found = []
    for mistake, value in misconception_values(part=part, problem=problem, references=references, local=local):
        if answer_type.check(parsed=parsed, reference=value, part=part, seed=0).verdict == "correct":
            found.append((f"misconceptions.{mistake.id}", "this catalogued mistake equals the reference",
                          "change the mistake's value/solver args, or remove it"))
    return found
