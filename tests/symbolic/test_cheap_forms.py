"""The exact judge's cheap forms (grader/symbolic/opaque.py) and the exact matrix product
(grader/mathparse/exact_functions.matmul): the same findings as the full proof and SymPy's own product."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from test_equivalence_table import SPECS

from grader.mathparse.exact_functions import matmul
from grader.symbolic import check_symbolic, opaque


@pytest.mark.parametrize("part, answer, form", [
    ("1a", r"\operatorname{diag}(\hat y) - \hat y \hat y^T", "opaque"),
    ("5b", r"(g \odot \sigma(Wx) \odot (1 - \sigma(Wx))) x^T", "uninterpreted"),
])
def test_a_cheap_form_proves_what_the_full_proof_proves(part: str, answer: str, form: str, monkeypatch) -> None:
    cheap = check_symbolic(answer=answer, spec=SPECS[part], seed=11)
    tried: list[str] = []
    original = opaque._cancels_in
    monkeypatch.setattr(opaque, "_cancels_in", lambda f, *a: tried.append(f) or original(f, *a))
    monkeypatch.setattr(opaque, "forms_to_try", lambda student, task: ())  # the full proof alone
    full = check_symbolic(answer=answer + " ", spec=SPECS[part].model_copy(), seed=11)
    assert (cheap.verdict, cheap.proof.method, cheap.proof.scope) == (full.verdict, full.proof.method,
                                                                      full.proof.scope)
    assert cheap.proof.symbolic == "equal" and not tried


def test_forms_worth_trying() -> None:
    from grader.mathparse import parse_math
    from grader.symbolic.compile import compile_spec
    from grader.symbolic.declarations import resolve
    from grader.symbolic.trials import Checker

    def forms(part: str, answer: str) -> tuple[str, ...]:
        compiled = compile_spec(spec=SPECS[part])
        node = resolve(node=parse_math(text=answer), table=compiled.table).node
        return opaque.forms_to_try(node, Checker(SPECS[part], compiled, 0).task())

    assert forms("1a", r"\hat y_i \delta_{ij} - \hat y_i \hat y_j") == ("opaque",)
    assert forms("1b", r"\operatorname{softmax}(z) - y") == ()          # z is not the reference's
    assert forms("5b", r"(g \odot \sigma(Wx) \odot (1 - \sigma(Wx))) x^T") == ("uninterpreted",)
    assert forms("5a", "A w + A^T w") == ()                              # no defined symbol, no built-in


def test_matmul_is_sympys_product_entry_for_entry() -> None:
    rng = random.Random(5)
    xs = sp.symbols("a0:6", real=True)

    def entry():
        t = rng.random()
        if t < 0.25:
            return sp.Integer(0)
        if t < 0.4:
            return sp.Rational(rng.randint(-5, 5), rng.randint(1, 4))
        return rng.choice(xs) * rng.choice(xs) + rng.choice([0, 1, sp.exp(rng.choice(xs))])

    for _ in range(60):
        r, k, c = (rng.randint(1, 4) for _ in range(3))
        a = sp.ImmutableMatrix(r, k, [entry() for _ in range(r * k)])
        b = sp.ImmutableMatrix(k, c, [entry() for _ in range(k * c)])
        want, got = a * b, matmul(sp, a, b)
        assert got == want and got._rep == want._rep and hash(got) == hash(want)
        assert all(type(p) is type(q) and p.args == q.args for p, q in zip(got, want))


def test_matmul_leaves_infinities_to_sympy() -> None:
    x = sp.Symbol("x", real=True)
    a, b = sp.ImmutableMatrix([[0, x]]), sp.ImmutableMatrix([[sp.zoo], [1]])
    assert matmul(sp, a, b) == a * b
