"""The interpreters' cheaper paths give what the plain ones gave: index-form entries by one interpreter, sums and
differences without a product by ±1, and the exact budget's clock read at the first step and every CLOCK_EVERY."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

from grader.mathparse import parse_math
from grader.mathparse.exact import CLOCK_EVERY, TIME_BOUND, ExactBudget, ExactEnv, ExactError, exact_value
from grader.mathparse.interpret import EvalEnv, EvalError, WorkBudget, evaluate, evaluate_entries


def _env(budget: WorkBudget | None) -> EvalEnv:
    rng = np.random.default_rng(3)
    return EvalEnv(values={"y": rng.normal(size=(3, 1)), "A": rng.normal(size=(3, 3))},
                   index_sizes={"i": 3, "j": 3}, budget=budget)


@pytest.mark.parametrize("text", [r"y_i(\delta_{ij} - y_j)", r"A_{i,j} - A_{j,i} y_i", r"\sum_{k=1}^{3} A_{i,k} y_k - y_j"])
def test_entries_are_what_evaluate_gives_one_binding_at_a_time(text: str) -> None:
    node = parse_math(text=text)
    combos = [{"i": i, "j": j} for i in (1, 2, 3) for j in (1, 2, 3)]
    for shared in (None, WorkBudget(10_000)):
        env = _env(shared)
        got: list[np.ndarray] = []
        evaluate_entries(node=node, env=env, bindings=combos, accept=got.append)
        fresh = WorkBudget(10_000) if shared is not None else None
        want = [evaluate(node=node, env=EvalEnv(values=env.values, index_sizes=env.index_sizes, bindings=b,
                                                budget=fresh)) for b in combos]
        assert [g.tobytes() for g in got] == [w.tobytes() for w in want]
        if shared is not None:
            assert shared.remaining == fresh.remaining  # type: ignore[union-attr]


def test_entries_without_a_budget_each_have_their_own() -> None:
    node = parse_math(text=r"\sum_{k=1}^{200} \sum_{m=1}^{200} y_i")
    env = EvalEnv(values={"y": np.ones((3, 1))}, index_sizes={"i": 3})
    got: list[np.ndarray] = []
    evaluate_entries(node=node, env=env, bindings=[{"i": 1}, {"i": 2}], accept=got.append)
    assert [float(v) for v in got] == [40000.0] * 2
    with pytest.raises(EvalError):
        evaluate_entries(node=node, env=EvalEnv(values=env.values, index_sizes={"i": 3}, budget=WorkBudget()),
                         bindings=[{"i": 1}, {"i": 2}], accept=got.append)


def test_an_entry_is_evaluated_only_once_the_one_before_is_accepted() -> None:
    seen: list[float] = []

    def accept(v: np.ndarray) -> None:
        seen.append(float(v))
        if len(seen) == 2:
            raise EvalError("shape", "stop here")

    budget = WorkBudget(10_000)
    env = EvalEnv(values={"y": np.arange(1.0, 4.0).reshape(3, 1)}, index_sizes={"i": 3}, budget=budget)
    with pytest.raises(EvalError, match="stop here"):
        evaluate_entries(node=parse_math(text="y_i"), env=env, bindings=[{"i": k} for k in (1, 2, 3)], accept=accept)
    assert seen == [1.0, 2.0] and budget.remaining == 10_000 - 2 * 3
    with pytest.raises(EvalError, match="nonfinite|overflows"):
        evaluate(node=parse_math(text="y_i / 0"), env=EvalEnv(values=env.values, index_sizes={"i": 3}, bindings={"i": 1}))


@pytest.mark.parametrize("text", ["x - y", "x + y", "X - Y", "X + Y", "X - x", "x - X", "X + x", "x + X", "-(X - Y) + x"])
def test_sums_and_differences_are_the_plain_ones(text: str) -> None:
    x, y = sp.Symbol("x"), sp.Rational(2, 7)
    X = sp.ImmutableMatrix(2, 2, sp.symbols("a:d"))
    Y = sp.ImmutableMatrix([[1, sp.exp(x)], [x * y, 0]])
    values = {"x": x, "y": y, "X": X, "Y": Y}
    got = exact_value(node=parse_math(text=text), env=ExactEnv(values=values))
    plain = {"x - y": x + (-1) * y, "x + y": x + 1 * y, "X - Y": X + (-1) * Y, "X + Y": X + 1 * Y,
             "X - x": X.applyfunc(lambda e: e + (-1) * x), "x - X": X.applyfunc(lambda e: x + (-1) * e),
             "X + x": X.applyfunc(lambda e: e + x), "x + X": X.applyfunc(lambda e: x + e),
             "-(X - Y) + x": (-(X + (-1) * Y)).applyfunc(lambda e: e + x)}[text]
    assert got == plain and type(got) is type(plain)
    if getattr(got, "is_Matrix", False):
        assert got._rep.domain == plain._rep.domain


def test_the_clock_is_read_at_the_first_step_and_every_clock_every_steps() -> None:
    late = ExactBudget(deadline=time.process_time() - 1.0)
    with pytest.raises(ExactError, match=TIME_BOUND):
        late.spend()
    budget = ExactBudget(deadline=time.process_time() + 3600)
    budget.spend()
    budget.deadline = time.process_time() - 1.0
    with pytest.raises(ExactError, match=TIME_BOUND):
        for _ in range(CLOCK_EVERY):
            budget.spend()
    with pytest.raises(ExactError, match=TIME_BOUND):
        ExactBudget(deadline=time.process_time() - 1.0, steps=100).spend(5 * CLOCK_EVERY)


@pytest.mark.parametrize("text", [r"y_i(\delta_{ij} - y_j)", r"A_{i,j} - A_{j,i} y_i", r"\sum_{k=1}^{3} A_{i,k} y_k"])
def test_exact_entries_are_what_exact_value_gives_one_binding_at_a_time(text: str) -> None:
    from grader.mathparse.exact import exact_entries

    y = sp.ImmutableMatrix([sp.Rational(1, 3), sp.Symbol("u"), 2])
    A = sp.ImmutableMatrix(3, 3, sp.symbols("a:i"))
    node = parse_math(text=text)
    combos = [{"i": i, "j": j} for i in (1, 2, 3) for j in (1, 2, 3)]
    shared, alone = ExactBudget(), ExactBudget()
    got = list(exact_entries(node=node, env=ExactEnv(values={"y": y, "A": A}, index_sizes={"i": 3, "j": 3},
                                                     budget=shared), bindings=combos))
    want = [exact_value(node=node, env=ExactEnv(values={"y": y, "A": A}, index_sizes={"i": 3, "j": 3}, budget=alone),
                        bindings=b) for b in combos]
    assert got == want and shared.steps == alone.steps
    with pytest.raises(ExactError, match="too large"):
        exact_value(node=parse_math(text="y_i"), env=ExactEnv(values={"y": y}, index_sizes={"i": 3}),
                    bindings={"i": 10**7})


def test_two_scalars_are_close_exactly_when_numpy_says_so() -> None:
    from grader.symbolic.compare import _allclose

    rng = np.random.default_rng(5)
    for _ in range(2000):
        b = float(rng.normal() * 10.0 ** rng.integers(-12, 12))
        a = b * (1 + float(rng.choice([0.0, 1e-7, 1e-6, 2e-6, -1e-6, 1e-3]))) + float(rng.choice([0.0, 1e-9, -2e-9]))
        for x, y in ((a, b), (b, a), (a, float("nan")), (float("inf"), float("inf"))):
            assert _allclose(np.asarray(x), np.asarray(y), 1e-6, 1e-9) == bool(np.allclose(x, y, rtol=1e-6, atol=1e-9))
