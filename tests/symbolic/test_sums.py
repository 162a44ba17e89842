"""Sums over several indices, subscripted indices, index arithmetic and excluded indices (\\sum_{k \\neq i})."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.mathparse import MathParseError, parse_math, render_latex
from grader.mathparse.interpret import EvalEnv, evaluate
from grader.symbolic import SymbolicSpec, check_symbolic, truth

from tests.mathparse.round_trip import parse_and_round_trip

# ---- softmax denominator without the own term: \sum_{k \neq i} e^{z_k}
OTHERS = {
    "reference": r"\sum_{k} e^{z_k} - e^{z_i}",
    "dims": {"C": [3, 5, 4]},
    "symbols": {"z": {"kind": "vector", "dim": "C"}, "i": {"kind": "index", "dim": "C"},
                "k": {"kind": "index", "dim": "C"}},
    "result": {"indices": ["i"]},
    "misconceptions": [{"id": "own-term-kept", "expr": r"\sum_{k} e^{z_k}",
                        "feedback": "The sum runs over the other classes: leave out k = i."}],
}
# ---- a matrix summed over both indices
TOTAL = {
    "reference": r"\sum_{i=1}^{m} \sum_{j=1}^{n} x_{i,j}",
    "dims": {"m": [2, 3, 4], "n": [3, 4, 2]},
    "symbols": {"x": {"kind": "matrix", "dims": ["m", "n"]}, "i": {"kind": "index", "dim": "m"},
                "j": {"kind": "index", "dim": "n"}},
}

# ---- conv weight gradient.  Forward (1-based, as the interpreter counts):
#   Z[i, j_1, j_2, m] = Σ_{k_1, k_2, n} X[i, j_1 + k_1, j_2 + k_2, n] W[k_1, k_2, n, m]
# so X has P = H + K1 rows and Q = W + K2 columns (its first row and column are never read).
CONV_DIMS = {"B": [2, 3, 2], "H": [3, 2, 2], "Wd": [2, 3, 2], "K1": [2, 3, 1], "K2": [3, 2, 2],
             "P": [5, 5, 3], "Q": [5, 5, 4], "N": [2, 1, 3], "M": [3, 2, 2]}


@truth("conv_weight_grad_by_linearity")
def conv_weight_grad_by_linearity(values):
    """∂J/∂W for J = Σ G ⊙ Z(W): Z is linear in W, so entry (k1,k2,n,m) is Σ G ⊙ Z(unit W) — computed directly."""
    X, G = np.asarray(values["X"]), np.asarray(values["G"])
    B, H, Wd, M = G.shape
    K1, K2, N = X.shape[1] - H, X.shape[2] - Wd, X.shape[3]
    out = np.zeros((K1, K2, N, M))
    for k1 in range(K1):
        for k2 in range(K2):
            for n in range(N):
                # 0-based: row j1 + k1 + 1 of X is the 1-based row (j1+1) + (k1+1)
                patch = X[:, k1 + 1:k1 + 1 + H, k2 + 1:k2 + 1 + Wd, n]          # (B, H, Wd)
                for m in range(M):
                    out[k1, k2, n, m] = float(np.sum(G[..., m] * patch))
    return out


CONV = {
    "reference": r"\sum_{i}\sum_{j_1}\sum_{j_2} G_{i,j_1,j_2,m} X_{i, j_1 + k_1, j_2 + k_2, n}",
    "truth": "conv_weight_grad_by_linearity",
    "dims": CONV_DIMS,
    "symbols": {
        "X": {"kind": "tensor", "dims": ["B", "P", "Q", "N"]},
        "G": {"kind": "tensor", "dims": ["B", "H", "Wd", "M"], "aliases": [r"\frac{\partial J}{\partial Z}"]},
        "i": {"kind": "index", "dim": "B"}, "j_1": {"kind": "index", "dim": "H"}, "j_2": {"kind": "index", "dim": "Wd"},
        "k_1": {"kind": "index", "dim": "K1"}, "k_2": {"kind": "index", "dim": "K2"},
        "n": {"kind": "index", "dim": "N"}, "m": {"kind": "index", "dim": "M"},
    },
    "result": {"indices": ["k_1", "k_2", "n", "m"]},
    "trials": 3,
}
SPECS = {"others": SymbolicSpec.model_validate(OTHERS), "total": SymbolicSpec.model_validate(TOTAL),
         "conv": SymbolicSpec.model_validate(CONV)}

DZ = r"\frac{\partial J}{\partial Z[i,j_1,j_2,m]}"
TABLE = [
    ("others", r"\sum_{k \neq i} e^{z_k}", "correct", None),
    ("others", r"\sum_{k=1, k\neq i}^{C} e^{z_k}", "correct", None),
    ("others", r"\sum_{k=1}^{C} e^{z_k}, k \ne i", "correct", None),
    ("others", r"\sum_{k=1}^{C} e^{z_k} \quad (k \neq i)", "correct", None),
    ("others", r"\sum_{k=1}^{C} e^{z_k} \text{ for } k ≠ i", "correct", None),
    ("others", r"∑_{k≠i} exp(z_k)", "correct", None),
    ("others", r"\sum_{k \neq i}^{C} e^{z_k}", "correct", None),
    ("others", r"\sum_{k} e^{z_k}", "incorrect", "own-term-kept"),           # looks right, keeps k = i
    ("others", r"\sum_{k=1}^{C} e^{z_k}", "incorrect", "own-term-kept"),
    ("others", r"\sum_{k=2}^{C} e^{z_k}", "incorrect", "shape-mismatch"),    # right only for i = 1; no i: one number
    ("others", r"\sum_{k \neq j} e^{z_k}", "needs_review", "unknown-symbol"),
    ("others", r"\sum_{k \neq i} e^{z_i}", "incorrect", "not-equivalent"),
    ("others", r"\sum_{k=1, k \neq 1}^{C} e^{z_k}", "incorrect", "shape-mismatch"),
    ("others", r"\sum_{k} e^{z_k} - e^{z_k}", "needs_review", "unexpected-index"),  # the last k is outside the sum
    ("others", r"\sum_{k \neq i} e^{z_k} + \sum_{k \neq i} 0", "correct", None),
    ("others", r"\sum_{k \neq i} e^{z_k} - e^{z_i} + e^{z_i}", "correct", None),
    ("others", r"\sum_{k \neq i, k \neq 1} e^{z_k}", "incorrect", "not-equivalent"),
    ("total", r"\sum_{i,j} x_{ij}", "correct", None),
    ("total", r"\sum_{i, j} x_{i,j}", "correct", None),
    ("total", r"\sum_{i=1}^{m}\sum_{j=1}^{n} x_{ij}", "correct", None),
    ("total", r"\sum_{i} x_{i1}", "incorrect", "not-equivalent"),
    ("conv", rf"\sum_{{i}}\sum_{{j_1}}\sum_{{j_2}} {DZ} X[i, j_1 + k_1, j_2 + k_2, n]", "correct", None),
    ("conv", rf"\frac{{\partial J}}{{\partial W[k_1,k_2,n,m]}} = \sum_{{i}}\sum_{{j_1}}\sum_{{j_2}} {DZ} X[i, j_1 + k_1, j_2 + k_2, n]",
     "correct", None),
    ("conv", r"\sum_{i,j_1,j_2} G_{i,j_1,j_2,m} X_{i,j_1+k_1,j_2+k_2,n}", "correct", None),
    ("conv", rf"\sum_{{j_1}}\sum_{{j_2}} \sum_{{i}} X[i, k_1 + j_1, k_2 + j_2, n] {DZ}", "correct", None),
    # drops the sum over the batch: the answer depends on i, which is not an index of ∂J/∂W
    ("conv", rf"\sum_{{j_1}}\sum_{{j_2}} {DZ} X[i, j_1 + k_1, j_2 + k_2, n]", "needs_review", "unexpected-index"),
    # batch fixed to the first example: looks like a sum-free shortcut, wrong
    ("conv", r"\sum_{j_1}\sum_{j_2} G_{1,j_1,j_2,m} X[1, j_1 + k_1, j_2 + k_2, n]", "incorrect", "not-equivalent"),
    # kernel offsets swapped between the two spatial axes
    ("conv", rf"\sum_{{i}}\sum_{{j_1}}\sum_{{j_2}} {DZ} X[i, j_1 + k_2, j_2 + k_1, n]", "incorrect", None),
]


@pytest.mark.parametrize(("part", "answer", "verdict", "feedback_id"), TABLE)
def test_sum_table(part: str, answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = check_symbolic(answer=answer, spec=SPECS[part])
    assert outcome.verdict == verdict, outcome
    if feedback_id is not None or verdict == "correct":
        assert outcome.feedback_id == feedback_id, outcome


PARSES = [
    (r"\sum_{i,j} x_{ij}", r"\sum_{i} \sum_{j} x_{\mathrm{ij}}"),
    (r"\sum_{i,j=0}^{n} x", r"\sum_{i=0}^{n} \sum_{j=0}^{n} x"),
    (r"\sum_{j_1} \sum_{j_2} X[i, j_1 + k_1, j_2 + k_2, n]", r"\sum_{j_1} \sum_{j_2} X_{i,j_{1} + k_{1},j_{2} + k_{2},n}"),
    (r"\sum_{k \neq i} e^{z_k}", r"\sum_{k \neq i} e^{z_{k}}"),
    (r"\sum_{i \neq k} e^{z_k}", r"\sum_{i \neq k} e^{z_{k}}"),   # the first name is the index when none is listed
    (r"\sum_{k=1, k\neq i}^{C} e^{z_k}", r"\sum_{k=1, k \neq i}^{C} e^{z_{k}}"),
    (r"\sum_{k=1, i \ne k}^{C} e^{z_k}", r"\sum_{k=1, k \neq i}^{C} e^{z_{k}}"),
    (r"\sum_{k=1}^{C} e^{z_k}, k \ne i", r"\sum_{k=1, k \neq i}^{C} e^{z_{k}}"),
    (r"\prod_{k \neq i} x_k", r"\prod_{k \neq i} x_{k}"),
    (r"\sum_{j_{1}=1}^{H} j_1", r"\sum_{j_1=1}^{H} j_{1}"),
    ("y[1-y]", r"y \left(1 - y\right)"),   # one item: still a bracket
]


@pytest.mark.parametrize(("text", "canonical"), PARSES)
def test_sum_forms_parse_and_round_trip(text: str, canonical: str) -> None:
    node = parse_math(text=text)
    assert render_latex(node=node) == canonical
    assert parse_math(text=canonical) == node


@pytest.mark.parametrize("text", [r"\sum_{2} x", r"\sum_{k, k} x_k", r"\sum_{k=1, 1 \neq 2} x_k", r"\sum_{x+y} x",
                                  r"e^{z_k}, k \neq i", r"\sum_{k} z_k, j \neq i"])
def test_malformed_sum_subscripts_are_parse_errors(text: str) -> None:
    with pytest.raises(MathParseError):
        parse_math(text=text)


def test_excluded_index_is_skipped_and_bounded() -> None:
    z = np.array([[1.0], [2.0], [3.0]])
    env = EvalEnv(values={"z": z}, index_sizes={"k": 3, "i": 3}, bindings={"i": 2})
    assert float(evaluate(node=parse_math(text=r"\sum_{k \neq i} z_k"), env=env)) == 4.0
    assert float(evaluate(node=parse_math(text=r"\prod_{k=1, k \neq i}^{3} z_k"), env=env)) == 3.0


def test_sympy_form_of_an_excluded_sum() -> None:
    import sympy

    from grader.mathparse.to_sympy import SympyConversionError, to_sympy

    expr = to_sympy(node=parse_math(text=r"\sum_{k=1, k \neq i}^{3} k^2"))
    (i,) = expr.free_symbols
    assert sympy.simplify(expr.doit() - (14 - i ** 2)) == 0
    nested = to_sympy(node=parse_math(text=r"\sum_{i,j=1}^{2} i j")).doit()
    assert nested == 9
    with pytest.raises(SympyConversionError):
        to_sympy(node=parse_math(text=r"\prod_{k \neq i} x_k"))


def test_simplified_display_of_sums_or_a_reason() -> None:
    shown = SymbolicSpec.model_validate({**OTHERS, "simplify_display": True})
    ok = check_symbolic(answer=r"\sum_{k=1, k \neq i}^{C} e^{z_k}", spec=shown)
    assert ok.verdict == "correct" and any(n.startswith("simplified:") and "Sum" not in n for n in ok.notes), ok
    refused = check_symbolic(answer=r"\prod_{k \neq i} e^{z_k} + \sum_{k \neq i} e^{z_k} - \prod_{k \neq i} e^{z_k}",
                             spec=shown)
    assert refused.verdict == "correct", refused
    assert "no simplified form: a product with an excluded index has no SymPy form here" in refused.notes, refused


SUM_TOKENS = [r"\sum", r"\prod", "_{", "}", "^{", ",", "=", r"\neq", r"\ne", "≠", "k", "i", "j_1", "j_{2}", "1", "C",
              "e^{z_k}", "x_{ij}", "X[i, j_1 + k_1, n]", "[", "]", "+", "-", r"\quad", r"\text{for }", "(", ")", " "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SUM_TOKENS), max_size=30).map("".join))
def test_sum_token_soup_only_raises_parse_errors_and_round_trips(text: str) -> None:
    start = time.process_time()
    parse_and_round_trip(text)
    assert time.process_time() - start < 1.0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SUM_TOKENS), max_size=25).map("".join))
def test_sum_token_soup_checks_quickly(text: str) -> None:
    start = time.process_time()
    outcome = check_symbolic(answer=text, spec=SPECS["others"])
    assert outcome.feedback_id != "internal-error", outcome
    assert time.process_time() - start < 1.0


def test_long_trailing_exclusion_text_is_linear() -> None:
    start = time.process_time()
    for text in ["," * 19_000 + r"k \neq i", r"\sum_k " + " ," * 9_000 + r" k \neq i", "[a," * 6000 + "b]"]:
        try:
            parse_math(text=text)
        except MathParseError:
            pass
    assert time.process_time() - start < 1.0
