"""SymbolicSpec: clear errors for broken blocks; good blocks load."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from grader.symbolic import SymbolicSpec, check_symbolic

GOOD = {
    "reference": "2L + 1",
    "symbols": {"L": {"kind": "scalar", "sample": {"integers": [1, 20]}}},
}

BAD = [
    ({**GOOD, "colour": "red"}, "colour"),
    ({**GOOD, "reference": r"\frac{1}{"}, "reference: cannot parse"),
    ({**GOOD, "reference": "2K + 1"}, "unknown symbol(s) K"),
    ({**GOOD, "truth": "no_such_truth"}, "unknown truth"),
    ({"reference": "v", "symbols": {"v": {"kind": "vector"}}}, "needs 'dim'"),
    ({"reference": "v", "symbols": {"v": {"kind": "vector", "dim": "n"}}}, "dimension 'n' is not in 'dims'"),
    ({"reference": "A", "symbols": {"A": {"kind": "matrix", "dim": 3}}}, "matrix needs 'dims"),
    ({"reference": "p", "symbols": {"p": {"kind": "scalar", "sample": "gaussian"}}}, "unknown sample"),
    ({"reference": "p", "symbols": {"p": {"kind": "scalar", "sample": {"uniform": [1, 0]}}}}, "low < high"),
    ({"reference": "p", "symbols": {"p": {"kind": "scalar", "sample": "onehot"}}}, "for vectors"),
    ({**GOOD, "misconceptions": [{"id": "Bad Id", "expr": "2L", "feedback": "x"}]}, "id"),
    ({**GOOD, "misconceptions": [{"id": "a", "expr": "2L", "feedback": "x"},
                                 {"id": "a", "expr": "3L", "feedback": "y"}]}, "unique"),
    ({**GOOD, "misconceptions": [{"id": "a", "expr": "2L", "feedback": "x", "credit": 2}]}, "credit"),
    ({**GOOD, "result": {"indices": ["i"]}}, "kind index"),
    ({**GOOD, "dims": {"n": []}}, "at least one size"),
    ({**GOOD, "trials": 1}, "trials"),
]


@pytest.mark.parametrize("block, message", BAD)
def test_bad_blocks_are_refused_with_a_clear_message(block: dict, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        SymbolicSpec.model_validate(block)
    assert message in str(info.value)


def test_good_block_loads_and_checks() -> None:
    spec = SymbolicSpec.model_validate(GOOD)
    assert check_symbolic(answer="1 + 2L", spec=spec).verdict == "correct"


def test_reference_is_the_truth_without_a_truth_function() -> None:
    spec = SymbolicSpec.model_validate({
        "reference": r"\sum_{k=1}^{n} x_k",
        "dims": {"n": [3, 4]},
        "symbols": {"x": {"kind": "vector", "dim": "n"}},
    })
    assert check_symbolic(answer=r"\sum_k x_k", spec=spec).verdict == "correct"
    assert check_symbolic(answer=r"x^T x", spec=spec).verdict == "incorrect"


def test_check_accepts_a_plain_dict_and_never_raises_on_a_broken_one() -> None:
    assert check_symbolic(answer="2L+1", spec=GOOD).verdict == "correct"  # type: ignore[arg-type]
    outcome = check_symbolic(answer="2L+1", spec={"reference": 3})  # type: ignore[arg-type]
    assert outcome.verdict == "needs_review"


def test_expression_aliases_replace_whole_subtrees() -> None:
    spec = SymbolicSpec.model_validate({
        "reference": "2 g",
        "dims": {"n": [3]},
        "symbols": {"g": {"kind": "vector", "dim": "n", "aliases": [r"\frac{\partial L}{\partial y}"]}},
    })
    assert check_symbolic(answer=r"2\frac{\partial L}{\partial y}", spec=spec).verdict == "correct"
    outcome = check_symbolic(answer=r"2\frac{\partial L}{\partial x}", spec=spec)
    assert outcome.verdict == "needs_review"


def test_simplified_display_is_optional_and_never_changes_the_verdict() -> None:
    plain = SymbolicSpec.model_validate(GOOD)
    fancy = SymbolicSpec.model_validate({**GOOD, "simplify_display": True})
    a = check_symbolic(answer="3 + 2(L-1)", spec=plain)
    b = check_symbolic(answer="3 + 2(L-1)", spec=fancy)
    assert a.verdict == b.verdict == "correct"
    assert not any(n.startswith("simplified:") for n in a.notes)
    assert "simplified: 2 L + 1" in b.notes
    wrong = check_symbolic(answer="L + L", spec=fancy)
    assert wrong.verdict == "incorrect" and "simplified: 2 L" in wrong.notes
