"""The typed expression tree produced by the parser (immutable, hashable).

Shapes are not part of the tree: a symbol only knows its name; whether it is
a scalar, vector or matrix comes from the symbol declarations at evaluation
time.  Products remember how they were written (implicit, \\cdot, \\odot ...)
so the interpreter can tell a matrix product from an element-wise one and
flag an ambiguous product between two vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ProductHow = Literal["implicit", "cdot", "times", "star", "odot"]
CondOp = Literal["=", "!=", ">", "<", ">=", "<=", "otherwise"]


@dataclass(frozen=True)
class Num:
    value: float
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Sym:
    """A name: a single letter, a declared multi-letter word (``mask``), a
    decorated letter (``y_hat``), a labelled name (``z^{(2)}``) or a greek
    letter (``delta``).  Unresolved multi-letter words stay as one Sym until
    the symbol declarations split them."""

    name: str


@dataclass(frozen=True)
class Index:
    """``base_{i}`` / ``base_{ij}`` / ``base_{i,j}``: indexing (1-based)."""

    base: "Node"
    idx: tuple["Node", ...]


@dataclass(frozen=True)
class Neg:
    arg: "Node"


@dataclass(frozen=True)
class Add:
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Sub:
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Mul:
    """``applied``: ``"call"`` when written as a name right before a bracket (``f(x)``, ``y(1-y)``, ``g(x, y)``),
    ``"power"`` for a name before a bracket with an exponent (``f(x)^2``, read as ``f \\cdot (x)^2`` unless f is a
    function the problem declares), ``"compose"`` for ``f \\circ g`` (element-wise otherwise); a hint only, not part of equality (it is an implicit product otherwise)."""

    left: "Node"
    right: "Node"
    how: ProductHow
    applied: Literal["", "call", "power", "compose"] = field(default="", compare=False)


@dataclass(frozen=True)
class Div:
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Pow:
    base: "Node"
    exp: "Node"


@dataclass(frozen=True)
class Transpose:
    """``x^T``; ``prime``: written ``x'`` (a hint only: with declared functions, ``(f(x))'`` means a derivative)."""

    arg: "Node"
    prime: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Factorial:
    arg: "Node"


@dataclass(frozen=True)
class Call:
    """A known function: sigma, softmax, diag, exp, log, sqrt, relu, max, min, tanh, abs.
    ``derivative`` counts primes (``\\sigma'``)."""

    func: str
    args: tuple["Node", ...]
    derivative: int = 0
    wrt: int = 0   # a declared function's partial derivative in this argument (1-based): ∂g/∂x for g(x, y)


@dataclass(frozen=True)
class SumOver:
    """``\\sum_{var=lo}^{hi} body`` (``op="prod"``: ``\\prod``); lo/hi may be None (range inferred from the body).
    ``exclude``: values the index skips (``\\sum_{k \\neq i}``); ``\\sum_{i,j}`` is two nested SumOvers."""

    var: str
    lo: "Node | None"
    hi: "Node | None"
    body: "Node"
    op: Literal["sum", "prod"] = "sum"
    exclude: tuple["Node", ...] = ()


@dataclass(frozen=True)
class Delta:
    """Kronecker delta ``\\delta_{ij}``."""

    i: "Node"
    j: "Node"


@dataclass(frozen=True)
class Cond:
    op: CondOp
    left: "Node | None" = None
    right: "Node | None" = None


@dataclass(frozen=True)
class Indicator:
    """``\\mathbb{1}[i = j]``."""

    cond: Cond


@dataclass(frozen=True)
class Piecewise:
    cases: tuple[tuple["Node", Cond], ...]


@dataclass(frozen=True)
class Partial:
    """``\\partial x`` (only meaningful inside a derivative)."""

    arg: "Node"


@dataclass(frozen=True)
class Derivative:
    """``\\frac{\\partial f}{\\partial x}``: not evaluable unless a declared alias names it."""

    num: "Node"
    den: "Node"


@dataclass(frozen=True)
class Gradient:
    """``\\nabla L`` with no variable: a gradient whose direction is unknown (``\\nabla_W L`` is a Derivative)."""

    arg: "Node"


@dataclass(frozen=True)
class Tuple_:
    """A parenthesised comma list, only valid as function arguments."""

    items: tuple["Node", ...]


Node = (Num | Sym | Index | Neg | Add | Sub | Mul | Div | Pow | Transpose | Factorial | Call | SumOver
        | Delta | Cond | Indicator | Piecewise | Partial | Derivative | Gradient | Tuple_)

# unannotated: mypy keeps each member's type, so isinstance(x, NODE_TYPES) narrows x to Node
NODE_TYPES = (Num, Sym, Index, Neg, Add, Sub, Mul, Div, Pow, Transpose, Factorial, Call,
              SumOver, Delta, Cond, Indicator, Piecewise, Partial, Derivative, Gradient, Tuple_)

FUNCTIONS: frozenset[str] = frozenset({"sigma", "softmax", "diag", "exp", "log", "sqrt", "relu", "max",
                                       "min", "tanh", "abs", "floor", "ceil", "sign"})


def children(node: Node) -> tuple[Node, ...]:
    """Direct sub-nodes, in a fixed order."""
    if isinstance(node, (Num, Sym)):
        return ()
    if isinstance(node, Index):
        return (node.base, *node.idx)
    if isinstance(node, (Neg, Transpose, Factorial, Partial, Gradient)):
        return (node.arg,)
    if isinstance(node, (Add, Sub, Mul, Div)):
        return (node.left, node.right)
    if isinstance(node, Pow):
        return (node.base, node.exp)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, SumOver):
        return tuple(n for n in (node.lo, node.hi) if n is not None) + node.exclude + (node.body,)
    if isinstance(node, Delta):
        return (node.i, node.j)
    if isinstance(node, Cond):
        return tuple(n for n in (node.left, node.right) if n is not None)
    if isinstance(node, Indicator):
        return (node.cond,)
    if isinstance(node, Piecewise):
        return tuple(x for case in node.cases for x in case)
    if isinstance(node, Derivative):
        return (node.num, node.den)
    if isinstance(node, Tuple_):
        return node.items
    raise TypeError(f"not a node: {type(node).__name__}")


def walk(node: Node):
    """All nodes, pre-order, iteratively (trees are depth-bounded anyway)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def map_children(node: Node, fn) -> Node:
    """A copy of ``node`` with ``fn`` applied to each direct sub-node (same node when nothing changed)."""
    import dataclasses

    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, NODE_TYPES):
            new = fn(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], tuple):
            new = tuple(tuple(fn(x) for x in pair) for pair in value)
        elif isinstance(value, tuple) and value and isinstance(value[0], NODE_TYPES):
            new = tuple(fn(x) for x in value)
        else:
            continue
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(node, **changes) if changes else node
