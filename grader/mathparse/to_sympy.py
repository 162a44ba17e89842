"""Tree -> SymPy (imported lazily), for cheap simplification and a canonical display.

Vectors and matrices become MatrixSymbols (so products stay non-commutative,
``(A + A^T) w`` and ``w (A + A^T)`` differ), ``\\odot`` a HadamardProduct,
indices IndexedBase entries, ``\\delta_{ij}`` a KroneckerDelta.  Only ever
called on already-parsed trees; never on text.  Used for display only: a
SymPy result never overrides the numeric comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Mapping

from grader.mathparse.nodes import (Add, Call, Cond, Delta, Div, Factorial, Index, Indicator, Mul, Neg, Node, Num,
                                    Piecewise, Pow, Sub, SumOver, Sym, Transpose, walk)

MAX_SIMPLIFY_NODES = 40


class SympyConversionError(ValueError):
    pass


@dataclass(frozen=True)
class SymbolShape:
    kind: str                       # scalar | vector | matrix | index
    rows: str | int = 1
    cols: str | int = 1


def _dim(sp, d: str | int):
    return sp.Integer(d) if isinstance(d, int) else sp.Symbol(d, integer=True, positive=True)


class _Converter:
    def __init__(self, shapes: Mapping[str, SymbolShape]) -> None:
        import sympy

        self.sp = sympy
        self.shapes = shapes
        self.bound: dict[str, Any] = {}   # summation indices in scope -> their (integer) SymPy symbol

    def sym(self, name: str) -> Any:
        sp = self.sp
        if name in self.bound:
            return self.bound[name]
        shape = self.shapes.get(name)
        if name == "e" and shape is None:
            return sp.E
        if name == "pi" and shape is None:
            return sp.pi
        if shape is None or shape.kind in ("scalar", "index"):
            return sp.Symbol(name, integer=shape is not None and shape.kind == "index")
        return sp.MatrixSymbol(name, _dim(sp, shape.rows), _dim(sp, shape.cols))

    def cond(self, c: Cond) -> Any:
        sp = self.sp
        if c.op == "otherwise":
            return sp.true
        a, b = self.run(c.left), self.run(c.right)  # type: ignore[arg-type]
        return {"=": sp.Eq, "!=": sp.Ne, ">": sp.Gt, "<": sp.Lt, ">=": sp.Ge, "<=": sp.Le}[c.op](a, b)

    def run(self, node: Node) -> Any:
        convert = _CONVERT.get(type(node))
        if convert is None:
            raise SympyConversionError(f"{type(node).__name__} has no SymPy form")
        return convert(self, node)

    def num(self, node: Num) -> Any:
        return self.sp.Integer(int(node.value)) if node.value == int(node.value) else self.sp.Float(node.value)

    def index(self, node: Index) -> Any:
        if not isinstance(node.base, Sym):
            raise SympyConversionError("indexing an expression")
        return self.sp.IndexedBase(node.base.name)[tuple(self.run(i) for i in node.idx)]

    def mul(self, node: Mul) -> Any:
        sp = self.sp
        a, b = self.run(node.left), self.run(node.right)
        both = getattr(a, "is_Matrix", False) and getattr(b, "is_Matrix", False)
        if node.how == "odot" and both:
            return sp.HadamardProduct(a, b)
        if node.how == "star" and both and a.shape == b.shape and 1 in a.shape:
            return sp.HadamardProduct(a, b)  # same reading as the interpreter: vector * vector
        return a * b

    def div(self, node: Div) -> Any:
        a, b = self.run(node.left), self.run(node.right)
        if getattr(b, "is_Matrix", False):
            raise SympyConversionError("division by a matrix")
        return a * b ** -1

    def pow(self, node: Pow) -> Any:
        base, exp = self.run(node.base), self.run(node.exp)
        if base == self.sp.E:
            return self.sp.exp(exp)
        return base ** exp

    def transpose(self, node: Transpose) -> Any:
        a = self.run(node.arg)
        return a.T if getattr(a, "is_Matrix", False) else a

    def call(self, node: Call) -> Any:
        sp = self.sp
        args = [self.run(a) for a in node.args]
        if any(getattr(a, "is_Matrix", False) for a in args):
            raise SympyConversionError(f"{node.func} of a matrix")
        known = _FUNCTIONS.get(node.func)
        if known is not None and not (node.func == "sign" and node.derivative):
            return getattr(sp, known)(*args)
        if node.func == "sigma":
            s = 1 / (1 + sp.exp(-args[0]))
            for _ in range(node.derivative):
                x = sp.Dummy("x")
                s = sp.diff(s.subs(args[0], x), x).subs(x, args[0])
            return s
        if node.func in ("floor", "ceil") and len(args) == 1:
            return (sp.floor if node.func == "floor" else sp.ceiling)(args[0])
        if node.func in ("max", "min"):
            return (sp.Max if node.func == "max" else sp.Min)(*args)
        return self.declared_call(node, args)

    def declared_call(self, node: Call, args: list[Any]) -> Any:
        """A function the student's problem declares (``g(x, y)``, ``f'(u)``): an undefined SymPy function."""
        sp = self.sp
        if node.wrt and not node.derivative and 1 <= node.wrt <= len(args):  # ∂g/∂x of a declared g(x, y)
            return sp.Derivative(sp.Function(node.func)(*args), args[node.wrt - 1])
        if node.derivative and len(args) == 1:  # a declared function f'(u): f' evaluated at u
            x = sp.Dummy("x")
            return sp.Subs(sp.Derivative(sp.Function(node.func)(x), (x, node.derivative)), x, args[0])
        if node.derivative:
            raise SympyConversionError(f"derivative of the {len(args)}-argument function {node.func}")
        return sp.Function(node.func)(*args)

    def sum_over(self, node: SumOver) -> Any:
        sp = self.sp
        k = sp.Symbol(node.var or "k", integer=True)
        lo = self.run(node.lo) if node.lo is not None else sp.Integer(1)
        hi = self.run(node.hi) if node.hi is not None else sp.Symbol("n", integer=True, positive=True)
        saved = self.bound.get(node.var)
        if node.var:
            self.bound[node.var] = k
        try:
            body = self.run(node.body)
        finally:
            if node.var:
                if saved is None:
                    self.bound.pop(node.var, None)
                else:
                    self.bound[node.var] = saved
        out = (sp.Product if node.op == "prod" else sp.Sum)(body, (k, lo, hi))
        for x in node.exclude:  # a skipped index (\sum_{k \neq i}): the full sum minus that term
            if node.op == "prod":
                raise SympyConversionError("a product with an excluded index has no SymPy form here")
            out = out - body.subs(k, self.run(x))
        return out


#: functions with a SymPy namesake (``sign`` only without a derivative)
_FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sign": "sign"}

#: node type -> its conversion; a node type missing here has no SymPy form
_CONVERT: dict[type, Callable[[_Converter, Any], Any]] = {
    Num: _Converter.num,
    Sym: lambda c, node: c.sym(node.name),
    Index: _Converter.index,
    Neg: lambda c, node: -c.run(node.arg),
    Add: lambda c, node: c.run(node.left) + c.run(node.right),
    Sub: lambda c, node: c.run(node.left) - c.run(node.right),
    Mul: _Converter.mul,
    Div: _Converter.div,
    Pow: _Converter.pow,
    Transpose: _Converter.transpose,
    Factorial: lambda c, node: c.sp.factorial(c.run(node.arg)),
    Call: _Converter.call,
    SumOver: _Converter.sum_over,
    Delta: lambda c, node: c.sp.KroneckerDelta(c.run(node.i), c.run(node.j)),
    Indicator: lambda c, node: c.sp.Piecewise((1, c.cond(node.cond)), (0, True)),
    Piecewise: lambda c, node: c.sp.Piecewise(*[(c.run(e), c.cond(c_)) for e, c_ in node.cases]),
}


def to_sympy(*, node: Node, shapes: Mapping[str, SymbolShape] | None = None) -> Any:
    """SymPy expression for ``node``; raises SympyConversionError for what has no SymPy form."""
    try:
        return _Converter(shapes or {}).run(node)
    except SympyConversionError:
        raise
    except Exception as exc:  # sympy's own shape/type errors
        raise SympyConversionError(f"{type(exc).__name__}: {exc}") from None


def simplified_latex(*, node: Node, shapes: Mapping[str, SymbolShape] | None = None) -> str | None:
    """LaTeX of a cheaply simplified SymPy form, or None when the tree is large or has no SymPy form.
    Display only: never used to decide equivalence."""
    return simplified_latex_or_reason(node=node, shapes=shapes)[0]


def simplified_latex_or_reason(*, node: Node, shapes: Mapping[str, SymbolShape] | None = None) -> tuple[str | None, str]:
    """(LaTeX, "") or (None, why there is no simplified form)."""
    if sum(1 for _ in walk(node)) > MAX_SIMPLIFY_NODES:
        return None, f"more than {MAX_SIMPLIFY_NODES} parts"
    try:
        import sympy

        expr = to_sympy(node=node, shapes=shapes)
        if not getattr(expr, "is_Matrix", False) and not expr.has(sympy.Sum, sympy.Piecewise, sympy.Indexed):
            expr = sympy.factor_terms(sympy.expand(expr))
        return sympy.latex(expr), ""
    except SympyConversionError as exc:
        return None, str(exc)
    except Exception as exc:
        return None, f"SymPy failed ({type(exc).__name__})"
