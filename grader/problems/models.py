"""Schema of problem definitions.

An assignment is a folder with ``assignment.yaml`` listing problem files; each
problem file holds parameters and parts.  Part arguments bind solver inputs:
``$name`` is a problem parameter, ``@1a`` the value of another part (a step of
the computation: the reference value, or a student's own value when grading
with error carried forward); anything else is a literal.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from grader.misconception import MisconceptionBase
from grader.strict_model import StrictModel

PART_ID_PATTERN = r"^[1-9][0-9]*[a-z]?(?:\.[1-9][0-9]?)?$"


class Tolerance(StrictModel):
    """How close a numeric answer must be.

    policy:
      absolute   |x - ref| <= abs
      relative   |x - ref| <= rel * |ref|
      decimals   x rounded to ``decimals`` places equals ref rounded likewise
      sigfigs    x and ref agree to ``sigfigs`` significant figures
      rounding   (rounding-aware) x equals ref rounded to the student's own
                 number of decimals, which must be at least ``min_decimals``;
                 otherwise falls back to ``abs``/``rel``.
    """

    policy: Literal["absolute", "relative", "decimals", "sigfigs", "rounding"] = "absolute"
    abs: float | None = Field(default=None, ge=0)
    rel: float | None = Field(default=None, ge=0)
    decimals: int | None = Field(default=None, ge=0, le=15)
    sigfigs: int | None = Field(default=None, ge=1, le=15)
    min_decimals: int | None = Field(default=None, ge=0, le=15)

    @model_validator(mode="after")
    def _needs_its_number(self) -> "Tolerance":
        needed = {"absolute": "abs", "relative": "rel", "decimals": "decimals", "sigfigs": "sigfigs"}
        field = needed.get(self.policy)
        if field and getattr(self, field) is None:
            raise ValueError(f"policy {self.policy!r} needs the field {field!r}")
        if self.policy == "rounding" and self.min_decimals is None:
            raise ValueError("policy 'rounding' needs the field 'min_decimals'")
        return self


class Misconception(MisconceptionBase):
    """A typical wrong answer: a literal value, or a solver variant computing it."""

    value: Any = None
    formula: str | None = None
    solver: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _value_or_solver(self) -> "Misconception":
        given = [name for name in ("value", "formula", "solver") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of 'value', 'formula' or 'solver' (got {', '.join(given) or 'none'})")
        return self


class RecordField(StrictModel):
    """One named value of a ``record`` part (``in: 10, out: 20``)."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    #: the answer type of this value (a registered scalar-like type: integer, number, shape, ...)
    type: str = "number"
    #: words that name the value in free text (``input``, ``in``, ``входных``); the name itself counts too
    labels: tuple[str, ...] = ()
    #: share of the part's points, relative to the other fields
    weight: float = Field(default=1.0, gt=0)
    tolerance: Tolerance | None = None


class TableColumn(StrictModel):
    """One column of a ``table`` part (``output_shape``, ``params``)."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    type: str = "number"
    labels: tuple[str, ...] = ()
    tolerance: Tolerance | None = None


class ChoiceOption(StrictModel):
    """One option of a ``choice`` part."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    text: str = ""
    #: other ways students write this option (``true``, ``yes``, ``верно``, ``richtig``)
    labels: tuple[str, ...] = ()
    #: shown when a student picks this option and it is not the answer
    feedback: str | None = None


class IncorrectExample(StrictModel):
    answer: str
    #: the feedback id the answer must get (a misconception id, or a type's own id such as wrong-shape)
    feedback_id: str | None = None


class Examples(StrictModel):
    """Answers ``grade check`` grades as a self-test of the part."""

    correct: tuple[str, ...] = ()
    incorrect: tuple[IncorrectExample, ...] = ()

    @field_validator("incorrect", mode="before")
    @classmethod
    def _bare_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"answer": item} if isinstance(item, str) else item for item in value]
        return value


