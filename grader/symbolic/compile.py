"""A SymbolicSpec's trusted texts parsed and resolved once (reference, values, misconceptions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.mathparse import parse_math
from grader.mathparse.nodes import FUNCTIONS, Node, Tuple_
from grader.mathparse.validate import ValidationReport, validate_tree
from grader.symbolic.declarations import SymbolTable, build_table, resolve

if TYPE_CHECKING:
    from grader.symbolic.spec import ExpressionMisconception, SymbolicSpec


@dataclass(frozen=True)
class CompiledSpec:
    table: SymbolTable
    reference: Node
    values: tuple[tuple[str, Node], ...]
    misconceptions: tuple[tuple["ExpressionMisconception", Node], ...]


def validate_answer(*, node: Node, table: SymbolTable) -> ValidationReport:
    """validate_tree, except that a top-level tuple (a shape) is validated entry by entry."""
    allowed_functions = FUNCTIONS | frozenset(table.functions)
    if not isinstance(node, Tuple_):
        return validate_tree(node=node, allowed_symbols=table.allowed, allowed_functions=allowed_functions)
    reports = [validate_tree(node=item, allowed_symbols=table.allowed, allowed_functions=allowed_functions)
               for item in node.items]
    return ValidationReport(tuple(dict.fromkeys(n for r in reports for n in r.unknown_symbols)),
                            tuple(dict.fromkeys(p for r in reports for p in r.problems)))


def _trusted(text: str, table: SymbolTable, where: str) -> Node:
    node = resolve(node=parse_math(text=text), table=table).node
    report = validate_answer(node=node, table=table)
    if not report.ok:
        bits = [f"unknown symbol(s) {', '.join(report.unknown_symbols)}"] if report.unknown_symbols else []
        raise ValueError(f"{where} {text!r}: " + "; ".join(bits + list(report.problems)))
    return node


def compile_spec(*, spec: "SymbolicSpec") -> CompiledSpec:
    cached = spec._compiled
    if cached is not None:
        return cached
    kinds = {name: decl.kind for name, decl in spec.symbols.items()}
    aliases = {name: decl.aliases for name, decl in spec.symbols.items() if decl.aliases}
    dim_names = frozenset(d for d in spec.dims if d not in kinds)
    functions = {name: decl.arity for name, decl in spec.functions.items()}
    function_args = {name: decl.args for name, decl in spec.functions.items() if decl.args}
    table = build_table(kinds=kinds, aliases=aliases, dim_names=dim_names, functions=functions,
                        function_args=function_args)
    values = tuple((name, _trusted(decl.value, table, f"symbols.{name}.value"))
                   for name, decl in spec.symbols.items() if decl.value)
    reference = _trusted(spec.reference, table, "reference")
    misconceptions = tuple((m, _trusted(m.expr, table, f"misconceptions[{m.id}].expr")) for m in spec.misconceptions)
    compiled = CompiledSpec(table, reference, values, misconceptions)
    spec._compiled = compiled
    return compiled
