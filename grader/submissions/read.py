"""Read one submission file into per-part answer candidates.

YAML/JSON files are structured submissions; anything else goes through the
free-form reader (encodings, notebooks, PDFs) and answer extraction.
"""

from __future__ import annotations

from pathlib import Path

from grader.problems.models import Assignment
from grader.submissions.inputs import (Candidate, PartInput, StudentIdentity, SubmissionInput, UnclaimedText,
                                       Unreadable)
from grader.submissions.structured import StructuredError, parse_structured

STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")
MAX_STRUCTURED_BYTES = 2_000_000


def student_from_path(path: Path) -> str:
    return path.stem


def read_submission(*, path: Path, assignment: Assignment) -> SubmissionInput | Unreadable:
    path = Path(path)
    if path.suffix.lower() in STRUCTURED_SUFFIXES:
        return _read_structured(path=path, assignment=assignment)
    return _read_free_form(path=path, assignment=assignment)


def _read_structured(*, path: Path, assignment: Assignment) -> SubmissionInput | Unreadable:
    student = student_from_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_STRUCTURED_BYTES:
            return Unreadable(student=student, reason=f"unreadable: file too large ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        return Unreadable(student=student, reason=f"unreadable: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Unreadable(student=student, reason="unreadable: structured submission is not UTF-8")
    try:
        data = parse_structured(text=text, suffix=path.suffix.lower())
    except StructuredError as exc:
        return Unreadable(student=student, reason=f"unreadable: {exc}")
    known = {part.id for part in assignment.parts}
    warnings = tuple(f"answer for unknown part {key!r} ignored" for key in data.answers if key not in known)
    parts = {
        part.id: PartInput(candidates=(Candidate(text=data.answers[part.id], quote=data.answers[part.id]),))
        if data.answers.get(part.id, "").strip() else PartInput()
        for part in assignment.parts
    }
    identity = StudentIdentity(name=data.name.strip(), source="structured") if data.name and data.name.strip() else None
    return SubmissionInput(student=data.student or student, parts=parts, warnings=warnings, identity=identity)


def _read_free_form(*, path: Path, assignment: Assignment) -> SubmissionInput | Unreadable:
    from grader.freeform import UnreadableFile, extract_answers, layout_from_part_ids, read_document
    from grader.freeform.extract import count_label_like, has_substantive_text, unclaimed_text
    from grader.freeform.identity import find_identity

    student = student_from_path(path)
    try:
        document = read_document(path=path)
    except UnreadableFile as exc:
        reason = str(exc.reason if hasattr(exc, "reason") else exc)
        return Unreadable(student=student, reason=reason if reason.startswith("unreadable") else f"unreadable: {reason}")
    from grader.answers import get_answer_type

    # structured answers (a record, a table, a choice, a position) are read from the whole answer, not its last value
    whole = [part.id for part in assignment.graded_parts
             if getattr(get_answer_type(part.type), "reads_whole_answer", False)]
    # every part, optional sub-answers (2a.1) included: they feed error carried forward
    layout = layout_from_part_ids(part_ids=[part.id for part in assignment.parts], whole_answer=whole)
    extraction = extract_answers(document=document, layout=layout)
    parts = {}
    for part in assignment.parts:
        found = extraction.parts.get(part.id)
        if found is None:
            parts[part.id] = PartInput()
            continue
        parts[part.id] = PartInput(
            candidates=found.candidates,
            confidence=found.confidence,
            flags=tuple(found.flags),
            lines=(found.line_start, found.line_end) if found.candidates else None,
        )
    warnings = tuple(document.warnings) + tuple(extraction.warnings)
    if document.truncated:
        warnings += ("file was larger than the size limit; only its beginning was read",)
    found = find_identity(lines=document.lines, exclude_words=_title_words(assignment))
    identity = None if found is None else StudentIdentity(name=found.name, student_number=found.student_number,
                                                           line=found.line, quote=found.quote, source=found.how)
    # the header's name and number are not substantive text (the rest of the header line may be: a one-line page)
    header = {} if found is None else {found.line: tuple(t for t in (found.name, found.student_number) if t)}
    unclaimed = tuple(UnclaimedText(line_start=a, line_end=b, text=text)
                      for a, b, text in unclaimed_text(document=document, extraction=extraction, drop=header))
    return SubmissionInput(student=student, parts=parts, warnings=warnings, identity=identity, unclaimed=unclaimed,
                           substantive=has_substantive_text(document=document, drop=header),
                           label_like=count_label_like(document=document))


def _title_words(assignment: Assignment) -> frozenset[str]:
    """Words of the assignment's title: never part of a student's name in a header."""
    import re

    return frozenset(re.findall(r"[^\W\d_]+", assignment.title or ""))
