"""One entry of an expression as a SymPy scalar, for deriving references (grader.symbolic.derive).

A vector ``x`` read at entry ``t`` is ``x[t]`` (an IndexedBase entry); ``\\odot`` and division by a
scalar act entry by entry; ``\\sum_i`` runs over the declared size of ``i``, ``\\delta_{ij}`` is a KroneckerDelta.
A symbol whose declared value is ``softmax(z)`` stays a symbol with the known Jacobian
``∂ŷ_t/∂z_k = ŷ_t (δ_tk − ŷ_k)``; ``\\sigma`` has ``σ' = σ(1 − σ)``; any other declared value is substituted.
Only ever called on trees our parser built from trusted instructor text; never on text.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from grader.mathparse.nodes import Add, Call, Delta, Div, Index, Mul, Neg, Node, Num, Pow, Sub, SumOver, Sym, Transpose

if TYPE_CHECKING:
    from grader.symbolic.spec import SymbolicSpec

_SCALAR_FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigma")
_NOT_DIFFERENTIABLE = ("relu", "abs", "max", "min", "floor", "ceil", "sign")


class EntryError(ValueError):
    """The expression has no entry form here; the message says what and why."""


@lru_cache(maxsize=1)
def function_classes() -> tuple[Any, Any]:
    """(SoftmaxEntry, Sigmoid): SymPy functions with their derivatives, defined once sympy is imported."""
    import sympy as sp

    class SoftmaxEntry(sp.Function):
        """softmax(base)_t; args (base IndexedBase, t)."""

        nargs = 2

        def _eval_derivative(self, s):  # noqa: ANN001 - SymPy's protocol
            base, t = self.args
            if isinstance(s, sp.Indexed) and s.base == base and len(s.indices) == 1:
                return self * (sp.KroneckerDelta(t, s.indices[0]) - SoftmaxEntry(base, s.indices[0]))
            return sp.S.Zero

    class Sigmoid(sp.Function):
        nargs = 1

        def fdiff(self, argindex: int = 1):
            return self * (1 - self)

    return SoftmaxEntry, Sigmoid


class EntryConverter:
    """Our (resolved) tree -> SymPy scalar at entry ``at`` of its vectors (None: a scalar expression)."""

    def __init__(self, *, spec: "SymbolicSpec", values: Mapping[str, Node]) -> None:
        import sympy

        self.sp = sympy
        self.spec = spec
        self.values = values
        self.bound: dict[str, Any] = {}
        self.softmax_names: dict[str, str] = {}   # vector z -> the declared symbol whose value is softmax(z)

    def dim(self, d: str | int | None) -> Any:
        if d is None:
            raise EntryError("a vector or index without a declared size")
        return self.sp.Integer(d) if isinstance(d, int) else self.sp.Symbol(d, integer=True, positive=True)

    def index_symbol(self, name: str) -> Any:
        return self.bound.get(name) or self.sp.Symbol(name, integer=True)

    def kind(self, name: str) -> str:
        decl = self.spec.symbols.get(name)
        return decl.kind if decl is not None else "scalar"

    def entry(self, name: str, idx: tuple[Any, ...]) -> Any:
        """Entry ``idx`` of the declared vector or matrix ``name`` (its value, where it has one)."""
        sp = self.sp
        value = self.values.get(name)
        if value is None:
            return sp.IndexedBase(name)[idx]
        if isinstance(value, Call) and value.func == "softmax" and len(value.args) == 1 and len(idx) == 1:
            arg = value.args[0]
            if not (isinstance(arg, Sym) and self.kind(arg.name) == "vector" and arg.name not in self.values):
                raise EntryError(f"softmax of {arg!r}: only the softmax of a declared vector has a known derivative")
            self.softmax_names[arg.name] = name
            return function_classes()[0](sp.IndexedBase(arg.name), idx[0])
        if len(idx) != 1:
            raise EntryError(f"an entry of {name}, whose value is an expression")
        return self.run(value, idx[0])

    def sym(self, name: str, at: Any) -> Any:
        sp = self.sp
        if name in self.bound:
            return self.bound[name]
        kind = self.kind(name)
        if kind == "index":
            return self.index_symbol(name)
        if kind in ("matrix", "tensor"):
            raise EntryError(f"the {kind} {name} outside an index (matrix calculus is for 'gradient' of a scalar)")
        if kind == "vector":
            if at is None:
                raise EntryError(f"the vector {name} in a scalar expression (index it, {name}_i, or sum over it)")
            return self.entry(name, (at,))
        if name in self.values:
            return self.run(self.values[name], at)
        if name == "e":
            return sp.E
        if name == "pi":
            return sp.pi
        return sp.Symbol(name)

    def run(self, node: Node, at: Any = None) -> Any:
        sp = self.sp
        if isinstance(node, Num):
            if node.value == int(node.value):
                return sp.Integer(int(node.value))
            exact = Fraction(repr(node.value))  # a decimal as written (0.5 -> 1/2), parsed by fractions, not SymPy
            return sp.Rational(exact.numerator, exact.denominator)
        if isinstance(node, Sym):
            return self.sym(node.name, at)
        if isinstance(node, Index):
            if not isinstance(node.base, Sym):
                raise EntryError("indexing an expression")
            return self.entry(node.base.name, tuple(self.run(i) for i in node.idx))
        if isinstance(node, Neg):
            return -self.run(node.arg, at)
        if isinstance(node, (Add, Sub)):
            left, right = self.run(node.left, at), self.run(node.right, at)
            return left + right if isinstance(node, Add) else left - right
        if isinstance(node, Mul):
            return self.product(node, at)
        if isinstance(node, Div):  # entry by entry: (u / v)_t = u_t / v_t
            return self.run(node.left, at) / self.run(node.right, at)
        if isinstance(node, Pow):
            base = self.run(node.base, at)
            exp = self.run(node.exp)
            return sp.exp(exp) if base == sp.E else base ** exp
        if isinstance(node, Transpose):
            raise EntryError("a transpose (matrix calculus is for 'gradient' of a scalar, without indices)")
        if isinstance(node, Call):
            return self.call(node, at)
        if isinstance(node, SumOver):
            return self.sum_over(node, at)
        if isinstance(node, Delta):
            return sp.KroneckerDelta(self.run(node.i), self.run(node.j))
        raise EntryError(f"{type(node).__name__} has no form SymPy can differentiate here")

    def vector_valued(self, node: Node) -> bool:
        """Whether ``node`` has a whole vector in it (not only entries of one, ``x_i``)."""
        from grader.mathparse.nodes import children

        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Sym) and (self.kind(n.name) == "vector" or
                                       (n.name in self.values and self.vector_valued(self.values[n.name]))):
                return True
            if not isinstance(n, Index):
                stack.extend(children(n))
        return False

    def product(self, node: Mul, at: Any) -> Any:
        left, right = self.vector_valued(node.left), self.vector_valued(node.right)
        if left and right and node.how not in ("odot", "star"):
            raise EntryError("a product of two vectors that is not element-wise (write u \\odot v, or use indices)")
        return self.run(node.left, at) * self.run(node.right, at)

    def call(self, node: Call, at: Any) -> Any:
        sp = self.sp
        if node.func in _NOT_DIFFERENTIABLE:
            raise EntryError(f"{node.func} is not differentiable everywhere; give the reference itself")
        if node.func not in _SCALAR_FUNCTIONS or len(node.args) != 1 or node.derivative or node.wrt:
            raise EntryError(f"the function {node.func} (only {', '.join(_SCALAR_FUNCTIONS)} of one argument, "
                             "applied entry by entry)")
        arg = self.run(node.args[0], at)
        if node.func == "sigma":
            return function_classes()[1](arg)
        return {"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh}[node.func](arg)

    def sum_over(self, node: SumOver, at: Any) -> Any:
        sp = self.sp
        if node.op != "sum" or node.exclude or not node.var:
            raise EntryError("only plain sums over one index (\\sum_i ...) can be differentiated")
        var = sp.Symbol(node.var, integer=True)
        lo = self.run(node.lo) if node.lo is not None else sp.Integer(1)
        hi = self.run(node.hi) if node.hi is not None else self.dim(self.index_dim(node))
        saved = self.bound.get(node.var)
        self.bound[node.var] = var
        try:
            body = self.run(node.body, at)
        finally:
            if saved is None:
                self.bound.pop(node.var, None)
            else:
                self.bound[node.var] = saved
        return sp.Sum(body, (var, lo, hi))

    def index_dim(self, node: SumOver) -> str | int | None:
        """The size a sum without bounds runs to: its index's declared size, or that of a vector it indexes."""
        from grader.mathparse.nodes import walk

        decl = self.spec.symbols.get(node.var)
        if decl is not None and decl.kind == "index":
            return decl.dim
        for n in walk(node.body):
            if (isinstance(n, Index) and isinstance(n.base, Sym) and n.idx == (Sym(node.var),)
                    and n.base.name in self.spec.symbols):
                return self.spec.symbols[n.base.name].dim
        raise EntryError(f"the sum over {node.var}: declare {node.var} as an index (kind: index, dim: ...)")
