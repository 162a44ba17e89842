"""The exact judge: after the random points, SymPy tries to reach the same verdict with certainty.

* Proven equal: the answer minus the reference is zero as a SymPy expression — for every size when the
  matrix form (MatrixSymbol, non-commutative products, transposes) cancels, else at each size the trials
  use, with a SymPy symbol for every entry (index forms, Kronecker deltas and finite sums become explicit).
* Proven different: a counter-example — sizes and short exact values (three significant digits) at which
  the exact values of the answer and the reference differ by more than the part's tolerance.
* Unproven: anything else, including every budget overrun (time, steps, expression size); the
  random-point verdict then stands alone.

Built from our own trees only (grader.mathparse.exact, grader.mathparse.to_sympy); never from text.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import sympy  # noqa: F401  (imported with the checker, so that no answer's check pays for the import)

from grader.mathparse.exact import ExactBudget, ExactEnv, ExactError, exact_entries, exact_value
from grader.mathparse.nodes import Node, walk
from grader.results import Counterexample
from grader.symbolic.memo import ValueMemo, by_value, charged, charged_by_value

if TYPE_CHECKING:
    from grader.symbolic.compile import CompiledSpec
    from grader.symbolic.sampling import TrialEnv
    from grader.symbolic.spec import SymbolicSpec

EXACT_SECONDS = 1.0          # CPU-time backstop for one answer (the step budget, deterministic, binds first)
STEP_COST = 20               # budget steps charged per term of an expression SymPy expands or cancels
MAX_TREE_NODES = 160         # larger trees are left to the random points
MAX_EXPANDED_TERMS = 4_000   # an expand/cancel that could produce more terms is not attempted
MAX_CANCELS = 1024           # differences of exact forms whose cancelling is remembered (by the forms' value)
Relation = Literal["equal", "transposed", "diagonal"]
_CANCELS = ValueMemo(MAX_CANCELS)


@dataclass(frozen=True)
class ExactFinding:
    result: Literal["equal", "different", "unproven"]
    scope: str = ""
    counterexample: Counterexample | None = None
    reason: str = ""


@dataclass(frozen=True)
class ExactTask:
    """What the judge needs of one check: the spec, its compiled trees and the trials' environments."""

    spec: "SymbolicSpec"
    compiled: "CompiledSpec"
    envs: tuple["TrialEnv", ...]
    seed: int
    indices: tuple[str, ...]      # the result's indices when the answer or the reference uses them, else ()


def start_budget() -> ExactBudget:
    return ExactBudget(deadline=time.process_time() + EXACT_SECONDS)


def too_large(*nodes: Node) -> bool:
    return any(sum(1 for _ in itertools.islice(walk(n), MAX_TREE_NODES + 1)) > MAX_TREE_NODES for n in nodes)


# ---- values ------------------------------------------------------------------------------------

def _size(d: str | int | None, sizes: dict[str, int]) -> int:
    return 1 if d is None else (d if isinstance(d, int) else sizes[d])


def _positive(decl) -> bool:
    s = decl.sample
    if s is None:
        return False
    if s.name == "positive":
        return True
    if s.name == "uniform":
        return s.uniform is True or s.uniform[0] > 0
    return s.name == "integers" and s.integers[0] > 0


def _symbol_value(sp, name: str, decl, sizes: dict[str, int]) -> Any:
    make = lambda label: sp.Symbol(label, real=True, positive=_positive(decl) or None)  # noqa: E731
    if decl.kind == "scalar":
        return make(name)
    if decl.kind == "vector":
        return sp.ImmutableMatrix([make(f"{name}_{k + 1}") for k in range(_size(decl.dim, sizes))])
    if decl.kind == "matrix":
        rows, cols = (_size(d, sizes) for d in decl.dims)
        return sp.ImmutableMatrix(rows, cols, [make(f"{name}_{r + 1}{c + 1}") for r in range(rows) for c in range(cols)])
    raise ExactError("unsupported", f"a {decl.kind} has no exact form here")


def _abstract_function(sp, name: str):
    """f, and each derivative or partial derivative of f, as an independent unknown function (sound: no rule
    relating them is ever used)."""
    def call(*args: Any, derivative: int = 0, wrt: int = 0) -> Any:
        label = name + (f"__d{derivative}" if derivative else "") + (f"__p{wrt}" if wrt else "")
        return sp.Function(label)(*args)

    return call


