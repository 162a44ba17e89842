"""lark parse tree -> typed nodes (grader.mathparse.nodes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lark import Token, Transformer, v_args

from grader.mathparse.errors import MathParseError
from grader.mathparse.nodes import (Add, Call, Cond, Delta, Derivative, Div, Factorial, Gradient, Index, Indicator, Mul, Neg,
                                    Node, Num, Partial, Piecewise, Pow, Sub, SumOver, Sym, Transpose, Tuple_, walk)

MAX_DIGITS = 30

_FUNC_ALIASES = {"sigmoid": "sigma", "ln": "log", "ReLU": "relu", "sgn": "sign"}
_INEQ = {">": ">", "<": "<", r"\geq": ">=", r"\leq": "<="}
_MULOPS = {r"\cdot": "cdot", r"\times": "times", "*": "star", r"\odot": "odot", r"\circ": "odot"}
_DECOR_SUFFIX = {"hat": "_hat", "widehat": "_hat", "bar": "_bar", "overline": "_bar", "tilde": "_tilde",
                 "widetilde": "_tilde", "dot": "_dot"}


@dataclass(frozen=True)
class _Paren:
    """A bracketed expression, kept only while building (labels like z^{(2)} need it)."""

    inner: Node


@dataclass(frozen=True)
class _List:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class _ParenPower:
    """``(x)^2``: a power of a bracket, kept only while building (``f(x)^2`` may apply a declared f)."""

    power: Node


def _u(node: object) -> Node:
    while isinstance(node, (_Paren, _ParenPower)):
        node = node.inner if isinstance(node, _Paren) else node.power
    if isinstance(node, _List):
        raise MathParseError("a comma list is only allowed in a subscript or as function arguments")
    return node  # type: ignore[return-value]


def _number(text: str) -> Num:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        raise MathParseError(f"number with more than {MAX_DIGITS} digits refused")
    return Num(float(text), text)


def _implicit_leaves(node: Node) -> tuple[Node, ...] | None:
    """``{i j}`` / ``{i 1}`` in a subscript: the juxtaposed names, else None."""
    if isinstance(node, Mul) and node.how == "implicit":
        left, right = _implicit_leaves(node.left), _implicit_leaves(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, (Sym, Num)):
        return (node,)
    return None


def _with_subscript(base: Node, items: tuple[Node, ...]) -> Node:
    if len(items) == 1 and isinstance(items[0], Mul):
        leaves = _implicit_leaves(items[0])
        if leaves is not None and len(leaves) == 2:
            items = leaves
    if isinstance(base, Sym) and base.name == "delta":
        if len(items) == 2:
            return Delta(items[0], items[1])
        if len(items) == 1 and isinstance(items[0], Sym) and len(items[0].name) == 2:
            a, b = items[0].name[0], items[0].name[1]
            return Delta(Sym(a), Sym(b))
    if isinstance(base, Index):
        return Index(base.base, base.idx + items)
    return Index(base, items)


@v_args(inline=True)
class TreeBuilder(Transformer):
    def start(self, expr):
        return _u(expr)

    def number(self, tok):
        return _number(str(tok))

    def word(self, tok):
        return Sym(str(tok))

    def paren(self, expr):
        return _Paren(_u(expr))

    def brace(self, expr):
        return _u(expr)

    def tuple(self, *items):
        return Tuple_(tuple(_u(i) for i in items))

    def add(self, a, b):
        return Add(_u(a), _u(b))

    def sub(self, a, b):
        return Sub(_u(a), _u(b))

    def mul(self, a, op, b):
        compose = "compose" if str(op) == r"\circ" else ""   # `(f \circ g)(x)` may compose declared functions
        return Mul(_u(a), _u(b), _MULOPS[str(op)], compose)  # type: ignore[arg-type]

    def div(self, a, b):
        return self.frac(a, b)  # `∂J/∂Z` is a derivative, like \frac{∂J}{∂Z}

    def floordiv(self, a, b):
        """`n // s` is floor(n / s), as in Python."""
        return Call("floor", (Div(_u(a), _u(b)),))

    def floor_bracket(self, expr):
        return Call("floor", (_u(expr),))

    def ceil_bracket(self, expr):
        return Call("ceil", (_u(expr),))

    def neg(self, a):
        a = _u(a)
        if isinstance(a, Num):
            return Neg(a)
        return Neg(a)

    def pos(self, a):
        return _u(a)

    def imul(self, a, b):
        left, right = _u(a), _u(b)
        applied = "" if not _ends_in_name(left) else "call" if isinstance(b, (_Paren, Tuple_)) else \
            "power" if isinstance(b, _ParenPower) else ""
        if isinstance(a, _Paren) and isinstance(left, Mul) and left.applied == "compose" \
                and isinstance(b, (_Paren, Tuple_)):
            applied = "call"  # `(f \circ g)(x)`
        return Mul(left, right, "implicit", applied)  # type: ignore[arg-type]

    def group(self, expr):
        return expr  # may be a _Paren: needed for labels

    def glist(self, *items):
        return _List(tuple(_u(i) for i in items))

    def power(self, base, exp):
        base_u = _u(base)
        if isinstance(exp, _List):
            raise MathParseError("a comma list cannot be an exponent")
        if isinstance(exp, _Paren) and isinstance(base_u, Sym) and isinstance(exp.inner, (Num, Sym)):
            label = exp.inner.text if isinstance(exp.inner, Num) else exp.inner.name
            return Sym(f"{base_u.name}^({label})")
        exp_u = _u(exp)
        if isinstance(exp_u, Sym) and exp_u.name == "T":
            return Transpose(base_u)
        if isinstance(exp_u, Neg) and isinstance(exp_u.arg, Num) and exp_u.arg.value == 1 and isinstance(base_u, Sym) \
                and base_u.name in ("sigma",):
            raise MathParseError("inverse functions are not supported")
        if isinstance(base, (_Paren, Tuple_)):
            return _ParenPower(Pow(base_u, exp_u))
        return Pow(base_u, exp_u)

    def subscript(self, base, sub):
        items = sub.items if isinstance(sub, _List) else (_u(sub),)
        return _with_subscript(_u(base), items)

    def prime(self, base):
        base_u = _u(base)
        if isinstance(base_u, Call):
            return Call(base_u.func, base_u.args, base_u.derivative + 1)
        return Transpose(base_u, True)

    def factorial(self, base):
        return Factorial(_u(base))

    def frac(self, num, den):
        num_u, den_u = _u(num), _u(den)
        if isinstance(num_u, Partial) and isinstance(den_u, Partial):
            return Derivative(num_u.arg, den_u.arg)
        if isinstance(den_u, Partial) and isinstance(num_u, Mul) and num_u.how == "implicit" \
                and isinstance(num_u.right, Partial):
            # `2 ∂h/∂y`: `/` binds after the implicit product, but the derivative is ∂h/∂y, times 2
            return Mul(num_u.left, Derivative(num_u.right.arg, den_u.arg), "implicit")
        return Div(num_u, den_u)

    def decor(self, tok, expr):
        kind = str(tok)[1:]
        inner = _u(expr)
        suffix = _DECOR_SUFFIX[kind]
        if isinstance(inner, Sym):
            return Sym(inner.name + suffix)
        if isinstance(inner, Index) and isinstance(inner.base, Sym):
            return Index(Sym(inner.base.name + suffix), inner.idx)
        raise MathParseError(f"\\{kind} over an expression is not supported")

    def partial(self, arg):
        return Partial(_u(arg))

    def nabla_sub(self, var, arg):
        """`\\nabla_W L` is ∂L/∂W (so it matches a declared `\\frac{\\partial L}{\\partial W}` alias)."""
        if isinstance(var, _List):
            raise MathParseError("\\nabla takes one variable")
        return Derivative(_u(arg), _u(var))

    def nabla(self, arg):
        return Gradient(_u(arg))

    def primes(self, *toks):
        return len(toks)

    def func_sub(self, func, sub):
        """`\\sigma_i` with no argument: the i-th entry of a quantity named after the function (softmax output)."""
        return self.subscript(Sym(_func_name(func)), sub)

    def call_sub(self, func, sub, arg):
        """`\\operatorname{softmax}_i(z)`: entry i of the function's value; but `\\sigma_i(\\delta_{ij} - \\sigma_j)`
        (the bracket mentions the same name or an index delta) is the entry times the bracket."""
        arg_u = _u(arg)
        if _mentions(arg_u, _func_name(func)):
            return Mul(self.func_sub(func, sub), arg_u, "implicit")
        return self.subscript(self.call(func, 0, arg), sub)

    def call(self, func, primes, *args):
        name = _func_name(func)
        items: list[Node] = []
        for a in args:
            a_u = _u(a)
            if isinstance(a_u, Tuple_):
                items.extend(a_u.items)
            else:
                items.append(a_u)
        return Call(name, tuple(items), int(primes))

    def sum_to(self, tok, *rest):
        *items, hi, body = rest
        return _sum_from_items(_sum_op(tok), items, _u(hi), _u(body))

    def sum_var(self, tok, *rest):
        *items, body = rest
        return _sum_from_items(_sum_op(tok), items, None, _u(body))

    def sum_bare(self, tok, body):
        return SumOver("", None, None, _u(body), _sum_op(tok))

    def sum_item_var(self, name):
        return _SumItem("var", _index_name(_u(name)), None)

    def sum_item_from(self, name, lo):
        return _SumItem("from", _index_name(_u(name)), _u(lo))

    def sum_item_ne(self, left, _tok, right):
        return _SumItem("ne", "", None, _u(left), _u(right))

    def start_where(self, expr, _tok, cond):
        """`\\sum_{k=1}^{C} e^{z_k}, k \\neq i`: the condition excludes a value from the sums over k."""
        if cond.op != "!=":
            raise MathParseError("only a condition 'k \\neq i' may follow a sum")
        body = _u(expr)
        for var, other in ((cond.left, cond.right), (cond.right, cond.left)):
            name = _maybe_index_name(var)
            if name and any(isinstance(n, SumOver) and n.var == name for n in walk(body)):
                return _exclude_in(body, name, other)
        raise MathParseError("the condition after the expression does not name the index of a sum")

    def indicator(self, cond):
        return Indicator(cond)

    def cases(self, *rows):
        return Piecewise(tuple(r for r in rows if not isinstance(r, Token)))

    def case_row(self, expr, cond):
        return (_u(expr), cond)

    def cond_eq(self, a, b):
        return Cond("=", _u(a), _u(b))

    def cond_ne(self, a, _tok, b):
        return Cond("!=", _u(a), _u(b))

    def cond_ineq(self, a, tok, b):
        return Cond(_INEQ[str(tok)], _u(a), _u(b))  # type: ignore[arg-type]

    def cond_otherwise(self, _tok):
        return Cond("otherwise")


@dataclass(frozen=True)
class _SumItem:
    """One item of a sum's subscript: ``k``, ``k=1`` or ``k \\neq i`` (left/right kept for the latter)."""

    kind: str
    name: str
    lo: Node | None
    left: Node | None = None
    right: Node | None = None


