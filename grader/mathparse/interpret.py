"""Evaluate a (resolved) expression tree on NumPy values — no eval, no lambdify.

Scalars are 0-d arrays, vectors are column vectors (n, 1), matrices (m, n).
Indices are 1-based.  Every failure is an EvalError with a ``kind``:
``shape`` (product/sum of incompatible shapes), ``ambiguous`` (a \\cdot or
implicit product between two vectors), ``bound`` (a number, sum range or
amount of work beyond the limits), ``unknown`` (a name without a value),
``unsupported`` (notation that has no numeric meaning here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from grader.mathparse.array_functions import call_builtin, is_scalar, is_vector, squeeze
from grader.mathparse.errors import ErrorKind, EvalError
from grader.mathparse.nodes import (NODE_TYPES, Add, Call, Cond, Delta, Derivative, Div, Factorial, Index, Indicator,
                                    Mul, Neg, Node, Num, Partial, Piecewise, Pow, Sub, SumOver, Sym, Transpose, Tuple_,
                                    children)

ProductMode = Literal["strict", "outer", "inner", "elementwise"]

__all__ = ["MAX_FACTORIAL", "MAX_STEPS", "MAX_SUM_TERMS", "ErrorKind", "EvalEnv", "EvalError", "ProductMode", "WorkBudget",
           "evaluate", "evaluate_entries"]

MAX_SUM_TERMS = 10_000
MAX_STEPS = 200_000
MAX_FACTORIAL = 170
_CONSTANTS = {"e": math.e, "pi": math.pi}


class WorkBudget:
    """Evaluation steps left; one budget may be shared by many evaluations (e.g. all
    entries and trials of one student answer) so that the total work is bounded."""

    __slots__ = ("remaining",)

    def __init__(self, steps: int = MAX_STEPS) -> None:
        self.remaining = steps


@dataclass(frozen=True)
class EvalEnv:
    """Values of the symbols, sizes of the declared index symbols and the reading of ambiguous products."""

    values: Mapping[str, np.ndarray]
    index_sizes: Mapping[str, int] = field(default_factory=dict)
    bindings: Mapping[str, int] = field(default_factory=dict)
    product_mode: ProductMode = "strict"
    budget: WorkBudget | None = None
    #: functions declared by the problem: name -> fn(args, derivative) (grader.symbolic.sampling draws them)
    functions: Mapping[str, Callable[[list[np.ndarray], int, int], np.ndarray]] = field(default_factory=dict)


def _as_int(a: np.ndarray, what: str) -> int:
    if not is_scalar(a):
        raise EvalError("shape", f"{what} must be a number")
    v = float(a)
    if not math.isfinite(v) or v != int(v):
        raise EvalError("bound" if not math.isfinite(v) else "unsupported", f"{what} must be a whole number")
    if abs(v) > 1e12:
        raise EvalError("bound", f"{what} is too large")
    return int(v)


class _Interpreter:
    def __init__(self, env: EvalEnv) -> None:
        self.values = env.values
        self.index_sizes = env.index_sizes
        self.mode = env.product_mode
        self.budget = env.budget if env.budget is not None else WorkBudget()
        self.functions = env.functions

    def run(self, node: Node, bindings: Mapping[str, int]) -> np.ndarray:
        self.budget.remaining -= 1
        if self.budget.remaining < 0:
            raise EvalError("bound", "the expression needs too much work to evaluate")
        rule = _RULES.get(type(node))
        if rule is None:  # not a node type of the language: as getattr finds (or does not find) its rule
            return getattr(self, "_" + type(node).__name__)(node, bindings)
        return rule(self, node, bindings)

    # leaves -------------------------------------------------------------
    def _Num(self, node: Num, b):
        return np.asarray(node.value, dtype=float)

    def _Sym(self, node: Sym, b):
        name = node.name
        if name in b:
            return np.asarray(float(b[name]))
        if name in self.values:
            return self.values[name]
        if name in self.index_sizes:
            raise EvalError("unsupported", f"the index {name} is not bound here")
        if name in _CONSTANTS:
            return np.asarray(_CONSTANTS[name])
        raise EvalError("unknown", f"unknown symbol {name}")

    # structure ----------------------------------------------------------
    def _Index(self, node: Index, b):
        base = self.run(node.base, b)
        idx = [self._bound_index(i, b) for i in node.idx]
        if is_scalar(base):
            raise EvalError("shape", "a scalar cannot be indexed")
        if len(idx) == 1:
            if not is_vector(base):
                raise EvalError("shape", f"a matrix {base.shape} needs two indices")
            flat = base.reshape(-1)
            k = idx[0]
            if not 1 <= k <= flat.size:
                raise EvalError("shape", f"index {k} out of range 1..{flat.size}")
            return np.asarray(flat[k - 1])
        if len(idx) == 2:
            r, c = idx
            if base.ndim != 2 or not (1 <= r <= base.shape[0] and 1 <= c <= base.shape[1]):
                raise EvalError("shape", f"index ({r},{c}) out of range for shape {base.shape}")
            return np.asarray(base[r - 1, c - 1])
        if base.ndim == len(idx) and all(1 <= k <= n for k, n in zip(idx, base.shape)):
            return np.asarray(base[tuple(k - 1 for k in idx)])
        raise EvalError("shape", f"indices {tuple(idx)} do not fit shape {base.shape}")

    def _bound_index(self, i: Node, b) -> int:
        """``_as_int(self.run(i, b), "an index")``; a name bound to a whole number (an index form's entry, a sum's
        term) is that number at once, for the one step evaluating the name takes."""
        if type(i) is Sym and type(b.get(i.name)) is int and abs(b[i.name]) <= 10**12:
            self.budget.remaining -= 1
            if self.budget.remaining < 0:
                raise EvalError("bound", "the expression needs too much work to evaluate")
            return int(b[i.name])
        return _as_int(self.run(i, b), "an index")

    def _Neg(self, node: Neg, b):
        return -self.run(node.arg, b)

    def _addlike(self, node, b, sign: float):
        x, y = self.run(node.left, b), self.run(node.right, b)
        if is_scalar(x) or is_scalar(y) or x.shape == y.shape:
            return x + sign * y
        raise EvalError("shape", f"cannot {'add' if sign > 0 else 'subtract'} shapes {x.shape} and {y.shape}",
                        (x.shape, y.shape), "+" if sign > 0 else "-")

    def _Add(self, node: Add, b):
        return self._addlike(node, b, 1.0)

    def _Sub(self, node: Sub, b):
        return self._addlike(node, b, -1.0)

    def _Mul(self, node: Mul, b):
        x, y = self.run(node.left, b), self.run(node.right, b)
        if is_scalar(x) or is_scalar(y):
            return x * y
        if node.how == "odot":
            if x.shape == y.shape:
                return x * y
            raise EvalError("shape", f"element-wise product needs equal shapes: {x.shape}⊙{y.shape}",
                            (x.shape, y.shape), "⊙")
        if node.how == "star" and is_vector(x) and x.shape == y.shape:
            return x * y  # `g * y` between two vectors: element-wise, as in NumPy code
        if x.shape[1] == y.shape[0]:
            return squeeze(x @ y)
        if is_vector(x) and x.shape == y.shape:
            if self.mode == "strict":
                raise EvalError("ambiguous", f"ambiguous product of two vectors {x.shape}·{y.shape}",
                                (x.shape, y.shape), "·")
            if self.mode == "elementwise":
                return x * y
            col_x = x.reshape(-1, 1)
            col_y = y.reshape(-1, 1)
            if self.mode == "outer":
                return col_x @ col_y.T
            return squeeze(col_x.T @ col_y)
        raise EvalError("shape", f"shapes do not match: {x.shape}·{y.shape}", (x.shape, y.shape), "·")

    def _Div(self, node: Div, b):
        x, y = self.run(node.left, b), self.run(node.right, b)
        if is_scalar(y) or x.shape == y.shape:
            return x / y
        raise EvalError("shape", f"cannot divide shape {x.shape} by shape {y.shape}", (x.shape, y.shape), "/")

    def _Pow(self, node: Pow, b):
        x, y = self.run(node.base, b), self.run(node.exp, b)
        if not is_scalar(y):
            if is_scalar(x):  # e^{z}: element-wise
                return np.power(x, y)
            raise EvalError("shape", "an exponent must be a number")
        e = float(y)
        if is_scalar(x) or is_vector(x):
            if is_scalar(x) and abs(e) > 1e6 and abs(float(x)) > 1:
                raise EvalError("bound", "number too large (exponent out of range)")
            return np.power(x, y)
        if x.shape[0] == x.shape[1] and e == int(e) and 1 <= e <= 16:
            return np.linalg.matrix_power(x, int(e))
        raise EvalError("unsupported", f"power {e:g} of a {x.shape} matrix")

    def _Transpose(self, node: Transpose, b):
        x = self.run(node.arg, b)
        return x if is_scalar(x) else x.T

    def _Factorial(self, node: Factorial, b):
        x = self.run(node.arg, b)
        if not is_scalar(x) or not math.isfinite(float(x)):
            raise EvalError("bound", "factorial of a huge or non-numeric value")
        v = float(x)
        if v < 0 or v != int(v):
            raise EvalError("unsupported", "factorial of a non-natural number")
        if v > MAX_FACTORIAL:
            raise EvalError("bound", f"factorial of {v:g} is too large")
        return np.asarray(float(math.factorial(int(v))))

    def _Call(self, node: Call, b):
        args = [self.run(a, b) for a in node.args]
        if node.func in self.functions:
            return self.functions[node.func](args, node.derivative, node.wrt)
        return call_builtin(node.func, args, node.derivative)

    def _SumOver(self, node: SumOver, b):
        var = node.var or _infer_sum_var(node.body, self.values)
        lo = 1 if node.lo is None else _as_int(self.run(node.lo, b), "the lower limit of a sum")
        if node.hi is not None:
            hi = _as_int(self.run(node.hi, b), "the upper limit of a sum")
        else:
            hi = self._infer_length(node.body, var, b)
        count = hi - lo + 1
        if count > MAX_SUM_TERMS:
            raise EvalError("bound", f"sum over {count} terms refused (limit {MAX_SUM_TERMS})")
        product = node.op == "prod"
        skipped = {_as_int(self.run(x, b), "an excluded index") for x in node.exclude}
        total: np.ndarray = np.asarray(1.0 if product else 0.0)
        inner = dict(b)
        for k in range(lo, hi + 1):
            if k in skipped:
                continue
            inner[var] = k
            term = self.run(node.body, inner)
            if product and not is_scalar(term):
                raise EvalError("unsupported", "a product (\\prod) of non-scalar terms")
            if not (is_scalar(total) or is_scalar(term) or total.shape == term.shape):
                raise EvalError("shape", "terms of a sum have different shapes")
            total = total * term if product else total + term
        return total

    def _infer_length(self, body: Node, var: str, b) -> int:
        for n in _walk(body):
            if isinstance(n, Index) and any(isinstance(i, Sym) and i.name == var for i in n.idx):
                try:
                    base = self.run(n.base, b)
                except EvalError:
                    continue
                if is_vector(base):
                    return int(base.size)
                pos = [k for k, i in enumerate(n.idx) if isinstance(i, Sym) and i.name == var][0]
                if base.ndim == len(n.idx) >= 2:
                    return int(base.shape[pos])
        if var in self.index_sizes:
            return int(self.index_sizes[var])
        raise EvalError("unsupported", f"cannot tell the range of the sum over {var}")

    def _Delta(self, node: Delta, b):
        i, j = self.run(node.i, b), self.run(node.j, b)
        return np.asarray(1.0 if float(i) == float(j) else 0.0)

    def _cond(self, cond: Cond, b) -> bool:
        if cond.op == "otherwise":
            return True
        x, y = self.run(cond.left, b), self.run(cond.right, b)  # type: ignore[arg-type]
        if not (is_scalar(x) and is_scalar(y)):
            raise EvalError("unsupported", "a condition must compare numbers or indices")
        equal = float(x) == float(y)
        return equal if cond.op == "=" else not equal

    def _inequality(self, cond: Cond, b) -> np.ndarray:
        """`z > 0`: element-wise (a 0/1 array of the shape of the compared values), for ReLU derivatives."""
        x, y = self.run(cond.left, b), self.run(cond.right, b)  # type: ignore[arg-type]
        if not (is_scalar(x) or is_scalar(y) or x.shape == y.shape):
            raise EvalError("shape", f"cannot compare shapes {x.shape} and {y.shape}")
        ops = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}
        return ops[cond.op](x, y).astype(float)

    def _Indicator(self, node: Indicator, b):
        if node.cond.op in (">", "<", ">=", "<="):
            return self._inequality(node.cond, b)
        return np.asarray(1.0 if self._cond(node.cond, b) else 0.0)

    def _Cond(self, node: Cond, b):
        raise EvalError("unsupported", "a condition outside cases")

    def _Piecewise(self, node: Piecewise, b):
        if any(cond.op in (">", "<", ">=", "<=") for _, cond in node.cases):
            return self._piecewise_elementwise(node, b)
        for expr, cond in node.cases:
            if self._cond(cond, b):
                return self.run(expr, b)
        raise EvalError("unsupported", "no case of the piecewise expression applies")

    def _piecewise_elementwise(self, node: Piecewise, b):
        """`\\begin{cases} g & z > 0 \\\\ 0 & \\text{otherwise} \\end{cases}`: chosen entry by entry (first case that holds)."""
        chosen: np.ndarray | None = None
        result: np.ndarray | None = None
        for expr, cond in node.cases:
            if cond.op in (">", "<", ">=", "<="):
                mask = self._inequality(cond, b) > 0
            else:
                mask = np.asarray(self._cond(cond, b))
            value = self.run(expr, b)
            try:
                shape = np.broadcast_shapes(mask.shape, value.shape, *(() if result is None else (result.shape,)))
            except ValueError:
                raise EvalError("shape", "the cases of a piecewise expression have different shapes") from None
            if result is None or chosen is None:  # both are None until the first case
                result, chosen = np.zeros(shape), np.zeros(shape, dtype=bool)
            take = np.broadcast_to(mask, shape) & ~np.broadcast_to(chosen, shape)
            result = np.where(take, np.broadcast_to(value, shape), np.broadcast_to(result, shape))
            chosen = np.broadcast_to(chosen, shape) | take
        if chosen is None or not bool(np.all(chosen)):
            raise EvalError("unsupported", "no case of the piecewise expression applies")
        return result

    def _Partial(self, node: Partial, b):
        raise EvalError("unsupported", "a derivative sign (∂) cannot be evaluated")

    def _Derivative(self, node: Derivative, b):
        raise EvalError("unsupported", "a derivative (∂/∂) cannot be evaluated")

    def _Gradient(self, node, b):
        raise EvalError("unsupported", "a gradient (∇) without the variable it is taken with respect to")

    def _Tuple_(self, node: Tuple_, b):
        raise EvalError("unsupported", "a comma-separated list is not a value")


def _walk(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))


#: each node type's rule (``_Num`` for Num, ...), looked up once instead of by name at every node
_RULES = {kind: getattr(_Interpreter, "_" + kind.__name__) for kind in NODE_TYPES
          if hasattr(_Interpreter, "_" + kind.__name__)}


def _infer_sum_var(body: Node, values: Mapping[str, np.ndarray]) -> str:
    names: list[str] = []
    for n in _walk(body):
        if isinstance(n, Index):
            for i in n.idx:
                if isinstance(i, Sym) and i.name not in values and i.name not in names:
                    names.append(i.name)
    if len(names) == 1:
        return names[0]
    raise EvalError("unsupported", "a sum without an index variable (write \\sum_k ...)")


def evaluate(*, node: Node, env: EvalEnv) -> np.ndarray:
    """Value of ``node``: a 0-d array (scalar) or a 2-d array; raises EvalError."""
    interp = _Interpreter(env)
    with np.errstate(all="ignore"):
        return _evaluated(interp, node, dict(env.bindings))


def evaluate_entries(*, node: Node, env: EvalEnv, bindings: Iterable[Mapping[str, int]],
                     accept: Callable[[np.ndarray], None]) -> None:
    """``accept(evaluate(...))`` of ``node`` with each of ``bindings`` in turn (``env``'s own bindings replaced), the
    next entry evaluated only once ``accept`` has returned (an index form's entries: one interpreter for all of them;
    without a budget in ``env``, each entry has a budget of its own, as each ``evaluate`` has)."""
    interp = _Interpreter(env)
    with np.errstate(all="ignore"):
        for b in bindings:
            if env.budget is None:
                interp.budget = WorkBudget()
            accept(_evaluated(interp, node, dict(b)))


def _evaluated(interp: _Interpreter, node: Node, bindings: dict[str, int]) -> np.ndarray:
    """The value of ``node`` (NumPy's floating-point errors ignored by the caller), finite, or an EvalError."""
    try:
        result = interp.run(node, bindings)
    except RecursionError:
        raise EvalError("bound", "expression nested too deeply") from None
    except (FloatingPointError, OverflowError, ValueError, ZeroDivisionError, np.linalg.LinAlgError) as exc:
        raise EvalError("unsupported", f"numeric failure: {type(exc).__name__}") from None
    result = np.asarray(result, dtype=float)
    if not (math.isfinite(float(result)) if result.ndim == 0 else np.all(np.isfinite(result))):
        raise EvalError("nonfinite", "the value overflows or is undefined (inf/nan) at the test points")
    return result
