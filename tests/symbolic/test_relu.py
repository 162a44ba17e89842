"""ReLU derivatives: \\mathbb{1}[z > 0] (element-wise indicator of an inequality), \\operatorname{sign}, \\max(0, z)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.mathparse import parse_math, render_latex
from grader.symbolic import SymbolicSpec, check_symbolic

from tests.mathparse.round_trip import parse_and_round_trip

BACKWARD = SymbolicSpec.model_validate({
    "reference": r"g \odot \mathbb{1}[z > 0]",
    "dims": {"n": [4, 3, 6]},
    "symbols": {"z": {"kind": "vector", "dim": "n"}, "g": {"kind": "vector", "dim": "n"},
                "i": {"kind": "index", "dim": "n"}},
    "result": {"indices": ["i"]},
    "misconceptions": [{"id": "relu-forward-not-derivative", "expr": r"g \odot \max(0, z)",
                        "feedback": "That is ReLU itself; its derivative is the indicator 1[z > 0]."}],
})
FORWARD = SymbolicSpec.model_validate({
    "reference": r"\operatorname{ReLU}(x)",
    "symbols": {"x": {"kind": "scalar"}},
})
SPECS = {"backward": BACKWARD, "forward": FORWARD}

TABLE = [
    ("backward", r"g \odot \mathbb{1}[z > 0]", "correct", None),
    ("backward", r"\mathbb{1}[z > 0] \odot g", "correct", None),
    ("backward", r"g \odot \mathbb{1}_{\{z > 0\}}", "correct", None),
    ("backward", r"g \odot 𝟙[z ≥ 0]", "correct", None),                     # z = 0 has probability 0
    ("backward", r"g_i \mathbb{1}[z_i > 0]", "correct", None),
    ("backward", r"\begin{cases} g_i & z_i > 0 \\ 0 & \text{otherwise} \end{cases}", "correct", None),
    ("backward", r"\begin{cases} g & z > 0 \\ 0 & z \le 0 \end{cases}", "correct", None),
    ("backward", r"g_i \text{ if } z_i > 0, 0 \text{ otherwise}", "correct", None),
    ("backward", r"g \odot \operatorname{relu}'(z)", "correct", None),
    ("backward", r"g \odot \frac{1 + \operatorname{sign}(z)}{2}", "correct", None),
    ("backward", r"g \odot \frac{1 + sgn(z)}{2}", "correct", None),
    # wrong answers that look right
    ("backward", r"g \odot \max(0, z)", "incorrect", "relu-forward-not-derivative"),
    ("backward", r"g \odot \mathbb{1}[z < 0]", "incorrect", "not-equivalent"),
    ("backward", r"\mathbb{1}[z > 0]", "incorrect", "not-equivalent"),
    ("backward", r"g \odot \operatorname{sign}(z)", "incorrect", "not-equivalent"),
    ("backward", r"\mathbb{1}[g > 0] \odot z", "incorrect", "not-equivalent"),
    ("backward", r"g \odot \mathbb{1}[z > 0]^T", "incorrect", "shape-mismatch"),
    ("backward", r"\begin{cases} g & z > 0 \end{cases}", "needs_review", "unsupported-notation"),  # no case for z ≤ 0
    ("forward", r"\max(0, x)", "correct", None),
    ("forward", r"\max(x, 0)", "correct", None),
    ("forward", r"x \mathbb{1}[x > 0]", "correct", None),
    ("forward", r"\frac{x + |x|}{2}", "needs_review", None),   # |x| is not read (as before)
    ("forward", r"\max(0, -x)", "incorrect", "not-equivalent"),
    ("forward", r"\operatorname{sign}(x) x", "incorrect", "not-equivalent"),  # that is |x|
]


@pytest.mark.parametrize(("part", "answer", "verdict", "feedback_id"), TABLE)
def test_relu_table(part: str, answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = check_symbolic(answer=answer, spec=SPECS[part])
    assert outcome.verdict == verdict, outcome
    if feedback_id is not None or verdict == "correct":
        assert outcome.feedback_id == feedback_id, outcome


@pytest.mark.parametrize(("text", "canonical"), [
    (r"\mathbb{1}[x > 0]", r"\mathbb{1}[x > 0]"),
    (r"\mathbb{1}[x \ge 0]", r"\mathbb{1}[x \geq 0]"),
    (r"\mathbb{1}[x >= 0]", r"\mathbb{1}[x \geq 0]"),
    (r"\mathbb{1}[x ⩽ y]", r"\mathbb{1}[x \leq y]"),
    (r"\mathbb{1}[x \lt 1]", r"\mathbb{1}[x < 1]"),
    (r"\operatorname{sgn}(x)", r"\operatorname{sign}\left(x\right)"),
])
def test_inequality_forms(text: str, canonical: str) -> None:
    node = parse_math(text=text)
    assert render_latex(node=node) == canonical
    assert parse_math(text=canonical) == node


def test_sympy_forms() -> None:
    import sympy

    from grader.mathparse.to_sympy import to_sympy

    expr = to_sympy(node=parse_math(text=r"\mathbb{1}[x > 0] + \operatorname{sign}(x)"))
    assert expr.has(sympy.Piecewise) and expr.has(sympy.sign)


INEQ_TOKENS = [r"\mathbb{1}[", "]", ">", "<", r"\geq", r"\le", ">=", "=", "z", "g", "0", r"\odot", r"\operatorname{sign}(",
               ")", r"\max(", ",", r"\begin{cases}", "&", r"\\", r"\end{cases}", r"\text{ if }", r"\text{otherwise}", " "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(INEQ_TOKENS), max_size=25).map("".join))
def test_inequality_soup_never_crashes(text: str) -> None:
    start = time.process_time()
    parse_and_round_trip(text)
    outcome = check_symbolic(answer=text, spec=BACKWARD)
    assert outcome.feedback_id != "internal-error", outcome
    assert time.process_time() - start < 1.0