def _short(value: float) -> Any:
    import sympy as sp

    f = Fraction(f"{float(value):.3g}")
    return sp.Rational(f.numerator, f.denominator)


def _realised_function(sp, fn):
    """A trial's random smooth function (grader.symbolic.sampling.SmoothFunction) with short exact coefficients."""
    a, b, c, d, e, p, q = (_short(getattr(fn, k)) for k in "abcdepq")

    def call(*args: Any, derivative: int = 0, wrt: int = 0) -> Any:
        if fn.arity == 2:
            x, y = args
            if wrt == 1:
                return a * b * sp.cos(b * x + c * y + d) + e * y + p
            if wrt == 2:
                return a * c * sp.cos(b * x + c * y + d) + e * x + q
            return a * sp.sin(b * x + c * y + d) + e * x * y + p * x + q * y
        x = args[0]
        if derivative > 2:
            raise ExactError("unsupported", "higher derivatives of a declared function")
        return [a * sp.sin(b * x + c) + d * x + e * x * x, a * b * sp.cos(b * x + c) + d + 2 * e * x,
                -a * b * b * sp.sin(b * x + c) + 2 * e][derivative]

    return call


def _with_computed(task: ExactTask, values: dict[str, Any], functions: dict[str, Any], index_sizes: dict[str, int],
                   budget: ExactBudget) -> ExactEnv:
    env = ExactEnv(values=values, index_sizes=index_sizes, functions=functions, budget=budget)
    for name, node in task.compiled.values:
        values[name] = exact_value(node=node, env=env)
    return env


def _index_sizes(spec: "SymbolicSpec", sizes: dict[str, int]) -> dict[str, int]:
    return {n: _size(d.dim, sizes) for n, d in spec.symbols.items() if d.kind == "index"}


def symbolic_env(task: ExactTask, sizes: dict[str, int], budget: ExactBudget) -> ExactEnv:
    """Every symbol's entries as SymPy symbols at ``sizes`` (built once per spec and sizes: grader.symbolic.memo)."""
    values, functions = charged(task.spec, task.compiled, ("symbols", tuple(sizes.items())), budget,
                                lambda scratch: _symbolic_values(task, sizes, scratch))
    return ExactEnv(values=values, index_sizes=_index_sizes(task.spec, sizes), functions=functions, budget=budget)


def _symbolic_values(task: ExactTask, sizes: dict[str, int], budget: ExactBudget) -> tuple[Any, Any]:
    import sympy as sp

    spec = task.spec
    values: dict[str, Any] = {d: sp.Integer(s) for d, s in sizes.items() if d not in spec.symbols}
    for name, decl in spec.symbols.items():
        if decl.kind != "index" and decl.value is None:
            values[name] = _symbol_value(sp, name, decl, sizes)
    functions = {name: _abstract_function(sp, name) for name in spec.functions}
    env = _with_computed(task, values, functions, _index_sizes(spec, sizes), budget)
    return MappingProxyType(values), MappingProxyType(env.functions)


def point_key(env: "TrialEnv") -> tuple:
    """What a trial's point is made of: its sizes, the bits of every drawn value, its functions' coefficients."""
    drawn = tuple((name, np.shape(v), np.asarray(v, dtype=float).tobytes()) for name, v in env.values.items())
    functions = tuple((name, tuple(float(getattr(fn, k)) for k in "abcdepq")) for name, fn in env.functions.items())
    return env.trial, tuple(env.sizes.items()), drawn, functions


def point_env(task: ExactTask, env: "TrialEnv", budget: ExactBudget) -> tuple[ExactEnv, dict[str, str]]:
    """A trial's point with every drawn value shortened to three significant digits, exactly; and the point as text
    (built once per spec and point: grader.symbolic.memo)."""
    values, functions, shown = charged(task.spec, task.compiled, ("point", point_key(env)), budget,
                                       lambda scratch: _point_values(task, env, scratch))
    return ExactEnv(values=values, index_sizes=_index_sizes(task.spec, dict(env.sizes)), functions=functions,
                    budget=budget), dict(shown)