def _maybe_index_name(node: Node | None) -> str | None:
    """`k` -> "k", `j_1` / `j_{1}` -> "j_1" (a summation index), anything else None."""
    if isinstance(node, Sym):
        return node.name
    if isinstance(node, Index) and isinstance(node.base, Sym) and len(node.idx) == 1 \
            and isinstance(node.idx[0], (Sym, Num)) and "_" not in node.base.name:
        item = node.idx[0]
        return f"{node.base.name}_{item.name if isinstance(item, Sym) else item.text}"
    return None


def _index_name(node: Node) -> str:
    name = _maybe_index_name(node)
    if name is None:
        raise MathParseError("the index of a sum must be a name (\\sum_{k}, \\sum_{j_1})")
    return name


def _sum_from_items(op: str, items: list, hi: Node | None, body: Node) -> Node:
    """`\\sum_{i,j}`, `\\sum_{k=1, k \\neq i}^{C}`, `\\sum_{k \\neq i}`: nested SumOvers, outermost first;
    an upper limit applies to every index, a lower limit given once at the end (`\\sum_{i,j=1}^{n}`) too."""
    order: list[str] = []
    lows: dict[str, Node | None] = {}
    excludes: dict[str, list[Node]] = {}
    for item in items:
        if item.kind in ("var", "from"):
            if item.name in lows:
                raise MathParseError(f"the sum index {item.name} is given twice")
            order.append(item.name)
            lows[item.name] = item.lo
    for item in items:
        if item.kind != "ne":
            continue
        left, right = _maybe_index_name(item.left), _maybe_index_name(item.right)
        if left in lows:
            excludes.setdefault(left, []).append(item.right)
        elif right in lows:
            excludes.setdefault(right, []).append(item.left)
        elif left is not None and not order:
            order.append(left)
            lows[left] = None
            excludes.setdefault(left, []).append(item.right)
        else:
            raise MathParseError("a condition under a sum must exclude a value of its index (k \\neq i)")
    explicit = [n for n in order if lows[n] is not None]
    if len(order) > 1 and explicit == [order[-1]]:
        shared = lows[order[-1]]
        lows = {n: shared for n in order}
    out = body
    for name in reversed(order):
        out = SumOver(name, lows[name], hi, out, op, tuple(excludes.get(name, ())))  # type: ignore[arg-type]
    return out


