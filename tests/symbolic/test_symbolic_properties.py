"""check_symbolic never raises and answers quickly, whatever the text."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specs import load_spec_blocks

from grader.symbolic import SymbolicOutcome, SymbolicSpec, check_symbolic

SPECS = [SymbolicSpec.model_validate(block) for block in load_spec_blocks().values()]
VERDICTS = {"correct", "partial", "incorrect", "needs_review", "could_not_evaluate"}
TOKENS = [r"\frac{", "}{", "}", "(", ")", "^{", "_{", "^T", "'", "!", "+", "-", r"\cdot", r"\odot", "/", r"\hat y",
          r"\sigma(", r"\sum_k", r"\sum_{k=1}^{", r"\delta_{ij}", r"\operatorname{diag}(", r"\text{softmax}(z)",
          r"\exp(", r"\log", r"\mathbb{1}[i=j]", r"\begin{cases}", "&", r"\\", r"\end{cases}", "i = j", r"i \neq j",
          "x", "y", "z", "z_k", "y_i", "i", "j", "A", "W", "w", "m", "m_i", "p", "L", "g", "2", "10", "0,5", "999",
          "ŷ", "σ", "ᵀ", "mask", "e^{", " "]

soups = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)


def _assert_valid(outcome: SymbolicOutcome) -> None:
    assert outcome.verdict in VERDICTS
    assert 0.0 <= outcome.credit <= 1.0
    assert isinstance(outcome.feedback, str) and outcome.feedback
    assert outcome.feedback_id != "internal-error", outcome


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.sampled_from(range(len(SPECS))), st.integers(min_value=0, max_value=2**31))
def test_arbitrary_text(text: str, which: int, seed: int) -> None:
    start = time.process_time()
    _assert_valid(check_symbolic(answer=text, spec=SPECS[which], seed=seed))
    assert time.process_time() - start < 1.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soups, st.sampled_from(range(len(SPECS))))
def test_latex_token_soup(text: str, which: int) -> None:
    start = time.process_time()
    _assert_valid(check_symbolic(answer=text, spec=SPECS[which]))
    assert time.process_time() - start < 1.0
