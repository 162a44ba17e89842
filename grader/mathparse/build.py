"""lark parse tree -> typed nodes (grader.mathparse.nodes)."""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Transformer, v_args

from grader.mathparse.errors import MathParseError
from grader.mathparse.nodes import (Add, Call, Cond, Delta, Derivative, Div, Factorial, Index, Indicator, Mul, Neg,
                                    Node, Num, Partial, Piecewise, Pow, Sub, SumOver, Sym, Transpose, Tuple_, walk)

MAX_DIGITS = 30

_FUNC_ALIASES = {"sigmoid": "sigma", "ln": "log", "ReLU": "relu"}
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


def _u(node: object) -> Node:
    while isinstance(node, _Paren):
        node = node.inner
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
            a, b = items[0].name
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
        return Mul(_u(a), _u(b), _MULOPS[str(op)])  # type: ignore[arg-type]

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
        return Mul(_u(a), _u(b), "implicit")

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
        return Pow(base_u, exp_u)

    def subscript(self, base, sub):
        items = sub.items if isinstance(sub, _List) else (_u(sub),)
        return _with_subscript(_u(base), items)

    def prime(self, base):
        base_u = _u(base)
        if isinstance(base_u, Call):
            return Call(base_u.func, base_u.args, base_u.derivative + 1)
        return Transpose(base_u)

    def factorial(self, base):
        return Factorial(_u(base))

    def frac(self, num, den):
        num_u, den_u = _u(num), _u(den)
        if isinstance(num_u, Partial) and isinstance(den_u, Partial):
            return Derivative(num_u.arg, den_u.arg)
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

    def sum_range(self, tok, var, lo, hi, body):
        return SumOver(str(var), _u(lo), _u(hi), _u(body), _sum_op(tok))

    def sum_from(self, tok, var, lo, body):
        return SumOver(str(var), _u(lo), None, _u(body), _sum_op(tok))

    def sum_to(self, tok, var, hi, body):
        return SumOver(str(var), None, _u(hi), _u(body), _sum_op(tok))

    def sum_var(self, tok, var, body):
        return SumOver(str(var), None, None, _u(body), _sum_op(tok))

    def sum_bare(self, tok, body):
        return SumOver("", None, None, _u(body), _sum_op(tok))

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

    def cond_otherwise(self, _tok):
        return Cond("otherwise")


def _sum_op(tok) -> str:
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
