"""floor / ceil / // / min / max answers and tuple (shape) answers: (spec, answer, verdict, feedback id)."""

from __future__ import annotations

import pytest

from grader.mathparse import parse_math
from grader.mathparse.interpret import EvalEnv, evaluate
from grader.symbolic import SymbolicSpec, check_symbolic

INTEGER_SYMBOLS = {
    "N": {"kind": "scalar", "sample": {"integers": [5, 64]}},
    "s": {"kind": "scalar", "sample": {"integers": [1, 4]}},
    "B": {"kind": "scalar", "sample": {"integers": [1, 16]}},
    "C": {"kind": "scalar", "sample": {"integers": [1, 16]}},
    "k": {"kind": "scalar", "sample": {"integers": [1, 7]}},
    "p": {"kind": "scalar", "sample": {"integers": [0, 3]}},
}

STRIDE = SymbolicSpec.model_validate({
    "reference": r"\lfloor \frac{N-1}{s} \rfloor + 1",
    "symbols": INTEGER_SYMBOLS,
    "misconceptions": [{"id": "stride-ceil-of-n-minus-1", "expr": r"\lceil \frac{N-1}{s} \rceil",
                        "feedback": "ceil((N−1)/s) is one short whenever s divides N − 1."}],
})
CONV = SymbolicSpec.model_validate({
    "reference": r"\left\lfloor \frac{N + 2p - k}{s} \right\rfloor + 1",
    "symbols": INTEGER_SYMBOLS,
    "trials": 8,
})
SHAPE = SymbolicSpec.model_validate({
    "reference": r"(B, \lfloor \frac{N-1}{s} \rfloor + 1, C)",
    "symbols": INTEGER_SYMBOLS,
    "misconceptions": [{"id": "shape-no-plus-one", "expr": r"(B, \lfloor \frac{N-1}{s} \rfloor, C)",
                        "feedback": "The output length is floor((N−1)/s) + 1: count the first position too."}],
})
MINMAX = SymbolicSpec.model_validate({
    "reference": r"\max(0, N - k)", "symbols": INTEGER_SYMBOLS,
})

TABLE = [
    # ---- floor / ceil / //
    (STRIDE, r"\lfloor \frac{N-1}{s} \rfloor + 1", "correct", None),
    (STRIDE, r"\left\lfloor \frac{N-1}{s} \right\rfloor + 1", "correct", None),
    (STRIDE, "⌊(N−1)/s⌋ + 1", "correct", None),
    (STRIDE, "floor((N-1)/s) + 1", "correct", None),
    (STRIDE, r"\operatorname{floor}((N-1)/s) + 1", "correct", None),
    (STRIDE, "(N-1) // s + 1", "correct", None),
    (STRIDE, r"\lceil N/s \rceil", "correct", None),                    # the same for positive integers
    (STRIDE, "⌈N/s⌉", "correct", None),
    (STRIDE, r"\left\lceil \frac{N}{s} \right\rceil", "correct", None),
    # looks right, is one short whenever s divides N − 1 (s = 1 in trial 0)
    (STRIDE, r"\lceil (N-1)/s \rceil", "incorrect", "stride-ceil-of-n-minus-1"),
    (STRIDE, r"\lceil \frac{N-1}{s} \rceil", "incorrect", "stride-ceil-of-n-minus-1"),
    (STRIDE, r"\frac{N-1}{s} + 1", "incorrect", "not-equivalent"),      # no floor: wrong when s ∤ N − 1
    (STRIDE, r"\lfloor N/s \rfloor", "incorrect", "not-equivalent"),     # wrong when s ∤ N
    (STRIDE, r"\lfloor \frac{N}{s} \rfloor + 1", "incorrect", "not-equivalent"),
    (STRIDE, "N // s", "incorrect", "not-equivalent"),
    # ---- the conv output size
    (CONV, r"\lfloor (N + 2p - k)/s \rfloor + 1", "correct", None),
    (CONV, "(N + 2*p - k) // s + 1", "correct", None),
    (CONV, r"\lfloor \frac{N + 2p - k + s}{s} \rfloor", "correct", None),
    (CONV, r"\lceil \frac{N + 2p - k + 1}{s} \rceil", "correct", None),
    (CONV, r"\lfloor \frac{N + 2p - k}{s} + 1 \rfloor", "correct", None),
    (CONV, r"\lfloor \frac{N + p - k}{s} \rfloor + 1", "incorrect", "not-equivalent"),
    (CONV, r"\lceil \frac{N + 2p - k}{s} \rceil + 1", "incorrect", "not-equivalent"),
    (CONV, r"\frac{N + 2p - k}{s} + 1", "incorrect", "not-equivalent"),
    # ---- min / max
    (MINMAX, r"\max(0, N-k)", "correct", None),
    (MINMAX, r"\max(N-k, 0)", "correct", None),
    (MINMAX, r"N - \min(N, k)", "correct", None),
    (MINMAX, r"\min(0, N-k)", "incorrect", "not-equivalent"),
    # ---- tuples (shapes)
    (SHAPE, r"(B, \lfloor \frac{N-1}{s} \rfloor + 1, C)", "correct", None),
    (SHAPE, r"\left(B, \left\lfloor \frac{N-1}{s} \right\rfloor + 1, C\right)", "correct", None),
    (SHAPE, r"(B, \lceil N/s \rceil, C)", "correct", None),
    (SHAPE, "(B, (N-1)//s + 1, C)", "correct", None),
    (SHAPE, r"(B, \lceil (N-1)/s \rceil, C)", "incorrect", "not-equivalent"),
    (SHAPE, r"(B, \lfloor \frac{N-1}{s} \rfloor, C)", "incorrect", "shape-no-plus-one"),
    (SHAPE, r"(C, \lfloor \frac{N-1}{s} \rfloor + 1, B)", "incorrect", "tuple-order"),
    (SHAPE, r"(\lfloor \frac{N-1}{s} \rfloor + 1, B, C)", "incorrect", "tuple-order"),
    (SHAPE, r"(B, \lfloor \frac{N-1}{s} \rfloor + 1)", "incorrect", "tuple-length"),
    (SHAPE, r"(B, 1, \lfloor \frac{N-1}{s} \rfloor + 1, C)", "incorrect", "tuple-length"),
    (SHAPE, r"\lfloor \frac{N-1}{s} \rfloor + 1", "incorrect", "tuple-length"),
    (SHAPE, r"(B, \lfloor \frac{N-1}{s} \rfloor + 1, D)", "needs_review", "unknown-symbol"),
]


