"""The result of one symbolic check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.verdicts import SymbolicVerdict

if TYPE_CHECKING:
    from grader.results import Proof


@dataclass(frozen=True)
class SymbolicOutcome:
    verdict: SymbolicVerdict
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
