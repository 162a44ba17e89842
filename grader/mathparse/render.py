"""Canonical LaTeX for a Node (deterministic, minimal brackets)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from grader.mathparse.nodes import (Add, Call, Cond, Delta, Derivative, Div, Factorial, Gradient, Index, Indicator, Mul, Neg,
                                    Node, Num, Partial, Piecewise, Pow, Sub, SumOver, Sym, Transpose, Tuple_)

_PREC_SUM, _PREC_PROD, _PREC_UNARY, _PREC_IMPL, _PREC_POW, _PREC_ATOM = 1, 2, 3, 4, 5, 6
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
          "mu", "nu", "xi", "pi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "ell"}
_FUNC_LATEX = {"sigma": r"\sigma", "exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "max": r"\max", "min": r"\min",
               "softmax": r"\operatorname{softmax}", "diag": r"\operatorname{diag}", "relu": r"\operatorname{ReLU}",
               "abs": r"\operatorname{abs}", "sign": r"\operatorname{sign}"}
_BRACKETS = {"floor": (r"\left\lfloor ", r" \right\rfloor"), "ceil": (r"\left\lceil ", r" \right\rceil")}
#: a rendering ending in a quantity named like a function (`\mathrm{sigma}`): a bracket after it would make a call
_ENDS_WITH_FUNCTION_NAME = re.compile(r"\\mathrm\{(?:" + "|".join(sorted(_FUNC_LATEX)) + r")\}$")
_MUL_LATEX = {"implicit": " ", "cdot": r" \cdot ", "times": r" \times ", "star": " * ", "odot": r" \odot "}


def _name(name: str) -> str:
    m = re.fullmatch(r"(.+)\^\((.+)\)", name)
    if m:
        return f"{_name(m.group(1))}^{{({m.group(2)})}}"
    for suffix, cmd in (("_hat", r"\hat"), ("_bar", r"\bar"), ("_tilde", r"\tilde"), ("_dot", r"\dot")):
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{cmd}{{{_name(name[: -len(suffix)])}}}"
    if name in _GREEK or name.capitalize() in {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Phi", "Psi", "Omega"} and name[0].isupper():
        return "\\" + name
    if "_" in name:
        head, tail = name.split("_", 1)
        return f"{_name(head)}_{{\\mathrm{{{tail}}}}}"
    if len(name) > 1:
        return rf"\mathrm{{{name}}}"
    return name


def _num(node: Num) -> str:
    v = node.value
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def _prec(node: Node) -> int:
    if isinstance(node, (Add, Sub)):
        return _PREC_SUM
    if isinstance(node, Mul):
        return _PREC_IMPL if node.how == "implicit" else _PREC_PROD
    if isinstance(node, (Neg, SumOver)):
        return _PREC_UNARY
    if isinstance(node, (Pow, Transpose, Index, Factorial)):
        return _PREC_POW
    return _PREC_ATOM


def _wrap(node: Node, min_prec: int) -> str:
    text = _r(node)
    if _prec(node) < min_prec:
        return rf"\left({text}\right)"
    return text


def _partial_operand(node: Node) -> str:
    """What follows ``\\partial``: a chain of powers and transposes is written as a chain (``X^{T}^{T}``), since
    the bracket ``(X^{T})^{T}`` would end the operand before it starts."""
    if isinstance(node, Transpose) and isinstance(node.arg, (Transpose, Pow)):
        return _partial_operand(node.arg) + "^{T}"
    if isinstance(node, Pow) and isinstance(node.base, (Transpose, Pow)):
        return f"{_partial_operand(node.base)}^{{{_r(node.exp)}}}"
    return _wrap(node, _PREC_POW)


def _bare(node: Node) -> bool:
    """Whether ``\\partial`` can be written right before the node's rendering (a name, call, entry or power of one)."""
    if isinstance(node, (Index, Pow)):
        node = node.base
    elif isinstance(node, Transpose):
        node = node.arg
    return isinstance(node, (Sym, Call))  # one level only: `(W^T)^T` is rendered with a bracket


def _cond(node: Cond) -> str:
    if node.op == "otherwise":
        return r"\text{otherwise}"
    op = {"=": "=", "!=": r"\neq", ">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq"}[node.op]
    return f"{_r(node.left)} {op} {_r(node.right)}"  # type: ignore[arg-type]


def _r(node: Node) -> str:
    render = _RENDER.get(type(node))
    if render is None:
        raise TypeError(f"not a node: {type(node).__name__}")
    return render(node)


def _index(node: Index) -> str:
    idx = ",".join(_r(i) for i in node.idx)
    return f"{_wrap(node.base, _PREC_ATOM)}_{{{idx}}}"


def _add(node: Add) -> str:
    right = _r(node.right)
    return f"{_r(node.left)} + {right}"


