"""A derived SymPy result back to our tree, in a canonical, readable order (grader.symbolic.derive).

Sums put their positive terms first (``\\hat y - y``, ``1 - p``), a product with a denominator is a fraction
(``\\frac{m_i}{1 - p}``), a matrix sum whose terms share a right (or left) factor is factored
(``A w + A^T w`` -> ``(A + A^T) w``).  :func:`vectorised` writes an index-form result whose only free index is
the gradient's as vectors (``\\hat y_k - y_k`` -> ``\\hat y - y``) when every product is element-wise.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Mapping

from grader.mathparse.nodes import (Add, Call, Delta, Div, Index, Mul, Neg, Node, Num, Pow, Sub, SumOver, Sym,
                                    Transpose, walk)


class FromSympyError(ValueError):
    pass


class _Back:
    def __init__(self, *, softmax_names: Mapping[str, str]) -> None:
        import sympy

        self.sp = sympy
        self.softmax_names = softmax_names

    def run(self, e: Any) -> Node:
        sp = self.sp
        if e.is_Matrix:
            return self.matrix(e)
        if e.is_Number:
            return self.number(e)
        if isinstance(e, (sp.Symbol, sp.Dummy)):
            return Sym(e.name)
        if isinstance(e, sp.Indexed):
            return Index(Sym(str(e.base.label)), tuple(self.run(i) for i in e.indices))
        if isinstance(e, sp.Add):
            return self.terms(list(e.as_ordered_terms()))
        if isinstance(e, sp.Mul):
            return self.mul(e)
        if isinstance(e, sp.Pow):
            return self.power(e)
        if isinstance(e, sp.KroneckerDelta):
            return Delta(self.run(e.args[0]), self.run(e.args[1]))
        if isinstance(e, sp.Sum) and len(e.limits) == 1:
            var, lo, hi = e.limits[0]
            return SumOver(var.name, None, None, self.run(e.function))
        return self.function(e)

    def number(self, e: Any) -> Node:
        if e.is_negative:
            return Neg(self.number(-e))
        if e.is_Integer:
            return Num(float(int(e)), str(int(e)))
        if e.is_Rational:
            return Div(Num(float(e.p), str(e.p)), Num(float(e.q), str(e.q)))
        value = float(e)
        return Num(value, repr(value))

    def function(self, e: Any) -> Node:
        sp = self.sp
        from grader.symbolic.derive_entries import function_classes

        softmax_entry, sigmoid = function_classes()
        if isinstance(e, softmax_entry):
            base, t = e.args
            return Index(Sym(self.softmax_names[str(base.label)]), (self.run(t),))
        named = {sigmoid: "sigma", sp.exp: "exp", sp.log: "log", sp.tanh: "tanh"}
        for cls, name in named.items():
            if isinstance(e, cls):
                return Call(name, (self.run(e.args[0]),))
        raise FromSympyError(f"SymPy left {type(e).__name__} in the result")

    def terms(self, items: list[Any]) -> Node:
        positive = [t for t in items if not t.could_extract_minus_sign()]
        negative = [t for t in items if t.could_extract_minus_sign()]
        out: Node | None = None
        for t in positive:
            out = self.run(t) if out is None else Add(out, self.run(t))
        for t in negative:
            out = Neg(self.run(-t)) if out is None else Sub(out, self.run(-t))
        assert out is not None  # noqa: S101 - narrows the type: factors is never empty here
        return out

    def mul(self, e: Any) -> Node:
        sp = self.sp
        if e.could_extract_minus_sign():
            return Neg(self.run(-e))
        num, den = sp.fraction(e)
        if den != 1:
            return Div(self.run(num), self.run(den))
        factors = e.as_ordered_factors()
        out = self.run(factors[0])
        for f in factors[1:]:
            out = Mul(out, self.run(f), "implicit")
        return out

    def power(self, e: Any) -> Node:
        sp = self.sp
        base, exp = e.args
        if exp == sp.Rational(1, 2):
            return Call("sqrt", (self.run(base),))
        if exp.is_negative:
            return Div(Num(1.0, "1"), self.run(base ** -exp))
        if base == sp.E:
            return Call("exp", (self.run(exp),))
        return Pow(self.run(base), self.run(exp))

    def matrix(self, e: Any) -> Node:
        sp = self.sp
        if isinstance(e, sp.MatrixSymbol):
            return Sym(e.name)
        if isinstance(e, sp.Transpose):
            return Transpose(self.run(e.arg))
        if isinstance(e, sp.MatAdd):
            return self.terms(list(e.args))
        if isinstance(e, sp.MatMul):
            coeff, factors = e.as_coeff_matrices()
            if coeff.could_extract_minus_sign():
                return Neg(self.run(sp.MatMul(-coeff, *factors).doit() if -coeff != 1 else sp.MatMul(*factors)))
            items = ([coeff] if coeff != 1 else []) + list(factors)
            if len(items) == 1:
                return self.run(items[0])
            out = self.run(items[0])
            for f in items[1:]:
                out = Mul(out, self.run(f), "implicit")
            return out
        if isinstance(e, sp.HadamardProduct):
            out = self.run(e.args[0])
            for f in e.args[1:]:
                out = Mul(out, self.run(f), "odot")
            return out
        raise FromSympyError(f"SymPy left the matrix expression {type(e).__name__} in the result")


def from_sympy(*, expr: Any, softmax_names: Mapping[str, str] | None = None) -> Node:
    """Our tree for a derived SymPy expression; raises FromSympyError for what it cannot write."""
    return _Back(softmax_names=softmax_names or {}).run(collect_matrix_factors(expr))


def collect_matrix_factors(expr: Any) -> Any:
    """``A w + A^T w`` -> ``(A + A^T) w`` (and a shared left factor likewise), once at the top."""
    import sympy as sp

    if not (getattr(expr, "is_Matrix", False) and isinstance(expr, sp.MatAdd)):
        return expr
    terms = [t if isinstance(t, sp.MatMul) else sp.MatMul(t, evaluate=False) for t in expr.args]
    factors = [t.as_coeff_matrices() for t in terms]
    if all(len(fs) >= 2 for _, fs in factors):
        for side in (-1, 0):
            shared = {fs[side] for _, fs in factors}
            if len(shared) == 1:
                rest = [sp.MatMul(c, *(fs[:-1] if side == -1 else fs[1:])).doit() for c, fs in factors]
                inner = sp.MatAdd(*rest).doit()
                common = next(iter(shared))
                return sp.MatMul(inner, common) if side == -1 else sp.MatMul(common, inner)
    return expr


def vectorised(*, node: Node, index: str) -> Node | None:
    """The index-form ``node`` (free index ``index``) written with whole vectors, or None when it cannot be:
    every indexed entry must be taken at ``index`` alone, with no sum or delta over it, and no vector divides."""
    for n in walk(node):
        if isinstance(n, (SumOver, Delta)):
            return None
        if isinstance(n, Index) and (n.idx != (Sym(index),) or not isinstance(n.base, Sym)):
            return None
    if not any(isinstance(n, Index) for n in walk(node)):
        return None

    def vec(n: Node) -> bool:
        return any(isinstance(m, Index) for m in walk(n))

    def go(n: Node) -> Node | None:
        if isinstance(n, Index):
            return n.base
        if n == Sym(index):
            return None
        if isinstance(n, (Num, Sym)):
            return n
        if isinstance(n, Div) and vec(n.right):
            return None
        parts = [go(c) for c in (n.left, n.right)] if isinstance(n, (Add, Sub, Mul, Div)) else None
        if parts is not None:
            if any(p is None for p in parts):
                return None
            if isinstance(n, Mul):
                return Mul(parts[0], parts[1], "odot" if vec(n.left) and vec(n.right) else n.how)  # type: ignore
            return type(n)(parts[0], parts[1])  # type: ignore[arg-type, call-arg]
        if isinstance(n, (Neg, Pow, Call)):
            kids = [go(c) for c in ((n.arg,) if isinstance(n, Neg) else (n.base, n.exp) if isinstance(n, Pow)
                                    else n.args)]
            if any(k is None for k in kids) or (isinstance(n, Pow) and vec(n)):
                return None
            if isinstance(n, Neg):
                return Neg(kids[0])  # type: ignore[arg-type]
            if isinstance(n, Pow):
                return Pow(kids[0], kids[1])  # type: ignore[arg-type]
            return Call(n.func, tuple(kids))  # type: ignore[arg-type]
        return None

    return go(node)
