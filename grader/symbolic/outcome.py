"""The result of one symbolic check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["correct", "partial", "incorrect", "needs_review", "could_not_evaluate"]


@dataclass(frozen=True)
class SymbolicOutcome:
    verdict: Verdict
    credit: float
    feedback: str
    feedback_id: str | None = None
    canonical: str | None = None
    notes: tuple[str, ...] = ()
