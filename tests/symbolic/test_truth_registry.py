"""@truth registers an assignment-local truth; unknown truth names fail validation with the known list."""

from __future__ import annotations

import numpy as np
import pytest

from grader.symbolic import SymbolicSpec, check_symbolic, truth
from grader.symbolic.truths import TRUTHS

SPEC = {"reference": r"\sigma(z) \odot (1 - \sigma(z))", "truth": "test_local_sigmoid_grad",
        "dims": {"n": [3, 4]}, "symbols": {"z": {"kind": "vector", "dim": "n"}}}


@truth("test_local_sigmoid_grad")
def _sigmoid_grad_fd(values):
    z = values["z"]
    h = 1e-6
    s = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    return (s(z + h) - s(z - h)) / (2 * h)


TABLE = [
    (r"\sigma(z) \odot (1 - \sigma(z))", "correct", None),
    (r"\sigma'(z)", "correct", None),
    (r"\sigma(z)", "incorrect", "not-equivalent"),
]


@pytest.mark.parametrize(("answer", "verdict", "feedback_id"), TABLE)
def test_local_truth_is_used(answer: str, verdict: str, feedback_id: str | None) -> None:
    spec = SymbolicSpec.model_validate({**SPEC, "rtol": 1e-4, "atol": 1e-6})
    outcome = check_symbolic(answer=answer, spec=spec)
    assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), outcome


def test_unknown_truth_lists_known_ones() -> None:
    with pytest.raises(ValueError) as info:
        SymbolicSpec.model_validate({**SPEC, "truth": "no_such_truth"})
    assert "unknown truth 'no_such_truth'" in str(info.value)
    assert "softmax_jacobian" in str(info.value) and "test_local_sigmoid_grad" in str(info.value)


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        truth("softmax_jacobian")(lambda values: values["z"])
    truth("test_local_sigmoid_grad")(_sigmoid_grad_fd)  # the same function again (a re-import) is fine
    assert TRUTHS["test_local_sigmoid_grad"] is _sigmoid_grad_fd


@pytest.mark.parametrize("name", ["Bad-Name", "", "1x", "has space"])
def test_truth_names_are_checked(name: str) -> None:
    with pytest.raises(ValueError):
        truth(name)
