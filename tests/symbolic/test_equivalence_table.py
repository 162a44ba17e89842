"""The equivalence table: (part, student answer, verdict, feedback_id) across 1a, 1b, 2e, 3a, 5a, 5b.

Includes wrong answers that agree at special points (C = 2, L = 1, symmetric A,
an all-ones mask): they must fail, because the trials use several sizes and
generic random values.
"""

from __future__ import annotations

import functools

import pytest

from specs import load_spec_blocks

from grader.symbolic import SymbolicOutcome, SymbolicSpec, check_symbolic

SPECS = {part: SymbolicSpec.model_validate(block) for part, block in load_spec_blocks().items()}

TABLE = [
    # ---- 1a: softmax Jacobian
    ("1a", r"\hat y_i(\delta_{ij} - \hat y_j)", "correct", None),
    ("1a", r"\frac{\partial \hat y_i}{\partial z_j} = \hat{y}_i (\delta_{ij} - \hat{y}_j)", "correct", None),
    ("1a", r"\begin{cases} \hat y_i(1 - \hat y_i) & i = j \\ -\hat y_i \hat y_j & i \neq j \end{cases}", "correct", None),
    ("1a", r"\begin{cases} \hat y_i(1 - \hat y_i) & \text{if } i = j \\ -\hat y_i \hat y_j & \text{otherwise} \end{cases}",
     "correct", None),
    ("1a", r"\begin{cases} -\hat y_i \hat y_j, & i ≠ j \\ \hat y_i(1 - \hat y_i), & i = j \end{cases}", "correct", None),
    ("1a", r"\operatorname{diag}(\hat y) - \hat y \hat y^T", "correct", None),
    ("1a", r"\mathrm{diag}(\hat{y}) - \hat{y}\hat{y}^{\top}", "correct", None),
    ("1a", r"\text{softmax}(z)_i(\delta_{ij} - \text{softmax}(z)_j)", "correct", None),
    ("1a", r"\frac{e^{z_i}}{\sum_k e^{z_k}}\left(\delta_{ij} - \frac{e^{z_j}}{\sum_{k=1}^{C} e^{z_k}}\right)", "correct", None),
    ("1a", r"\hat y_i \delta_{ij} - \hat y_i \hat y_j", "correct", None),
    ("1a", r"\mathbb{1}[i=j]\,\hat y_i - \hat y_i \hat y_j", "correct", None),
    ("1a", r"a_i(\delta_{ij} - a_j)", "correct", None),
    ("1a", "ŷ_i(δ_{ij} − ŷ_j)", "correct", None),
    ("1a", r"\begin{cases} \text{softmax}(z_i)(1 - \text{softmax}(z_i)) & i = j \\ -\text{softmax}(z_i)\text{softmax}(z_j) & i \neq j \end{cases}",
     "correct", None),
    ("1a", r"\hat y_i(1-\hat y_i) \text{ if } i=j, \; -\hat y_i \hat y_j \text{ if } i \neq j", "correct", None),
    ("1a", "ŷᵢ(1 − ŷᵢ) if i = j; −ŷᵢŷⱼ otherwise", "correct", None),
    ("1a", r"-\hat y_i \hat y_j", "incorrect", "softmax-missing-delta"),
    ("1a", r"\hat y_i(1 - \hat y_j)", "incorrect", "softmax-no-delta-one-minus"),
    ("1a", r"\hat y_i(\hat y_j - \delta_{ij})", "incorrect", "softmax-sign-flipped"),
    ("1a", r"\hat y \hat y^T - \operatorname{diag}(\hat y)", "incorrect", "softmax-sign-flipped"),
    ("1a", r"\delta_{ij}\hat y_i(1-\hat y_i)", "incorrect", "softmax-diagonal-only"),
    # agrees with the truth when C = 2 only (there ŷ_j = 1 − ŷ_i for i ≠ j)
    ("1a", r"\delta_{ij}\hat y_i(1-\hat y_i) - (1-\delta_{ij})\hat y_i(1-\hat y_i)", "incorrect", "not-equivalent"),
    ("1a", r"\hat y_i(\delta_{ij} - \hat y_i)", "incorrect", "not-equivalent"),
    ("1a", r"\begin{cases} \hat y_i(1 - \hat y_i) & i = j \\ \hat y_i \hat y_j & i \neq j \end{cases}", "incorrect", "not-equivalent"),
    ("1a", r"\sigma(z)_i(\delta_{ij} - \sigma(z)_j)", "incorrect", "not-equivalent"),
    # σ_i with no argument names the softmax output (declared alias), \text{softmax}_i(z) is entry i of softmax(z)
    ("1a", r"\sigma_i(\delta_{ij} - \sigma_j)", "correct", None),
    ("1a", r"\operatorname{diag}(\sigma) - \sigma \sigma^T", "correct", None),
    ("1a", r"\sigma \sigma^T - \operatorname{diag}(\sigma)", "incorrect", "softmax-sign-flipped"),
    ("1b", r"\sigma - y", "correct", None),
    ("5b", r"(g \odot \sigma \odot (1-\sigma)) x^T", "correct", None),
    # a trailing quantifier over the indices says nothing about the value
    ("1a", r"\hat y_i (\delta_{ij} - \hat y_j) \quad \forall i, j \in \{1, \dots, C\}", "correct", None),
    ("1a", r"\hat y_i (1 - \hat y_j) \text{ for all } i, j", "incorrect", "softmax-no-delta-one-minus"),
    ("2e", "2L+1 for all L", "correct", None),
    ("1a", r"\sigma_i(1 - \sigma_j)", "incorrect", "softmax-no-delta-one-minus"),
    ("1a", r"\text{softmax}_i(z)(\delta_{ij} - \text{softmax}_j(z))", "correct", None),
    ("1a", r"\operatorname{diag}(\hat y) - \hat y \cdot \hat y", "needs_review", "ambiguous-product"),
    ("1a", r"\operatorname{diag}(\hat y) - \hat y \hat y", "needs_review", "ambiguous-product"),
    ("1a", r"\hat y_i(\delta_{ij} - \hat y_j", "needs_review", "parse-error"),
    ("1a", r"q_i(\delta_{ij} - q_j)", "needs_review", "unknown-symbol"),
    ("1a", r"\operatorname{diag}(\hat y)", "incorrect", "not-equivalent"),
    ("1a", r"\hat y_i \sum_{k=1}^{9999} \sum_{l=1}^{9999} k", "could_not_evaluate", "could-not-evaluate"),
    ("1a", r"\hat y_i\sum_{k=1}^{9000} \hat y_j", "could_not_evaluate", "could-not-evaluate"),
    # ---- 1b: cross-entropy gradient
    ("1b", r"\hat y - y", "correct", None),
    ("1b", r"\frac{\partial L}{\partial z} = \hat{y} - y", "correct", None),
    ("1b", "y_hat - y", "correct", None),
    ("1b", r"\hat y_i - y_i", "correct", None),
    ("1b", r"(\hat y - y)^T", "correct", "layout-transposed"),
    ("1b", r"\text{softmax}(z) - y", "correct", None),
    ("1b", r"\frac{e^{z}}{\sum_k e^{z_k}} - y", "correct", None),
    ("1b", r"-(y - \hat y)", "correct", None),
    ("1b", r"\hat y \odot (1 - y) - y \odot (1 - \hat y)", "correct", None),
    ("1b", r"p - y", "correct", None),
    ("1b", r"y - \hat y", "incorrect", "ce-sign-flipped"),
    ("1b", r"\hat y", "incorrect", "ce-missing-label"),
    ("1b", r"\hat y_i(1 - \hat y_i)", "incorrect", "not-equivalent"),
    ("1b", r"\hat y - 1", "incorrect", "not-equivalent"),
    ("1b", r"\sum_i (\hat y_i - y_i)", "incorrect", "shape-mismatch"),
    ("1b", r"\sum_i \hat y_i - y_i", "incorrect", "not-equivalent"),
    # OCR-style noise around a right answer
    ("1b", r"$$\frac{\partial L}{\partial z} = \hat{y} - y$$", "correct", None),
    ("1b", r"\left(\hat{y}-y\right)^{T}.", "correct", "layout-transposed"),
    ("1b", r"\frac{\partial L}{\partial z_i} = -y_i + \hat{y}_i", "correct", None),
    ("1b", r"\nabla_z L = \operatorname{softmax}(z) - y", "correct", None),
    # ---- 2e: receptive field
    ("2e", "2L + 1", "correct", None),
    ("2e", "2L+1", "correct", None),
    ("2e", "1 + 2L", "correct", None),
    ("2e", "3 + 2(L-1)", "correct", None),
    ("2e", r"2 \cdot L + 1", "correct", None),
    ("2e", "2*L+1", "correct", None),
    ("2e", "RF = 2L + 1", "correct", None),
    ("2e", "0,5 \\cdot 4L + 1", "correct", None),
    ("2e", "2l + 1", "correct", None),
    ("2e", "2L + 1 pixels", "correct", None),
    ("2e", "2L", "incorrect", "rf-missing-one"),
    ("2e", "3L", "incorrect", "rf-kernel-times-layers"),
    ("2e", "2L - 1", "incorrect", "rf-minus-one"),
    # agree at L = 1 only
    ("2e", "L + 2", "incorrect", "not-equivalent"),
    ("2e", "3^L", "incorrect", "not-equivalent"),
    ("2e", "L^2 + 2", "incorrect", "not-equivalent"),
    ("2e", "2N + 1", "needs_review", "unknown-symbol"),
    ("2e", "2^{2^{2^{2^{10}}}}", "could_not_evaluate", "could-not-evaluate"),
    ("2e", r"10^{10^{10}}!", "could_not_evaluate", "could-not-evaluate"),
    ("2e", r"\sum_{k=1}^{10^{12}} k^k", "could_not_evaluate", "could-not-evaluate"),
    ("2e", "__import__('os').system('touch /tmp/pwned')", "needs_review", "parse-error"),
    # ---- 3a: inverted dropout
    ("3a", r"\frac{m_i}{1 - p}", "correct", None),
    ("3a", "m_i/(1-p)", "correct", None),
    ("3a", r"\frac{m}{1-p}", "correct", None),
    ("3a", r"\operatorname{diag}(m)/(1-p)", "correct", None),
    ("3a", r"\frac{mask_i}{1-p}", "correct", None),
    ("3a", "mask/(1-p)", "correct", None),
    ("3a", r"f'(a) = \frac{1}{1-p} m_i", "correct", None),
    ("3a", r"m_i (1-p)^{-1}", "correct", None),
    ("3a", r"\frac{m}{p-1}", "incorrect", "dropout-sign"),
    ("3a", "m_i/(p-1)", "incorrect", "dropout-sign"),
    ("3a", "m/p", "incorrect", "dropout-p-not-keep"),
    ("3a", "1/(1-p)", "incorrect", "dropout-missing-mask"),
    ("3a", r"m_i", "incorrect", "dropout-missing-scale"),
    ("3a", r"\frac{m_i}{1 - p^2}", "incorrect", "not-equivalent"),
    ("3a", r"\frac{\partial f_i}{\partial a_i} = \frac{m_i}{1 - p} \quad", "correct", None),
    ("3a", r"f'(a) = \frac{mask}{1-p}", "correct", None),
    ("3a", r"\frac{m_i}{1 - 0,5}", "incorrect", "not-equivalent"),
    # ---- 5a: gradient of a quadratic form
    ("5a", "(A + A^T) w", "correct", None),
    ("5a", "Aw + A^Tw", "correct", None),
    ("5a", "A^T w + A w", "correct", None),
    ("5a", r"(A^\top + A)\mathbf{w}", "correct", None),
    ("5a", "(A+A^T)W", "correct", None),
    ("5a", "w^T(A + A^T)", "correct", "layout-transposed"),
    ("5a", "(w^T A)^T + A w", "correct", None),
    ("5a", "2Aw", "incorrect", "quadform-assumes-symmetric"),
    ("5a", "Aw + Aw", "incorrect", "quadform-assumes-symmetric"),
    ("5a", "Aw", "incorrect", "quadform-only-a"),
    # agrees only for symmetric A
    ("5a", "2A^Tw", "incorrect", "not-equivalent"),
    ("5a", "W(A+A^T)", "incorrect", "shape-mismatch"),
    ("5a", "w^T A + A w", "incorrect", "shape-mismatch"),
    ("5a", "(A+A^T)v", "needs_review", "unknown-symbol"),
    # ---- 5b: sigmoid layer weight gradient
    ("5b", r"(g \odot y \odot (1 - y)) x^T", "correct", None),
    ("5b", r"(g \odot \sigma(Wx) \odot (1-\sigma(Wx))) x^T", "correct", None),
    ("5b", r"\operatorname{diag}(\sigma'(Wx)) g x^T", "correct", None),
    ("5b", r"\left(\frac{\partial L}{\partial y} \odot y \odot (1 - y)\right) x^{T}", "correct", None),
    ("5b", r"(\delta \odot y \odot (1-y))x^T", "correct", None),
    ("5b", r"(g ⊙ σ'(Wx)) xᵀ", "correct", None),
    ("5b", r"\operatorname{diag}(y \odot (1-y)) g x^\top", "correct", None),
    ("5b", r"(g \odot y) x^T", "incorrect", "sigmoid-missing-one-minus"),
    ("5b", r"g x^T", "incorrect", "sigmoid-missing-derivative"),
    ("5b", r"g \odot y \odot (1 - y)", "incorrect", "sigmoid-missing-x"),
    ("5b", r"x^T (g \odot y \odot (1 - y))", "incorrect", "sigmoid-wrong-order"),
    ("5b", r"x (g \odot y \odot (1 - y))^T", "partial", "sigmoid-transposed"),
    # `*` between two vectors is element-wise (as in NumPy); between a matrix and a vector it is the matrix product
    ("5b", r"(g * y * (1-y)) x^T", "correct", None),
    ("5b", r"(g * y) x^T", "incorrect", "sigmoid-missing-one-minus"),
    ("5b", r"\operatorname{diag}(y * (1-y)) * g * x^T", "correct", None),
    # implicit products bind first, so as written the shapes do not fit; read left to right they do
    ("5b", r"g \odot y(1-y) x^T", "needs_review", "ambiguous-grouping"),
    ("5b", r"g \cdot y \cdot (1-y) x^T", "needs_review", "ambiguous-grouping"),
    ("5b", r"g \odot y x^T", "incorrect", "sigmoid-missing-one-minus"),
    ("5b", r"(g \cdot y)x^T", "incorrect", "shape-mismatch"),
    ("5b", r"(g \odot y \odot (1 + y)) x^T", "incorrect", "not-equivalent"),
]


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60
    assert {row[0] for row in TABLE} == {"1a", "1b", "2e", "3a", "5a", "5b"}


