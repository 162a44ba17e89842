"""What the grader needs from a submission, whatever its format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """One possible answer to a part, with where it was found."""

    text: str
    source: str = "structured"
    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""


@dataclass(frozen=True)
class PartInput:
    candidates: tuple[Candidate, ...] = ()
    confidence: float = 1.0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmissionInput:
    student: str
    parts: dict[str, PartInput]
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Unreadable:
    student: str
    reason: str
