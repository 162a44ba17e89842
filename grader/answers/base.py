"""What every answer type provides, and the typed results they return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from grader.verdicts import Verdict

if TYPE_CHECKING:
    from grader.problems.models import Part


@dataclass(frozen=True)
class Parsed:
    """A student answer the type could read: its value and how we read it."""

    value: Any
    shown: str
    notes: tuple[str, ...] = ()
    #: other readings of the same text; when they would get another verdict, a person decides
    alternatives: tuple[Any, ...] = ()
    #: why the text has other readings (shown to the reviewer)
    ambiguity: str | None = None
    #: other values of the part's type on the line the answer was taken from (a reviewer may want to look)
    line_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseFailure:
    reason: str


@dataclass(frozen=True)
class Check:
    """The verdict of comparing one parsed answer with the reference."""

    verdict: Verdict
    credit: float
    feedback: str
    feedback_id: str | None = None
    notes: tuple[str, ...] = field(default=())
    canonical: str | None = None
    #: expression parts: how the verdict was reached (grader.results.Proof) and readable simplified forms
    proof: Any = None
    canonical_reference: str | None = None
    canonical_answer: str | None = None


class ReferenceValueError(ValueError):
    """A reference (literal, formula or solver result) that the part's type cannot use."""


class AnswerType(Protocol):
    name: str
    #: True when the part's reference is a value (``answer``, ``formula`` or ``solver``);
    #: False for types that carry their key elsewhere (``expression``'s symbolic block, ``text``'s key idea).
    needs_reference: bool

    def validate_part(self, *, part: "Part") -> list[str]:
        """Problems with the part's configuration for this type (empty when fine)."""

    def reference_value(self, *, value: Any, part: "Part") -> Any:
        """The reference in this type's own form, from a literal, a formula's or a solver's result.

        Raises :class:`ReferenceValueError` saying what is wrong with it (shown to the instructor)."""

    def parse(self, *, text: str, part: "Part", reference: Any) -> Parsed | ParseFailure:
        """Read a student's answer text (hostile input; must be bounded)."""

    def check(self, *, parsed: Parsed, reference: Any, part: "Part", seed: int) -> Check:
        """Decide whether the parsed answer matches the reference."""

    def value_of(self, *, parsed: Parsed) -> Any:
        """The parsed answer as a plain value a solver accepts (for error carried forward)."""

    def show(self, *, value: Any, part: "Part") -> str:
        """The value written for a person (reports, feedback)."""
