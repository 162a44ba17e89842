"""An answer's values at the trial points (grader.symbolic.sampling): a tree evaluated in every trial
environment, the reference's values, the match of each trial, and the misconception an answer is."""

from __future__ import annotations

import itertools
from functools import partial
from dataclasses import dataclass

import numpy as np

from grader.mathparse.interpret import EvalError, WorkBudget, evaluate, evaluate_entries
from grader.mathparse.nodes import Index, Node, SumOver, Sym, children
from grader.symbolic.compare import Match, agree as _agree, compare_values as _compare
from grader.symbolic.compile import CompiledSpec
from grader.symbolic.exact_judge import ExactTask
from grader.symbolic.index_grid import grid_entries
from grader.symbolic.memo import remembered
from grader.symbolic.outcome import SymbolicOutcome
from grader.symbolic.sampling import TrialEnv, trial_env
from grader.symbolic.spec import ExpressionMisconception, SymbolicSpec
from grader.symbolic.truths import TRUTHS


def free_indices(*, node: Node, index_names: frozenset[str]) -> frozenset[str]:
    """Declared index names used in ``node`` outside any \\sum that binds them."""
    found: set[str] = set()
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        n, bound = stack.pop()
        if isinstance(n, Sym):
            if n.name in index_names and n.name not in bound:
                found.add(n.name)
            continue
        if isinstance(n, SumOver):
            var = n.var or _bare_sum_var(n.body)
            for c in (n.lo, n.hi, *n.exclude):
                if c is not None:
                    stack.append((c, bound))
            stack.append((n.body, bound | ({var} if var else set())))
            continue
        stack.extend((c, bound) for c in children(n))
    return frozenset(found)


def _bare_sum_var(body: Node) -> str:
    names: list[str] = []
    stack = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, Index):
            names.extend(i.name for i in n.idx if isinstance(i, Sym) and i.name not in names)
        stack.extend(children(n))
    return names[0] if len(names) == 1 else ""


def evaluate_form(node: Node, env: TrialEnv, indices: tuple[str, ...], uses_index: bool, mode: str,
                   budget: WorkBudget | None) -> np.ndarray:
    e = env.env(product_mode=mode, budget=budget)
    if not uses_index:
        return evaluate(node=node, env=e)
    sizes = [env.index_sizes[i] for i in indices]
    grid = grid_entries(node, e, indices, sizes, budget)
    if grid is not None:  # a plain index form: every entry at once, bit for bit (grader.symbolic.index_grid)
        return grid
    out = np.empty(sizes if len(sizes) >= 2 else (sizes[0], 1))
    combos = list(itertools.product(*(range(1, s + 1) for s in sizes)))
    at = iter(combos)

    def accept(v: np.ndarray) -> None:
        combo = next(at)
        if v.ndim != 0:
            raise EvalError("shape", f"each entry ({', '.join(indices)}) must be a number, got shape {v.shape}")
        out[tuple(c - 1 for c in combo) if len(combo) >= 2 else (combo[0] - 1, 0)] = float(v)

    evaluate_entries(node=node, env=e, bindings=(dict(zip(indices, combo)) for combo in combos), accept=accept)
    return out


def _as_expected(value: np.ndarray) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    if a.ndim == 1:
        return a.reshape(-1, 1)
    if a.shape == (1, 1):
        return a.reshape(())
    return a


def shape_text(shape: tuple[int, ...], env: TrialEnv) -> str:
    if not shape:
        return "scalar"
    names: dict[int, str] = {}
    for name, size in env.sizes.items():
        if list(env.sizes.values()).count(size) == 1:
            names[size] = name
    return "(" + ",".join(names.get(s, str(s)) if s != 1 else "1" for s in shape) + ")"


@dataclass(frozen=True)
class StudentValues:
    values: tuple[np.ndarray, ...] | None
    error: EvalError | None
    error_env: TrialEnv | None


