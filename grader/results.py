"""Typed results of a grading run (what reports and exports read)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import AliasChoices, ConfigDict, Field

from grader.strict_model import StrictModel
from grader.verdicts import REVIEW_VERDICTS, PartVerdict, Verdict


def _absent(value: Any) -> bool:
    return value is None


class Evidence(StrictModel):
    """Where in the submission the answer was found."""

    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""
    source: str = "structured"
    confidence: float = 1.0
    flags: tuple[str, ...] = ()


class EcfDetail(StrictModel):
    """Error carried forward: what the part would be from the student's own inputs."""

    inputs: dict[str, str]
    expected: str


class OverrideNote(StrictModel):
    """A person's decision applied to this part (an entry of overrides.yaml)."""

    by: str = ""
    at: str = ""
    comment: str = ""
    #: the answer group's key when the decision was made for a whole group, else None (one student)
    group: str | None = None


class Counterexample(StrictModel):
    """A point where the answer and the reference differ: the sizes, the (exact, short) values drawn there
    and both values at that point (rounded for reading)."""

    sizes: dict[str, int] = Field(default_factory=dict)
    values: dict[str, str] = Field(default_factory=dict)
    answer: str = ""
    expected: str = ""


class Proof(StrictModel):
    """How an expression verdict was reached (grader/symbolic/proof.py).

    ``method``: ``symbolic`` (SymPy proved what the random points found: equal, or different with a
    counter-example), ``numeric`` (the random points only: ``points`` of them at ``sizes``; ``reason`` says why
    SymPy did not decide), ``conflict`` (the two judges disagree: the part goes to a person)."""

    method: Literal["symbolic", "numeric", "conflict"]
    numeric: Literal["equal", "different"]
    symbolic: Literal["equal", "different", "unproven", "off"]
    points: int
    sizes: tuple[dict[str, int], ...] = ()
    #: where the symbolic proof of equality holds: "every size", or the sizes it was proven at
    scope: str = Field(default="", exclude_if=lambda value: not value)
    counterexample: Counterexample | None = Field(default=None, exclude_if=_absent)
    reason: str = Field(default="", exclude_if=lambda value: not value)


class PartResult(StrictModel):
    part_id: str
    score: float
    max: float
    verdict: PartVerdict
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
    #: expression parts: how the verdict was reached, and readable simplified forms of the reference and answer
    proof: Proof | None = Field(default=None, exclude_if=_absent)
    canonical_reference: str | None = Field(default=None, exclude_if=_absent)
    canonical_answer: str | None = Field(default=None, exclude_if=_absent)
    #: set only when a person overrode the part: the grader's own verdict and score, and the decision
    auto_verdict: Verdict | None = Field(default=None, exclude_if=_absent)
    auto_score: float | None = Field(default=None, exclude_if=_absent)
    override: OverrideNote | None = Field(default=None, exclude_if=_absent)


class IdentityEvidence(StrictModel):
    """Where the student's name and number were read: a header line of a free-form file, or ``name:``."""

    line: int | None = None
    quote: str = ""
    source: str = "structured"


class FileReview(StrictModel):
    """The whole file goes to a person: its layout was not recognised (see grading/submission.py)."""

    reason: str
    parts_found: int
    parts: int
    labels_seen: int = 0


class SubmissionResult(StrictModel):
    model_config = ConfigDict(populate_by_name=True)

    student: str
    file: str
    status: Literal["graded", "unreadable"]
    reason: str | None = None
    #: the student's name and number as written in the file (results.json keys ``name`` and ``student_number``);
    #: ``student`` stays the id (the structured ``student:`` field, else the file name)
    student_name: str | None = Field(default=None, serialization_alias="name",
                                     validation_alias=AliasChoices("student_name", "name"))
    student_number: str | None = None
    identity: IdentityEvidence | None = Field(default=None, exclude_if=lambda value: value is None)
    #: set when the whole file must be looked at by a person (layout not recognised)
    file_review: FileReview | None = Field(default=None, exclude_if=lambda value: value is None)
    score: float = 0.0
    max: float = 0.0
    parts: dict[str, PartResult] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: the other files of the run claiming the same student id (case and spaces ignored): every file is graded,
    #: and a person should check who handed in what (grader/grading/duplicates.py)
    same_student: tuple[str, ...] = Field(default=(), exclude_if=lambda value: not value)
    #: the student's own parameter values (problem number -> path -> value); recorded only when
    #: the assignment enables variants, so results without variants are unchanged
    variant: dict[str, dict[str, Any]] | None = Field(default=None, exclude_if=lambda value: value is None)

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(pid for pid, part in self.parts.items() if part.verdict in REVIEW_VERDICTS)

    @property
    def shown_name(self) -> str:
        """The name for people to read: the one written in the file, else the id."""
        return self.student_name or self.student


class AnswerGroup(StrictModel):
    """The students of one part who gave the same normalised answer (grader/review/groups.py)."""

    key: str
    #: the answer as one student of the group wrote it (the first by file name)
    answer: str
    count: int
    #: the grader's verdict, score and suggested score of the group: ``mixed`` / None when its members differ
    #: (error carried forward, variants)
    verdict: str
    score: float | None = None
    suggested_score: float | None = None
    #: automatic verdict -> number of members
    verdicts: dict[str, int] = Field(default_factory=dict)
    #: members still waiting for a person (needs_review, could_not_evaluate) and members a person overrode
    flagged: int = 0
    overridden: int = 0
    students: tuple[str, ...] = ()


class StaleOverride(StrictModel):
    """An overrides.yaml entry that was not applied: what it targets no longer reads as it did."""

    entry: int
    assignment: str
    part: str
    student: str | None = None
    group: str | None = None
    answer: str | None = None
    #: what the part reads now (None: no answer, or the student/group is not in this run)
    now: str | None = None
    reason: str


class RunResult(StrictModel):
    assignment: str
    title: str = ""
    max: float = 0.0
    part_ids: tuple[str, ...] = ()
    submissions: tuple[SubmissionResult, ...] = ()
    #: part id -> its answer groups, flagged groups first, then the largest
    groups: dict[str, tuple[AnswerGroup, ...]] = Field(default_factory=dict)
    stale_overrides: tuple[StaleOverride, ...] = ()

    @classmethod
    def of(cls, *, assignment: Any, submissions: Iterable[SubmissionResult]) -> RunResult:
        """A run of ``assignment`` (a grader.problems.models.Assignment: its id, title, points and graded parts)
        holding ``submissions``, with no groups or stale entries yet."""
        return cls(assignment=assignment.id, title=assignment.title, max=assignment.max_points,
                   part_ids=tuple(part.id for part in assignment.graded_parts), submissions=tuple(submissions))