class Part(StrictModel):
    id: str = Field(pattern=PART_ID_PATTERN)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="before")
    @classmethod
    def _expression_answer_is_its_reference(cls, data: Any) -> Any:
        """``answer: '(A + A^T) w'`` on an expression part is the symbolic block's reference."""
        if (isinstance(data, dict) and data.get("type") == "expression" and isinstance(data.get("answer"), str)
                and isinstance(data.get("symbolic"), dict) and "reference" not in data["symbolic"]):
            data = {**data, "symbolic": {**data["symbolic"], "reference": data["answer"]}}
        return data

    prompt: str
    type: str
    points: float = Field(default=1.0, ge=0)
    #: an optional sub-answer (e.g. an intermediate size): worth no points of its own,
    #: graded when given, and used for error carried forward in the parts after it
    optional: bool = False
    # --- the reference, in exactly one of four forms (an expression part may give it in `symbolic`) ---
    #: a literal reference as the instructor types it (``1820``, ``[46, 62, 20]``, ``'(A + A^T) w'``)
    answer: Any = None
    #: an expression over the problem's parameters (and ``args``), in the grader's math language
    formula: str | None = None
    #: a built-in or assignment-local solver (``layers.stack_table``, ``local.my_solver``)
    solver: str | None = None
    #: inputs of the solver or formula: ``$param``, ``@part`` or literals
    args: dict[str, Any] = Field(default_factory=dict)
    reference_latex: str | None = None
    tolerance: Tolerance | None = None
    entry_credit: Literal["all_or_nothing", "proportional"] = "all_or_nothing"
    square_ok: bool = False
    check_step_of: str | None = None
    misconceptions: tuple[Misconception, ...] = ()
    symbolic: dict[str, Any] | None = None
    key_idea: str | None = None
    ecf: bool = True
    # --- configuration of the structured answer types ---
    fields: tuple[RecordField, ...] = ()        # record
    columns: tuple[TableColumn, ...] = ()       # table
    rows: tuple[str, ...] = ()                  # table: row labels (layer names), in order
    choices: tuple[ChoiceOption, ...] = ()      # choice
    #: range: integers (``0 ≤ k < 2`` is {0, 1}) or reals (an interval)
    domain: Literal["integers", "reals"] = "integers"
    #: coordinates: whether positions are counted from 0 or 1
    index_base: Literal[0, 1] = 0
    examples: Examples = Examples()

    @model_validator(mode="after")
    def _one_reference_form(self) -> "Part":
        given = [name for name in ("answer", "formula", "solver") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"give the reference in one form only, not {' and '.join(given)}")
        if self.args and not (self.solver or self.formula):
            raise ValueError("'args' are inputs of a 'solver' or a 'formula'; this part has neither")
        return self

    @property
    def computed(self) -> bool:
        """Whether the reference is computed from inputs (a solver or a formula): a step of the computation."""
        return self.solver is not None or self.formula is not None

    @property
    def inputs(self) -> tuple[str, ...]:
        """Parts whose values this part's solver consumes (``@id`` arguments)."""
        found: list[str] = []
        for value in self.args.values():
            found.extend(_part_refs(value))
        return tuple(dict.fromkeys(found))


def _part_refs(value: Any) -> list[str]:
    if isinstance(value, str) and value.startswith("@"):
        return [value[1:]]
    if isinstance(value, list):
        return [ref for item in value for ref in _part_refs(item)]
    if isinstance(value, dict):
        return [ref for item in value.values() for ref in _part_refs(item)]
    return []


