"""The exact judge beside the random points (grader/symbolic/proof.py, exact_judge.py, mathparse/exact.py).

Every verdict reached by comparing values carries how it was reached; the table's rows are mostly proven
symbolically; a wrong answer that agrees at the sampled points is caught (a conflict: a person decides);
a budget overrun leaves the numeric verdict alone.
"""

from __future__ import annotations


import pytest

from test_equivalence_table import SPECS, TABLE, table_outcome

from grader.symbolic import SymbolicSpec, check_symbolic
from grader.symbolic import exact_judge

VALUE_VERDICTS = ("correct", "partial", "incorrect")


def _outcomes():
    return [(row, table_outcome(row[0], row[1])) for row in TABLE]


def test_every_value_verdict_says_how_it_was_reached_and_most_rows_are_proven() -> None:
    outcomes = _outcomes()
    for (part, answer, verdict, _), outcome in outcomes:
        if verdict in VALUE_VERDICTS:
            assert outcome.proof is not None, (part, answer)
            assert outcome.proof.points == SPECS[part].trials
    proven = sum(1 for _, o in outcomes if o.proof is not None and o.proof.method == "symbolic")
    assert proven >= 0.8 * len(TABLE), proven
    assert not any(o.proof is not None and o.proof.method == "conflict" for _, o in outcomes)


@pytest.mark.parametrize("part, answer, scope", [
    ("5a", "Aw + A^Tw", "every size"),                      # MatrixSymbol: non-commutative products cancel
    ("5a", "w^T(A + A^T)", "every size"),                   # transposed layout, proven as such
    ("1a", r"\operatorname{diag}(\hat y) - \hat y \hat y^T", "C=2; C=3; C=4; C=5"),   # softmax written out
    ("1a", r"\begin{cases} \hat y_i(1 - \hat y_i) & i = j \\ -\hat y_i \hat y_j & i \neq j \end{cases}",
     "C=2; C=3; C=4; C=5"),
    ("5b", r"\operatorname{diag}(\sigma'(Wx)) g x^T", "m=3, n=2; m=2, n=4; m=4, n=5"),
])
def test_proven_equal(part: str, answer: str, scope: str) -> None:
    outcome = check_symbolic(answer=answer, spec=SPECS[part], seed=7)
    assert outcome.verdict == "correct"
    assert (outcome.proof.method, outcome.proof.symbolic, outcome.proof.scope) == ("symbolic", "equal", scope)


def test_proven_different_gives_an_exact_counterexample() -> None:
    outcome = check_symbolic(answer="2A^Tw", spec=SPECS["5a"], seed=7)
    proof = outcome.proof
    assert (outcome.verdict, proof.method, proof.symbolic) == ("incorrect", "symbolic", "different")
    c = proof.counterexample
    assert c.sizes == {"n": 3} and set(c.values) == {"A", "w"}
    assert c.answer != c.expected and c.answer.startswith("[")


# a spec whose two trials sample only L = 1 and L = 3 (the ends of the range)
FEW_POINTS = SymbolicSpec.model_validate({
    "reference": "2L + 1", "trials": 2,
    "symbols": {"L": {"kind": "scalar", "sample": {"integers": [1, 3]}}},
})


def test_an_answer_that_agrees_only_at_the_sampled_points_is_proven_different() -> None:
    # 2L + 1 + (L - 1)(L - 3) equals 2L + 1 at L = 1 and L = 3, and nowhere else
    outcome = check_symbolic(answer="2L + 1 + (L - 1)(L - 3)", spec=FEW_POINTS, seed=0)
    assert outcome.proof.numeric == "equal"
    assert (outcome.proof.method, outcome.proof.symbolic) == ("conflict", "different")
    assert (outcome.verdict, outcome.feedback_id, outcome.credit) == ("needs_review", "judges-disagree", 0.0)
    assert outcome.proof.counterexample.values == {"L": "2"}
    assert any("random points: correct" in n for n in outcome.notes)


