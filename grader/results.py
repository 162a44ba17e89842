"""Typed results of a grading run (what reports and exports read)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from grader.answers.base import Verdict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """Where in the submission the answer was found."""

    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""
    source: str = "structured"
    confidence: float = 1.0
    flags: tuple[str, ...] = ()


class EcfDetail(_Frozen):
    """Error carried forward: what the part would be from the student's own inputs."""

    inputs: dict[str, str]
    expected: str


class PartResult(_Frozen):
    part_id: str
    score: float
    max: float
    verdict: Verdict
    answer: str | None = None
    feedback: str = ""
    feedback_id: str | None = None
    notes: tuple[str, ...] = ()
    reference: str | None = None
    canonical: str | None = None
    evidence: Evidence | None = None
    candidates: tuple[str, ...] = ()
    ecf: EcfDetail | None = None
    suggested_score: float | None = None


class SubmissionResult(_Frozen):
    student: str
    file: str
    status: Literal["graded", "unreadable"]
    reason: str | None = None
    score: float = 0.0
    max: float = 0.0
    parts: dict[str, PartResult] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: the student's own parameter values (problem number -> path -> value); recorded only when
    #: the assignment enables variants, so results without variants are unchanged
    variant: dict[str, dict[str, Any]] | None = Field(default=None, exclude_if=lambda value: value is None)

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(pid for pid, part in self.parts.items() if part.verdict in ("needs_review", "could_not_evaluate"))


class RunResult(_Frozen):
    assignment: str
    title: str = ""
    max: float = 0.0
    part_ids: tuple[str, ...] = ()
    submissions: tuple[SubmissionResult, ...] = ()
