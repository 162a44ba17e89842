"""The reference side remembered per spec (grader/symbolic/memo.py): the same verdicts, the same budget.

A remembered exact value charges the steps it took to every answer's budget, so a budget runs out at the
same place with the same error as when the value is computed again; the tables stay bounded; a copy of a
spec has a memo of its own.
"""

from __future__ import annotations

import traceback

import pytest

from test_equivalence_table import SPECS

from grader.mathparse import parse_math
from grader.mathparse.exact import MAX_STEPS, ExactBudget, ExactEnv, ExactError, exact_value
from grader.symbolic import SymbolicSpec, check_symbolic, memo
from grader.symbolic.compile import compile_spec
from grader.symbolic.declarations import resolve

SPEC = SymbolicSpec.model_validate({"symbols": {"x": {"kind": "scalar"}, "w": {"kind": "vector", "dim": 3}},
                                    "reference": "x^2 + 1"})


def _value(text: str, budget: ExactBudget):
    import sympy

    compiled = compile_spec(spec=SPEC)
    node = resolve(node=parse_math(text=text), table=compiled.table).node
    values = {"x": sympy.Symbol("x"), "w": sympy.ImmutableMatrix(sympy.symbols("w1:4"))}
    return exact_value(node=node, env=ExactEnv(values=values, budget=budget))


def _outcome(make, budget: ExactBudget):
    try:
        return ("value", make(budget), budget.steps)
    except ExactError as exc:
        return ("error", exc.kind, exc.message)


@pytest.mark.parametrize("text", ["(x + 1)^3 w^T w", "w + x", "w w", "\\frac{x}{w}"])
def test_a_remembered_value_charges_the_budget_as_the_computation_does(text: str) -> None:
    compiled = compile_spec(spec=SPEC)
    make = lambda budget: _value(text, budget)  # noqa: E731
    first = _outcome(make, ExactBudget())
    cost = MAX_STEPS - first[2] if first[0] == "value" else 3
    for steps in sorted({0, 1, cost - 1, cost, cost + 1, 5 * cost, MAX_STEPS}):
        direct = _outcome(make, ExactBudget(steps=steps))
        for _ in range(2):  # the first use computes and keeps, the second replays
            kept = _outcome(lambda b: memo.charged(SPEC, compiled, ("test", text), b, make), ExactBudget(steps=steps))
            assert kept == direct, (text, steps)


def test_a_computation_out_of_steps_is_not_kept() -> None:
    compiled = compile_spec(spec=SPEC)
    calls = []

    def make(budget: ExactBudget):
        calls.append(budget.steps)
        budget.spend(MAX_STEPS + 1)

    for _ in range(2):
        with pytest.raises(ExactError, match="too many steps"):
            memo.charged(SPEC, compiled, ("test", "out of steps"), ExactBudget(), make)
    assert len(calls) == 4  # scratch and own budget, each time


def test_the_tables_are_bounded_and_a_copy_of_a_spec_has_its_own() -> None:
    compiled = compile_spec(spec=SPEC)
    for k in range(memo.MAX_ENTRIES + 10):
        memo.remembered(SPEC, compiled, ("bounded", k), lambda k=k: k)
    assert len(memo.table(SPEC, compiled)) <= memo.MAX_ENTRIES
    copies = [SPEC.model_copy(update={"trials": 3 + k % 2}) for k in range(memo.MAX_SPECS + 5)]
    for copy in copies:
        assert memo.remembered(copy, compiled, ("who",), lambda copy=copy: id(copy)) == id(copy)
    assert len(memo._SPECS) <= memo.MAX_SPECS


def test_an_exception_is_replayed_without_growing() -> None:
    compiled = compile_spec(spec=SPEC)

    def fail():
        raise ValueError("no")

    for _ in range(3):
        with pytest.raises(ValueError, match="no") as info:
            memo.remembered(SPEC, compiled, ("fails",), fail)
        assert len(list(traceback.walk_tb(info.value.__traceback__))) < 6


@pytest.mark.parametrize("part, answers", [
    ("1a", ["\\hat y_i(\\delta_{ij} - \\hat y_j)", "-\\hat y_i \\hat y_j", "\\hat y_i(1 - \\hat y_j)",
            "\\operatorname{diag}(\\hat y) - \\hat y \\hat y^T", "\\hat y_j(\\delta_{ij} - \\hat y_i)"]),
    ("5a", ["(A + A^T) w", "2Aw", "A^T w", "w^T(A + A^T)"]),
])
def test_a_fresh_spec_and_a_used_one_give_the_same_outcomes(part: str, answers: list[str]) -> None:
    used = SPECS[part]
    for answer in answers:
        check_symbolic(answer=answer, spec=used, seed=11)
    for answer in answers:
        fresh = SymbolicSpec.model_validate(used.model_dump())
        assert check_symbolic(answer=answer, spec=used, seed=11) == check_symbolic(answer=answer, spec=fresh, seed=11)


def test_an_answer_written_as_the_reference_has_its_form_and_steps() -> None:
    from grader.symbolic import exact_judge
    from grader.symbolic.trials import Checker

    spec = SPECS["1a"]
    compiled = compile_spec(spec=spec)
    task = Checker(spec, compiled, 0).task()
    sizes = dict(task.envs[0].sizes)
    key = ("symbols", tuple(sizes.items()))
    for steps in (MAX_STEPS, 40, 0):
        outcomes = []
        for compute in (lambda env: exact_judge.form(compiled.reference, env, task),
                        lambda env: exact_judge.answer_form(compiled.reference, key, env, task)):
            budget = ExactBudget(steps=steps)
            outcomes.append(_outcome(lambda b, compute=compute: compute(exact_judge.symbolic_env(task, sizes, b)), budget))
        assert outcomes[0] == outcomes[1], steps


