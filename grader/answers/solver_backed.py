"""What the answer types whose reference is a value have in common: the value
comes from a literal ``answer``, a ``formula`` or a ``solver``."""

from __future__ import annotations

from typing import Any

from grader.answers.base import ParseFailure, ReferenceValueError
from grader.answers.mathtext import clean_math_text
from grader.text.wrappers import after_last_relation, strip_trailing_punctuation
from grader.problems.models import Part


class SolverBacked:
    name = ""
    needs_reference = True

    def validate_part(self, *, part: Part) -> list[str]:
        if part.answer is None and part.formula is None and part.solver is None:
            return [f"a '{self.name}' part needs its reference: 'answer' (a literal), 'formula' or 'solver'"]
        return []

    def reference_value(self, *, value: Any, part: Part) -> Any:
        """A string reference is read as a student's answer would be; other values are checked by ``coerce``."""
        if isinstance(value, str):
            parsed = self.parse(text=value, part=part, reference=None)  # type: ignore[attr-defined]
            if isinstance(parsed, ParseFailure):
                raise ReferenceValueError(parsed.reason)
            value = self.value_of(parsed=parsed)  # type: ignore[attr-defined]
        return self.coerce(value=value, part=part)

    def coerce(self, *, value: Any, part: Part) -> Any:
        """The value in this type's form; raise ReferenceValueError when it cannot be."""
        return value

    @staticmethod
    def answer_text(text: str) -> str:
        """The answer without OCR/LaTeX noise, a left-hand side or trailing punctuation."""
        return strip_trailing_punctuation(text=after_last_relation(text=clean_math_text(text)))


def whole_number(value: Any, *, what: str) -> int:
    """``value`` as an int when it is a whole number (26 or 26.0), else a ReferenceValueError."""
    if isinstance(value, bool):
        raise ReferenceValueError(f"{what} must be a whole number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReferenceValueError(f"{what} must be a whole number, not {value!r}") from None
    if not number.is_integer():
        raise ReferenceValueError(f"{what} must be a whole number, got {value!r}: a size or count is never fractional "
                                  "(round it in the solver or formula with floor(), ceil() or //)")
    return int(number)
