"""A symbolic expression, checked by ``grader.symbolic`` against the part's
``symbolic:`` block (random-point evaluation on NumPy values, no eval)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure
from grader.answers.registry import register
from grader.bounded_cache import BoundedCache, made_for
from grader.problems.models import Part

MAX_CHARS = 2000


MAX_PARTS = 256      # parts whose spec is remembered by the part object itself


@lru_cache(maxsize=256)
def _spec_of_json(raw: str) -> Any:
    from grader.symbolic import SymbolicSpec

    return SymbolicSpec.model_validate(json.loads(raw))


class _SpecMemo:
    """The SymbolicSpec of a part's ``symbolic:`` block: one per JSON text of the block (two parts with one block
    share it), found first by the part object itself, so the block is not written out as JSON on every check.  A
    Part is frozen (grader.strict_model) and nothing writes into its block, so the part object stands for its
    block (bounded_cache.made_for).  ``cache_clear`` empties both tables."""

    def __init__(self) -> None:
        self._by_part: BoundedCache[int, tuple[Part, Any]] = BoundedCache(MAX_PARTS)

    def __call__(self, raw: str) -> Any:
        return _spec_of_json(raw)

    def of_part(self, part: Part) -> Any:
        return made_for(self._by_part, part, lambda: _spec_of_json(json.dumps(part.symbolic, sort_keys=True)))

    def cache_clear(self) -> None:
        self._by_part.clear()
        _spec_of_json.cache_clear()


_spec_from_json = _SpecMemo()


def spec_of(part: Part) -> Any:
    return _spec_from_json.of_part(part)


class ExpressionType:
    name = "expression"
    needs_reference = False

    def reference_value(self, *, value: Any, part: Part) -> Any:
        return value

    def validate_part(self, *, part: Part) -> list[str]:
        if not part.symbolic:
            return ["an 'expression' part needs a 'symbolic' block (see docs/symbolic.md)"]
        try:
            spec_of(part)
        except Exception as exc:  # pydantic ValidationError or the checker's own spec errors
            return [f"symbolic block is invalid: {exc}"]
        return []

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        stripped = text.strip()
        if not stripped:
            return ParseFailure("empty answer")
        if len(stripped) > MAX_CHARS:
            return ParseFailure(f"answer longer than {MAX_CHARS} characters")
        from grader.mathparse import MathParseError, parse_math
        from grader.mathparse.errors import caret_excerpt

        try:
            parse_math(text=stripped)
        except MathParseError as exc:
            where = "" if exc.offset is None else "\n" + caret_excerpt(text=stripped, offset=exc.offset)
            return ParseFailure(f"could not read an expression: {exc}{where}")
        return Parsed(value=stripped, shown=stripped)

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        from grader.symbolic import check_symbolic

        outcome = check_symbolic(answer=parsed.value, spec=spec_of(part), seed=seed)
        return Check(verdict=outcome.verdict, credit=float(outcome.credit), feedback=outcome.feedback,
                     feedback_id=outcome.feedback_id, notes=tuple(outcome.notes), canonical=outcome.canonical,
                     proof=outcome.proof, canonical_reference=outcome.canonical_reference,
                     canonical_answer=outcome.canonical_answer)

    def value_of(self, *, parsed: Parsed) -> Any:
        return parsed.value

    def show(self, *, value: Any, part: Part) -> str:
        reference = (part.symbolic or {}).get("reference", "")
        if not part.reference_latex and isinstance(reference, dict):  # a derived reference read without checking
            return str(spec_of(part).reference)
        return part.reference_latex or str(reference)


register(ExpressionType())
