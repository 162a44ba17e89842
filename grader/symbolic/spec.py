"""SymbolicSpec: the ``symbolic:`` block of an ``expression`` part (see docs/symbolic.md)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from grader.mathparse import MathParseError, parse_math
from grader.misconception import MisconceptionBase
from grader.strict_model import StrictModel
from grader.symbolic.declarations import alias_tree

Kind = Literal["scalar", "vector", "matrix", "tensor", "index"]
MAX_RANK = 4
_FUNCTION_NAME = re.compile(r"^[A-Za-z]+$")
_RESERVED_FUNCTION_NAMES = frozenset({"e", "pi", "sigmoid", "ln", "ReLU", "sgn", "delta", "T"})
_SAMPLE_NAMES = ("normal", "onehot", "bernoulli", "uniform", "positive", "integers")


class Sample(StrictModel):
    """How a symbol is drawn.  Exactly one field; a bare word is shorthand
    (``sample: onehot`` == ``sample: {onehot: true}``)."""

    normal: tuple[float, float] | bool | None = None      # (mean, std); true = (0, 1)
    uniform: tuple[float, float] | bool | None = None     # [low, high]; true = [0, 1]
    integers: tuple[int, int] | None = None               # inclusive [low, high]
    onehot: bool | None = None
    bernoulli: float | bool | None = None                 # P(1); at least one 0 and one 1 per vector
    positive: bool | None = None                          # uniform [0.1, 1]

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            if data not in _SAMPLE_NAMES:
                raise ValueError(f"unknown sample {data!r}; use one of {', '.join(_SAMPLE_NAMES)}")
            if data == "integers":
                raise ValueError("'integers' needs a range: {integers: [low, high]}")
            return {data: True}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> "Sample":
        chosen = [k for k in ("normal", "uniform", "integers", "onehot", "bernoulli", "positive")
                  if getattr(self, k) not in (None, False)]
        if len(chosen) != 1:
            raise ValueError(f"a sample names exactly one distribution, got {chosen or 'none'}")
        if self.uniform not in (None, True, False) and self.uniform[0] >= self.uniform[1]:  # type: ignore[index]
            raise ValueError("uniform: [low, high] needs low < high")
        if self.integers is not None and self.integers[0] > self.integers[1]:
            raise ValueError("integers: [low, high] needs low <= high")
        return self

    @property
    def name(self) -> str:
        return next(k for k in ("normal", "uniform", "integers", "onehot", "bernoulli", "positive")
                    if getattr(self, k) not in (None, False))


class SymbolDecl(StrictModel):
    """One symbol.  ``dim`` (vector length / index range) and ``dims`` (matrix rows, cols)
    name entries of the spec's ``dims`` or are fixed integers."""

    kind: Kind
    dim: str | int | None = None
    dims: tuple[str | int, ...] | None = None       # matrix: [rows, cols]; tensor: 1..4 sizes
    sample: Sample | None = None
    value: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None

    @model_validator(mode="after")
    def _shape_fields(self) -> "SymbolDecl":
        if self.kind in ("vector", "index") and self.dim is None:
            raise ValueError(f"a {self.kind} needs 'dim'")
        if self.kind == "matrix" and (self.dims is None or len(self.dims) != 2):
            raise ValueError("a matrix needs 'dims: [rows, cols]'")
        if self.kind == "tensor" and (self.dims is None or not 1 <= len(self.dims) <= MAX_RANK):
            raise ValueError(f"a tensor needs 'dims' with 1..{MAX_RANK} sizes ([B, H, W, C])")
        if self.kind in ("scalar", "index") and self.dims is not None:
            raise ValueError(f"a {self.kind} has no 'dims'")
        if self.kind == "index" and (self.sample is not None or self.value is not None):
            raise ValueError("an index has neither 'sample' nor 'value'")
        if self.sample is not None and self.value is not None:
            raise ValueError("give either 'sample' or 'value', not both")
        if self.sample is not None and self.kind != "vector" and self.sample.name in ("onehot", "bernoulli"):
            raise ValueError(f"sample {self.sample.name} is for vectors")
        return self