def test_a_reference_that_disagrees_with_its_truth_is_a_conflict() -> None:
    # the NumPy truth says 2L + 1, the typed reference says 2L: an answer equal to the reference is a conflict
    spec = SymbolicSpec.model_validate({"reference": "2L", "truth": "receptive_field_3x3",
                                        "symbols": {"L": {"kind": "scalar", "sample": {"integers": [1, 30]}}}})
    outcome = check_symbolic(answer="L + L", spec=spec)
    assert (outcome.proof.method, outcome.proof.numeric, outcome.proof.symbolic) == ("conflict", "different", "equal")
    assert outcome.verdict == "needs_review"


def test_a_budget_overrun_leaves_the_numeric_verdict(monkeypatch) -> None:
    monkeypatch.setattr(exact_judge, "EXACT_SECONDS", -1.0)
    outcome = check_symbolic(answer=r"\operatorname{diag}(\hat y) - \hat y \hat y^T", spec=SPECS["1a"], seed=7)
    assert outcome.verdict == "correct"
    assert (outcome.proof.method, outcome.proof.symbolic) == ("numeric", "unproven")
    assert "time budget" in outcome.proof.reason


def test_turned_off_the_exact_judge_says_so() -> None:
    spec = SymbolicSpec.model_validate({**FEW_POINTS.model_dump(exclude_defaults=True), "exact": False})
    outcome = check_symbolic(answer="2L + 1 + (L - 1)(L - 3)", spec=spec, seed=0)
    assert outcome.verdict == "correct"
    assert (outcome.proof.method, outcome.proof.symbolic) == ("numeric", "off")


def test_rounded_decimals_within_tolerance_are_not_a_conflict() -> None:
    spec = SymbolicSpec.model_validate({"reference": "x/3", "symbols": {"x": {"kind": "scalar"}}})
    outcome = check_symbolic(answer="0.33333333333 x", spec=spec)
    assert outcome.verdict == "correct" and outcome.proof.method == "numeric"


def test_readable_forms() -> None:
    outcome = check_symbolic(answer=r"-(y - \hat y)", spec=SPECS["1b"], seed=7)
    assert (outcome.canonical_reference, outcome.canonical_answer) == (r"\hat{y} - y", r"\hat{y} - y")
    unread = check_symbolic(answer=r"q_i(\delta_{ij} - q_j)", spec=SPECS["1a"], seed=7)
    assert unread.canonical_answer is None and unread.proof is None


@pytest.mark.parametrize("answer", [
    "(L+1)^{40} - (L+1)^{40} + 2L + 1 + 0 L^{2000}",
    "2L + 1 + 0 (L + 1)^{100000}",
    r"2L + 1 + 0 \sum_{k=1}^{900} k^{k}",
])
def test_expensive_exact_work_is_refused_quickly(answer: str) -> None:
    import time

    start = time.process_time()
    outcome = check_symbolic(answer=answer, spec=SPECS["2e"], seed=7)
    assert time.process_time() - start < 2.0
    assert outcome.verdict in ("correct", "could_not_evaluate")


def test_a_declared_function_of_a_vector_keeps_its_prime() -> None:
    # found by the benchmark: f'(Wx) of a vector was evaluated exactly as f(Wx), so no counter-example was found
    from test_functions import SPECS as FUNCTION_SPECS

    right = check_symbolic(answer=r"v \odot f'(Wx)", spec=FUNCTION_SPECS["layer"])
    wrong = check_symbolic(answer=r"f(W x) \odot v", spec=FUNCTION_SPECS["layer"])
    assert (right.verdict, right.proof.method, right.proof.symbolic) == ("correct", "symbolic", "equal")
    assert (wrong.verdict, wrong.proof.method, wrong.proof.symbolic) == ("incorrect", "symbolic", "different")
    assert wrong.proof.counterexample.values["W"].startswith("[")
