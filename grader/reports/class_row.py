"""What the class-level reports read of one submission, besides the review queue: its row of the class page and
of grades.csv, and what the class numbers count. Small and plain (a streamed run stores one per file and reads
them back twice; plain JSON is decoded many times faster than the submission it comes from), made from the
submission once, where it was graded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from grader.results import SubmissionResult
from grader.verdicts import REVIEW_VERDICTS


@dataclass(frozen=True, slots=True)
class PartCell:
    score: float
    max: float
    verdict: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Where the name and number were read (grader.results.IdentityEvidence's line and quote)."""

    line: int | None
    quote: str


@dataclass(frozen=True, slots=True)
class WholeFile:
    """Why the whole file goes to a person (grader.results.FileReview)."""

    reason: str
    parts_found: int
    parts: int


@dataclass(frozen=True, slots=True)
class ClassRow:
    student: str
    file: str
    status: str
    reason: str | None
    student_name: str | None
    student_number: str | None
    identity: Identity | None
    file_review: WholeFile | None
    score: float
    max: float
    parts: dict[str, PartCell]
    same_student: tuple[str, ...] = ()

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(pid for pid, part in self.parts.items() if part.verdict in REVIEW_VERDICTS)

    @classmethod
    def of(cls, submission: SubmissionResult) -> ClassRow:
        identity, review = submission.identity, submission.file_review
        return cls(
            student=submission.student, file=submission.file, status=submission.status, reason=submission.reason,
            student_name=submission.student_name, student_number=submission.student_number,
            identity=None if identity is None else Identity(line=identity.line, quote=identity.quote),
            file_review=None if review is None else WholeFile(reason=review.reason, parts_found=review.parts_found,
                                                              parts=review.parts),
            score=submission.score, max=submission.max,
            parts={pid: PartCell(score=p.score, max=p.max, verdict=p.verdict) for pid, p in submission.parts.items()},
            same_student=submission.same_student)

    def with_same_student(self, others: tuple[str, ...]) -> ClassRow:
        return self if others == self.same_student else replace(self, same_student=others)

    @staticmethod
    def json_of(submission: SubmissionResult) -> str:
        """The JSON of ``ClassRow.of(submission)`` (what :meth:`from_json` reads), written from the submission
        without making the row (a worker makes one per file)."""
        identity, review = submission.identity, submission.file_review
        return json.dumps([
            submission.student, submission.file, submission.status, submission.reason, submission.student_name,
            submission.student_number, None if identity is None else [identity.line, identity.quote],
            None if review is None else [review.reason, review.parts_found, review.parts],
            submission.score, submission.max,
            [[pid, p.score, p.max, p.verdict] for pid, p in submission.parts.items()],
            list(submission.same_student)], separators=(",", ":"))  # ASCII: any text survives, even an escaped name

    @classmethod
    def from_json(cls, text: str) -> ClassRow:
        (student, file, status, reason, name, number, identity, review, score, points, parts,
         same) = json.loads(text)
        return cls(student=student, file=file, status=status, reason=reason, student_name=name,
                   student_number=number, identity=None if identity is None else Identity(*identity),
                   file_review=None if review is None else WholeFile(*review), score=score, max=points,
                   parts={pid: _cell(s, m, v) for pid, s, m, v in parts}, same_student=tuple(same))


#: cells by what they hold: frozen, so one serves every row with the same points and verdict (a class has a few
#: dozen of them, and a run reads tens of thousands of cells back); a zero by its repr, so a -0.0 is never served a
#: 0.0, and only floats (a 1 is never served a 1.0)
_CELLS: dict[tuple[object, object, str], PartCell] = {}


def _cell(score: float, points: float, verdict: str) -> PartCell:
    if type(score) is not float or type(points) is not float:
        return PartCell(score=score, max=points, verdict=verdict)
    key = (score or repr(score), points or repr(points), verdict)
    cell = _CELLS.get(key)
    if cell is None:
        if len(_CELLS) >= 4096:
            _CELLS.clear()
        cell = _CELLS[key] = PartCell(score=score, max=points, verdict=verdict)
    return cell

