"""What the grader needs from a submission, whatever its format."""

from __future__ import annotations

from dataclasses import dataclass, field

#: a part keeps at most this many answer candidates (free-form extraction), and grading tries at most this many
MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Candidate:
    """One possible answer to a part, with where it was found: the one candidate type from extraction
    (grader.freeform.candidates ranks them) through grading (grader.grading.part takes the first its answer type
    reads) to the report (the chosen one's place is the part's ``evidence`` in results.json)."""

    text: str
    #: how it was found: ``structured`` (a YAML/JSON answer), a free-form kind (grader.freeform.evidence.Source),
    #: ``example`` (grade check's self-test)
    source: str = "structured"
    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""
    #: the other values of the part's type on the candidate's line, when the extractor says so (None: it did
    #: not say; grader.grading.part.several_values_on_line then looks at the line itself)
    values_on_line: tuple[str, ...] | None = None
    #: free-form: how strongly this kind of evidence ranks among the part's candidates (the strongest is the
    #: answer). Only the ranking reads it: it is not part of the answer, so not of the verdict cache's key either
    strength: float = field(default=0.0, metadata={"verdict_key": False})


@dataclass(frozen=True)
class PartInput:
    candidates: tuple[Candidate, ...] = ()
    confidence: float = 1.0
    flags: tuple[str, ...] = ()
    #: free-form: the first and last line of the text the part claimed
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class StudentIdentity:
    """Who handed the file in, as written in it (a header line, or a structured file's ``name:``)."""

    name: str | None = None
    student_number: str | None = None
    line: int | None = None
    quote: str = ""
    source: str = "structured"  # "structured", or how the header was recognised (grader.freeform.identity.KINDS)


@dataclass(frozen=True)
class UnclaimedText:
    """A run of substantive lines no part claimed (grader.freeform.extract.unclaimed_text)."""

    line_start: int
    line_end: int
    text: str


@dataclass(frozen=True)
class SubmissionInput:
    student: str
    parts: dict[str, PartInput]
    warnings: tuple[str, ...] = field(default=())
    identity: StudentIdentity | None = None
    #: free-form files only: substantive text no part claimed, and whether the file holds any substantive text
    unclaimed: tuple[UnclaimedText, ...] = ()
    substantive: bool = False
    #: free-form: how many tokens in the file look like answer labels (`(a)`, `b)`, `Cb)`, `2.`, `۳)`)
    label_like: int = 0


@dataclass(frozen=True)
class Unreadable:
    student: str
    reason: str