@functools.cache
def table_outcome(part: str, answer: str) -> SymbolicOutcome:
    """``check_symbolic`` on a row of TABLE at seed 7 (a frozen outcome), computed once per process:
    test_equivalence checks it row by row and test_exact_judge checks every row's together."""
    return check_symbolic(answer=answer, spec=SPECS[part], seed=7)


@pytest.mark.parametrize("part, answer, verdict, feedback_id", TABLE)
def test_equivalence(part: str, answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = table_outcome(part, answer)
    assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), outcome
    assert 0.0 <= outcome.credit <= 1.0
    assert outcome.feedback
    if verdict == "correct":
        assert outcome.credit == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_results_do_not_depend_on_lucky_seeds(seed: int) -> None:
    for part, answer, verdict, feedback_id in TABLE[::3]:
        outcome = check_symbolic(answer=answer, spec=SPECS[part], seed=seed)
        assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), (part, answer, outcome)


def test_same_seed_same_outcome() -> None:
    a = check_symbolic(answer="2Aw", spec=SPECS["5a"], seed=3)
    b = check_symbolic(answer="2Aw", spec=SPECS["5a"], seed=3)
    assert a == b


def test_matrix_products_are_not_commutative() -> None:
    left = check_symbolic(answer="(A+A^T)W", spec=SPECS["5a"])
    right = check_symbolic(answer="W(A+A^T)", spec=SPECS["5a"])
    assert left.verdict == "correct" and right.verdict == "incorrect"
    assert "shapes do not match: (n,1)·(n,n)" in right.feedback


