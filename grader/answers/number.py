"""A real number, compared with a tolerance policy."""

from __future__ import annotations

from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.numeric_check import check_entries
from grader.answers.numerals import read_scalar
from grader.answers.registry import register
from grader.answers.spans import scalar_spans
from grader.answers.solver_backed import SolverBacked
from grader.number_text import shown_value
from grader.problems.models import Part


class NumberType(SolverBacked):
    name = "number"

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = self.answer_text(text)
        readings = read_scalar(cleaned)
        if not readings:
            return ParseFailure(f"could not read a number in {cleaned[:80]!r}")
        first, *others = readings
        return Parsed(value=first, shown=shown_value(float(first.value)), alternatives=tuple(others),
                      ambiguity="the number format is ambiguous (comma as decimal or thousands separator)")

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        return check_entries(entries=[parsed.value], reference=[float(reference)], part=part, labels=["value"])

    def coerce(self, *, value: Any, part: Part) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ReferenceValueError(f"a number reference must be one number, got {value!r}") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ReferenceValueError(f"the reference is not a finite number: {value!r}")
        return number

    def spans(self, *, text: str, standalone: bool = False, stated: bool = False) -> list[str]:
        """Substrings of a line of free text this type could read as one whole value (``standalone``: not
        the operands of a larger expression; ``stated``: nor the result of a derivation, ``= 200``)."""
        return scalar_spans(text, standalone=standalone, stated=stated)

    def value_of(self, *, parsed: Parsed) -> Any:
        return float(parsed.value.value)

    def show(self, *, value: Any, part: Part) -> str:
        return shown_value(float(value))


register(NumberType())
