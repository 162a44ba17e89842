"""A cheap exact proof tried before the full one: the symbols defined by a value (``\\hat y`` = softmax(z),
``y`` = σ(Wx)) as unknowns of their own.

If the answer minus the reference cancels with every entry of such a symbol an independent SymPy symbol (no
assumptions: complex), it cancels for every value they could stand for, their defined ones among them; so
"equal" here is what the full proof (grader.symbolic.exact_judge.prove_equal, the values substituted) finds,
at the same sizes and with the same scope, without building and expanding exp(z_1)/(exp(z_1) + …) entries.
Tried only when the answer names no symbol the reference does not (an answer that writes σ(Wx) out, for a
reference in y, cannot cancel this way), and on a budget of its own: when it does not cancel, the full proof
runs exactly as it would have, on the check's budget.

The same holds of a second form, tried when an element-wise built-in (σ, exp, log, tanh) is applied: the defined
symbols substituted, and each such built-in an unknown function of its own (each derivative another one), so
that ``σ(Wx)`` written out meets ``y`` = σ(Wx) without exp(-(W_11 x_1 + …)) entries.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.mathparse.exact import ExactBudget, ExactEnv, ExactError
from grader.mathparse.nodes import Call, Node, Sym, walk
from grader.symbolic.memo import charged, remembered

if TYPE_CHECKING:
    from grader.symbolic.exact_judge import ExactTask, Relation


def _names(node: Node) -> frozenset[str]:
    return frozenset(n.name for n in walk(node) if isinstance(n, Sym))


#: one-argument built-ins applied entry by entry (grader.mathparse.exact_functions.builtin)
ELEMENTWISE = frozenset({"sigma", "exp", "log", "tanh"})


def forms_to_try(student: Node, task: "ExactTask") -> tuple[str, ...]:
    """"opaque" when a symbol defined by a value is named and the answer names nothing the reference does not;
    "uninterpreted" when an element-wise built-in is applied (in the answer, the reference or a definition)."""
    defined = {name for name, _ in task.compiled.values}
    used, reference = _names(student), _names(task.compiled.reference)
    trees = (student, task.compiled.reference, *(node for _, node in task.compiled.values))
    builtins = ELEMENTWISE - set(task.spec.functions)
    applied = any(isinstance(n, Call) and n.func in builtins for tree in trees for n in walk(tree))
    return (("opaque",) if defined & (used | reference) and used <= reference else ()) + \
        (("uninterpreted",) if applied else ())


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


def _uninterpreted_values(task: "ExactTask", sizes: dict[str, int], budget: ExactBudget) -> tuple[Any, Any]:
    import sympy as sp

    from grader.symbolic.exact_judge import _abstract_function, _index_sizes, _symbol_value, _with_computed

    spec = task.spec
    values: dict[str, Any] = {d: sp.Integer(s) for d, s in sizes.items() if d not in spec.symbols}
    for name, decl in spec.symbols.items():
        if decl.kind != "index" and decl.value is None:
            values[name] = _symbol_value(sp, name, decl, sizes)
    functions = {name: _abstract_function(sp, f"{name}__u") for name in ELEMENTWISE - set(spec.functions)}
    functions.update({name: _abstract_function(sp, name) for name in spec.functions})
    env = _with_computed(task, values, functions, _index_sizes(spec, sizes), budget)
    return MappingProxyType(values), MappingProxyType(env.functions)


def form_env(form: str, task: "ExactTask", sizes: dict[str, int], budget: ExactBudget) -> ExactEnv:
    """The symbols at ``sizes`` in ``form`` ("opaque" or "uninterpreted"; built once per spec and sizes)."""
    from grader.symbolic.exact_judge import _index_sizes

    key = (form, tuple(sizes.items()))
    if form == "opaque":
        values, functions = remembered(task.spec, task.compiled, key, lambda: _opaque_values(task, sizes))
    else:
        values, functions = charged(task.spec, task.compiled, key, budget,
                                    lambda scratch: _uninterpreted_values(task, sizes, scratch))
    return ExactEnv(values=values, index_sizes=_index_sizes(task.spec, sizes), functions=functions, budget=budget)


def cheap_equal(student: Node, relation: "Relation", task: "ExactTask", sizes_list: list[dict[str, int]],
                deadline: float) -> bool:
    """The difference cancels at every one of ``sizes_list`` in one of the forms worth trying."""
    return any(_cancels_in(form, student, relation, task, sizes_list, deadline)
               for form in forms_to_try(student, task))


def _cancels_in(form: str, student: Node, relation: "Relation", task: "ExactTask",
                sizes_list: list[dict[str, int]], deadline: float) -> bool:
    from grader.symbolic.exact_judge import _aligned, _cancelled, answer_form, reference_form

    budget = ExactBudget(deadline=deadline)
    try:
        for sizes in sizes_list:
            env = form_env(form, task, sizes, budget)
            key = (form, tuple(sizes.items()))
            d = _aligned(answer_form(student, key, env, task), reference_form(task, key, env), relation)
            if d is None or not _cancelled(d, budget):
                return False
    except Exception:  # noqa: BLE001 - out of steps, unsupported, SymPy's own errors: the full proof decides
        return False
    return True