@pytest.mark.parametrize(("spec", "answer", "verdict", "feedback_id"), TABLE)
def test_floor_and_tuple_table(spec: SymbolicSpec, answer: str, verdict: str, feedback_id: str | None) -> None:
    outcome = check_symbolic(answer=answer, spec=spec, seed=0)
    assert (outcome.verdict, outcome.feedback_id) == (verdict, feedback_id), outcome


@pytest.mark.parametrize("seed", range(5))
def test_ceil_lookalike_fails_for_every_seed(seed: int) -> None:
    """Trial 0 takes the low end of each integer range (s = 1 divides N − 1), so this never slips through."""
    assert check_symbolic(answer=r"\lceil (N-1)/s \rceil", spec=STRIDE, seed=seed).verdict == "incorrect"
    assert check_symbolic(answer=r"(B, \lceil (N-1)/s \rceil, C)", spec=SHAPE, seed=seed).verdict == "incorrect"


def test_integer_samples_hit_both_ends() -> None:
    from grader.symbolic.compile import compile_spec
    from grader.symbolic.sampling import trial_env

    compiled = compile_spec(spec=STRIDE)
    low = trial_env(spec=STRIDE, compiled=compiled, seed=3, trial=0).values
    high = trial_env(spec=STRIDE, compiled=compiled, seed=3, trial=1).values
    assert (float(low["s"]), float(high["s"])) == (1.0, 4.0)
    assert (float(low["N"]), float(high["N"])) == (5.0, 64.0)


NUMERIC = [
    (r"\lfloor 7/2 \rfloor", 3.0), (r"\lceil 7/2 \rceil", 4.0), ("7 // 2", 3.0), ("-7 // 2", -4.0),
    (r"\lfloor -0.5 \rfloor", -1.0), (r"\prod_{i=1}^{4} i", 24.0), (r"\max(2, 3) + \min(2, 3)", 5.0),
]


@pytest.mark.parametrize(("text", "value"), NUMERIC)
def test_interpreter_floor_ceil(text: str, value: float) -> None:
    assert float(evaluate(node=parse_math(text=text), env=EvalEnv(values={}))) == value


def test_to_sympy_floor_ceiling() -> None:
    import sympy

    from grader.mathparse.to_sympy import to_sympy

    expr = to_sympy(node=parse_math(text=r"\lfloor x \rfloor + \lceil y \rceil + x // y"))
    assert expr.has(sympy.floor) and expr.has(sympy.ceiling)
    values = {"x": sympy.Rational(7, 2), "y": sympy.Rational(1, 2)}
    assert expr.subs({sym: values[sym.name] for sym in expr.free_symbols}) == 3 + 1 + 7