def _point_values(task: ExactTask, env: "TrialEnv", budget: ExactBudget) -> tuple[Any, Any, Any]:
    import sympy as sp

    spec = task.spec
    sizes = dict(env.sizes)
    values: dict[str, Any] = {d: sp.Integer(s) for d, s in sizes.items() if d not in spec.symbols}
    shown: dict[str, str] = {}
    for name, decl in spec.symbols.items():
        if decl.kind == "index" or decl.value is not None:
            continue
        if decl.kind == "tensor":
            raise ExactError("unsupported", "a tensor has no exact form here")
        a = np.asarray(env.values[name], dtype=float)
        exact = [_short(v) for v in a.reshape(-1)]
        values[name] = exact[0] if a.ndim == 0 else sp.ImmutableMatrix(a.shape[0], a.shape[1], exact)
        shown[name] = exact_text(values[name])
    functions = {name: _realised_function(sp, fn) for name, fn in env.functions.items()}
    for name in functions:
        shown[name] = "the trial's random smooth function (grader.symbolic.sampling)"
    exact_env = _with_computed(task, values, functions, _index_sizes(spec, sizes), budget)
    return MappingProxyType(values), MappingProxyType(exact_env.functions), MappingProxyType(shown)


def reference_form(task: ExactTask, key: tuple, env: ExactEnv) -> Any:
    """The reference's exact value in the result's shape at ``env`` (``key``: what ``env`` was built from),
    computed once per spec and key, its steps charged to ``env``'s budget on every use."""
    return expected_value(_reference_form(task, key, env))


def _reference_form(task: ExactTask, key: tuple, env: ExactEnv) -> Any:
    """:func:`form` of the reference at ``env``, once per spec and key (grader.symbolic.memo)."""
    return charged(task.spec, task.compiled, ("reference", key, task.indices), env.budget,
                   lambda scratch: form(task.compiled.reference, replace(env, budget=scratch), task))


def answer_form(node: Node, key: tuple, env: ExactEnv, task: ExactTask) -> Any:
    """:func:`form` of an answer at ``env`` (``key``: what ``env`` was built from).  An answer whose tree is the
    reference's (the key's own notation, or an alias of it) has the reference's form, remembered with the steps it
    took: the same value, the same steps charged to ``env``'s budget, the same error, without computing it again."""
    if node == task.compiled.reference:
        return _reference_form(task, key, env)
    return form(node, env, task)


def form(node: Node, env: ExactEnv, task: ExactTask) -> Any:
    """The exact value of an answer or reference in the result's shape (index forms entry by entry)."""
    import sympy as sp

    if not task.indices or not _uses(node, task):
        return exact_value(node=node, env=env)
    sizes = [env.index_sizes[i] for i in task.indices]
    if len(sizes) > 2:
        raise ExactError("unsupported", "an index form with more than two indices")
    entries = []
    combos = itertools.product(*(range(1, s + 1) for s in sizes))
    for v in exact_entries(node=node, env=env, bindings=(dict(zip(task.indices, combo)) for combo in combos)):
        if getattr(v, "is_Matrix", False):
            raise ExactError("shape", "an entry of an index form is not a number")
        entries.append(v)
    return sp.ImmutableMatrix(sizes[0], sizes[1] if len(sizes) == 2 else 1, entries)


def _uses(node: Node, task: ExactTask) -> bool:
    from grader.symbolic.trials import free_indices

    return bool(free_indices(node=node, index_names=task.compiled.table.index_names))


def expected_value(value: Any) -> Any:
    return value[0, 0] if getattr(value, "is_Matrix", False) and value.shape == (1, 1) else value


# ---- proving equality ----------------------------------------------------------------------------

def _terms(e: Any, cap: int) -> int:
    """An upper bound on the number of terms of ``expand(e)`` (capped: stops counting at ``cap``)."""
    if e.is_Add:
        return min(cap, sum(_terms(a, cap) for a in e.args))
    if e.is_Mul:
        out = 1
        for a in e.args:
            out = min(cap, out * _terms(a, cap))
        return out
    if e.is_Pow and e.exp.is_Integer:
        return min(cap, _terms(e.base, cap) ** min(abs(int(e.exp)), 64))
    return 1


def is_zero(d: Any, budget: ExactBudget) -> bool:
    """Cheap steps first (structure, expand, together + cancel), each only when its result stays small."""
    import sympy as sp

    if d == 0:
        return True
    terms = _terms(d, MAX_EXPANDED_TERMS + 1)
    if terms > MAX_EXPANDED_TERMS:
        return False
    if d.has(sp.Piecewise):
        return _cases_zero(d, budget)
    for step in (sp.expand, lambda x: sp.cancel(sp.together(x))):
        budget.spend(STEP_COST * terms)
        if step(d) == 0:
            return True
    return False


