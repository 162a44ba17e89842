"""Evaluate a (resolved) expression tree on SymPy values at concrete sizes — the exact twin of interpret.py.

Same shapes and rules as the NumPy interpreter (scalars, column vectors, matrices, 1-based indices,
sums over concrete ranges, Kronecker deltas on concrete indices), but the values are SymPy objects:
symbols for a proof that holds for every value, exact rationals for a counter-example.  Only ever
run on already-parsed trees (never on text: no sympify).  Bounded: a step budget, a
deadline (CPU time) checked at every node, a cap on numbers, powers, sum lengths and matrix entries; every
failure is an ExactError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from collections.abc import Iterable, Iterator, Mapping

from grader.mathparse.errors import ExactError
from grader.mathparse.exact_budget import CLOCK_EVERY, MAX_STEPS, TIME_BOUND, ExactBudget
from grader.mathparse.exact_functions import builtin, is_matrix, is_vector, matmul, maxmin
from grader.mathparse.nodes import (NODE_TYPES, Add, Call, Cond, Delta, Div, Factorial, Index, Indicator, Mul, Neg,
                                    Node, Num, Piecewise, Pow, Sub, SumOver, Sym, Transpose)

MAX_SUM_TERMS = 64
MAX_ENTRIES = 400
MAX_POWER = 12          # integer exponents of non-numbers (x^12 stays small when expanded)
MAX_NUMBER_BITS = 256   # exact numbers beyond ~10^77 are refused
MAX_FACTORIAL = 40
_INEQUALITIES = (">", "<", ">=", "<=")

__all__ = ["CLOCK_EVERY", "MAX_STEPS", "TIME_BOUND", "ExactBudget", "ExactEnv", "ExactError", "exact_entries",
           "exact_number", "exact_value"]


@dataclass(frozen=True)
class ExactEnv:
    """SymPy values of the symbols (scalars or 2-d ImmutableMatrix), declared functions as SymPy callables."""

    values: Mapping[str, Any]
    index_sizes: Mapping[str, int] = field(default_factory=dict)
    functions: Mapping[str, Any] = field(default_factory=dict)
    budget: ExactBudget = field(default_factory=ExactBudget)


def _sp():
    import sympy

    return sympy


def _squeeze(a: Any) -> Any:
    return a[0, 0] if is_matrix(a) and a.shape == (1, 1) else a


def _int(a: Any, what: str) -> int:
    if type(a) is int:  # a bound index as it is (_Exact._bound): what its SymPy Integer would read as
        if abs(a) > 10**6:
            raise ExactError("bound", f"{what} is too large")
        return a
    if is_matrix(a) or not getattr(a, "is_Integer", False):
        raise ExactError("unsupported", f"{what} must be a whole number here")
    if abs(int(a)) > 10**6:
        raise ExactError("bound", f"{what} is too large")
    return int(a)


def exact_number(value: float) -> Any:
    """The exact rational a decimal literal stands for (``0.1`` is 1/10, not the nearest binary fraction)."""
    if not math.isfinite(value):
        raise ExactError("bound", "a number out of range")
    return _rational(float(value))


@lru_cache(maxsize=4096)
def _rational(value: float) -> Any:
    """exact_number of a finite float, remembered (SymPy numbers are immutable; a refusal is raised each time)."""
    from fractions import Fraction

    f = Fraction(repr(value))
    if max(f.numerator.bit_length(), f.denominator.bit_length()) > MAX_NUMBER_BITS:
        raise ExactError("bound", "a number out of range")
    return _sp().Rational(f.numerator, f.denominator)


class _Exact:
    def __init__(self, env: ExactEnv) -> None:
        self.sp = _sp()
        self.env = env
        self.budget = env.budget

    def run(self, node: Node, b: Mapping[str, int]) -> Any:
        self.budget.spend()
        out = _RULES.get(type(node), _Exact._unsupported)(self, node, b)
        if is_matrix(out):
            if out.rows * out.cols > MAX_ENTRIES:
                raise ExactError("bound", "a matrix too large for the exact judge")
            self.budget.spend(out.rows * out.cols)
        return out

    def _unsupported(self, node: Node, b):
        raise ExactError("unsupported", f"{type(node).__name__} has no exact value")

    def _Num(self, node: Num, b):
        return exact_number(node.value)

    def _Sym(self, node: Sym, b):
        if node.name in b:
            return self.sp.Integer(b[node.name])
        if node.name in self.env.values:
            return self.env.values[node.name]
        if node.name in self.env.index_sizes:
            raise ExactError("unsupported", f"the index {node.name} is not bound here")
        constants = {"e": self.sp.E, "pi": self.sp.pi}
        if node.name in constants:
            return constants[node.name]
        raise ExactError("unsupported", f"unknown symbol {node.name}")

    def _Index(self, node: Index, b):
        base = self.run(node.base, b)
        idx = [_int(self._bound(i, b), "an index") for i in node.idx]
        if not is_matrix(base):
            raise ExactError("shape", "a scalar cannot be indexed")
        if len(idx) == 1 and is_vector(base) and 1 <= idx[0] <= len(base):
            return base[idx[0] - 1]
        if len(idx) == 2 and 1 <= idx[0] <= base.rows and 1 <= idx[1] <= base.cols:
            return base[idx[0] - 1, idx[1] - 1]
        raise ExactError("shape", f"indices {tuple(idx)} do not fit shape {base.shape}")

    def _bound(self, node: Node, b: Mapping[str, int]) -> Any:
        """``self.run(node, b)``, except that a name bound to a whole number (an index form's entry, a sum's term) is
        that number as it is, for the one step evaluating the name takes (``_int`` reads both alike)."""
        if type(node) is Sym and type(b.get(node.name)) is int:
            self.budget.spend()
            return b[node.name]
        return self.run(node, b)

    def _Neg(self, node: Neg, b):
        return -self.run(node.arg, b)

    def _addlike(self, node, b, sign: int):
        """``x + sign·y``, written ``x + y`` or ``x - y`` (the same values; no product by ±1 is built)."""
        x, y = self.run(node.left, b), self.run(node.right, b)
        if (is_matrix(x) and is_matrix(y) and x.shape == y.shape) or (not is_matrix(x) and not is_matrix(y)):
            return x + y if sign > 0 else x - y
        if not is_matrix(y):  # a matrix plus a scalar: entry by entry, as NumPy broadcasts it
            return x.applyfunc((lambda e: e + y) if sign > 0 else (lambda e: e - y))
        if not is_matrix(x):
            return y.applyfunc((lambda e: x + e) if sign > 0 else (lambda e: x - e))
        raise ExactError("shape", f"cannot add shapes {x.shape} and {y.shape}")

    def _Add(self, node: Add, b):
        return self._addlike(node, b, 1)

    def _Sub(self, node: Sub, b):
        return self._addlike(node, b, -1)

    def _Mul(self, node: Mul, b):
        x, y = self.run(node.left, b), self.run(node.right, b)
        if not is_matrix(x) or not is_matrix(y):
            return x * y
        if node.how == "odot" or (node.how == "star" and is_vector(x) and x.shape == y.shape):
            if x.shape != y.shape:
                raise ExactError("shape", "element-wise product of different shapes")
            return x.multiply_elementwise(y)
        if x.cols == y.rows:
            return _squeeze(matmul(self.sp, x, y))
        raise ExactError("shape", f"shapes do not match: {x.shape}·{y.shape}")

    def _Div(self, node: Div, b):
        x, y = self.run(node.left, b), self.run(node.right, b)
        if not is_matrix(y):
            return x / y if not is_matrix(x) else x.applyfunc(lambda e: e / y)
        if is_matrix(x) and x.shape == y.shape:
            return x.multiply_elementwise(y.applyfunc(lambda e: 1 / e))
        raise ExactError("shape", "division by a matrix")

    def _Pow(self, node: Pow, b):
        x, y = self.run(node.base, b), self.run(node.exp, b)
        sp = self.sp
        if is_matrix(y):
            if is_matrix(x):
                raise ExactError("shape", "an exponent must be a number")
            return y.applyfunc(lambda e: sp.exp(e) if x == sp.E else x ** e)
        self._check_power(x, y)
        if is_matrix(x):
            if is_vector(x):
                return x.applyfunc(lambda e: e ** y)
            if x.rows == x.cols and y.is_Integer and 1 <= int(y) <= 4:
                return x ** int(y)
            raise ExactError("unsupported", "this power of a matrix")
        return sp.exp(y) if x == sp.E else x ** y

    def _check_power(self, x: Any, y: Any) -> None:
        if not getattr(y, "is_number", False):
            return
        if getattr(y, "is_Integer", False) and abs(int(y)) > MAX_POWER and not getattr(x, "is_number", False):
            raise ExactError("bound", "a power too large for the exact judge")
        if getattr(x, "is_Rational", False) and getattr(y, "is_Rational", False):
            bits = max(abs(x.p), abs(x.q), 2).bit_length()
            if abs(float(y)) * bits > MAX_NUMBER_BITS:
                raise ExactError("bound", "a number out of range")
        elif not is_matrix(x) and getattr(y, "is_number", False) and abs(float(y)) > 10**4:
            raise ExactError("bound", "a power too large for the exact judge")

    def _Transpose(self, node: Transpose, b):
        x = self.run(node.arg, b)
        return x.T if is_matrix(x) else x

    def _Factorial(self, node: Factorial, b):
        v = _int(self.run(node.arg, b), "a factorial's argument")
        if not 0 <= v <= MAX_FACTORIAL:
            raise ExactError("bound", "factorial out of range")
        return self.sp.factorial(v)

    def _Call(self, node: Call, b):
        args = [self.run(a, b) for a in node.args]
        if node.func in self.env.functions:
            return self._declared(node, args)
        if node.func in ("max", "min"):
            return maxmin(self.sp, node.func, args)
        if len(args) != 1:
            raise ExactError("unsupported", f"{node.func} takes one argument")
        return builtin(self.sp, node.func, node.derivative, args[0])

    def _declared(self, node: Call, args: list[Any]):
        fn = self.env.functions[node.func]
        if any(is_matrix(a) for a in args):
            if len(args) != 1 or node.wrt:
                raise ExactError("unsupported", f"{node.func} of a matrix")
            return args[0].applyfunc(lambda e: fn(e, derivative=node.derivative))
        if node.wrt and len(args) == 2:
            return fn(*args, derivative=node.derivative, wrt=node.wrt)
        return fn(*args, derivative=node.derivative + (1 if node.wrt else 0))

    def _SumOver(self, node: SumOver, b):
        var = node.var
        if not var:
            raise ExactError("unsupported", "a sum without its index variable")
        lo = 1 if node.lo is None else _int(self.run(node.lo, b), "a sum's lower limit")
        hi = self._upper(node, var, b)
        if hi - lo + 1 > MAX_SUM_TERMS:
            raise ExactError("bound", "a sum too long for the exact judge")
        skipped = {_int(self.run(x, b), "an excluded index") for x in node.exclude}
        total: Any = self.sp.Integer(1 if node.op == "prod" else 0)
        for k in range(lo, hi + 1):
            if k in skipped:
                continue
            term = self.run(node.body, {**b, var: k})
            if node.op == "prod" and is_matrix(term):
                raise ExactError("unsupported", "a product of non-scalar terms")
            total = total * term if node.op == "prod" else self._sum(total, term)
        return total

    def _sum(self, total: Any, term: Any) -> Any:
        if is_matrix(term) and not is_matrix(total):
            if total != 0:
                raise ExactError("shape", "terms of a sum have different shapes")
            return term
        if is_matrix(total) != is_matrix(term) or (is_matrix(term) and total.shape != term.shape):
            raise ExactError("shape", "terms of a sum have different shapes")
        return total + term

    def _upper(self, node: SumOver, var: str, b) -> int:
        if node.hi is not None:
            return _int(self.run(node.hi, b), "a sum's upper limit")
        from grader.mathparse.interpret import _walk

        for n in _walk(node.body):
            if isinstance(n, Index) and any(isinstance(i, Sym) and i.name == var for i in n.idx):
                base = self.run(n.base, b)
                pos = [k for k, i in enumerate(n.idx) if isinstance(i, Sym) and i.name == var][0]
                if is_vector(base):
                    return len(base)
                if is_matrix(base) and len(n.idx) == 2:
                    return base.shape[pos]
        if var in self.env.index_sizes:
            return int(self.env.index_sizes[var])
        raise ExactError("unsupported", f"cannot tell the range of the sum over {var}")

    def _Delta(self, node: Delta, b):
        i, j = self._bound(node.i, b), self._bound(node.j, b)
        return self.sp.Integer(1 if _int(i, "an index") == _int(j, "an index") else 0)

    def _truth(self, cond: Cond, b) -> Any:
        if cond.op == "otherwise":
            return self.sp.true
        x, y = self.run(cond.left, b), self.run(cond.right, b)  # type: ignore[arg-type]
        if is_matrix(x) or is_matrix(y):
            raise ExactError("unsupported", "a condition on a matrix")
        if cond.op in ("=", "!="):
            equal = _int(x, "a compared value") == _int(y, "a compared value")
            return self.sp.true if equal == (cond.op == "=") else self.sp.false
        return {">": self.sp.Gt, "<": self.sp.Lt, ">=": self.sp.Ge, "<=": self.sp.Le}[cond.op](x, y)

    def _Indicator(self, node: Indicator, b):
        if self._elementwise(node.cond, b):
            return self._entrywise(((self.sp.Integer(1), node.cond), (self.sp.Integer(0), Cond("otherwise"))), b)
        return self.sp.Piecewise((1, self._truth(node.cond, b)), (0, True))

    def _elementwise(self, cond: Cond, b) -> bool:
        """`z > 0` with a vector or matrix z: decided entry by entry (ReLU derivatives), as interpret.py does."""
        if cond.op not in _INEQUALITIES:
            return False
        return any(is_matrix(self.run(side, b)) for side in (cond.left, cond.right))  # type: ignore[arg-type]

    def _entrywise(self, cases, b):
        """Cases chosen entry by entry: values and compared sides may be matrices of one shape, or scalars."""
        sp = self.sp
        evaluated = []
        for expr, cond in cases:
            value = self.run(expr, b) if isinstance(expr, NODE_TYPES) else expr
            sides: tuple[Any, ...] = () if cond.op == "otherwise" else (self.run(cond.left, b), self.run(cond.right, b))
            evaluated.append((value, cond.op, sides))
        shapes = {x.shape for value, _, sides in evaluated for x in (value, *sides) if is_matrix(x)}
        if len(shapes) != 1:
            raise ExactError("shape", "the cases of a piecewise expression have different shapes")
        rows, cols = shapes.pop()
        at = lambda x, k: x[k] if is_matrix(x) else x  # noqa: E731
        ops = {">": sp.Gt, "<": sp.Lt, ">=": sp.Ge, "<=": sp.Le}
        entries = []
        for k in range(rows * cols):
            pieces = []
            for value, op, sides in evaluated:
                if op in ("=", "!="):
                    raise ExactError("unsupported", "an equality among entry-wise cases")
                truth = sp.true if op == "otherwise" else ops[op](at(sides[0], k), at(sides[1], k))
                pieces.append((at(value, k), truth))
            if pieces[-1][1] is not sp.true:
                pieces.append((sp.nan, sp.true))
            entries.append(sp.Piecewise(*pieces))
        return sp.ImmutableMatrix(rows, cols, entries)

    def _Piecewise(self, node: Piecewise, b):
        if any(self._elementwise(cond, b) for _, cond in node.cases):
            return self._entrywise(node.cases, b)
        cases: list[tuple[Any, Any]] = []
        for expr, cond in node.cases:
            truth = self._truth(cond, b)
            if truth is self.sp.false:
                continue
            value = self.run(expr, b)
            if is_matrix(value):
                if truth is self.sp.true and not cases:
                    return value
                raise ExactError("unsupported", "cases with matrix values")
            cases.append((value, truth))
            if truth is self.sp.true:
                break
        if not cases:
            raise ExactError("unsupported", "no case of the piecewise expression applies")
        if cases[-1][1] is not self.sp.true:
            raise ExactError("unsupported", "cases that may not cover every value")
        return cases[0][0] if len(cases) == 1 else self.sp.Piecewise(*cases)


#: each node type's rule (``_Num`` for Num, ...), looked up once instead of by name at every node
_RULES = {kind: getattr(_Exact, "_" + kind.__name__) for kind in NODE_TYPES if hasattr(_Exact, "_" + kind.__name__)}


def exact_value(*, node: Node, env: ExactEnv, bindings: Mapping[str, int] | None = None) -> Any:
    """Exact value of ``node``: a SymPy scalar or a 2-d ImmutableMatrix; raises ExactError."""
    return _value(_Exact(env), node, dict(bindings or {}))


def exact_entries(*, node: Node, env: ExactEnv, bindings: Iterable[Mapping[str, int]]) -> Iterator[Any]:
    """``exact_value`` of ``node`` with each of ``bindings`` in turn, one at a time as the caller asks for them (an
    index form's entries: one evaluator for all of them)."""
    exact = _Exact(env)
    for b in bindings:
        yield _value(exact, node, dict(b))


def _value(exact: _Exact, node: Node, bindings: dict[str, int]) -> Any:
    try:
        return exact.run(node, bindings)
    except ExactError:
        raise
    except RecursionError:
        raise ExactError("bound", "expression nested too deeply") from None
    except Exception as exc:  # SymPy's own type and shape errors
        raise ExactError("unsupported", f"SymPy failed ({type(exc).__name__})") from None
