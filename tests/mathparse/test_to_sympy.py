"""Tree -> SymPy: matrix products stay non-commutative, scalars simplify."""

from __future__ import annotations

import pytest

from grader.mathparse import parse_math
from grader.mathparse.to_sympy import SymbolShape, SympyConversionError, simplified_latex, to_sympy

SHAPES = {"A": SymbolShape("matrix", "n", "n"), "w": SymbolShape("vector", "n", 1), "W": SymbolShape("vector", "n", 1),
          "L": SymbolShape("scalar"), "i": SymbolShape("index"), "j": SymbolShape("index")}


def _sp(text: str):
    return to_sympy(node=parse_math(text=text), shapes=SHAPES)


def test_matrix_products_do_not_commute() -> None:
    assert _sp("(A + A^T) w") != _sp("w^T (A + A^T)")
    assert (_sp("(A+A^T)w") - _sp("2 A w")).doit() != 0


@pytest.mark.parametrize("a, b", [("2L+1", "1 + 2L"), ("3 + 2(L-1)", "2L + 1"), ("L + L", "2L")])
def test_scalar_equivalences_simplify(a: str, b: str) -> None:
    import sympy

    assert sympy.simplify(_sp(a) - _sp(b)) == 0


def test_kronecker_and_sums_convert() -> None:
    import sympy

    expr = _sp(r"\hat y_i(\delta_{ij} - \hat y_j)")
    assert expr.has(sympy.KroneckerDelta)
    assert _sp(r"\sum_{k=1}^{C} e^{z_k}").has(sympy.Sum)


def test_simplified_latex_is_bounded_and_optional() -> None:
    assert simplified_latex(node=parse_math(text="3 + 2(L-1)"), shapes=SHAPES) == "2 L + 1"
    assert simplified_latex(node=parse_math(text="+".join(["L"] * 60)), shapes=SHAPES) is None


def test_derivative_has_no_sympy_form() -> None:
    with pytest.raises(SympyConversionError):
        _sp(r"\frac{\partial L}{\partial y}")
