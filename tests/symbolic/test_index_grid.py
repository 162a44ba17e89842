"""grid_entries: a plain index form's entries at once, bit for bit what the entry-by-entry evaluation gives, the same
steps charged; None (nothing charged) for anything else."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from grader.mathparse import parse_math
from grader.mathparse.interpret import EvalEnv, EvalError, WorkBudget, evaluate
from grader.symbolic.index_grid import grid_entries


def _env(rng: np.random.Generator, n: int = 4, m: int = 3) -> EvalEnv:
    return EvalEnv(values={"y": rng.normal(size=(n, 1)), "u": rng.normal(size=(1, m)), "A": rng.normal(size=(n, m)),
                           "B": rng.normal(size=(n, n)), "c": np.asarray(rng.normal()), "z": rng.normal(size=(n, 1))},
                   index_sizes={"i": n, "j": m})


def _one_by_one(node, env: EvalEnv, indices, sizes, budget) -> np.ndarray:
    out = np.empty(sizes if len(sizes) >= 2 else (sizes[0], 1))
    for combo in itertools.product(*(range(1, s + 1) for s in sizes)):
        v = evaluate(node=node, env=EvalEnv(values=env.values, index_sizes=env.index_sizes,
                                            bindings=dict(zip(indices, combo)), budget=budget))
        out[tuple(c - 1 for c in combo) if len(combo) >= 2 else (combo[0] - 1, 0)] = float(v)
    return out


PLAIN = [r"y_i(\delta_{ij} - y_j)", r"-y_i y_j + 3 c", r"A_{i,j} - 0.1 \delta_{ij} c", r"y_i \delta_{ij} - u_j y_i",
         r"(y_i - z_i)(1 - y_i) \cdot 2", r"B_{i,i} - B_{j,i} + i - j",
         r"\frac{y_i}{1 - c}", r"\frac{1}{z_j - c} y_i - \frac{A_{i,j}}{3}"]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_index_forms_are_bit_for_bit_the_entries(text: str) -> None:
    rng = np.random.default_rng(11)
    for _ in range(20):
        env = _env(rng)
        indices, sizes = ("i", "j"), [4, 3] if "B_" not in text else [4, 4]
        node = parse_math(text=text)
        fast, slow = WorkBudget(5_000), WorkBudget(5_000)
        got = grid_entries(node, env, indices, sizes, fast)
        assert got is not None
        want = _one_by_one(node, env, indices, sizes, slow)
        assert got.tobytes() == want.tobytes() and got.shape == want.shape and fast.remaining == slow.remaining


@pytest.mark.parametrize("text", [r"\sigma(y)_i", r"y_i^2", r"\frac{y_i}{y_j - y_j}", r"y_{i+1}", r"\sum_k B_{i,k}",
                                  r"A_{j,i}", r"y", r"e y_i", r"B_{i}"])
def test_anything_else_is_left_to_the_entries_and_charges_nothing(text: str) -> None:
    env, budget = _env(np.random.default_rng(2)), WorkBudget(5_000)
    assert grid_entries(parse_math(text=text), env, ("i", "j"), [4, 3], budget) is None
    assert budget.remaining == 5_000


def test_a_budget_that_would_run_out_or_a_value_that_is_not_finite_is_left_to_the_entries() -> None:
    env = _env(np.random.default_rng(3))
    node = parse_math(text=r"y_i(\delta_{ij} - y_j)")
    short = WorkBudget(10)
    assert grid_entries(node, env, ("i", "j"), [4, 3], short) is None and short.remaining == 10
    with pytest.raises(EvalError):
        _one_by_one(node, env, ("i", "j"), [4, 3], short)
    huge = EvalEnv(values={**env.values, "y": np.full((4, 1), 1e300)}, index_sizes=env.index_sizes)
    assert grid_entries(node, huge, ("i", "j"), [4, 3], None) is None
