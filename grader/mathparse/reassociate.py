"""A second reading of a product chain: every factor taken left to right.

The grammar binds an implicit product tighter than ``\\cdot``/``\\odot`` (``a \\cdot b c`` is
``a \\cdot (b c)``), as LaTeX typesetting suggests.  Students often mean the chain read left to
right: ``g \\odot y(1-y) x^T`` for ``((g \\odot y)(1-y)) x^T``.  When the first reading does not even
have matching shapes, the checker tries this one, and if it is right, a person decides.
"""

from __future__ import annotations

from grader.mathparse.nodes import Mul, Node, map_children

MAX_FACTORS = 64


def left_to_right(*, node: Node) -> Node:
    """``node`` with every maximal chain of products rebuilt left-associated, keeping each operator."""
    if isinstance(node, Mul):
        factors: list[Node] = []
        operators: list[str] = []
        _flatten(node, factors, operators)
        if len(factors) > MAX_FACTORS:
            return node
        factors = [left_to_right(node=f) for f in factors]
        out = factors[0]
        for how, factor in zip(operators, factors[1:]):
            out = Mul(left=out, right=factor, how=how)  # type: ignore[arg-type]
        return out
    return map_children(node, lambda child: left_to_right(node=child))


def _flatten(node: Node, factors: list[Node], operators: list[str]) -> None:
    """In-order factors and the operators between them (bounded by the parser's depth limit)."""
    if isinstance(node, Mul) and len(factors) <= MAX_FACTORS:
        _flatten(node.left, factors, operators)
        operators.append(node.how)
        _flatten(node.right, factors, operators)
    else:
        factors.append(node)