def evaluate_all(node: Node, envs: list[TrialEnv], spec: SymbolicSpec, uses_index: bool, mode: str,
                  budget: WorkBudget | None = None) -> StudentValues:
    values = []
    error: EvalError | None = None
    error_env: TrialEnv | None = None
    for env in envs:
        try:
            values.append(evaluate_form(node, env, spec.result.indices, uses_index, mode, budget))
        except EvalError as exc:
            distinct = len(set(env.sizes.values())) == len(env.sizes)
            if error is None or (error.kind == exc.kind and distinct):
                error, error_env = exc, env
            if exc.kind in ("bound", "nonfinite"):
                return StudentValues(None, exc, env)
    if error is not None:
        return StudentValues(None, error, error_env)
    return StudentValues(tuple(values), None, None)


def trial_envs(spec: SymbolicSpec, compiled: CompiledSpec, seed: int, trials: range) -> tuple[TrialEnv, ...]:
    """The trials' environments, drawn once per spec, seed and trials (grader.symbolic.memo); their arrays are
    read-only, since every answer of the part is evaluated on the same ones."""
    def draw() -> tuple[TrialEnv, ...]:
        envs = tuple(trial_env(spec=spec, compiled=compiled, seed=seed, trial=t) for t in trials)
        for env in envs:
            for value in env.values.values():
                value.setflags(write=False)
        return envs

    return remembered(spec, compiled, ("trials", seed, trials.start, trials.stop), draw)


class Checker:
    def __init__(self, spec: SymbolicSpec, compiled: CompiledSpec, seed: int) -> None:
        self.spec = spec
        self.compiled = compiled
        self.seed = seed
        self.envs = list(trial_envs(spec, compiled, seed, range(spec.trials)))
        self.index_names = compiled.table.index_names
        self._truth: tuple[np.ndarray, ...] | None = None

    def task(self) -> ExactTask:
        return ExactTask(self.spec, self.compiled, tuple(self.envs), self.seed, self.spec.result.indices)

    def uses_index(self, node: Node) -> bool:
        return bool(free_indices(node=node, index_names=self.index_names))

    def truth(self) -> tuple[np.ndarray, ...]:
        """The expected values at the trials (once per spec and seed: the same for every answer)."""
        if self._truth is None:
            self._truth = remembered(self.spec, self.compiled, ("truth", self.seed), self._expected)
        return self._truth

    def _expected(self) -> tuple[np.ndarray, ...]:
        if self.spec.truth:
            fn = TRUTHS[self.spec.truth]
            return tuple(_as_expected(fn({k: np.array(v) for k, v in env.values.items()})) for env in self.envs)
        ref = self.compiled.reference
        got = evaluate_all(ref, self.envs, self.spec, self.uses_index(ref), "strict")
        if got.values is None:
            raise RuntimeError(f"the reference cannot be evaluated: {got.error.message if got.error else '?'}")
        return got.values

    def _values_of(self, tree: Node, mode: str) -> StudentValues:
        return evaluate_all(tree, self.envs, self.spec, self.uses_index(tree), mode)

    def matches(self, values: tuple[np.ndarray, ...], expected: tuple[np.ndarray, ...]) -> list[Match]:
        return [_compare(v, e, self.spec) for v, e in zip(values, expected)]

    def misconception(self, node: Node, values: tuple[np.ndarray, ...] | None,
                      mode: str = "strict") -> ExpressionMisconception | None:
        for m, tree in self.compiled.misconceptions:
            if node == tree:
                return m
        if values is None:
            return None
        for k, (m, tree) in enumerate(self.compiled.misconceptions):
            got = remembered(self.spec, self.compiled, ("misconception", self.seed, k, mode),
                             partial(self._values_of, tree, mode))
            if got.values is not None and _agree(self.matches(values, got.values), self.spec):
                return m
        return None


def misconception_outcome(m: ExpressionMisconception, canonical: str, notes: tuple[str, ...]) -> SymbolicOutcome:
    verdict = "partial" if m.credit > 0 else "incorrect"
    return SymbolicOutcome(verdict, float(m.credit), m.feedback, m.id, canonical, notes)  # type: ignore[arg-type]
