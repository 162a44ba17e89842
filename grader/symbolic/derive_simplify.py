"""The steps that make a SymPy derivative of entries readable (grader.symbolic.derive): sums over Kronecker
deltas done, the "index in range" cases SymPy adds dropped (the index is in range by construction), factors
that do not depend on a sum's index taken out of it, the ``assuming`` equations substituted, then expanded,
common factors taken out, and factored or cancelled where that is shorter."""

from __future__ import annotations

from typing import Any


def simplified(*, expr: Any, assumptions: list[tuple[Any, Any]], entry: Any, budget: Any, field: str) -> Any:
    import sympy as sp

    from grader.symbolic.derive import DerivationError

    budget.check(expr, field)
    steps = (lambda e: e.doit(), lambda e: _in_range(e, entry), _pull_constants,
             lambda e: _assume(e, assumptions), sp.expand, lambda e: _assume(e, assumptions), sp.factor_terms,
             _fewest_operations)
    for step in steps:
        expr = step(expr)
        budget.check(expr, field)
    if expr.has(sp.Derivative, sp.Subs):
        raise DerivationError(field=field, problem="SymPy could not work the derivative out (it stays unevaluated)",
                              fix="give the reference itself, or write the definition with supported functions")
    return expr


def _fewest_operations(expr: Any) -> Any:
    """The expanded form, or its factored or cancelled form when that has fewer operations
    (``\\frac{1}{(x + 1)^2}``, not ``\\frac{1}{x + 1} - \\frac{x}{x^2 + 2x + 1}``); the expanded one on a tie."""
    import sympy as sp

    if expr.has(sp.Sum):
        return expr
    candidates = [expr]
    for form in (sp.factor, sp.cancel):
        try:
            candidates.append(form(expr))
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
    return min(enumerate(candidates), key=lambda item: (sp.count_ops(item[1]), item[0]))[1]


def _in_range(expr: Any, entry: Any) -> Any:
    """``Piecewise((a, (1 <= t) & (t <= C)), (b, True))`` -> ``a`` for the entry index t."""
    import sympy as sp

    def range_only(cond: Any) -> bool:
        parts = cond.args if isinstance(cond, sp.And) else (cond,)
        return all(isinstance(p, sp.core.relational.Relational) and entry in p.free_symbols
                   and all(s == entry or (s.is_integer and s.is_positive) for s in p.free_symbols) for p in parts)

    return expr.replace(lambda e: isinstance(e, sp.Piecewise) and range_only(e.args[0].cond),
                        lambda e: e.args[0].expr)


def _pull_constants(expr: Any) -> Any:
    """``\\sum_i c x_i`` -> ``c \\sum_i x_i`` (innermost sums first)."""
    import sympy as sp

    def pull(s: Any) -> Any:
        if len(s.limits) != 1:
            return s
        var, lo, hi = s.limits[0]
        out = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(s.function)):
            free, bound = term.as_independent(var, as_Add=False)
            out += free * (sp.Sum(bound, (var, lo, hi)) if bound != 1 else hi - lo + 1)
        return out

    return expr.replace(lambda e: isinstance(e, sp.Sum), pull)


def _alpha(s: Any) -> Any:
    """A sum with its bound variable renamed, so sums that differ only in that name compare equal."""
    import sympy as sp

    from grader.symbolic.derive import _ALPHA

    var, lo, hi = s.limits[0]
    return (s.function.xreplace({var: sp.Symbol(_ALPHA, integer=True)}), lo, hi)


def _assume(expr: Any, assumptions: list[tuple[Any, Any]]) -> Any:
    import sympy as sp

    for lhs, rhs in assumptions:
        if isinstance(lhs, sp.Sum) and len(lhs.limits) == 1:
            key = _alpha(lhs)
            expr = expr.replace(lambda e, key=key: isinstance(e, sp.Sum) and len(e.limits) == 1 and _alpha(e) == key,
                                lambda e, rhs=rhs: rhs)
        else:
            expr = expr.xreplace({lhs: rhs})
    return expr