def test_two_notations_of_one_tree_are_checked_once_each_with_its_own_notes(monkeypatch) -> None:
    from grader.symbolic import check

    spec = SymbolicSpec.model_validate(SPECS["5a"].model_dump())
    answers = ("A w + A^T w", "Aw + A^T w", "A w+A^{T} w")  # "Aw" is read as a product A·w, with a note saying so
    calls = []
    original = check._compared
    monkeypatch.setattr(check, "_compared", lambda *args: calls.append(args[3]) or original(*args))
    remembered = [check_symbolic(answer=a, spec=spec, seed=3) for a in answers]
    assert len(calls) == 1
    memo._ANSWERS.clear()
    computed = []
    for answer in answers:
        memo._ANSWERS.clear()
        computed.append(check_symbolic(answer=answer, spec=spec, seed=3))
    assert remembered == computed and len(calls) == 4
    assert remembered[0].notes != remembered[1].notes and remembered[1].notes[0].startswith("read Aw")
    assert remembered[0].notes == remembered[1].notes[1:]
    check_symbolic(answer="A w + A^T w", spec=spec, seed=4)
    assert len(calls) == 5  # another seed, another check


def test_answers_are_bounded_and_an_outcome_of_the_clock_is_not_kept(monkeypatch) -> None:
    compiled = compile_spec(spec=SPEC)
    for k in range(memo.MAX_ANSWERS + 10):
        memo.answer_outcome(SPEC, compiled, ("bounded", k), lambda k=k: k, lambda _: True)
    assert len(memo._ANSWERS) <= memo.MAX_ANSWERS
    made = []
    for _ in range(2):
        memo.answer_outcome(SPEC, compiled, ("refused",), lambda: made.append(1), lambda _: False)
    assert len(made) == 2

    from grader.symbolic import exact_judge

    monkeypatch.setattr(exact_judge, "EXACT_SECONDS", -1.0)
    spec = SymbolicSpec.model_validate(SPECS["5a"].model_dump())
    before = len(memo._ANSWERS)
    outcome = check_symbolic(answer="A w + A^T w", spec=spec, seed=5)
    assert "time budget" in outcome.proof.reason and len(memo._ANSWERS) == before


def test_a_value_memo_is_bounded_keyed_by_value_and_keeps_no_exception() -> None:
    table = memo.ValueMemo(4)
    for k in range(10):
        assert table.get(("k", k), lambda k=k: k * k) == k * k
    assert len(table) == 4 and table.get(("k", 9), lambda: "again") == 81
    for _ in range(2):
        with pytest.raises(ValueError):
            table.get("fails", lambda: int("x"))
    assert table.get("fails", lambda: "now") == "now"


def test_an_entry_evaluated_to_30_digits_is_the_same_remembered_or_not() -> None:
    import sympy

    from grader.symbolic import counterexample

    x = sympy.Rational(3, 7)
    entries = [sympy.exp(x) / (1 + sympy.exp(x)), sympy.Rational(1, 3), sympy.sqrt(2) * x, sympy.Float(0.1, 6) * x]
    counterexample._FINE.clear()
    for entry in entries * 2:
        got = counterexample._fine(entry)
        assert got == entry.evalf(30) and got._prec == entry.evalf(30)._prec
    assert len(counterexample._FINE) == 3  # the entry with a Float in it is evaluated each time


@pytest.mark.parametrize("text", ["(x + 1)^3 w^T w", "w + x", "w w", "\\frac{x}{w}"])
def test_a_value_remembered_by_value_charges_the_budget_as_the_computation_does(text: str) -> None:
    make = lambda budget: _value(text, budget)  # noqa: E731
    first = _outcome(make, ExactBudget())
    cost = MAX_STEPS - first[2] if first[0] == "value" else 3
    table = memo.ValueMemo(8)
    for steps in sorted({0, 1, cost - 1, cost, cost + 1, 5 * cost, MAX_STEPS}):
        direct = _outcome(make, ExactBudget(steps=steps))
        for _ in range(2):  # the first use computes and keeps, the second replays
            kept = _outcome(lambda b: memo.charged_by_value(table, ("test", text), b, make), ExactBudget(steps=steps))
            assert kept == direct, (text, steps)


@pytest.mark.parametrize("part, answers", [
    ("5a", ["(A + A^T) w", "\\frac{1001 \\left((A + A^T) w\\right)}{1001}", "A w + A^T w",
            "\\frac{1002 \\left(A w + A^T w\\right)}{1002}", "2Aw", "\\frac{3 \\left(2 A w\\right)}{3}"]),
    ("1a", ["\\hat y_j(\\delta_{ij} - \\hat y_i)", "\\frac{7 \\left(\\hat y_j(\\delta_{ij} - \\hat y_i)\\right)}{7}"]),
    ("1b", ["\\hat y - y", "\\frac{2 (\\hat y - y)}{2}", "y - \\hat y", "\\frac{5 (y - \\hat y)}{5}"]),
])
def test_answers_of_one_exact_form_give_what_each_gives_alone(part: str, answers: list[str]) -> None:
    from grader.symbolic import abstract_form, canonical, counterexample, exact_judge

    used = SymbolicSpec.model_validate(SPECS[part].model_dump())
    together = [check_symbolic(answer=answer, spec=used, seed=2) for answer in answers]
    alone = []
    for answer in answers:
        for table in (exact_judge._CANCELS, abstract_form._CANCELS, abstract_form._FORMS, canonical._PRINTED,
                      counterexample._FINE, memo._ANSWERS):
            table.clear()
        canonical._latex.cache_clear()
        alone.append(check_symbolic(answer=answer, spec=SymbolicSpec.model_validate(used.model_dump()), seed=2))
    assert together == alone
