"""A reference that is a tuple of expressions (a shape ``(B, \\lfloor \\frac{N-1}{s} \\rfloor + 1, C)``):
the answer is compared entry by entry at the same random points.

Feedback ids: ``tuple-length`` (wrong number of entries), ``tuple-order`` (the right entries in
another order), ``not-equivalent`` (an entry differs; the message names it), and misconceptions
written as tuples, matched the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from collections.abc import Callable

import numpy as np

from grader.mathparse.interpret import EvalError, WorkBudget, evaluate
from grader.mathparse.nodes import Node, Tuple_
from grader.symbolic.outcome import SymbolicOutcome

if TYPE_CHECKING:
    from grader.symbolic.sampling import TrialEnv
    from grader.symbolic.spec import SymbolicSpec

Values = tuple[tuple[np.ndarray, ...], ...]   # per entry, per trial


def entries(node: Node) -> tuple[Node, ...]:
    """The entries of a tuple; any other expression is a tuple of one."""
    return node.items if isinstance(node, Tuple_) else (node,)


def _values(items: tuple[Node, ...], envs: list["TrialEnv"], budget: WorkBudget | None) -> Values:
    return tuple(tuple(np.asarray(evaluate(node=item, env=env.env(budget=budget)), dtype=float) for env in envs)
                 for item in items)


def _same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...], spec: "SymbolicSpec") -> bool:
    return all(x.shape == y.shape and bool(np.allclose(x, y, rtol=spec.rtol, atol=spec.atol)) for x, y in zip(a, b))


def _first_difference(got: Values, want: Values, spec: "SymbolicSpec") -> int | None:
    return next((k for k, (g, w) in enumerate(zip(got, want)) if not _same(g, w, spec)), None)


def _is_permutation(got: Values, want: Values, spec: "SymbolicSpec") -> bool:
    """Every answer entry equals a distinct reference entry (greedy; tuples are short)."""
    free = list(range(len(want)))
    for g in got:
        hit = next((k for k in free if _same(g, want[k], spec)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def check_tuple(*, node: Node, reference: Node, spec: "SymbolicSpec", envs: list["TrialEnv"],
                misconceptions: tuple[tuple[object, Node], ...], canonical: str, notes: tuple[str, ...],
                misconception_outcome: Callable[..., SymbolicOutcome], budget: WorkBudget) -> SymbolicOutcome:
    """Verdict for a tuple answer against a tuple reference (EvalError propagates to the caller)."""
    want_items, got_items = entries(reference), entries(node)
    if len(got_items) != len(want_items):
        return SymbolicOutcome("incorrect", 0.0, f"Expected {len(want_items)} entries, your answer has "
                               f"{len(got_items)}.", "tuple-length", canonical, notes)
    want = _values(want_items, envs, None)
    got = _values(got_items, envs, budget)
    wrong = _first_difference(got, want, spec)
    if wrong is None:
        return SymbolicOutcome("correct", 1.0, "Correct.", None, canonical, notes)
    for m, tree in misconceptions:
        if len(entries(tree)) == len(got_items):
            try:
                if _first_difference(got, _values(entries(tree), envs, None), spec) is None:
                    return misconception_outcome(m, canonical, notes)
            except EvalError:
                continue
    if _is_permutation(got, want, spec):
        return SymbolicOutcome("incorrect", 0.0, "The entries are right but in the wrong order.", "tuple-order",
                               canonical, notes)
    return SymbolicOutcome("incorrect", 0.0, f"Entry {wrong + 1} of {len(want_items)} is not equivalent to the "
                           "expected one: it differs at random test values.", "not-equivalent", canonical,
                           notes + (f"entry {wrong + 1} differs",))
