"""Comparison of read numbers with reference numbers, shared by the numeric types."""

from __future__ import annotations

from collections.abc import Sequence

from grader.answers.arith import Number
from grader.answers.base import Check
from grader.answers.tolerance import describe, within
from grader.number_text import shown_value
from grader.problems.models import Part


def check_entries(*, entries: Sequence[Number], reference: Sequence[float], part: Part,
                  labels: Sequence[str]) -> Check:
    """Entry-by-entry comparison with the part's tolerance and entry-credit policy."""
    wrong: list[str] = []
    few_decimals = False
    for number, ref, label in zip(entries, reference, labels, strict=True):
        result = within(value=float(number.value), reference=float(ref), tolerance=part.tolerance,
                        decimals=number.decimals)
        few_decimals |= result.too_few_decimals
        if not result.ok:
            wrong.append(f"{label}: {shown_value(float(number.value))}, expected {shown_value(float(ref))}")
    total = len(reference)
    if not wrong:
        return Check(verdict="correct", credit=1.0, feedback="Correct.")
    tolerance = describe(part.tolerance)
    reason = "; ".join(wrong[:6]) + (f"; and {len(wrong) - 6} more" if len(wrong) > 6 else "")
    hint = " Give at least the number of decimals the task asks for." if few_decimals else ""
    if part.entry_credit == "proportional" and total > 1 and len(wrong) < total:
        credit = (total - len(wrong)) / total
        return Check(verdict="partial", credit=credit,
                     feedback=f"{total - len(wrong)} of {total} entries correct ({tolerance}). Wrong: {reason}.{hint}",
                     feedback_id="wrong-entries")
    if total == 1:
        return Check(verdict="incorrect", credit=0.0,
                     feedback=f"Not within tolerance ({tolerance}).{hint}",
                     feedback_id="too-few-decimals" if few_decimals else "wrong-value")
    return Check(verdict="incorrect", credit=0.0,
                 feedback=f"Wrong entries ({tolerance}): {reason}.{hint}", feedback_id="wrong-entries")