def test_shape_feedback_names_the_dimensions() -> None:
    outcome = check_symbolic(answer=r"(g \cdot y)x^T", spec=SPECS["5b"])
    assert "shapes do not match: (m,1)·(m,1)" in outcome.feedback


def test_capitalisation_note_and_canonical() -> None:
    outcome = check_symbolic(answer="(A+A^T)W", spec=SPECS["5a"])
    assert any("capitalisation" in n for n in outcome.notes)
    assert outcome.canonical == r"\left(A + A^{T}\right) w"


def test_unknown_symbol_is_named() -> None:
    outcome = check_symbolic(answer="2N + 1", spec=SPECS["2e"])
    assert "N" in outcome.feedback


def test_misconception_credit_becomes_partial() -> None:
    outcome = check_symbolic(answer=r"x (g \odot y \odot (1 - y))^T", spec=SPECS["5b"])
    assert outcome.verdict == "partial" and outcome.credit == 0.5


@pytest.mark.parametrize("part, answer", [
    ("1a", r"\hat y_i \sum_{k=1}^{9999} \sum_{l=1}^{9999} k"),
    ("1a", r"\hat y_i\sum_{k=1}^{9999} \hat y_j"),
    ("2e", "2^{2^{2^{2^{10}}}}"),
    ("2e", r"10^{10^{10}}!"),
    ("2e", r"\sum_{k=1}^{10^{12}} k^k"),
    ("5a", "{" * 100_000),
])
def test_expensive_answers_are_cut_short(part: str, answer: str) -> None:
    import time

    start = time.process_time()
    outcome = check_symbolic(answer=answer, spec=SPECS[part])
    assert time.process_time() - start < 1.0
    assert outcome.verdict in ("could_not_evaluate", "needs_review")
    assert outcome.feedback
