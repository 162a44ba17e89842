"""Derived references: (definition, wrt, expected derivative), worked out by SymPy from our own trees."""

from __future__ import annotations

import pytest

from grader.mathparse import parse_math
from grader.symbolic import SymbolicSpec, check_symbolic
from grader.symbolic.derive import DerivationError, derive_from_block

SYMBOLS = {
    "x": {"kind": "scalar"}, "p": {"kind": "scalar"},
    "a": {"kind": "vector", "dim": "n"}, "m": {"kind": "vector", "dim": "n"},
    "u": {"kind": "vector", "dim": "n"}, "w": {"kind": "vector", "dim": "n"},
    "A": {"kind": "matrix", "dims": ["n", "n"]}, "W": {"kind": "matrix", "dims": ["n", "n"]},
    "h": {"kind": "vector", "dim": "n", "value": r"\sigma(a)"},
    "i": {"kind": "index", "dim": "n"},
}
SOFTMAX_SYMBOLS = {
    "z": {"kind": "vector", "dim": "C"},
    "y": {"kind": "vector", "dim": "C", "sample": "onehot"},
    "y_hat": {"kind": "vector", "dim": "C", "value": r"\operatorname{softmax}(z)"},
    "i": {"kind": "index", "dim": "C"},
}
INDEXED = {"indices": ["i"], "shape": ["n"]}


def block(reference: dict, *, result: dict | None = None, softmax: bool = False) -> dict:
    out = {"reference": reference, "dims": {"C": [3, 4]} if softmax else {"n": [3, 4]},
           "symbols": SOFTMAX_SYMBOLS if softmax else SYMBOLS}
    if result is not None:
        out["result"] = result
    return out


TABLE = [
    # scalar
    ({"derivative": "x^2", "wrt": "x"}, None, "2 x"),
    ({"derivative": r"\exp(2 x)", "wrt": "x"}, None, r"2 \exp(2 x)"),
    ({"derivative": r"\log(x)", "wrt": "x"}, None, r"\frac{1}{x}"),
    ({"derivative": r"x^3 p + \sqrt{x}", "wrt": "x"}, None, r"3 p x^2 + \frac{1}{2 \sqrt{x}}"),
    ({"derivative": r"\sigma(x)", "wrt": "x"}, None, r"(1 - \sigma(x)) \sigma(x)"),
    ({"derivative": r"\tanh(x)", "wrt": "x"}, None, r"1 - \tanh(x)^2"),
    ({"derivative": "x^2", "wrt": "x", "assuming": ["x = 2"]}, None, "4"),
    ({"derivative": "0.5 x^2", "wrt": "x"}, None, "x"),
    ({"derivative": r"\frac{x}{1 + x}", "wrt": "x"}, None, r"\frac{1}{(x + 1)^2}"),   # factored: fewer operations
    # element-wise: the dropout mask, at the part's result index or with whole vectors
    ({"derivative": r"m \odot a / (1 - p)", "wrt": "a"}, INDEXED, r"\frac{m_i}{1 - p}"),
    ({"derivative": r"m \odot a / (1 - p)", "wrt": "a"}, None, r"\frac{m}{1 - p}"),
    ({"derivative": r"\sigma(a)", "wrt": "a"}, None, r"(1 - \sigma(a)) \odot \sigma(a)"),
    ({"derivative": "h", "wrt": "a"}, None, r"(1 - \sigma(a)) \odot \sigma(a)"),   # a declared value, substituted
    # matrix calculus
    ({"gradient": "w^T A w", "wrt": "w"}, None, "(A + A^T) w"),
    ({"gradient": "w^T w", "wrt": "w"}, None, "2 w"),
    ({"gradient": "u^T w", "wrt": "w"}, None, "u"),
    ({"gradient": "u^T W w", "wrt": "W"}, None, "u w^T"),
    # sums over indices (Kronecker deltas summed out)
    ({"gradient": r"\sum_i a_i^2", "wrt": "a"}, None, "2 a"),
    ({"gradient": r"\sum_i m_i a_i", "wrt": "a"}, None, "m"),
    ({"gradient": r"\sum_i \log(a_i)", "wrt": "a"}, INDEXED, r"\frac{1}{a_i}"),
    ({"gradient": r"\sum_i h_i", "wrt": "a"}, None, r"(1 - \sigma(a)) \odot \sigma(a)"),
]


@pytest.mark.parametrize(("reference", "result", "expected"), TABLE)
def test_derived_reference_table(reference, result, expected) -> None:
    text = derive_from_block(block=block(reference, result=result))
    assert parse_math(text=text) == parse_math(text=expected), text


def test_softmax_cross_entropy_needs_the_labels_to_sum_to_one() -> None:
    definition = {"gradient": r"-\sum_i y_i \log \hat y_i", "wrt": "z"}
    with_sum = derive_from_block(block=block({**definition, "assuming": [r"\sum_i y_i = 1"]}, softmax=True))
    assert with_sum == r"\hat{y} - y"
    without = derive_from_block(block=block(definition, result={"indices": ["i"], "shape": ["C"]}, softmax=True))
    assert parse_math(text=without) == parse_math(text=r"\hat y_i \left(\sum_j y_j\right) - y_i"), without


def test_the_canonical_form_is_the_renderers() -> None:
    assert derive_from_block(block=block({"gradient": "w^T A w", "wrt": "w"})) == r"\left(A + A^{T}\right) w"
    assert derive_from_block(block=block({"derivative": r"m \odot a / (1 - p)", "wrt": "a"}, result=INDEXED)) \
        == r"\frac{m_{i}}{1 - p}"


def test_a_spec_read_without_checked_loading_derives_its_reference() -> None:
    spec = SymbolicSpec.model_validate(block({"gradient": "w^T A w", "wrt": "w"}))
    assert spec.reference == r"\left(A + A^{T}\right) w"
    assert check_symbolic(answer="A w + A^T w", spec=spec).verdict == "correct"
    assert check_symbolic(answer="2 A w", spec=spec).verdict == "incorrect"


@pytest.mark.parametrize(("reference", "result", "field", "words"), [
    ({"derivative": r"\operatorname{ReLU}(x)", "wrt": "x"}, None, "derivative", "not differentiable"),
    ({"derivative": r"\max(x, p)", "wrt": "x"}, None, "derivative", "not differentiable"),
    ({"gradient": "A w", "wrt": "w"}, None, "gradient", "not a scalar"),
    ({"gradient": r"\sum_i \log(a_i)", "wrt": "a"}, None, "gradient", "declare the index"),
    ({"derivative": "x^2", "wrt": "q"}, None, "wrt", "not a declared symbol"),
    ({"derivative": "x^2", "wrt": "i"}, None, "wrt", "not a declared symbol"),
    ({"derivative": "x^2", "wrt": "x", "assuming": ["x"]}, None, "assuming[0]", "not one equation"),
    ({"gradient": r"\sum_i a_i", "wrt": "A"}, None, "wrt", "only scalars and vectors"),
    ({"derivative": " + ".join(f"x^{{{k}}}" for k in range(1, 60)), "wrt": "x"}, None, "derivative", "more than"),
])
def test_what_sympy_cannot_derive_is_an_authoring_error(reference, result, field, words) -> None:
    with pytest.raises(DerivationError) as info:
        derive_from_block(block=block(reference, result=result))
    assert info.value.field == field and words in str(info.value), str(info.value)
    assert info.value.fix
