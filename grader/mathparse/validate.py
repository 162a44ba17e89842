"""Allow-list validation of a tree before it is evaluated."""

from __future__ import annotations

from dataclasses import dataclass

from grader.mathparse.nodes import (FUNCTIONS, NODE_TYPES, Call, Derivative, Gradient, Index, Node, Partial, SumOver,
                                    Sym, Tuple_, children)

_CONSTANTS = frozenset({"e", "pi"})
GRADIENT_PROBLEM = "a gradient ∇ without the variable (write \\nabla_W L or \\frac{\\partial L}{\\partial W})"


@dataclass(frozen=True)
class ValidationReport:
    unknown_symbols: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.unknown_symbols and not self.problems


def validate_tree(*, node: Node, allowed_symbols: frozenset[str],
                  allowed_functions: frozenset[str] = FUNCTIONS) -> ValidationReport:
    """Every node type, function name and symbol must be on the allow-lists
    (names bound by a \\sum are allowed inside its body)."""
    unknown: list[str] = []
    problems: list[str] = []
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, bound = stack.pop()
        if not isinstance(current, NODE_TYPES):
            problems.append(f"unexpected node {type(current).__name__}")
            continue
        if isinstance(current, Sym):
            if current.name not in allowed_symbols and current.name not in bound and current.name not in _CONSTANTS:
                if current.name not in unknown:
                    unknown.append(current.name)
            continue
        if isinstance(current, Call) and current.func not in allowed_functions:
            problems.append(f"function {current.func} is not allowed")
        if isinstance(current, (Derivative, Partial)):
            problems.append("derivative notation (∂) cannot be evaluated; write the result instead")
            continue
        if isinstance(current, Gradient):
            problems.append(GRADIENT_PROBLEM)
            continue
        if isinstance(current, Tuple_):
            problems.append("a comma-separated list is only allowed as function arguments")
            continue
        if isinstance(current, SumOver):
            inner = bound | {current.var} if current.var else bound | _index_names(current.body)
            for c in (current.lo, current.hi, *current.exclude):
                if c is not None:
                    stack.append((c, bound))
            stack.append((current.body, inner))
            continue
        for c in children(current):
            stack.append((c, bound))
    return ValidationReport(tuple(unknown), tuple(dict.fromkeys(problems)))


def _index_names(body: Node) -> frozenset[str]:
    names: set[str] = set()
    stack = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, Index):
            names.update(i.name for i in n.idx if isinstance(i, Sym))
        stack.extend(children(n))
    return frozenset(names)
