"""Each student's own parameter values, derived deterministically.

A student's values for one problem depend only on (assignment seed, assignment id, problem id,
student id): SHA-256 of those four (never Python's ``hash``, which changes per process) keys a
stream of uniform draws made by SHA-256 itself in counter mode (not a NumPy generator, whose
streams may change between NumPy versions), which draws every declared variant in file order;
a draw that breaks a constraint is thrown away and the next one tried, up to ``max_draws``.
The same student gets the same numbers in every run, process, worker, platform and library
version; two students almost always differ.

Student ids are compared as people mean them: Unicode NFC, surrounding blanks removed,
case folded (``Alice.Chen`` and ``alice.chen`` are one student).
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Mapping
from typing import Any


from grader.problems.models import Assignment, Constraint, Problem, VariantSpec
from grader.variants.paths import set_paths

#: bump only together with a note to instructors: it changes every student's numbers
DERIVATION_VERSION = "grader-variant/1"

#: problem id -> parameter path -> value
VariantValues = dict[str, dict[str, Any]]


class VariantError(ValueError):
    """No values satisfy the constraints, or a constraint cannot be evaluated."""


def normalise_student(student: str) -> str:
    return unicodedata.normalize("NFC", str(student)).strip().casefold()


class VariantStream:
    """Uniform draws from SHA-256 in counter mode, keyed by the student's payload."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._counter = 0

    def _next64(self) -> int:
        block = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
        self._counter += 1
        return int.from_bytes(block[:8], "big")

    def integers(self, n: int) -> int:
        """Uniform in [0, n), without modulo bias."""
        if n < 1:
            raise ValueError("integers() needs n >= 1")
        limit = (1 << 64) - (1 << 64) % n
        while True:
            draw = self._next64()
            if draw < limit:
                return draw % n

    def random(self) -> float:
        """Uniform in [0, 1), 53 bits."""
        return (self._next64() >> 11) / float(1 << 53)


def variant_rng(*, seed: str, assignment_id: str, problem_id: str, student: str) -> VariantStream:
    payload = json.dumps([DERIVATION_VERSION, seed, assignment_id, problem_id, normalise_student(student)],
                         ensure_ascii=False, separators=(",", ":"))
    return VariantStream(hashlib.sha256(payload.encode("utf-8")).digest())


def draw_value(*, spec: VariantSpec, rng: VariantStream) -> Any:
    if spec.choices is not None:
        return spec.choices[int(rng.integers(len(spec.choices)))]
    if spec.range is not None:
        lo, hi = spec.range
        return lo + spec.step * int(rng.integers((hi - lo) // spec.step + 1))
    lo, hi = spec.uniform
    value = min(hi, max(lo, lo + (hi - lo) * float(rng.random())))
    return round(value, spec.decimals) if spec.decimals is not None else value


def constraint_failure(*, constraint: Constraint, parameters: Mapping[str, Any]) -> str | None:
    """Why ``parameters`` break the constraint, or None when they meet it (FormulaError propagates)."""
    from grader.mathparse.formula import evaluate_formula

    values = [evaluate_formula(text=text, parameters=parameters) for text in constraint.formulas]
    kind = constraint.kind
    if kind == "distinct":
        seen: list[Any] = []
        for text, value in zip(constraint.formulas, values):
            if any(_same(value, other) for other in seen):
                return f"distinct: {text} = {value} repeats an earlier value"
            seen.append(value)
        return None
    (value,) = values
    if isinstance(value, (list, tuple)):
        raise VariantError(f"{kind}: {constraint.formulas[0]!r} gives a list; a constraint needs one number")
    ok = (_is_whole(value) if kind == "integer" else value > 0 if kind == "positive" else value >= 0)
    return None if ok else f"{kind}: {constraint.formulas[0]} = {value}"


def _is_whole(value: Any) -> bool:
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and abs(value - round(value)) <= 1e-9 * max(1.0, abs(value))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return list(a) == list(b) if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) else False
    return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(a)))


def first_failure(*, problem: Problem, parameters: Mapping[str, Any]) -> str | None:
    for constraint in problem.constraints:
        reason = constraint_failure(constraint=constraint, parameters=parameters)
        if reason is not None:
            return reason
    return None


def problem_values(*, assignment: Assignment, problem: Problem, student: str) -> dict[str, Any]:
    """The student's values of the problem's declared variants (path -> value)."""
    from grader.mathparse.formula import FormulaError

    if not problem.variants:
        return {}
    policy = assignment.variants
    rng = variant_rng(seed=policy.seed, assignment_id=assignment.id, problem_id=problem.id, student=student)
    last = None
    for _ in range(policy.max_draws):
        values = {path: draw_value(spec=spec, rng=rng) for path, spec in problem.variants.items()}
        try:
            last = first_failure(problem=problem, parameters=set_paths(problem.parameters, values))
        except FormulaError as exc:
            raise VariantError(f"problem {problem.id}: a constraint cannot be evaluated: {exc}") from None
        if last is None:
            return values
    raise VariantError(f"problem {problem.id}: no variant found in {policy.max_draws} draws "
                       f"(last one broke {last})")


def student_variant(*, assignment: Assignment, student: str) -> VariantValues:
    """Problem id -> the student's values, for every problem declaring variants ({} when variants are off)."""
    if not assignment.variants.enabled:
        return {}
    return {problem.id: problem_values(assignment=assignment, problem=problem, student=student)
            for problem in assignment.problems if problem.variants}


def variant_key(values: Mapping[str, Mapping[str, Any]]) -> str | None:
    """A canonical text naming the variant (None for the default parameters): the cache key of its
    grading context, which a worker process turns back into the values with :func:`values_of_key`."""
    if not any(values.values()):
        return None
    return json.dumps({pid: dict(vals) for pid, vals in values.items() if vals}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


def values_of_key(key: str | None) -> VariantValues:
    return json.loads(key) if key else {}


def shown_variant(*, assignment: Assignment, values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The values as results.json records them: problem number -> path -> value."""
    return {str(problem.number): dict(values[problem.id]) for problem in assignment.problems if values.get(problem.id)}


def values_of_shown(*, assignment: Assignment, shown: Mapping[str, Mapping[str, Any]] | None) -> VariantValues:
    """The inverse of :func:`shown_variant`."""
    if not shown:
        return {}
    return {problem.id: dict(shown[str(problem.number)]) for problem in assignment.problems
            if str(problem.number) in shown}
