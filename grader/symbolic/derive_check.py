"""A derived reference checked by numbers, independently of SymPy (grader.grading.derived).

With a ``truth``, the derived text must be graded correct against it at the part's random points.  Without
one, it must agree with central differences of the definition, evaluated by our NumPy interpreter at the
same points: entry by entry with respect to ``wrt`` (``∂L/∂z_k``; for an element-wise derivative ``∂f_t/∂a_t``).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any
from collections.abc import Mapping

import numpy as np

STEP = 1e-5        # central-difference step
FD_RTOL = 1e-4     # differences are approximate: compared more loosely than answers
FD_ATOL = 1e-6


def derived_disagreement(*, block: Mapping[str, Any], request: Mapping[str, Any]) -> str | None:
    """None when the numbers agree with the derived reference in ``block``; else what disagrees, as a sentence."""
    from grader.symbolic import SymbolicSpec, check_symbolic

    try:  # the random points decide; the exact judge's proof is the self-check's (grader.grading.self_check)
        spec = SymbolicSpec.model_validate({**block, "exact": False})
    except ValueError as exc:
        return f"cannot be read back as a reference: {exc}"
    if spec.truth:
        outcome = check_symbolic(answer=str(block["reference"]), spec=spec, seed=0)
        if outcome.verdict != "correct":
            return f"disagrees with the truth {spec.truth!r} at random points: {outcome.feedback}"
        return None
    return _differences_disagree(spec=spec, request=request)


def _differences_disagree(*, spec: Any, request: Mapping[str, Any]) -> str | None:
    from grader.mathparse.interpret import EvalError
    from grader.symbolic.trials import Checker, evaluate_form, free_indices
    from grader.symbolic.derive import _substituted, _tree, request_of

    req = request_of(request)
    checker = Checker(spec, _compiled(spec), 0)
    definition = _substituted(_tree(req.text, checker.compiled.table, req.kind), dict(checker.compiled.values))
    indices = spec.result.indices
    uses_index = bool(free_indices(node=definition, index_names=checker.index_names))
    elementwise = req.kind == "derivative" and spec.symbols[req.wrt].kind == "vector"
    try:
        expected = checker.truth()
        for env, want in zip(checker.envs, expected):
            def f(values: Mapping[str, np.ndarray], env: Any = env) -> np.ndarray:
                moved = dataclasses.replace(env, values={**env.values, **values})
                return np.asarray(evaluate_form(definition, moved, indices, uses_index, "strict", None), dtype=float)

            got = _differences(f, np.asarray(env.values[req.wrt], dtype=float), req.wrt, elementwise)
            got = got.reshape(want.shape) if got.size == want.size else got
            if got.shape != want.shape or not np.allclose(got, want, rtol=FD_RTOL, atol=FD_ATOL):
                sizes = ", ".join(f"{n}={s}" for n, s in env.sizes.items())
                return ("disagrees with central differences of the definition at random values"
                        + (f" ({sizes})" if sizes else ""))
    except (EvalError, RuntimeError, ValueError) as exc:
        return f"cannot be checked against the definition by numbers: {exc}"
    return None


def _compiled(spec: Any) -> Any:
    from grader.symbolic.compile import compile_spec

    return compile_spec(spec=spec)


def _differences(f: Any, x: np.ndarray, name: str, elementwise: bool) -> np.ndarray:
    """Central differences of f by each entry of x: the gradient's shape for a scalar f (x's shape), f's
    shape for a scalar x, and the diagonal ∂f_t/∂x_t for an element-wise f of a vector."""
    base = f({})
    if x.ndim == 0 or x.size == 1 and base.size > 1:
        return (f({name: x + STEP}) - f({name: x - STEP})) / (2 * STEP)
    out = np.empty(x.shape)
    for pos in itertools.product(*(range(s) for s in x.shape)):
        step = np.zeros_like(x)
        step[pos] = STEP
        diff = (f({name: x + step}) - f({name: x - step})) / (2 * STEP)
        out[pos] = diff.reshape(-1)[pos[0]] if elementwise else float(np.sum(diff))
    return out
