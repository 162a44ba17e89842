"""Tensors with up to four indices: Z[i,j_1,j_2,m] / Z_{i,j_1,j_2,m}, ∂J/∂U[...] aliases, 4-index results."""

from __future__ import annotations

import pytest

from grader.mathparse import parse_math, render_latex
from grader.symbolic import SymbolicSpec, check_symbolic

IDX = "i,j_1,j_2,m"
SIGMOID = SymbolicSpec.model_validate({
    "reference": rf"G_{{{IDX}}} \sigma(Z_{{{IDX}}})(1 - \sigma(Z_{{{IDX}}}))",
    "dims": {"B": [2, 3], "H": [3, 2], "W": [2, 3], "C": [3, 4]},
    "symbols": {
        "Z": {"kind": "tensor", "dims": ["B", "H", "W", "C"]},
        "U": {"kind": "tensor", "dims": ["B", "H", "W", "C"], "value": r"\sigma(Z)"},
        "G": {"kind": "tensor", "dims": ["B", "H", "W", "C"], "aliases": [r"\frac{\partial J}{\partial U}"]},
        "i": {"kind": "index", "dim": "B"}, "j_1": {"kind": "index", "dim": "H"},
        "j_2": {"kind": "index", "dim": "W"}, "m": {"kind": "index", "dim": "C"},
    },
    "result": {"indices": ["i", "j_1", "j_2", "m"], "shape": ["B", "H", "W", "C"]},
    "trials": 4,
    "misconceptions": [{"id": "missing-upstream", "expr": rf"\sigma(Z_{{{IDX}}})(1 - \sigma(Z_{{{IDX}}}))",
                        "feedback": "Multiply by the upstream gradient ∂J/∂U."}],
})

E = "Z[i,j_1,j_2,m]"
TABLE = [
    (rf"\frac{{\partial J}}{{\partial U[{IDX}]}} \sigma({E})(1 - \sigma({E}))", "correct", None),
    (rf"∂J/∂U[{IDX}] · σ({E})(1 − σ({E}))", "correct", None),
    (rf"\frac{{∂J}}{{∂U_{{{IDX}}}}} \frac{{e^{{-{E}}}}}{{(1+e^{{-{E}}})^2}}", "correct", None),
    (rf"\frac{{\partial J}}{{\partial U[{IDX}]}} U[{IDX}] (1 - U[{IDX}])", "correct", None),
    (rf"G_{{{IDX}}} U_{{{IDX}}}(1 - U_{{{IDX}}})", "correct", None),
    (rf"\sigma({E})(1 - \sigma({E}))", "incorrect", "missing-upstream"),
    (rf"\frac{{\partial J}}{{\partial U[{IDX}]}} \sigma({E})", "incorrect", "not-equivalent"),
    (rf"\sigma({E})", "incorrect", "not-equivalent"),
    (rf"\frac{{\partial J}}{{\partial U[{IDX}]}} U[i,j_2,j_1,m] (1 - U[{IDX}])", "incorrect", "shape-mismatch"),  # H ≠ W
]


@pytest.mark.parametrize(("answer", "verdict", "feedback_id"), TABLE)
def test_tensor_sigmoid_table(answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = check_symbolic(answer=answer, spec=SIGMOID)
    assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), outcome


PARSES = [
    ("Z[i,j,k,m]", "Z_{i,j,k,m}"),
    ("Z[i, j_1, j_2, m]", "Z_{i,j_{1},j_{2},m}"),
    (r"\sigma(z)[1-\sigma(z)]", r"\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)"),  # still a bracket
    ("y[1-y]", r"y \left(1 - y\right)"),
    ("∂J/∂Z[i,j]", r"\frac{\partial J}{\partial Z_{i,j}}"),
]


@pytest.mark.parametrize(("text", "canonical"), PARSES)
def test_bracket_indexing_parses(text: str, canonical: str) -> None:
    assert render_latex(node=parse_math(text=text)) == canonical


def test_tensor_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="tensor needs 'dims'"):
        SymbolicSpec.model_validate({"reference": "Z", "symbols": {"Z": {"kind": "tensor", "dims": [1, 2, 3, 4, 5]}}})
    with pytest.raises(ValueError, match="at most 4 result indices"):
        SymbolicSpec.model_validate({"reference": "1", "result": {"indices": ["a", "b", "c", "d", "e"]}})


@pytest.mark.parametrize("text", [r"\partial T '", r"\frac{\partial L}{\partial W^T}", "∂J/∂Z[i,j,k,m]"])
def test_partial_forms_round_trip(text: str) -> None:
    node = parse_math(text=text)
    assert parse_math(text=render_latex(node=node)) == node
