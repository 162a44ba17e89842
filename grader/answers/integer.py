"""A whole number, compared exactly; arithmetic that evaluates to it exactly counts (``\\lfloor 223/2 \\rfloor + 1``;
not ``e^{\\ln 112}``, whose value is a float)."""

from __future__ import annotations

import re
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure
from grader.answers.registry import register
from grader.answers.spans import scalar_spans
from grader.answers.solver_backed import SolverBacked, whole_number
from grader.answers.numerals import read_scalar
from grader.problems.models import Part

_DOT_GROUPS = re.compile(r"(?<![\d.])\d{1,3}\.\d{3}(?![\d.,])")


class IntegerType(SolverBacked):
    name = "integer"

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = self.answer_text(text)
        readings = read_scalar(cleaned, integer_context=True)
        if not readings:
            return ParseFailure(f"could not read a whole number in {cleaned[:80]!r}")
        reading = readings[0]
        value = reading.value
        if not reading.exact:  # `\\sqrt{2}`, `e^{\\ln 5}`: a float, never a count, however close to one
            return Parsed(value=float(value), shown=f"{float(value):g}", notes=("not an exact whole number",))
        if value.denominator != 1:
            return Parsed(value=value, shown=f"{float(value):g}", notes=("not a whole number",))
        notes: tuple[str, ...] = ()
        if _DOT_GROUPS.search(cleaned):
            notes = (f"read {_DOT_GROUPS.search(cleaned).group(0)!r} as {value.numerator}: the dot groups thousands",)
        return Parsed(value=value, shown=str(value.numerator), notes=notes)

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        if isinstance(parsed.value, float):
            return Check(verdict="incorrect", credit=0.0, feedback="A count must be a whole number; this value is "
                         "not exact.", feedback_id="not-integer")
        if parsed.value == int(reference):
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        if parsed.value.denominator != 1:
            return Check(verdict="incorrect", credit=0.0, feedback="A count must be a whole number.",
                         feedback_id="not-integer")
        return Check(verdict="incorrect", credit=0.0, feedback="Not the right count.", feedback_id="wrong-value")

    def coerce(self, *, value: Any, part: Part) -> Any:
        return whole_number(value, what="the reference")

    def spans(self, *, text: str, standalone: bool = False, stated: bool = False) -> list[str]:
        """Substrings of a line of free text this type could read as one whole value (``standalone``: not
        the operands of a larger expression; ``stated``: nor the result of a derivation, ``= 200``)."""
        return scalar_spans(text, standalone=standalone, stated=stated)

    def value_of(self, *, parsed: Parsed) -> Any:
        if isinstance(parsed.value, float):
            return parsed.value
        return int(parsed.value) if parsed.value.denominator == 1 else float(parsed.value)

    def show(self, *, value: Any, part: Part) -> str:
        return f"{int(value):,}".replace(",", " ")


register(IntegerType())