def _cases_zero(d: Any, budget: ExactBudget) -> bool:
    """Cases folded into one Piecewise (``g_i`` where ``z_i > 0`` minus ``g_i 1[z_i > 0]``): zero in every case."""
    import sympy as sp

    budget.spend()
    folded = sp.piecewise_fold(d)
    if not isinstance(folded, sp.Piecewise):
        return folded != d and is_zero(folded, budget)
    return all(not e.has(sp.Piecewise) and is_zero(e, budget) for e, _ in folded.args)


def _aligned(student: Any, reference: Any, relation: Relation) -> Any | None:
    import sympy as sp

    s_matrix, r_matrix = getattr(student, "is_Matrix", False), getattr(reference, "is_Matrix", False)
    if relation == "transposed" and s_matrix:
        student = student.T
    if relation == "diagonal" and r_matrix and reference.cols == 1:
        reference = sp.ImmutableMatrix(sp.diag(*list(reference)))
    if s_matrix != r_matrix or (s_matrix and student.shape != reference.shape):
        return None
    return student - reference


def _distinct_sizes(envs: tuple["TrialEnv", ...]) -> list[dict[str, int]]:
    seen: list[dict[str, int]] = []
    for env in envs:
        if dict(env.sizes) not in seen:
            seen.append(dict(env.sizes))
    return sorted(seen, key=lambda s: (sum(s.values()), sorted(s.items())))


def sizes_text(sizes: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "no sizes"


def _cancelled(d: Any, budget: ExactBudget) -> bool:
    """:func:`_entries_zero`, remembered by the difference's value (two answers with one exact form at a size have
    one difference there)."""
    if not by_value(d):
        return _entries_zero(d, budget)
    return charged_by_value(_CANCELS, ("entries", d), budget, lambda scratch: _entries_zero(d, scratch))


def _entries_zero(d: Any, budget: ExactBudget) -> bool:
    return all(is_zero(x, budget) for x in (d if getattr(d, "is_Matrix", False) else [d]))


def prove_equal(*, student: Node, relation: Relation, task: ExactTask, budget: ExactBudget) -> ExactFinding:
    from grader.symbolic.abstract_form import abstract_zero  # it builds on is_zero, here
    from grader.symbolic.opaque import cheap_equal

    reference = task.compiled.reference
    try:
        if abstract_zero(student, reference, relation, task, budget):
            return ExactFinding("equal", scope="every size")
        sizes_list = _distinct_sizes(task.envs)
        if cheap_equal(student, relation, task, sizes_list, budget.deadline):
            return ExactFinding("equal", scope=_scope(task, sizes_list))
        for sizes in sizes_list:
            env = symbolic_env(task, sizes, budget)
            key = ("symbols", tuple(sizes.items()))
            d = _aligned(answer_form(student, key, env, task), reference_form(task, key, env), relation)
            if d is None or not _cancelled(d, budget):
                at = f" at {sizes_text(sizes)}" if sizes else ""
                return ExactFinding("unproven", reason=f"SymPy could not cancel the difference{at}")
        return ExactFinding("equal", scope=_scope(task, sizes_list))
    except ExactError as exc:
        return ExactFinding("unproven", reason=exc.message)


def _scope(task: ExactTask, sizes_list: list[dict[str, int]]) -> str:
    return "; ".join(sizes_text(sizes) for sizes in sizes_list) if task.envs[0].sizes else "every value"


def exact_text(value: Any, digits: int = 4) -> str:
    """An exact value written short: integers as they are, other numbers to ``digits`` significant digits
    (rationals to at least 6)."""
    if getattr(value, "is_Matrix", False):
        return matrix_text(value.tolist(), digits)
    if getattr(value, "is_Integer", False):
        return str(value)
    return f"{float(value):.{max(digits, 6) if getattr(value, 'is_Rational', False) else digits}g}"


def matrix_text(rows: Iterable[Iterable[Any]], digits: int = 4) -> str:
    """A matrix's entries (row by row) written as :func:`exact_text` writes a matrix: ``[a, b; c, d]``."""
    return "[" + "; ".join(", ".join(exact_text(entry, digits) for entry in row) for row in rows) + "]"
