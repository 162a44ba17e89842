"""Random environments for the equivalence trials (seeded, reproducible, never 'special').

Sizes cycle through each ``dims`` list; vectors are column vectors; matrices
are dense N(0,1) (so never symmetric); bernoulli masks always contain a 0 and a 1;
``integers`` symbols take the low end of their range in trial 0, the high end in
trial 1 and random values after that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from collections.abc import Callable, Mapping

import numpy as np

from grader.mathparse.interpret import EvalEnv, EvalError, WorkBudget, evaluate

if TYPE_CHECKING:
    from grader.symbolic.compile import CompiledSpec
    from grader.symbolic.spec import Sample, SymbolDecl, SymbolicSpec


@dataclass(frozen=True)
class TrialEnv:
    trial: int
    sizes: Mapping[str, int]            # dimension name -> size in this trial
    values: Mapping[str, np.ndarray]
    index_sizes: Mapping[str, int]
    functions: Mapping[str, Callable[[list[np.ndarray], int, int], np.ndarray]] = field(default_factory=dict)

    def env(self, *, product_mode: str = "strict", budget: WorkBudget | None = None) -> EvalEnv:
        return EvalEnv(values=self.values, index_sizes=self.index_sizes, product_mode=product_mode,  # type: ignore[arg-type]
                       budget=budget, functions=self.functions)


class SmoothFunction:
    """A declared abstract function in one trial: a random smooth function with exact derivatives.

    arity 1: f(x) = a sin(b x + c) + d x + e x²;  arity 2: g(x, y) = a sin(b x + c y + d) + e x y + p x + q y
    (primes on a two-argument function are refused; its first partial derivatives are exact).  Coefficients come from the trial's own generator,
    so `f'(g(x))` and `f'(x)` differ at generic points."""

    def __init__(self, name: str, arity: int, elementwise: bool, rng: np.random.Generator) -> None:
        self.name, self.arity, self.elementwise = name, arity, elementwise
        sign = rng.choice([-1.0, 1.0])
        self.a = sign * rng.uniform(0.5, 1.5)
        self.b = rng.uniform(0.6, 1.6)
        self.c = rng.uniform(0.0, 2 * np.pi)
        self.d = rng.uniform(0.3, 1.2) * rng.choice([-1.0, 1.0])
        self.e = rng.uniform(0.1, 0.5) * rng.choice([-1.0, 1.0])
        self.p, self.q = rng.normal(0.0, 1.0, size=2)

    def _check(self, args: list[np.ndarray]) -> None:
        if len(args) != self.arity:
            raise EvalError("unsupported", f"{self.name} takes {self.arity} argument(s), got {len(args)}")
        for x in args:
            if x.ndim != 0 and not self.elementwise:
                raise EvalError("shape", f"{self.name} takes a number, got shape {x.shape}")
        if self.arity == 2 and not (args[0].ndim == 0 or args[1].ndim == 0 or args[0].shape == args[1].shape):
            raise EvalError("shape", f"{self.name} of shapes {args[0].shape} and {args[1].shape}")

    def __call__(self, args: list[np.ndarray], derivative: int, wrt: int = 0) -> np.ndarray:
        self._check(args)
        a, b, c, d, e = self.a, self.b, self.c, self.d, self.e
        if wrt and self.arity == 1:
            derivative, wrt = derivative + 1, 0
        if self.arity == 2 and wrt:
            if derivative:
                raise EvalError("unsupported", f"higher partial derivatives of {self.name}")
            x, y = args
            inner = np.cos(b * x + c * y + d)
            return a * b * inner + e * y + self.p if wrt == 1 else a * c * inner + e * x + self.q
        if self.arity == 2:
            if derivative:
                raise EvalError("unsupported", f"{self.name} has two arguments: a prime does not say which "
                                "derivative (write the partial derivative)")
            x, y = args
            return a * np.sin(b * x + c * y + d) + e * x * y + self.p * x + self.q * y
        x = args[0]
        if derivative == 0:
            return a * np.sin(b * x + c) + d * x + e * x * x
        if derivative == 1:
            return a * b * np.cos(b * x + c) + d + 2 * e * x
        if derivative == 2:
            return -a * b * b * np.sin(b * x + c) + 2 * e + 0 * x
        if derivative <= 8:
            phase = [np.sin, np.cos, lambda t: -np.sin(t), lambda t: -np.cos(t)][derivative % 4]
            return a * b ** derivative * phase(b * x + c)
        raise EvalError("unsupported", f"derivative {derivative} of {self.name}")


def _size(d: str | int | None, sizes: Mapping[str, int]) -> int:
    if d is None:
        return 1
    return d if isinstance(d, int) else sizes[d]


def _draw(rng: np.random.Generator, sample: "Sample | None", shape: tuple[int, ...], trial: int) -> np.ndarray:
    kind = sample.name if sample is not None else "normal"
    if kind == "normal":
        mean, std = (0.0, 1.0) if sample is None or sample.normal is True else sample.normal  # type: ignore[misc]
        return rng.normal(mean, std, size=shape)
    if kind == "uniform":
        low, high = (0.0, 1.0) if sample.uniform is True else sample.uniform  # type: ignore[union-attr,misc]
        return rng.uniform(low, high, size=shape)
    if kind == "positive":
        return rng.uniform(0.1, 1.0, size=shape)
    if kind == "integers":
        low, high = sample.integers  # type: ignore[union-attr,misc]
        drawn = rng.integers(low, high + 1, size=shape).astype(float)
        if trial < 2:  # the ends of the range, where floor/ceil/divisibility mistakes show (s = 1 divides anything)
            return np.full(shape, float(low if trial == 0 else high))
        return drawn
    n = int(np.prod(shape)) if shape else 1
    if kind == "onehot":
        out = np.zeros(n)
        out[rng.integers(0, n)] = 1.0
        return out.reshape(shape)
    if kind == "bernoulli":
        p = 0.5 if sample.bernoulli is True else float(sample.bernoulli)  # type: ignore[union-attr,arg-type]
        out = (rng.uniform(size=n) < p).astype(float)
        if n >= 2:
            out[0], out[1] = 0.0, 1.0
            rng.shuffle(out)
        return out.reshape(shape)
    raise ValueError(f"unknown sample {kind}")


def _shape(decl: "SymbolDecl", sizes: Mapping[str, int]) -> tuple[int, ...]:
    if decl.kind == "scalar":
        return ()
    if decl.kind == "vector":
        return (_size(decl.dim, sizes), 1)
    return tuple(_size(d, sizes) for d in decl.dims)  # type: ignore[union-attr]


def trial_env(*, spec: "SymbolicSpec", compiled: "CompiledSpec", seed: int, trial: int) -> TrialEnv:
    sizes = {name: options[trial % len(options)] for name, options in spec.dims.items()}
    rng = np.random.default_rng([abs(int(seed)) % (2**32), trial])
    values: dict[str, np.ndarray] = {d: np.asarray(float(s)) for d, s in sizes.items() if d not in spec.symbols}
    index_sizes: dict[str, int] = {}
    for name, decl in spec.symbols.items():
        if decl.kind == "index":
            index_sizes[name] = _size(decl.dim, sizes)
        elif decl.value is None:
            values[name] = np.asarray(_draw(rng, decl.sample, _shape(decl, sizes), trial), dtype=float)
    # a generator of their own, so that declaring functions leaves the symbols' values unchanged
    fn_rng = np.random.default_rng([abs(int(seed)) % (2**32), trial, 7919])
    functions = {name: SmoothFunction(name, decl.arity, decl.elementwise, fn_rng) for name, decl in spec.functions.items()}
    for name, node in compiled.values:
        values[name] = evaluate(node=node, env=EvalEnv(values=values, index_sizes=index_sizes, functions=functions))
    return TrialEnv(trial, sizes, values, index_sizes, functions)