def _exclude_in(node: Node, name: str, value: Node) -> Node:
    """Every sum over ``name`` in ``node`` also skips ``value`` (depth-bounded by the parser's limits)."""
    from grader.mathparse.nodes import map_children

    if isinstance(node, SumOver) and node.var == name:
        return SumOver(node.var, node.lo, node.hi, _exclude_in(node.body, name, value), node.op,
                       node.exclude + (value,))
    return map_children(node, lambda child: _exclude_in(child, name, value))


def _ends_in_name(node: Node) -> bool:
    """Whether the last factor of an implicit product is a name or a primed name (`f`, `f'`, `a f''`)."""
    while isinstance(node, Mul) and node.how == "implicit":
        node = node.right
    while isinstance(node, Transpose):
        node = node.arg
    return isinstance(node, Sym)


def _sum_op(tok) -> Literal["sum", "prod"]:
    """`\\sum` -> sum, `\\prod` -> prod."""
    return "prod" if str(tok) == r"\prod" else "sum"


def _func_name(tok) -> str:
    """`\\sigmoid` -> `sigma`: the function's canonical name."""
    name = str(tok)[1:]
    return _FUNC_ALIASES.get(name, name)


def _mentions(node: Node, name: str) -> bool:
    """Whether ``node`` uses ``name`` (as a symbol or a function) or a Kronecker delta."""
    return any(isinstance(n, Delta) or (isinstance(n, Sym) and n.name == name)
               or (isinstance(n, Call) and n.func == name) for n in walk(node))
