"""Symbolic equivalence of expression answers (random-point evaluation, no eval).

Public API::

    check_symbolic(*, answer: str, spec: SymbolicSpec, seed: int = 0) -> SymbolicOutcome
    SymbolicSpec.model_validate(block)      # the part's ``symbolic:`` block (docs/symbolic.md)
    @truth("name")                          # register a NumPy truth for ``truth: name``
"""

from grader.symbolic.check import check_symbolic
from grader.symbolic.outcome import SymbolicOutcome
from grader.symbolic.spec import ExpressionMisconception, ResultSpec, Sample, SymbolDecl, SymbolicSpec
from grader.symbolic.truths import truth

__all__ = ["ExpressionMisconception", "ResultSpec", "Sample", "SymbolDecl", "SymbolicOutcome", "SymbolicSpec", "check_symbolic",
           "truth"]
