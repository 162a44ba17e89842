"""Derived references: ``reference: {derivative: ..., wrt: a}`` or ``{gradient: ..., wrt: w}``, worked out by SymPy.

The definition is trusted instructor LaTeX, parsed by our own grammar and resolved against the part's symbols
(never sympify).  Two ways, both bounded in size and CPU time:

* matrix calculus: a ``gradient`` of a scalar written without indices (``w^T A w``) is differentiated with
  respect to a MatrixSymbol (``(A + A^T) w``);
* entries: anything with indices, sums, deltas or element-wise operations is differentiated one entry at a time
  (``∂f_t/∂a_t`` of an element-wise ``derivative``, ``∂L/∂z_t`` of a ``gradient``), sums over deltas are done,
  the ``assuming`` equations are substituted (``\\sum_i y_i = 1``), and the result is written with whole vectors
  when it can be (a gradient) or at the part's result index (an element-wise derivative).

The result is rendered by our renderer, so the part's reference is text our checker reads like any other.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from grader.mathparse import MathParseError, parse_math, render_latex
from grader.mathparse.nodes import Delta, Index, Node, SumOver, Sym, map_children, walk

if TYPE_CHECKING:
    from grader.symbolic.spec import SymbolicSpec

DERIVE_SECONDS = 5.0        # CPU-time budget of one derivation (checked between the SymPy steps)
MAX_DEFINITION_NODES = 120  # larger definitions are not attempted
MAX_RESULT_OPS = 300        # SymPy operation count of the derivative, before and after simplifying
_ENTRY = "derivedentry"     # the free index while deriving (renamed after), unlike any index of the problem
_ALPHA = "derivedsumvar"


class DerivationError(ValueError):
    """A derived reference that cannot be had: ``field`` of the reference mapping, what went wrong, the fix."""

    def __init__(self, *, field: str, problem: str, fix: str) -> None:
        self.field, self.problem, self.fix = field, problem, fix
        super().__init__(f"reference.{field}: {problem} (fix: {fix})")


@dataclass(frozen=True)
class _Request:
    kind: str                      # derivative | gradient
    text: str
    wrt: str
    assuming: tuple[str, ...]


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.process_time() + DERIVE_SECONDS

    def check(self, expr: Any, field: str) -> None:
        import sympy as sp

        if time.process_time() > self.deadline:
            raise DerivationError(field=field, problem=f"SymPy took longer than {DERIVE_SECONDS:g} s",
                                  fix="give the reference itself, or a simpler definition")
        if sp.count_ops(expr) > MAX_RESULT_OPS:
            raise DerivationError(field=field, problem=f"the derivative grew beyond {MAX_RESULT_OPS} operations",
                                  fix="give the reference itself, or a simpler definition")


def request_of(mapping: Mapping[str, Any]) -> _Request:
    kind = "gradient" if "gradient" in mapping else "derivative"
    assuming = mapping.get("assuming") or ()
    return _Request(kind, str(mapping.get(kind, "")), str(mapping.get("wrt", "")),
                    tuple(assuming) if isinstance(assuming, (list, tuple)) else (str(assuming),))


def derive_from_block(*, block: Mapping[str, Any]) -> str:
    """The reference text a ``symbolic:`` block's reference mapping derives to (raises DerivationError)."""
    return _derive_cached(json.dumps(block, sort_keys=True, default=str))


@lru_cache(maxsize=64)
def _derive_cached(raw: str) -> str:
    from grader.symbolic.spec import SymbolicSpec

    block = json.loads(raw)
    request = request_of(block["reference"])
    provisional = {**block, "reference": request.text, "misconceptions": []}
    try:
        spec = SymbolicSpec.model_validate(provisional)
    except ValueError as exc:
        raise DerivationError(field=request.kind, problem=f"the definition does not fit the part's symbols: {exc}",
                              fix="write it with the symbols the block declares") from None
    try:
        return derive_reference(spec=spec, kind=request.kind, text=request.text, wrt=request.wrt,
                                assuming=request.assuming)
    except DerivationError:
        raise
    except Exception as exc:  # SymPy's own failures (PolynomialError, RecursionError, ...) are authoring errors too
        raise DerivationError(field=request.kind, problem=f"SymPy failed on it ({type(exc).__name__}: {exc})",
                              fix="give the reference itself, or a simpler definition") from None


