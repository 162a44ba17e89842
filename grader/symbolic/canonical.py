"""Readable, simplified LaTeX of a reference or an answer (``\\hat{y} - y``, not the tree as typed).

Built by SymPy from our own tree (grader.mathparse.to_sympy; never from text), only for small trees and
only when expanding stays small; None otherwise.  Display only: never part of a verdict.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from grader.mathparse.nodes import Node, SumOver, Sym, map_children, walk
from grader.symbolic.compile import compile_spec
from grader.symbolic.memo import ValueMemo, remembered

if TYPE_CHECKING:
    from grader.symbolic.spec import SymbolicSpec

MAX_CANONICAL_NODES = 60
MAX_CANONICAL_TERMS = 200
MAX_CANONICAL_CHARS = 400
MAX_PRINTED = 512            # readable forms remembered by their SymPy value
_PRINTED = ValueMemo(MAX_PRINTED)


def readable_latex(*, node: Node, spec: "SymbolicSpec") -> str | None:
    from grader.symbolic.abstract_form import abstract_shapes

    nodes = list(itertools.islice(walk(node), MAX_CANONICAL_NODES + 1))
    if len(nodes) > MAX_CANONICAL_NODES or any(isinstance(n, SumOver) and n.hi is None for n in nodes):
        return None  # too large, or a sum whose range SymPy would have to invent
    return _latex(_renamed(node), remembered(spec, compile_spec(spec=spec), ("shown shapes",),
                                             lambda: _shown_shapes(abstract_shapes(spec))))


def _shown_shapes(shapes: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The symbols' shapes under the names SymPy prints (once per spec: grader.symbolic.memo)."""
    shown = {_shown(name): shape for name, shape in shapes.items()}
    return tuple(sorted(shown.items(), key=lambda kv: kv[0]))


def _shown(name: str) -> str:
    """The name as our renderer writes it (``y_hat`` -> ``\\hat{y}``), so SymPy prints it the same way."""
    from grader.mathparse import render_latex

    return render_latex(node=Sym(name)) if len(name) > 1 else name


def _renamed(node: Node) -> Node:
    if isinstance(node, Sym):
        return Sym(_shown(node.name))
    return map_children(node, _renamed)


@lru_cache(maxsize=512)
def _latex(node: Node, shapes: tuple) -> str | None:
    from grader.mathparse.to_sympy import SympyConversionError
    from grader.symbolic.abstract_form import sympy_form
    from grader.symbolic.memo import by_value

    try:
        expr = sympy_form(node, dict(shapes))
        if not by_value(expr):
            return _printed(expr)
        return _PRINTED.get(expr, lambda: _printed(expr))
    except (SympyConversionError, RecursionError):
        return None


def _printed(expr: Any) -> str | None:
    """The readable LaTeX of a SymPy form: a function of the form, remembered by its value (``_PRINTED``: the
    answers \\frac{1001 X}{1001} and X have one form); a RecursionError is not kept."""
    import sympy

    from grader.symbolic.exact_judge import _terms

    try:
        plain = not getattr(expr, "is_Matrix", False) and not expr.has(sympy.Sum, sympy.Piecewise)
        if plain and _terms(expr, MAX_CANONICAL_TERMS + 1) <= MAX_CANONICAL_TERMS:
            expr = sympy.factor_terms(sympy.expand(expr))
        text = sympy.latex(expr)
    except (TypeError, ValueError, AttributeError):
        return None
    return text if len(text) <= MAX_CANONICAL_CHARS else None
