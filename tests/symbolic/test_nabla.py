"""∇ notation: \\nabla_W L is ∂L/∂W (matching declared derivative aliases); ∇L alone goes to review."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from specs import SPECS as PART_SPECS

from grader.mathparse import MathParseError, parse_math, render_latex
from grader.mathparse.nodes import Derivative, Gradient, Sym
from grader.symbolic import SymbolicSpec, check_symbolic

from tests.mathparse.round_trip import parse_and_round_trip

SGD = SymbolicSpec.model_validate({
    "reference": r"W - \eta G",
    "dims": {"m": [2, 3], "n": [3, 4]},
    "symbols": {"W": {"kind": "matrix", "dims": ["m", "n"]},
                "G": {"kind": "matrix", "dims": ["m", "n"], "aliases": [r"\frac{\partial L}{\partial W}"]},
                "eta": {"kind": "scalar", "sample": "positive"}},
    "misconceptions": [{"id": "sgd-ascent", "expr": r"W + \eta G", "feedback": "Gradient descent subtracts."}],
})
SPECS = {"sgd": SGD, "5b": SymbolicSpec.model_validate(PART_SPECS["5b"])}

TABLE = [
    ("sgd", r"W - \eta \nabla_W L", "correct", None),
    ("sgd", r"W - \eta \nabla_{W} L", "correct", None),
    ("sgd", r"W - η ∇_W L", "correct", None),
    ("sgd", r"W - \eta \nabla_{\mathbf{W}} L", "correct", None),
    ("sgd", r"W_{new} = W - \eta \frac{\partial L}{\partial W}", "correct", None),
    ("sgd", r"W + \eta \nabla_W L", "incorrect", "sgd-ascent"),
    ("sgd", r"W - \nabla_W L", "incorrect", "not-equivalent"),       # learning rate dropped
    ("sgd", r"W - \eta \nabla L", "needs_review", "gradient-without-variable"),
    ("sgd", r"W - \eta ∇L", "needs_review", "gradient-without-variable"),
    ("sgd", r"W - \eta \nabla_L W", "needs_review", "unsupported-notation"),   # ∂W/∂L is not declared
    ("5b", r"(\nabla_y L \odot y \odot (1 - y)) x^T", "correct", None),
    ("5b", r"\nabla_y L \, x^T", "incorrect", "sigmoid-missing-derivative"),
]


@pytest.mark.parametrize(("part", "answer", "verdict", "feedback_id"), TABLE)
def test_nabla_table(part: str, answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = check_symbolic(answer=answer, spec=SPECS[part])
    assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), outcome


def test_nabla_trees() -> None:
    assert parse_math(text=r"\nabla_W L") == Derivative(Sym("L"), Sym("W"))
    assert parse_math(text=r"\nabla_W L") == parse_math(text=r"\frac{\partial L}{\partial W}")
    assert parse_math(text="∇L") == Gradient(Sym("L"))
    assert render_latex(node=parse_math(text=r"\nabla_W (x^T A x)")) == r"\nabla_{W} \left(x^{T} A x\right)"
    for bad in [r"\nabla", r"\nabla_W", r"\nabla_{W,x} L"]:
        with pytest.raises(MathParseError):
            parse_math(text=bad)


NABLA_TOKENS = [r"\nabla", "∇", "_", "{", "}", "(", ")", "W", "L", "x", "^T", "^{2}", "+", r"\frac{\partial L}{\partial W}",
                r"\partial", ",", "'", r"\mathbf{W}", " "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(r"\partial\frac{\partial L}{\partial W}^T^T")  # found by hypothesis: \partial of a double transpose
@example(r"\nabla_WW^T^T")  # found by hypothesis: a derivative of a double transpose rendered as \partial (W^T)^T
@given(st.lists(st.sampled_from(NABLA_TOKENS), max_size=20).map("".join))
def test_nabla_soup_only_raises_parse_errors_and_round_trips(text: str) -> None:
    start = time.process_time()
    node = parse_and_round_trip(text)
    assert time.process_time() - start < 1.0
    if node is not None:
        outcome = check_symbolic(answer=text, spec=SGD)
        assert outcome.feedback_id != "internal-error", outcome