def _mul(node: Mul) -> str:
    if node.how == "implicit":
        left, right = _wrap(node.left, _PREC_IMPL), _wrap(node.right, _PREC_POW)
    else:
        left, right = _wrap(node.left, _PREC_PROD), _wrap(node.right, _PREC_UNARY)
    sep = _MUL_LATEX[node.how]
    if node.how == "implicit" and isinstance(node.right, Num):
        sep = r" \, "
    if node.how == "implicit" and _ENDS_WITH_FUNCTION_NAME.search(left):
        left = "{" + left + "}"  # a quantity named like a function (σ, ∂σ) times a bracket is not a call
    return f"{left}{sep}{right}"


def _call(node: Call) -> str:
    if node.wrt and node.wrt <= len(node.args) and all(isinstance(a, Sym) for a in node.args):
        # a declared function's partial derivative at its declared arguments (re-read via `args`)
        return rf"\frac{{\partial {_name(node.func)}}}{{\partial {_r(node.args[node.wrt - 1])}}}"
    if node.func == "sqrt":
        return rf"\sqrt{{{_r(node.args[0])}}}" if node.args else r"\sqrt{}"
    if node.func in _BRACKETS and len(node.args) == 1 and not node.derivative:
        left, right = _BRACKETS[node.func]
        return f"{left}{_r(node.args[0])}{right}"
    head = _FUNC_LATEX.get(node.func, rf"\operatorname{{{node.func}}}") + "'" * node.derivative
    return rf"{head}\left({', '.join(_r(a) for a in node.args)}\right)"


def _sum_over(node: SumOver) -> str:
    excluded = "".join(rf", {node.var} \neq {_r(x)}" for x in node.exclude)
    if not node.var:
        lims = ""
    elif node.lo is None and node.exclude:
        lims = f"_{{{excluded[2:]}}}"
    elif node.lo is None:
        lims = f"_{{{node.var}}}"
    else:
        lims = f"_{{{node.var}={_r(node.lo)}{excluded}}}"
    if node.hi is not None:
        lims += f"^{{{_r(node.hi)}}}"
    body = _r(node.body) if isinstance(node.body, SumOver) else _wrap(node.body, _PREC_IMPL)
    return rf"\{node.op}{lims} {body}"


def _piecewise(node: Piecewise) -> str:
    rows = r" \\ ".join(f"{_r(e)} & {_cond(c)}" for e, c in node.cases)
    return rf"\begin{{cases}} {rows} \end{{cases}}"


def _derivative(node: Derivative) -> str:
    if _bare(node.num) and _bare(node.den):
        return rf"\frac{{\partial {_r(node.num)}}}{{\partial {_r(node.den)}}}"
    return rf"\nabla_{{{_r(node.den)}}} \left({_r(node.num)}\right)"  # `\partial (x^T A x)` would not re-parse


#: node type -> its rendering; a type missing here is not a node
_RENDER: dict[type, Callable[[Any], str]] = {
    Num: _num,
    Sym: lambda node: _name(node.name),
    Index: _index,
    Neg: lambda node: "-" + _wrap(node.arg, _PREC_UNARY),
    Add: _add,
    Sub: lambda node: f"{_r(node.left)} - {_wrap(node.right, _PREC_PROD)}",
    Mul: _mul,
    Div: lambda node: rf"\frac{{{_r(node.left)}}}{{{_r(node.right)}}}",
    Pow: lambda node: f"{_wrap(node.base, _PREC_ATOM)}^{{{_r(node.exp)}}}",
    Transpose: lambda node: f"{_wrap(node.arg, _PREC_ATOM)}^{{T}}",
    Factorial: lambda node: f"{_wrap(node.arg, _PREC_ATOM)}!",
    Call: _call,
    SumOver: _sum_over,
    Delta: lambda node: rf"\delta_{{{_r(node.i)}{_r(node.j)}}}",
    Cond: _cond,
    Indicator: lambda node: rf"\mathbb{{1}}[{_cond(node.cond)}]",
    Piecewise: _piecewise,
    Partial: lambda node: rf"\partial {_partial_operand(node.arg)}",  # `\partial T^{T}` re-parses; `\partial (…)` would not
    Derivative: _derivative,
    Gradient: lambda node: rf"\nabla {_wrap(node.arg, _PREC_POW)}",
    Tuple_: lambda node: r"\left(" + ", ".join(_r(i) for i in node.items) + r"\right)",
}


def render_latex(*, node: Node) -> str:
    """Canonical LaTeX of ``node`` (re-parsable by parse_math)."""
    try:
        return _r(node)
    except RecursionError:
        return "<expression too deep to display>"


def render_text(*, node: Node) -> str:
    """A compact plain rendering used in notes (same as LaTeX, fewer \\left/\\right)."""
    return render_latex(node=node).replace(r"\left(", "(").replace(r"\right)", ")")
