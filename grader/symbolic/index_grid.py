"""An index form's entries at a trial in one pass of NumPy over the grid of its indices, for the plain ones.

``\\hat y_i(\\delta_{ij} - \\hat y_j)`` is evaluated entry by entry (grader.symbolic.trials.evaluate_form): the tree
once per (i, j), each time on 0-d arrays. When the tree is only sums, differences, products, quotients and negations of
numbers, scalar symbols, Kronecker deltas and entries ``v_i`` / ``M_{ij}`` of drawn values at the bound indices,
every entry is the same IEEE arithmetic on the same doubles whether done one entry at a time or over the whole grid
at once (element-wise ``+``, ``-``, ``*``, ``/`` round each result alone), so the grid gives the entries bit for bit, and the
steps are the tree's nodes once per entry, as the interpreter counts them.

Anything else — another node, an index out of range, a value that is not finite, a budget that would run out —
returns None before any step is charged, and the entries are evaluated one by one as before (same values, same
errors, at the same entry).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from grader.mathparse.interpret import MAX_STEPS, EvalEnv, WorkBudget
from grader.mathparse.nodes import Add, Delta, Div, Index, Mul, Neg, Node, Num, Sub, Sym, walk


class _NotPlain(Exception):
    """A part the grid does not take: the entries are evaluated one by one."""


def grid_entries(node: Node, env: EvalEnv, indices: tuple[str, ...], sizes: list[int],
                 budget: WorkBudget | None) -> np.ndarray | None:
    """The entries of ``node`` over one or two indices (shape (n, 1) or (n, m)), charged to ``budget``, or None."""
    if len(indices) not in (1, 2) or len(set(indices)) != len(indices) or any(i in env.bindings for i in indices):
        return None
    shape = (sizes[0], 1) if len(sizes) == 1 else (sizes[0], sizes[1])
    grids = {name: np.arange(1, n + 1).reshape((n, 1) if k == 0 else (1, n)) for k, (name, n)
             in enumerate(zip(indices, sizes))}
    steps = sum(1 for _ in walk(node)) * shape[0] * shape[1]
    per_entry = steps // (shape[0] * shape[1])
    if (budget is None and per_entry > MAX_STEPS) or (budget is not None and budget.remaining < steps):
        return None
    try:
        with np.errstate(all="ignore"):
            value = _grid(node, env.values, grids)
            out = np.array(np.broadcast_to(value, shape), dtype=float)
    except (_NotPlain, ValueError, IndexError, TypeError):
        return None
    if not np.isfinite(out).all():
        return None
    if budget is not None:
        budget.remaining -= steps
    return out


def _grid(node: Node, values: Mapping[str, np.ndarray], grids: dict[str, np.ndarray]) -> np.ndarray:
    out: np.ndarray
    if isinstance(node, Num):
        out = np.asarray(node.value, dtype=float)
    elif isinstance(node, Sym) and node.name in grids:
        out = grids[node.name].astype(float)
    elif isinstance(node, Sym):
        value = values.get(node.name)
        if not isinstance(value, np.ndarray) or value.ndim != 0 or value.dtype != np.float64:
            raise _NotPlain
        out = value
    elif isinstance(node, Index):
        out = _entry(node, values, grids)
    elif isinstance(node, Delta):
        out = np.where(_grid(node.i, values, grids) == _grid(node.j, values, grids), 1.0, 0.0)
    elif isinstance(node, Neg):
        out = -_grid(node.arg, values, grids)
    elif isinstance(node, (Add, Sub, Mul, Div)):
        x, y = _grid(node.left, values, grids), _grid(node.right, values, grids)
        out = x + y if isinstance(node, Add) else x - y if isinstance(node, Sub) else x * y if isinstance(node, Mul) \
            else x / y
    else:
        raise _NotPlain
    return out


def _entry(node: Index, values: Mapping[str, np.ndarray], grids: dict[str, np.ndarray]) -> np.ndarray:
    """``v_i`` of a drawn vector, ``M_{ij}`` of a drawn matrix, at bound indices in range (else _NotPlain)."""
    names = [i.name for i in node.idx if isinstance(i, Sym) and i.name in grids]
    if not isinstance(node.base, Sym) or len(names) != len(node.idx) or node.base.name in grids:
        raise _NotPlain
    base = values.get(node.base.name)
    if not isinstance(base, np.ndarray) or base.dtype != np.float64 or base.ndim != 2:
        raise _NotPlain
    at = [grids[name] for name in names]
    out: np.ndarray
    if len(at) == 1 and 1 in base.shape and at[0].max() <= base.size:
        out = base.reshape(-1)[at[0] - 1]
    elif len(at) == 2 and at[0].max() <= base.shape[0] and at[1].max() <= base.shape[1]:
        out = base[at[0] - 1, at[1] - 1]
    else:
        raise _NotPlain
    return out
