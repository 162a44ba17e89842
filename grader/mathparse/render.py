"""Canonical LaTeX for a Node (deterministic, minimal brackets)."""

from __future__ import annotations

import re

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
    if isinstance(node, Num):
        return _num(node)
    if isinstance(node, Sym):
        return _name(node.name)
    if isinstance(node, Index):
        idx = ",".join(_r(i) for i in node.idx)
        return f"{_wrap(node.base, _PREC_ATOM)}_{{{idx}}}"
    if isinstance(node, Neg):
        return "-" + _wrap(node.arg, _PREC_UNARY)
    if isinstance(node, Add):
        right = _r(node.right)
        return f"{_r(node.left)} + {right}"
    if isinstance(node, Sub):
        return f"{_r(node.left)} - {_wrap(node.right, _PREC_PROD)}"
    if isinstance(node, Mul):
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
    if isinstance(node, Div):
        return rf"\frac{{{_r(node.left)}}}{{{_r(node.right)}}}"
    if isinstance(node, Pow):
        return f"{_wrap(node.base, _PREC_ATOM)}^{{{_r(node.exp)}}}"
    if isinstance(node, Transpose):
        return f"{_wrap(node.arg, _PREC_ATOM)}^{{T}}"
    if isinstance(node, Factorial):
        return f"{_wrap(node.arg, _PREC_ATOM)}!"
    if isinstance(node, Call):
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
    if isinstance(node, SumOver):
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
    if isinstance(node, Delta):
        return rf"\delta_{{{_r(node.i)}{_r(node.j)}}}"
    if isinstance(node, Cond):
        return _cond(node)
    if isinstance(node, Indicator):
        return rf"\mathbb{{1}}[{_cond(node.cond)}]"
    if isinstance(node, Piecewise):
        rows = r" \\ ".join(f"{_r(e)} & {_cond(c)}" for e, c in node.cases)
        return rf"\begin{{cases}} {rows} \end{{cases}}"
    if isinstance(node, Partial):
        return rf"\partial {_partial_operand(node.arg)}"  # `\partial T^{T}` re-parses; `\partial (…)` would not
    if isinstance(node, Derivative):
        if _bare(node.num) and _bare(node.den):
            return rf"\frac{{\partial {_r(node.num)}}}{{\partial {_r(node.den)}}}"
        return rf"\nabla_{{{_r(node.den)}}} \left({_r(node.num)}\right)"  # `\partial (x^T A x)` would not re-parse
    if isinstance(node, Gradient):
        return rf"\nabla {_wrap(node.arg, _PREC_POW)}"
    if isinstance(node, Tuple_):
        return r"\left(" + ", ".join(_r(i) for i in node.items) + r"\right)"
    raise TypeError(f"not a node: {type(node).__name__}")


def render_latex(*, node: Node) -> str:
    """Canonical LaTeX of ``node`` (re-parsable by parse_math)."""
    try:
        return _r(node)
    except RecursionError:
        return "<expression too deep to display>"


def render_text(*, node: Node) -> str:
    """A compact plain rendering used in notes (same as LaTeX, fewer \\left/\\right)."""
    return render_latex(node=node).replace(r"\left(", "(").replace(r"\right)", ")")
