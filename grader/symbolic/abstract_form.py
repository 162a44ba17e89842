"""The matrix form of an answer for every size at once (MatrixSymbols, non-commutative products: SymPy's own
algebra), and whether it cancels against the reference's: the exact judge's first, size-free proof
(grader.symbolic.exact_judge.prove_equal). The forms and what follows from them are remembered by value
(grader.symbolic.memo.ValueMemo), their steps charged to each check's budget as computing them would charge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.mathparse.exact import ExactBudget
from grader.mathparse.nodes import Delta, Index, Indicator, Node, Piecewise, SumOver, walk
from grader.symbolic.exact_judge import Relation, is_zero
from grader.symbolic.memo import ValueMemo, by_value, charged_by_value, remembered

if TYPE_CHECKING:
    from grader.symbolic.exact_judge import ExactTask
    from grader.symbolic.spec import SymbolicSpec

MAX_CANCELS = 512            # pairs of matrix forms whose cancelling is remembered (by the forms' value)
MAX_FORMS = 256              # answers' matrix forms remembered (by tree and shapes)
_CANCELS = ValueMemo(MAX_CANCELS)
_FORMS = ValueMemo(MAX_FORMS)


def abstract_zero(student: Node, reference: Node, relation: Relation, task: ExactTask, budget: ExactBudget) -> bool:
    """The matrix form cancels for every size (MatrixSymbol, non-commutative products)."""
    from grader.mathparse.to_sympy import SympyConversionError, to_sympy

    if relation == "diagonal" or any(isinstance(n, (Index, SumOver, Delta, Piecewise, Indicator))
                                     for tree in (student, reference) for n in walk(tree)):
        return False
    shapes = abstract_shapes(task.spec)
    try:
        r = (remembered(task.spec, task.compiled, ("abstract",), lambda: to_sympy(node=reference, shapes=shapes))
             if reference is task.compiled.reference else to_sympy(node=reference, shapes=shapes))
        s = r if student == reference else sympy_form(student, shapes)  # the same tree, the same form
    except SympyConversionError:
        return False
    if not by_value(s, r):
        return _cancels(s, r, relation, budget)
    return charged_by_value(_CANCELS, ("abstract", relation, s, r), budget,
                            lambda scratch: _cancels(s, r, relation, scratch))


def sympy_form(node: Node, shapes: dict[str, Any]) -> Any:
    """``to_sympy(node=node, shapes=shapes)``, remembered by the tree and the shapes (``_FORMS``): the matrix form
    abstract_zero builds of an answer is the one its readable LaTeX is printed from when the answer's names are
    single letters (grader.symbolic.canonical renames only longer ones). A conversion that fails is not kept."""
    from grader.mathparse.to_sympy import to_sympy

    key = (node, tuple(sorted(shapes.items())))
    return _FORMS.get(key, lambda: to_sympy(node=node, shapes=shapes))


def _cancels(s: Any, r: Any, relation: Relation, budget: ExactBudget) -> bool:
    """Whether the matrix forms ``s`` (the answer's) and ``r`` (the reference's) cancel: a function of the two
    forms, remembered by their value (``_CANCELS``: the answers \\frac{1001 X}{1001} and X have one form)."""
    import sympy as sp

    try:
        if relation == "transposed":
            s = s.T if getattr(s, "is_Matrix", False) else s
        if getattr(s, "is_Matrix", False) != getattr(r, "is_Matrix", False):
            return False
        if getattr(s, "is_Matrix", False):
            if s.shape != r.shape:
                return False
            budget.spend()
            out = sp.expand(s - r).doit()
            return bool(getattr(out, "is_ZeroMatrix", False)) or out == 0
        return is_zero(s - r, budget)
    except (TypeError, ValueError, AttributeError):
        return False


def abstract_shapes(spec: "SymbolicSpec") -> dict[str, Any]:
    from grader.mathparse.to_sympy import SymbolShape

    shapes = {}
    for name, decl in spec.symbols.items():
        if decl.kind == "vector":
            shapes[name] = SymbolShape("vector", decl.dim or 1, 1)
        elif decl.kind == "matrix" and decl.dims:
            shapes[name] = SymbolShape("matrix", decl.dims[0], decl.dims[1])
        elif decl.kind == "tensor":
            shapes[name] = SymbolShape("scalar")
        else:
            shapes[name] = SymbolShape(decl.kind)
    return shapes
