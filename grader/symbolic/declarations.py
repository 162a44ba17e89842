"""Symbol declarations and name resolution for one part.

The parser knows nothing about a part; here words become symbols: declared
names and aliases, dimension names, single letters of a split word
(``Wx`` -> W·x when W and x are declared), a capitalised single letter
(``W`` for a declared ``w``), and aliases that are whole expressions
(``\\frac{\\partial L}{\\partial y}`` -> g).
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from collections.abc import Mapping

from grader.mathparse.nodes import (Call, Derivative, Index, Mul, Node, Num, Pow, SumOver, Sym, Transpose, Tuple_,
                                    map_children)

_CONSTANTS = frozenset({"e", "pi"})


@dataclass(frozen=True)
class SymbolTable:
    kinds: Mapping[str, str]                   # declared name -> scalar | vector | matrix | index
    alias_names: Mapping[str, str]             # alias word -> declared name
    alias_trees: tuple[tuple[Node, str], ...]  # alias expression -> declared name
    dim_names: frozenset[str]
    functions: Mapping[str, int] = field(default_factory=dict)  # declared abstract function -> arity
    function_args: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # function -> argument symbols

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.kinds) | self.dim_names

    @property
    def index_names(self) -> frozenset[str]:
        return frozenset(n for n, k in self.kinds.items() if k == "index")


@dataclass(frozen=True)
class Resolution:
    node: Node
    notes: tuple[str, ...]


def _direct(name: str, table: SymbolTable, bound: frozenset[str]) -> str | None:
    if name in bound or name in table.kinds or name in table.dim_names:
        return name
    if name in table.alias_names:
        return table.alias_names[name]
    return None


class _Resolver:
    def __init__(self, table: SymbolTable) -> None:
        self.table = table
        self.notes: list[str] = []

    def sym(self, name: str, bound: frozenset[str]) -> Node:
        t = self.table
        hit = _direct(name, t, bound)
        if hit is not None:
            return Sym(hit)
        if name in _CONSTANTS:
            return Sym(name)
        if len(name) == 1 and name.isalpha():
            other = name.swapcase()
            hit = _direct(other, t, bound)
            if hit is not None and hit not in t.index_names:
                self.notes.append(f"read {name} as {other} (capitalisation)")
                return Sym(hit)
            return Sym(name)
        letters = [_direct(ch, t, bound) or (ch if ch in _CONSTANTS else None) for ch in name]
        if len(name) > 1 and name.isalpha() and all(letters):
            parts: Node = Sym(letters[0])  # type: ignore[arg-type]
            for ch in letters[1:]:
                parts = Mul(parts, Sym(ch), "implicit")  # type: ignore[arg-type]
            self.notes.append(f"read {name} as a product {'·'.join(letters)}")  # type: ignore[arg-type]
            return parts
        return Sym(name)

    def function_head(self, node: Node, bound: frozenset[str]) -> tuple[str, int] | None:
        """`f` / `f'` / `f''` for a declared function f (not shadowed by a sum index): (name, primes)."""
        primes = 0
        while isinstance(node, Transpose):
            node, primes = node.arg, primes + 1
        if isinstance(node, Sym) and node.name in self.table.functions and node.name not in bound:
            return node.name, primes
        return None

    def heads(self, node: Node, bound: frozenset[str]) -> list[tuple[str, int]] | None:
        """`f`, `f'`, or a composition `f \\circ g'` of declared functions (outermost first), else None."""
        if isinstance(node, Mul) and node.applied == "compose":
            left, right = self.heads(node.left, bound), self.heads(node.right, bound)
            return None if left is None or right is None else left + right
        head = self.function_head(node, bound)
        return None if head is None else [head]

    def apply(self, heads: list[tuple[str, int]], arg: Node, bound: frozenset[str]) -> Node:
        items = arg.items if isinstance(arg, Tuple_) else (arg,)
        out: Node = Call(heads[-1][0], tuple(self.run(a, bound) for a in items), heads[-1][1])
        for name, primes in reversed(heads[:-1]):
            out = Call(name, (out,), primes)
        return out

    def applications(self, node: Mul, bound: frozenset[str]) -> Node:
        """An implicit product chain, resolved, with declared functions applied to brackets (`f'(g(x)) g'(x)`)
        rebuilt as Calls.  The chain is the left spine of the product (the builder makes implicit products
        left-associative) and is handled here in one pass, so resolution stays linear."""
        factors: list[Node] = []
        joins: list[str] = []   # joins[k]: how factors[k] and factors[k+1] were joined ("call": `name(…)`)
        current: Node = node
        while isinstance(current, Mul) and current.how == "implicit":
            factors.append(current.right)
            joins.append(current.applied)
            current = current.left
        factors.append(current)
        factors.reverse()
        joins.reverse()
        out: list[Node] = []
        out_joins: list[str] = []   # how out[k] joins out[k-1] (kept for a chain without applications)
        k = 0
        while k < len(factors):
            out_joins.append(joins[k - 1] if k else "")
            join = joins[k] if k < len(joins) else ""
            heads = self.heads(factors[k], bound) if join else None
            arg = factors[k + 1] if join else None
            if heads is not None and join == "power" and isinstance(arg, Pow):   # f(x)^2: (f(x))^2
                out.append(Pow(self.apply(heads, arg.base, bound), self.run(arg.exp, bound)))
                k += 2
            elif heads is not None and join == "call":
                out.append(self.apply(heads, arg, bound))  # type: ignore[arg-type]
                k += 2
            else:
                out.append(self.run(factors[k], bound))
                k += 1
        result = out[0]
        for factor, how in zip(out[1:], out_joins[1:]):
            result = Mul(result, factor, "implicit", how)  # type: ignore[arg-type]
        return result

    def index_items(self, items: tuple[Node, ...], bound: frozenset[str]) -> tuple[Node, ...]:
        out: list[Node] = []
        for it in items:
            if isinstance(it, Sym) and len(it.name) > 1 and it.name.isalpha() and _direct(it.name, self.table, bound) is None:
                out.extend(self.sym(ch, bound) for ch in it.name)
            else:
                out.append(self.run(it, bound))
        return tuple(out)

    def run(self, node: Node, bound: frozenset[str]) -> Node:
        if isinstance(node, Sym):
            return self.sym(node.name, bound)
        if isinstance(node, Index):
            if isinstance(node.base, Sym) and len(node.idx) == 1 and isinstance(node.idx[0], (Sym, Num)):
                item = node.idx[0]
                label = f"{node.base.name}_{item.name if isinstance(item, Sym) else item.text}"
                hit = _direct(label, self.table, bound)
                if hit is not None:
                    return Sym(hit)
            return Index(self.run(node.base, bound), self.index_items(node.idx, bound))
        if isinstance(node, SumOver):
            inner = bound | {node.var} if node.var else bound
            return SumOver(node.var,
                           None if node.lo is None else self.run(node.lo, bound),
                           None if node.hi is None else self.run(node.hi, bound),
                           self.run(node.body, inner), node.op,
                           tuple(self.run(x, bound) for x in node.exclude))
        if isinstance(node, Mul) and node.how == "implicit" and self.table.functions:
            return self.applications(node, bound)
        if isinstance(node, Derivative) and isinstance(node.num, Sym) and isinstance(node.den, Sym) \
                and node.den.name in self.table.function_args.get(node.num.name, ()):
            # ∂g/∂x for a declared g(x, y): the partial derivative at the declared arguments
            names = self.table.function_args[node.num.name]
            return Call(node.num.name, tuple(Sym(a) for a in names), 0, names.index(node.den.name) + 1)
        if isinstance(node, Call):
            args = tuple(self.run(a, bound) for a in node.args)
            if node.func == "softmax" and len(args) == 1 and isinstance(args[0], Index) and node.derivative == 0:
                # softmax(z_i) written for softmax(z)_i
                return Index(Call("softmax", (args[0].base,)), args[0].idx)
            return Call(node.func, args, node.derivative, node.wrt)
        return map_children(node, lambda child: self.run(child, bound))


def _replace(node: Node, trees: tuple[tuple[Node, str], ...]) -> Node:
    for tree, target in trees:
        if node == tree:
            return Sym(target)
    if isinstance(node, Derivative) and isinstance(node.den, Index):
        # ∂J/∂U[i,j,m] for a declared ∂J/∂U: the entry of the derivative
        whole = Derivative(node.num, node.den.base)
        for tree, target in trees:
            if whole == tree:
                return Index(Sym(target), tuple(_replace(i, trees) for i in node.den.idx))
    return map_children(node, lambda child: _replace(child, trees))


def resolve(*, node: Node, table: SymbolTable) -> Resolution:
    """Resolve words against the declarations and replace expression aliases."""
    r = _Resolver(table)
    out = r.run(node, frozenset())
    if table.alias_trees:
        out = _replace(out, table.alias_trees)
    return Resolution(out, tuple(dict.fromkeys(r.notes)))


def alias_tree(*, text: str) -> Node:
    """An alias as a tree: a bare word (`mask`, `sigma`) is that symbol, even if it names a function."""
    if re.fullmatch(r"[A-Za-z]+", text.strip()):
        return Sym(text.strip())
    from grader.mathparse import parse_math

    return parse_math(text=text)


def build_table(*, kinds: Mapping[str, str], aliases: Mapping[str, tuple[str, ...]], dim_names: frozenset[str],
                functions: Mapping[str, int] | None = None,
                function_args: Mapping[str, tuple[str, ...]] | None = None) -> SymbolTable:
    """Symbol table from declarations; alias texts are parsed (trusted instructor input)."""
    alias_names: dict[str, str] = {}
    trees: list[tuple[Node, str]] = []
    for target, texts in aliases.items():
        for text in texts:
            tree = alias_tree(text=text)
            if isinstance(tree, Sym):
                alias_names[tree.name] = target
            else:
                trees.append((tree, target))
    fns = dict(functions or {})
    fargs = dict(function_args or {})
    base = SymbolTable(dict(kinds), alias_names, (), dim_names, fns, fargs)
    resolved = tuple((resolve(node=t, table=base).node, target) for t, target in trees)
    # longest alias first, so that a larger expression wins over a part of it
    resolved = tuple(sorted(resolved, key=lambda p: -len(repr(p[0]))))
    return SymbolTable(dict(kinds), alias_names, resolved, dim_names, fns, fargs)
