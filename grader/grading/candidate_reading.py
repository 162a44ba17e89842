"""Which of a part's candidates is its answer: the first one the part's type can read, strongest first, or the
whole value a candidate was cut out of, or the one value of the type on a candidate's line."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from grader.answers import Parsed, ParseFailure
from grader.text.characters import fold_digits
from grader.submissions.inputs import MAX_CANDIDATES, Candidate

__all__ = ["MAX_CANDIDATES", "first_readable"]


def first_readable(candidates: tuple[Candidate, ...], answer_type: Any, part: Any, reference: Any
                    ) -> tuple[Parsed | None, Candidate | None, list[str]]:
    """The first candidate the type can read, strongest first; but a value of the type that the candidate
    was cut out of (``46 mal 62 mal 20`` for ``20``) replaces the fragment, and when no candidate reads, a
    value of the type inside a candidate's own line is taken (``5`` from ``the largest value is 5, at pixel
    (1, 0)`` for a number part)."""
    failed: list[tuple[Candidate, str]] = []
    pool = candidates[:MAX_CANDIDATES]
    chosen: tuple[Parsed, Candidate] | None = None
    for index, candidate in enumerate(pool):
        result = answer_type.parse(text=candidate.text, part=part, reference=reference)
        if isinstance(result, ParseFailure):
            failed.append((candidate, result.reason))
            continue
        chosen = _whole_value(candidate, result, pool[index + 1:], answer_type, part, reference) \
            or _noted(result, candidate, answer_type, part, reference)
        break
    else:
        chosen = _value_on_line(pool, answer_type, part, reference)
    if chosen is None:
        return None, None, [reason for _, reason in failed]
    parsed, used = chosen
    # a sentence that failed to read as a whole but holds exactly the value graded was not passed over
    failures = [reason for candidate, reason in failed if not _holds_only(candidate, parsed, answer_type, part, reference)]
    return parsed, used, failures


#: the start of the note on an answer taken from a line that holds several values of the part's type
SEVERAL_VALUES = "picked from a line with several values of this type"
_FRAGMENT_START = re.compile(r"^\s*(?:[×*/·+^]|[xXхХ]\s|\\times|\\cdot)")


def _norm(text: str) -> str:
    return re.sub(r"[\s$]+", "", fold_digits(text=text[:4000]).replace("،", ","))


def _size(value: Any) -> int:
    """How many entries a parsed value has (a shape's dimensions, a grid's numbers; a scalar is 1)."""
    if isinstance(value, (list, tuple)):
        return sum(_size(item) for item in value[:400]) if value else 0
    return 1


def _fragment(text: str) -> bool:
    """A candidate that starts with an operator (``× 10``) or has unbalanced brackets (``300)``)."""
    return bool(_FRAGMENT_START.match(text)) or any(text.count(a) != text.count(b) for a, b in ("()", "[]"))


def _whole_value(candidate: Candidate, parsed: Parsed, later: tuple[Candidate, ...], answer_type: Any, part: Any,
                 reference: Any) -> tuple[Parsed, Candidate] | None:
    """A reading of the whole value the candidate was cut out of, on the candidate's own line."""
    size = _size(parsed.value)
    own = _norm(candidate.text)
    if not own:
        return None
    for other in later:
        if (other.line_start, other.line_end) != (candidate.line_start, candidate.line_end):
            continue
        text = _norm(other.text)
        if own in text and text != own and text.count(own) == 1:
            result = answer_type.parse(text=other.text, part=part, reference=reference)
            if not isinstance(result, ParseFailure) and _size(result.value) > size:
                return _noted(result, other, answer_type, part, reference)
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return None
    spans = spans_of(text=candidate.quote, standalone=True)
    line = _norm(candidate.quote)
    containing = [s for s in spans if own in _norm(s) and _norm(s) != own and _covers(line, _norm(s), own, candidate)]
    if not containing and _fragment(candidate.text) and not any(_norm(s) == own for s in spans):
        containing = spans
    best: tuple[Parsed, str] | None = None
    for span in containing:
        result = answer_type.parse(text=span, part=part, reference=reference)
        if not isinstance(result, ParseFailure) and _size(result.value) > max(size, _size(best[0].value) if best else 0):
            best = (result, span)
    if best is None:
        return None
    return _noted(best[0], as_candidate(best[1], candidate), answer_type, part, reference)


def _holds_only(candidate: Candidate, parsed: Parsed, answer_type: Any, part: Any, reference: Any) -> bool:
    """The candidate's text holds one value of the type (not an operand), and it is the value graded."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return False
    values = []
    for span in spans_of(text=candidate.text, standalone=True):
        result = answer_type.parse(text=span, part=part, reference=reference)
        if isinstance(result, ParseFailure):
            return False
        if result.value not in values:
            values.append(result.value)
    return values == [parsed.value]


def _covers(line: str, span: str, own: str, candidate: Candidate) -> bool:
    """The span holds the occurrence of the candidate's text the candidate was cut from: every occurrence
    on the line, or the last one for a candidate taken from the end of its line (its last math run)."""
    if line.count(own) == span.count(own):
        return True
    if candidate.source in ("marker", "boxed", "block"):  # a marked answer's value is its first math run
        return False
    at, end = line.rfind(own), line.rfind(span)
    return end >= 0 and end <= at and at + len(own) <= end + len(span)


def _value_on_line(pool: tuple[Candidate, ...], answer_type: Any, part: Any, reference: Any
                   ) -> tuple[Parsed, Candidate] | None:
    """No candidate reads: the one value of the type inside a single-line candidate (``5`` in ``the largest
    value is 5, at pixel (1, 0)`` for a number part). A line with several such values is left to a person."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return None
    for candidate in pool:
        if candidate.line_start != candidate.line_end or "\n" in candidate.text:
            continue
        readings: list[tuple[Parsed, str]] = []
        for span in spans_of(text=candidate.text, standalone=True):
            result = answer_type.parse(text=span, part=part, reference=reference)
            if not isinstance(result, ParseFailure) and all(result.value != r.value for r, _ in readings):
                readings.append((result, span))
        if len(readings) == 1:
            return readings[0][0], as_candidate(readings[0][1], candidate)
    return None


def as_candidate(text: str, source: Candidate) -> Candidate:
    return Candidate(text=text, source=source.source, line_start=source.line_start, line_end=source.line_end,
                     quote=source.quote)


def _noted(parsed: Parsed, candidate: Candidate, answer_type: Any, part: Any, reference: Any
           ) -> tuple[Parsed, Candidate]:
    """Say so when the one line the value was taken from holds other values of the type (not operands of
    a derivation: ``(0.3, 0.3) - 0.4 (…) = (0.2976, 0.2972)`` holds one)."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None or not candidate.quote or "\n" in candidate.quote.strip():
        return parsed, candidate
    others: list[str] = []
    for span in spans_of(text=candidate.quote, standalone=True, stated=True):
        if _norm(span) == _norm(candidate.text) or span in others:
            continue
        result = answer_type.parse(text=span, part=part, reference=reference)
        if not isinstance(result, ParseFailure) and result.value != parsed.value:
            others.append(span)
    if not others:
        return parsed, candidate
    note = f"{SEVERAL_VALUES} ({', '.join(others[:4])}); graded {candidate.text[:60]}"
    return replace(parsed, notes=(*parsed.notes, note), line_values=tuple(others[:8])), candidate