def derive_reference(*, spec: "SymbolicSpec", kind: str, text: str, wrt: str, assuming: tuple[str, ...] = ()) -> str:
    """The derivative (``kind='derivative'``) or gradient of ``text`` with respect to ``wrt``, as reference LaTeX."""
    from grader.symbolic.compile import compile_spec

    compiled = compile_spec(spec=spec)
    node = _tree(text, compiled.table, kind)
    decl = spec.symbols.get(wrt)
    if decl is None or decl.kind == "index" or decl.value is not None:
        raise DerivationError(field="wrt", problem=f"{wrt!r} is not a declared symbol without a value",
                              fix=f"name a vector, matrix or scalar of 'symbols' ({', '.join(sorted(spec.symbols))})")
    values = dict(compiled.values)
    budget = _Budget()
    whole = _substituted(node, values)
    if kind == "gradient" and decl.kind in ("vector", "matrix") and not _has_indices(whole):
        result = _matrix_gradient(spec, whole, wrt, assuming, compiled.table, values, budget)
    else:
        result = _entry_derivative(spec, kind, node, wrt, assuming, compiled.table, values, budget)
    return render_latex(node=result)


def _tree(text: str, table: Any, field: str) -> Node:
    from grader.symbolic.declarations import resolve

    try:
        node = resolve(node=parse_math(text=text), table=table).node
    except MathParseError as exc:
        raise DerivationError(field=field, problem=f"cannot parse {text!r}: {exc.message}",
                              fix="write the definition in the grader's math language (docs/symbolic.md)") from None
    if sum(1 for _ in walk(node)) > MAX_DEFINITION_NODES:
        raise DerivationError(field=field, problem=f"the definition has more than {MAX_DEFINITION_NODES} parts",
                              fix="give the reference itself")
    return node


def _substituted(node: Node, values: Mapping[str, Node]) -> Node:
    if isinstance(node, Sym) and node.name in values:
        return _substituted(values[node.name], values)
    return map_children(node, lambda child: _substituted(child, values))


def _has_indices(node: Node) -> bool:
    return any(isinstance(n, (Index, SumOver, Delta)) for n in walk(node))


def _matrix_gradient(spec: "SymbolicSpec", node: Node, wrt: str, assuming: tuple[str, ...], table: Any,
                     values: Mapping[str, Node], budget: _Budget) -> Node:
    import sympy as sp

    from grader.mathparse.to_sympy import SympyConversionError, to_sympy
    from grader.symbolic.abstract_form import abstract_shapes
    from grader.symbolic.from_sympy import FromSympyError, from_sympy

    shapes = abstract_shapes(spec)
    try:
        expr = to_sympy(node=node, shapes=shapes)
        target = to_sympy(node=Sym(wrt), shapes=shapes)
    except SympyConversionError as exc:
        raise DerivationError(field="gradient", problem=f"SymPy cannot represent it: {exc}",
                              fix="write it with the operations of matrix calculus (products, transposes, sums)") from None
    if getattr(expr, "is_Matrix", False) and expr.shape != (1, 1):
        raise DerivationError(field="gradient", problem=f"the expression is a {expr.shape} matrix, not a scalar",
                              fix="a gradient is of a scalar; use 'derivative' for an element-wise function")
    pairs = _assumptions(assuming, table, lambda n: to_sympy(node=_substituted(n, values), shapes=shapes))
    try:
        result = sp.diff(expr, target)
        for lhs, rhs in pairs:
            result = result.xreplace({lhs: rhs})  # at the point, as for entries: after differentiating
    except (TypeError, ValueError, NotImplementedError, AttributeError) as exc:
        raise DerivationError(field="gradient", problem=f"SymPy cannot differentiate it ({type(exc).__name__}: {exc})",
                              fix="give the reference itself, or write the definition with indices") from None
    budget.check(result, "gradient")
    if result.has(sp.Derivative) or getattr(result, "shape", None) != target.shape:
        raise DerivationError(field="gradient", problem=f"SymPy cannot work out the gradient with respect to {wrt}",
                              fix="give the reference itself, or write the definition with indices")
    try:
        return from_sympy(expr=result)
    except FromSympyError as exc:
        raise DerivationError(field="gradient", problem=str(exc), fix="give the reference itself") from None