class VariantSpec(StrictModel):
    """How one parameter (or a dotted path into it, ``conv1.kernel``, ``W1.0.1``) varies per student:
    exactly one of ``choices``, ``range`` (integers lo..hi inclusive, by ``step``) or ``uniform``
    (a real in [lo, hi], rounded to ``decimals``)."""

    choices: tuple[Any, ...] | None = Field(default=None, min_length=1)
    range: tuple[int, int] | None = None
    step: int = Field(default=1, ge=1)
    uniform: tuple[float, float] | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)

    @model_validator(mode="after")
    def _one_kind(self) -> "VariantSpec":
        given = [name for name in ("choices", "range", "uniform") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of 'choices', 'range' or 'uniform' (got {', '.join(given) or 'none'})")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("range: [lo, hi] needs lo <= hi")
        if self.uniform is not None and not self.uniform[0] < self.uniform[1]:
            raise ValueError("uniform: [lo, hi] needs lo < hi")
        if self.step != 1 and self.range is None:
            raise ValueError("'step' belongs to 'range'")
        if self.decimals is not None and self.uniform is None:
            raise ValueError("'decimals' belongs to 'uniform'")
        return self


CONSTRAINT_KINDS = ("integer", "positive", "nonnegative", "distinct")


class Constraint(StrictModel):
    """A condition every student's values must meet (formulas over the problem's parameters):
    ``integer`` the value is a whole number, ``positive`` > 0, ``nonnegative`` >= 0,
    ``distinct`` the listed formulas all have different values."""

    integer: str | None = None
    positive: str | None = None
    nonnegative: str | None = None
    distinct: tuple[str, ...] | None = Field(default=None, min_length=2)

    @model_validator(mode="after")
    def _one_kind(self) -> "Constraint":
        given = [name for name in CONSTRAINT_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(CONSTRAINT_KINDS)} (got {', '.join(given) or 'none'})")
        return self

    @property
    def kind(self) -> str:
        return next(name for name in CONSTRAINT_KINDS if getattr(self, name) is not None)

    @property
    def formulas(self) -> tuple[str, ...]:
        value = getattr(self, self.kind)
        return tuple(value) if isinstance(value, tuple) else (value,)


class Problem(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    number: int = Field(ge=1)
    title: str
    statement: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)
    #: fields applied to every part that does not set them itself
    part_defaults: dict[str, Any] = Field(default_factory=dict)
    parts: tuple[Part, ...] = Field(min_length=1)
    #: per-student values: parameter path -> how it varies (used when the assignment enables variants)
    variants: dict[str, VariantSpec] = Field(default_factory=dict)
    #: conditions every student's values must meet
    constraints: tuple[Constraint, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _apply_part_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("part_defaults"), dict) and isinstance(data.get("parts"), list):
            defaults = data["part_defaults"]
            data = {**data, "parts": [{**defaults, **part} if isinstance(part, dict) else part
                                      for part in data["parts"]]}
        return data


class EcfPolicy(StrictModel):
    enabled: bool = True
    credit: float = Field(default=1.0, ge=0, le=1)


class VariantPolicy(StrictModel):
    """Whether each student gets their own parameter values, and the secret they are derived from."""

    enabled: bool = False
    #: with the assignment id, problem id and student id, this fixes every student's values
    seed: str = ""
    #: draws tried per student and problem before giving up (rejection sampling of the constraints)
    max_draws: int = Field(default=200, ge=1, le=10_000)
    #: sample students whose variants are self-checked when the assignment loads
    check_sample: int = Field(default=6, ge=0, le=200)


class Assignment(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    problems: tuple[Problem, ...] = Field(min_length=1)
    show_reference: bool = True
    ecf: EcfPolicy = EcfPolicy()
    variants: VariantPolicy = VariantPolicy()
    #: set by the loader: the assignment folder and the file of each problem, in order
    source_dir: str = ""
    problem_files: tuple[str, ...] = ()

    @field_validator("problems")
    @classmethod
    def _unique_ids(cls, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
        seen: set[str] = set()
        for problem in problems:
            for part in problem.parts:
                if part.id in seen:
                    raise ValueError(f"part id {part.id!r} appears twice")
                seen.add(part.id)
        return problems

    def _part_index(self) -> tuple[tuple[Part, ...], dict[str, Part], dict[str, Problem]]:
        """(every part in order, part by id, its problem by part id), computed once per ``problems`` (grading and
        every student page ask per answer); kept with the tuple it was made from, so a copy with other problems
        (model_copy) computes its own."""
        cached = self.__dict__.get("_part_index_of")
        if cached is None or cached[0] is not self.problems:
            parts = tuple(part for problem in self.problems for part in problem.parts)
            owners: dict[str, Problem] = {}
            for problem in self.problems:
                for part in problem.parts:
                    owners.setdefault(part.id, problem)
            cached = (self.problems, parts, {part.id: part for part in parts}, owners)
            self.__dict__["_part_index_of"] = cached  # not a field: the frozen model's data is unchanged
        return cached[1], cached[2], cached[3]

    @property
    def parts(self) -> tuple[Part, ...]:
        return self._part_index()[0]

    def part(self, part_id: str) -> Part:
        return self._part_index()[1][part_id]

    def problem_of(self, part_id: str) -> Problem:
        return self._part_index()[2][part_id]

    @property
    def graded_parts(self) -> tuple[Part, ...]:
        """Parts that appear as columns in grade books (optional sub-answers excluded)."""
        return tuple(part for part in self.parts if not part.optional)

    @property
    def max_points(self) -> float:
        return sum(part.points for part in self.parts)
