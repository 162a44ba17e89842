"""The math language's built-in functions on exact (SymPy) values: the exact twins of
grader.mathparse.array_functions (``sigma`` and its derivatives, ``max``, ``softmax``, ``diag``, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.mathparse.errors import ExactError


def is_matrix(a: Any) -> bool:
    return bool(getattr(a, "is_Matrix", False))


def is_vector(a: Any) -> bool:
    return is_matrix(a) and 1 in a.shape


def _elementwise(fn: Callable[[Any], Any], x: Any) -> Any:
    return x.applyfunc(fn) if is_matrix(x) else fn(x)


def _sigma(sp: Any, x: Any, d: int) -> Any:
    s = 1 / (1 + sp.exp(-x))
    return {0: s, 1: s * (1 - s), 2: s * (1 - s) * (1 - 2 * s)}[d]


def maxmin(sp: Any, f: str, args: list[Any]) -> Any:
    """``max``/``min`` of a matrix's entries, of two scalars, or entry by entry."""
    op = sp.Max if f == "max" else sp.Min
    if len(args) == 1 and is_matrix(args[0]):
        return op(*args[0])
    if len(args) == 2 and not any(is_matrix(a) for a in args):
        return op(*args)
    if len(args) == 2 and is_matrix(args[0]) and not is_matrix(args[1]):
        return args[0].applyfunc(lambda e: op(e, args[1]))
    if len(args) == 2 and is_matrix(args[1]) and not is_matrix(args[0]):
        return args[1].applyfunc(lambda e: op(args[0], e))
    if len(args) == 2 and all(is_matrix(a) for a in args) and args[0].shape == args[1].shape:
        return sp.ImmutableMatrix(args[0].rows, args[0].cols, [op(p, q) for p, q in zip(args[0], args[1])])
    raise ExactError("unsupported", f"{f} of these arguments")


def builtin(sp: Any, f: str, d: int, x: Any) -> Any:
    """The one-argument built-in ``f`` (its ``d``-th derivative) at ``x``, entry by entry on a matrix."""
    if f == "sigma" and d <= 2:
        return _elementwise(lambda e: _sigma(sp, e, d), x)
    simple = {(f, 0) for f in ("exp", "log", "sqrt", "tanh", "abs", "sign", "relu", "floor", "ceil")}
    table = {("exp", 0): sp.exp, ("exp", 1): sp.exp, ("log", 0): sp.log, ("log", 1): lambda e: 1 / e,
             ("sqrt", 0): sp.sqrt, ("tanh", 0): sp.tanh, ("tanh", 1): lambda e: 1 - sp.tanh(e) ** 2,
             ("abs", 0): sp.Abs, ("sign", 0): sp.sign, ("relu", 0): lambda e: sp.Max(e, 0),
             ("relu", 1): lambda e: sp.Piecewise((1, e > 0), (0, True)),
             ("floor", 0): sp.floor, ("ceil", 0): sp.ceiling}
    if (f, d) in table and ((f, d) in simple or d == 1):
        return _elementwise(table[(f, d)], x)
    if f == "softmax" and d == 0:
        return _softmax(sp, x)
    if f == "diag" and d == 0:
        return _diag(sp, x)
    raise ExactError("unsupported", f"{f} with {d} prime(s) has no exact value here")


def _softmax(sp: Any, x: Any) -> Any:
    if not is_vector(x):
        raise ExactError("shape", "softmax needs a vector")
    e = x.applyfunc(sp.exp)
    total = sum(e)
    return e.applyfunc(lambda v: v / total)


def _diag(sp: Any, x: Any) -> Any:
    if not is_matrix(x):
        return x
    if is_vector(x):
        return sp.ImmutableMatrix(sp.diag(*list(x)))
    if x.rows == x.cols:
        return sp.ImmutableMatrix([x[k, k] for k in range(x.rows)])
    raise ExactError("shape", "diag of a non-square matrix")


def matmul(sp: Any, x: Any, y: Any) -> Any:
    """``x * y`` of two matrices, entry for entry what SymPy's own product gives (sympy.polys.matrices.sdm:
    ``sdm_matmul_exraw``: the products of the nonzero pairs in order, one ``Add`` of them per entry), without its
    test of every entry for an infinity (``0 * e``, a cold assumption query on each new expression): done here
    only when no entry holds an infinity or NaN, where that test finds none. Otherwise SymPy's product."""
    from sympy.polys.domains import EXRAW
    from sympy.polys.matrices import DomainMatrix

    if EXRAW not in (x._rep.domain, y._rep.domain) or _unbounded(sp, x) or _unbounded(sp, y):
        return x * y
    a, b = x.tolist(), y.tolist()
    dod: dict[int, dict[int, Any]] = {}
    for i in range(x.rows):
        row: dict[int, Any] = {}
        for j in range(y.cols):
            terms = [a[i][k] * b[k][j] for k in range(x.cols) if a[i][k] != 0 and b[k][j] != 0]
            entry = sp.Add(*terms) if terms else None
            if entry:
                row[j] = entry
        if row:
            dod[i] = row
    return sp.ImmutableMatrix._fromrep(DomainMatrix(dod, (x.rows, y.cols), EXRAW))


def _unbounded(sp: Any, m: Any) -> bool:
    infinite = (sp.oo, -sp.oo, sp.zoo, sp.nan)
    return any(e.has(*infinite) for e in m)
