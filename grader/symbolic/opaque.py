"""A cheap exact proof tried before the full one: the symbols defined by a value (``\\hat y`` = softmax(z),
``y`` = σ(Wx)) as unknowns of their own.

If the answer minus the reference cancels with every entry of such a symbol an independent SymPy symbol (no
assumptions: complex), it cancels for every value they could stand for, their defined ones among them; so
"equal" here is what the full proof (grader.symbolic.exact_judge.prove_equal, the values substituted) finds,
at the same sizes and with the same scope, without building and expanding exp(z_1)/(exp(z_1) + …) entries.
Tried only when the answer names no symbol the reference does not (an answer that writes σ(Wx) out, for a
reference in y, cannot cancel this way), and on a budget of its own: when it does not cancel, the full proof
runs exactly as it would have, on the check's budget.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.mathparse.exact import ExactBudget, ExactEnv, ExactError
from grader.mathparse.nodes import Node, Sym, walk
from grader.symbolic.memo import remembered

if TYPE_CHECKING:
    from grader.symbolic.exact_judge import ExactTask, Relation


def _names(node: Node) -> frozenset[str]:
    return frozenset(n.name for n in walk(node) if isinstance(n, Sym))


def worth_trying(student: Node, task: "ExactTask") -> bool:
    """A symbol defined by a value is named, and the answer names nothing the reference does not."""
    defined = {name for name, _ in task.compiled.values}
    used = _names(student)
    reference = _names(task.compiled.reference)
    return bool(defined & (used | reference)) and used <= reference


def _unknown(sp: Any, name: str, shape: tuple[int, ...]) -> Any:
    if len(shape) == 0:
        return sp.Symbol(f"{name}__v")
    if len(shape) != 2:
        raise ExactError("unsupported", "a defined symbol of this shape")
    rows, cols = shape
    return sp.ImmutableMatrix(rows, cols, [sp.Symbol(f"{name}__v{r + 1}_{c + 1}")
                                           for r in range(rows) for c in range(cols)])


def _opaque_values(task: "ExactTask", sizes: dict[str, int]) -> tuple[Any, Any]:
    import sympy as sp

    from grader.symbolic.exact_judge import _abstract_function, _symbol_value

    spec = task.spec
    trial = next(env for env in task.envs if dict(env.sizes) == sizes)
    values: dict[str, Any] = {d: sp.Integer(s) for d, s in sizes.items() if d not in spec.symbols}
    for name, decl in spec.symbols.items():
        if decl.kind == "index":
            continue
        values[name] = (_symbol_value(sp, name, decl, sizes) if decl.value is None
                        else _unknown(sp, name, np.shape(trial.values[name])))
    functions = {name: _abstract_function(sp, name) for name in spec.functions}
    return MappingProxyType(values), MappingProxyType(functions)


def opaque_env(task: "ExactTask", sizes: dict[str, int], budget: ExactBudget) -> ExactEnv:
    """The symbols at ``sizes`` with the defined ones unknown (built once per spec and sizes)."""
    from grader.symbolic.exact_judge import _index_sizes

    values, functions = remembered(task.spec, task.compiled, ("opaque", tuple(sizes.items())),
                                   lambda: _opaque_values(task, sizes))
    return ExactEnv(values=values, index_sizes=_index_sizes(task.spec, sizes), functions=functions, budget=budget)


def opaque_equal(student: Node, relation: "Relation", task: "ExactTask", sizes_list: list[dict[str, int]],
                 deadline: float) -> bool:
    """The difference cancels at every one of ``sizes_list`` with the defined symbols unknown."""
    from grader.symbolic.exact_judge import _aligned, _cancelled, answer_form, reference_form

    budget = ExactBudget(deadline=deadline)
    try:
        for sizes in sizes_list:
            env = opaque_env(task, sizes, budget)
            key = ("opaque", tuple(sizes.items()))
            d = _aligned(answer_form(student, key, env, task), reference_form(task, key, env), relation)
            if d is None or not _cancelled(d, budget):
                return False
    except ExactError:
        return False
    return True
