"""fine_value: evalf(30) of an exact value by mpmath's arithmetic, or None where SymPy's evalf must decide."""

from __future__ import annotations

import random

import sympy as sp

from grader.symbolic.fine_values import PREC, fine_value

R = sp.Rational


def _agrees(expr: sp.Expr) -> None:
    mine, theirs = fine_value(expr), expr.evalf(30)
    assert mine is not None, expr
    assert mine._prec == theirs._prec == PREC
    assert float(mine) == float(theirs), expr
    assert str(sp.Float(mine, 6)) == str(sp.Float(theirs, 6)), expr
    assert abs(mine._mpf_[1] * 2.0 ** mine._mpf_[2] - theirs._mpf_[1] * 2.0 ** theirs._mpf_[2]) <= abs(float(theirs)) * 2.0 ** -100


def test_counterexample_values_agree_with_evalf() -> None:
    z = [R(1, 3), R(-27, 100), R(113, 50)]
    e = [sp.exp(v) for v in z]
    total = sum(e)
    softmax = [v / total for v in e]
    for expr in (softmax[0] * (1 - softmax[1]), softmax[2] * (softmax[2] - 1), -softmax[0] * softmax[1],
                 1 / (1 + sp.exp(-R(7, 10))), sp.log(R(3, 7)) * sp.sqrt(R(5, 3)), sp.sin(R(3, 2)) * sp.cos(R(1, 9)),
                 sp.pi * sp.E - R(1, 7), (1 + sp.exp(R(-2, 3))) ** -3, R(2, 3), R(-5)):
        _agrees(expr)


def test_random_rational_expressions_agree_with_evalf() -> None:
    rng = random.Random(13)
    for _ in range(200):
        a, b, c = (R(rng.randint(-999, 999), rng.choice([1, 10, 100, 1000])) for _ in range(3))
        expr = sp.exp(a / 3) / (sp.exp(a / 3) + sp.exp(b)) * (c - sp.exp(b) / (sp.exp(a / 3) + sp.exp(b)))
        if expr != 0:
            _agrees(expr)


def test_what_it_cannot_tell_is_left_to_sympy() -> None:
    x = R(1, 3)
    assert fine_value(sp.Integer(0)) is None                              # an exact zero
    assert fine_value(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1) is None         # cancels to zero: no accuracy left
    assert fine_value(sp.log(R(-2, 3))) is None                            # not real
    assert fine_value(sp.Float(0.5) * sp.exp(x)) is None                   # a Float: evalf's own precision rules
    assert fine_value(sp.tanh(x)) is None                                  # a function it does not take
    assert fine_value(sp.exp(R(10**7, 3))) is None                         # an argument too large to trust
    assert fine_value(sp.Symbol("a") + 1) is None                          # not a number


def test_the_expected_text_is_what_six_digits_then_four_give() -> None:
    from grader.symbolic.counterexample import _expected_text
    from grader.symbolic.exact_judge import exact_text

    def rounded(value: sp.Expr) -> sp.Expr:  # the reference's display before: evalf(6) of each non-rational entry
        if getattr(value, "is_Matrix", False):
            return value.applyfunc(lambda e: e if e.is_Rational else e.evalf(6))
        return value if value.is_Rational else value.evalf(6)

    rng = random.Random(7)
    values: list[sp.Expr] = [R(1, 3), R(-7), sp.exp(R(1, 2)), R(12345, 10000) * sp.exp(0 * R(1)), sp.log(R(10, 3))]
    for _ in range(300):
        a = R(rng.randint(-9999, 9999), rng.choice([1, 10, 1000, 10**5]))
        values.append(sp.exp(a / 7) / (1 + sp.exp(a / 7)))
        values.append(a * sp.pi / 10 ** rng.randint(0, 6))
        target = R(rng.randint(1000, 9999) * 10 + 5, 10 ** rng.randint(3, 6))   # a four-digit halfway point
        values.append(target + sp.exp(-R(rng.randint(20, 60))))                # within a hair of it
    values.append(sp.ImmutableMatrix([[values[2], R(1, 7)], [values[-1], values[-2]]]))
    for value in values:
        assert _expected_text(value) == exact_text(rounded(value)), value