class ResultSpec(StrictModel):
    """How an index-form answer (one using the free indices) becomes an array.
    One index -> column vector; two -> matrix (rows = first index); three or four -> a tensor."""

    indices: tuple[str, ...] = ()
    shape: tuple[str | int, ...] | None = None
    accept_diagonal: bool = False   # a vector result may be given as the diagonal matrix diag(v)

    @field_validator("indices")
    @classmethod
    def _at_most_four(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(v) > MAX_RANK:
            raise ValueError(f"at most {MAX_RANK} result indices")
        if len(set(v)) != len(v):
            raise ValueError("result indices must be distinct")
        return v


class FunctionDecl(StrictModel):
    """An abstract function of the problem (``f``, ``g``): each trial draws it as a random smooth function
    with exact derivatives, so ``f'(g(x)) g'(x)`` can be told from ``f'(x) g'(x)``."""

    arity: Literal[1, 2] = 1
    elementwise: bool = False      # true: applied entry by entry to vector/matrix arguments
    args: tuple[str, ...] | None = None   # argument symbols, for \frac{\partial g}{\partial x} meaning ∂g/∂x at (x, y)

    @model_validator(mode="after")
    def _args_match_arity(self) -> "FunctionDecl":
        if self.args is not None and (len(self.args) != self.arity or len(set(self.args)) != len(self.args)):
            raise ValueError(f"args: give {self.arity} distinct argument name(s), one per argument")
        return self
    description: str | None = None


class ExpressionMisconception(MisconceptionBase):
    """A typical wrong expression (the fields every misconception has: grader.misconception)."""

    expr: str


class SymbolicSpec(StrictModel):
    reference: str
    truth: str | None = None
    dims: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    symbols: dict[str, SymbolDecl] = Field(default_factory=dict)
    functions: dict[str, FunctionDecl] = Field(default_factory=dict)
    result: ResultSpec = ResultSpec()
    layout: Literal["strict", "transpose_ok"] = "strict"
    misconceptions: tuple[ExpressionMisconception, ...] = ()
    trials: int = Field(default=6, ge=2, le=20)
    rtol: float = Field(default=1e-6, gt=0, le=0.1)
    atol: float = Field(default=1e-9, ge=0, le=0.1)
    simplify_display: bool = False   # add a SymPy-simplified form of the answer to the notes (small trees only)
    exact: bool = True               # after the random points, let SymPy try to prove the verdict (bounded)

    _compiled: Any = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _derived_reference(cls, data: Any) -> Any:
        """``reference: {derivative|gradient: ..., wrt: ...}``: the reference SymPy derives (grader.symbolic.derive).
        Checked loading derives it once and stores the text; a block read without it is derived here."""
        if isinstance(data, dict) and isinstance(data.get("reference"), dict):
            from grader.symbolic.derive import derive_from_block

            return {**data, "reference": derive_from_block(block=data)}
        return data

    @field_validator("dims")
    @classmethod
    def _dims(cls, v: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        for name, sizes in v.items():
            if not sizes:
                raise ValueError(f"dims.{name}: give at least one size")
            if any(s < 1 or s > 50 for s in sizes):
                raise ValueError(f"dims.{name}: sizes must be between 1 and 50")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "SymbolicSpec":
        errors: list[str] = []

        def dim_ok(where: str, d: str | int | None) -> None:
            if isinstance(d, str) and d not in self.dims:
                errors.append(f"{where}: dimension {d!r} is not in 'dims'")
            if isinstance(d, int) and not 1 <= d <= 50:
                errors.append(f"{where}: size {d} must be between 1 and 50")

        from grader.mathparse.nodes import FUNCTIONS

        for name in self.functions:
            if not _FUNCTION_NAME.match(name):
                errors.append(f"functions.{name}: a function name is letters only (f, g, phi)")
            elif name in FUNCTIONS or name in _RESERVED_FUNCTION_NAMES:
                errors.append(f"functions.{name}: {name!r} is a built-in function or constant")
            elif name in self.symbols or name in self.dims:
                errors.append(f"functions.{name}: {name!r} is also declared as a symbol or dimension")
            for arg in self.functions[name].args or ():
                if arg not in self.symbols or self.symbols[arg].kind == "index":
                    errors.append(f"functions.{name}.args: {arg!r} must be a declared symbol (not an index)")
        for name, decl in self.symbols.items():
            dim_ok(f"symbols.{name}.dim", decl.dim)
            for d in decl.dims or ():
                dim_ok(f"symbols.{name}.dims", d)
            for what, text in ([("value", decl.value)] if decl.value else []) + [("aliases", a) for a in decl.aliases]:
                try:
                    alias_tree(text=text) if what == "aliases" else parse_math(text=text)
                except MathParseError as exc:
                    errors.append(f"symbols.{name}.{what}: cannot parse {text!r}: {exc.message}")
        for texts in [("reference", self.reference)] + [(f"misconceptions[{m.id}].expr", m.expr)
                                                        for m in self.misconceptions]:
            try:
                parse_math(text=texts[1])
            except MathParseError as exc:
                errors.append(f"{texts[0]}: cannot parse {texts[1]!r}: {exc.message}")
        for idx in self.result.indices:
            if idx not in self.symbols or self.symbols[idx].kind != "index":
                errors.append(f"result.indices: {idx!r} must be a declared symbol of kind index")
        for d in self.result.shape or ():
            dim_ok("result.shape", d)
        ids = [m.id for m in self.misconceptions]
        if len(set(ids)) != len(ids):
            errors.append("misconception ids must be unique")
        if self.truth is not None:
            from grader.symbolic.truths import TRUTHS, known_truths

            if self.truth not in TRUTHS:
                errors.append(f"truth: unknown truth {self.truth!r}; known: {', '.join(known_truths())} "
                              "(an assignment's own truths must be registered with @truth before its specs load)")
        if errors:
            raise ValueError("; ".join(errors))
        if not errors:
            from grader.symbolic.compile import compile_spec

            try:
                compile_spec(spec=self)
            except ValueError as exc:
                raise ValueError(str(exc)) from None
        return self
