"""The result of one symbolic check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from grader.results import Proof

Verdict = Literal["correct", "partial", "incorrect", "needs_review", "could_not_evaluate"]


@dataclass(frozen=True)
class SymbolicOutcome:
    verdict: Verdict
    credit: float
    feedback: str
    feedback_id: str | None = None
    canonical: str | None = None
    notes: tuple[str, ...] = ()
    #: how an expression verdict was reached (None for verdicts not reached by comparing values)
    proof: "Proof | None" = None
    #: readable simplified LaTeX of the reference and of the answer (None when too large or without a SymPy form)
    canonical_reference: str | None = None
    canonical_answer: str | None = None
