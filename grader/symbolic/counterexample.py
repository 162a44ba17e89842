"""The exact judge's other half: a counter-example, sizes and short exact values at which the answer and the
reference differ beyond the part's tolerance (grader.symbolic.exact_judge proves equality)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.mathparse.exact import ExactBudget, ExactError
from grader.mathparse.nodes import Node
from grader.results import Counterexample
from grader.symbolic.compare import accepted, compare_values
from grader.symbolic.exact_judge import (ExactFinding, ExactTask, answer_form, exact_text, matrix_text, point_env,
                                         point_key, reference_form)
from grader.symbolic.fine_values import fine_value
from grader.symbolic.memo import ValueMemo, by_value, remembered

if TYPE_CHECKING:
    from grader.symbolic.sampling import TrialEnv

EXTRA_POINTS = 6             # fresh points searched for a counter-example when equality is not proven
MAX_FINE = 2048              # entries' 30-digit values remembered (grader.symbolic.memo.ValueMemo)
_FINE = ValueMemo(MAX_FINE)


def _numeric(value: Any) -> np.ndarray:
    """High-precision values of an exact result (accurate to the last bit of a float)."""
    return _evaluated(value)[0]


def _fine(entry: Any) -> Any:
    """``entry.evalf(30)``, remembered by the entry's value (SymPy's evalf is a function of the expression alone):
    the answers of a part are evaluated at the same trial points, where many share entries (the reference's,
    ``\\hat y_i \\hat y_j``). An entry with a Float in it is evaluated each time (Floats of one value and two
    precisions are equal)."""
    if not by_value(entry):
        return entry.evalf(30)
    return _FINE.get(entry, lambda: _evalf30(entry))


def _evalf30(entry: Any) -> Any:
    """``entry.evalf(30)``, by grader.symbolic.fine_values where it can tell it (far cheaper), else by SymPy."""
    found = fine_value(entry)
    return found if found is not None else entry.evalf(30)


def _evaluated(value: Any) -> tuple[np.ndarray, Any]:
    """The float values of an exact result (as ``_numeric``) and its entries evaluated to 30 digits, from which
    :func:`_rounded_text` shortens them instead of evaluating each entry again (the six digits agree)."""
    if getattr(value, "is_Matrix", False):
        fine = [[_fine(e) for e in row] for row in value.tolist()]
        return np.array([[float(v) for v in row] for row in fine]), fine
    v = _fine(value)
    if not v.is_real:
        raise ExactError("unsupported", "a value that is not a real number")
    return np.asarray(float(v)), v


def _at_point(student: Node, task: ExactTask, env: "TrialEnv", budget: ExactBudget) -> Counterexample | None:
    exact_env, shown = point_env(task, env, budget)
    key = ("point", point_key(env))
    s = answer_form(student, key, exact_env, task)
    r = reference_form(task, key, exact_env)
    s_val, s_fine = _evaluated(s)
    r_val = remembered(task.spec, task.compiled, ("numeric", key), lambda: _numeric(r))
    if not (np.all(np.isfinite(s_val)) and np.all(np.isfinite(r_val))):
        return None
    if compare_values(s_val, r_val, task.spec) in accepted(task.spec):
        return None
    return Counterexample(sizes=dict(env.sizes), values=shown, answer=_rounded_text(s, s_fine),
                          expected=remembered(task.spec, task.compiled, ("shown", key), lambda: _expected_text(r)))


def _expected_text(value: Any) -> str:
    """The value written short (``exact_text``) with every entry that is not a rational at six digits (``evalf(6)``):
    an entry's six-digit value read from its 30-digit one where that lies far from a rounding boundary of the four
    digits shown (the six-digit value is then on the same side of it), else by evalf(6)."""
    if not getattr(value, "is_Matrix", False):
        return exact_text(_shown_entry(value, _fine(value)))
    fine = _evaluated(value)[1]
    return matrix_text([_shown_entry(e, f) for e, f in zip(row, fine_row)] for row, fine_row in zip(value.tolist(), fine))


def _shown_entry(entry: Any, fine: Any) -> Any:
    """What exact_text is given of an entry: the entry itself (a rational), its float (where four digits of it are
    four digits of its six-digit value), else its six-digit value."""
    if entry.is_Rational:
        return entry
    x = float(fine)
    return x if _far_from_a_four_digit_boundary(x) else entry.evalf(6)


def _far_from_a_four_digit_boundary(x: float) -> bool:
    """|x| is at least 2e-6 (relative) from every number halfway between two of four significant digits: evalf(6)
    is within ~1.2e-7 of the true value, so ``f"{v:.4g}"`` is the same for both."""
    m = abs(x)
    if not math.isfinite(m) or m == 0.0:
        return False
    scaled = m / 10.0 ** (math.floor(math.log10(m)) - 3)     # in [1000, 10000): the four digits and the rest
    return abs(scaled - math.floor(scaled) - 0.5) > 0.02


def _rounded_text(value: Any, fine: Any) -> str:
    """The value written short (:func:`exact_text`), each entry to six significant digits from its 30-digit value in
    ``fine`` (rationals stay exact), entry by entry: no rounded matrix is built to be read back."""
    if not getattr(value, "is_Matrix", False):
        return exact_text(_short(value, fine))
    return matrix_text([_short(e, f) for e, f in zip(row, fine_row)] for row, fine_row in zip(value.tolist(), fine))


def _short(entry: Any, fine: Any) -> Any:
    import sympy as sp

    return entry if entry.is_Rational else sp.Float(fine, 6)


def find_counterexample(*, student: Node, task: ExactTask, envs: list["TrialEnv"],
                        budget: ExactBudget) -> ExactFinding:
    reason = "no point tried differs beyond the tolerance"
    for env in envs:
        try:
            found = _at_point(student, task, env, budget)
        except ExactError as exc:
            reason = exc.message
            if exc.kind == "bound":
                break
            continue
        if found is not None:
            return ExactFinding("different", counterexample=found)
    return ExactFinding("unproven", reason=reason)


def fresh_envs(task: ExactTask) -> list["TrialEnv"]:
    """Points the random-point judge did not use (same seed, further trial numbers)."""
    from grader.symbolic.trials import trial_envs

    first = task.spec.trials
    return list(trial_envs(task.spec, task.compiled, task.seed, range(first, first + EXTRA_POINTS)))