def _assumptions(assuming: tuple[str, ...], table: Any, convert: Any) -> list[tuple[Any, Any]]:
    """Each ``lhs = rhs`` of ``assuming`` as a pair of SymPy expressions."""
    out = []
    for k, text in enumerate(assuming):
        sides = str(text).split("=")
        if len(sides) != 2:
            raise DerivationError(field=f"assuming[{k}]", problem=f"{text!r} is not one equation lhs = rhs",
                                  fix="write each assumption as one equation, e.g. '\\sum_i y_i = 1'")
        try:
            out.append(tuple(convert(_tree(side, table, f"assuming[{k}]")) for side in sides))
        except DerivationError:
            raise
        except ValueError as exc:
            raise DerivationError(field=f"assuming[{k}]", problem=f"{text!r} has no SymPy form here: {exc}",
                                  fix="write the assumption with the definition's symbols") from None
    return out


def _entry_derivative(spec: "SymbolicSpec", kind: str, node: Node, wrt: str, assuming: tuple[str, ...], table: Any,
                      values: Mapping[str, Node], budget: _Budget) -> Node:
    import sympy as sp

    from grader.symbolic.derive_entries import EntryConverter, EntryError
    from grader.symbolic.derive_simplify import simplified
    from grader.symbolic.from_sympy import FromSympyError, from_sympy

    conv = EntryConverter(spec=spec, values=values)
    decl = spec.symbols[wrt]
    t = sp.Symbol(_ENTRY, integer=True)
    elementwise = kind == "derivative" and conv.vector_valued(node)
    if decl.kind not in ("scalar", "vector"):
        raise DerivationError(field="wrt", problem=f"{wrt} is a {decl.kind}: with indices, only scalars and vectors "
                              "are supported", fix="write the definition without indices (matrix calculus)")
    try:
        expr = conv.run(node, t if elementwise else None)
        var = sp.Symbol(wrt) if decl.kind == "scalar" else sp.IndexedBase(wrt)[t]
        if decl.kind == "vector" and kind == "derivative" and not elementwise:
            raise EntryError(f"a scalar expression differentiated by the vector {wrt} is a gradient")
        pairs = _assumptions(assuming, table, lambda n: conv.run(n, None))
        result = simplified(expr=sp.diff(expr, var), assumptions=pairs, entry=t, budget=budget, field=kind)
        tree = from_sympy(expr=result, softmax_names=conv.softmax_names)
    except EntryError as exc:
        raise DerivationError(field=kind, problem=f"cannot differentiate it: {exc}",
                              fix="give the reference itself, or rewrite the definition") from None
    except FromSympyError as exc:
        raise DerivationError(field=kind, problem=str(exc), fix="give the reference itself") from None
    if _ENTRY not in {n.name for n in walk(tree) if isinstance(n, Sym)}:
        return tree
    return _written(spec, kind, tree)


def _written(spec: "SymbolicSpec", kind: str, tree: Node) -> Node:
    """A result with a free entry index: with whole vectors (a gradient) or at the result index."""
    from grader.symbolic.from_sympy import vectorised

    if kind == "gradient" or not spec.result.indices:
        whole = vectorised(node=tree, index=_ENTRY)
        if whole is not None:
            return whole
    if not spec.result.indices:
        raise DerivationError(field=kind, problem="the derivative needs an index to be written; the part declares none",
                              fix="declare the index: result: {indices: [i], shape: [n]} with i of kind index")
    name = spec.result.indices[0]
    used = {n.name for n in walk(tree) if isinstance(n, Sym)} | {n.var for n in walk(tree) if isinstance(n, SumOver)}
    spare = next(c for c in "jklmnqrsuv" + "".join(f"k{d}" for d in range(10)) if c not in used | {name})
    return _renamed(tree, {_ENTRY: name, name: spare})


def _renamed(node: Node, names: Mapping[str, str]) -> Node:
    """Names swapped: the entry index becomes the result index, and a summation index of that name another."""
    if isinstance(node, Sym) and node.name in names:
        return Sym(names[node.name])
    if isinstance(node, SumOver) and node.var in names:
        node = SumOver(names[node.var], node.lo, node.hi, node.body, node.op, node.exclude)
    return map_children(node, lambda child: _renamed(child, names))
