"""Check an updated parameter on its step as well as on its value.

After an SGD step the new weights are close to the old ones whatever the
gradient was, so a value tolerance alone would accept a wrong step: for b2,
0.4475 is within 1 % of the reference 0.4497, yet its step (−0.0525) is not the
reference step (−0.0503).  The step must match within the part's tolerance
applied to the step itself, or within the rounding of the student's own
decimals.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.answers.arith import Number
from grader.answers.base import Check
from grader.answers.tolerance import within
from grader.number_text import shown_value
from grader.problems.models import Part


def _numbers(value: Any) -> list[Number] | None:
    if isinstance(value, Number):
        return [value]
    if isinstance(value, list) and all(isinstance(row, list) for row in value):
        return [number for row in value for number in row]
    return None


def check_step(*, parsed_value: Any, reference: Any, old: Any, part: Part) -> Check | None:
    """None when the step is right (or cannot be judged); otherwise an incorrect Check."""
    numbers = _numbers(parsed_value)
    ref = np.asarray(reference, dtype=float).reshape(-1)
    before = np.asarray(old, dtype=float).reshape(-1)
    if numbers is None or len(numbers) != ref.size or before.size != ref.size:
        return None
    wrong = []
    for k, (number, r, o) in enumerate(zip(numbers, ref, before, strict=True)):
        step, ref_step = float(number.value) - o, r - o
        rounding = 0.5 * 10.0 ** (-number.decimals) + 1e-12 if number.decimals is not None else 0.0
        if abs(step - ref_step) <= rounding:
            continue
        if not within(value=step, reference=ref_step, tolerance=part.tolerance).ok:
            wrong.append(f"entry {k + 1}: step {shown_value(step)}, expected {shown_value(ref_step)}")
    if not wrong:
        return None
    return Check(verdict="incorrect", credit=0.0, feedback_id="wrong-step",
                 feedback="The values are close to the old parameters but the update step is wrong: "
                          + "; ".join(wrong[:4]) + ".")
