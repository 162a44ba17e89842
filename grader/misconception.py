"""A typical wrong answer, as a problem file catalogues it: its id (what the reports and ``examples`` refer to),
the feedback a student who gives it gets and the credit it earns.

The one model of those three fields; how the wrong answer itself is given depends on the part:
``grader.problems.models.Misconception`` (a part's ``misconceptions:``: a value, a formula or a solver variant)
and ``grader.symbolic.spec.ExpressionMisconception`` (an expression part's ``symbolic.misconceptions``: an
expression). Both build on :class:`MisconceptionBase`, so an id, a feedback and a credit are checked alike."""

from __future__ import annotations

from pydantic import Field

from grader.strict_model import StrictModel

MISCONCEPTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class MisconceptionBase(StrictModel):
    id: str = Field(pattern=MISCONCEPTION_ID_PATTERN)
    feedback: str
    credit: float = Field(default=0.0, ge=0, le=1)
