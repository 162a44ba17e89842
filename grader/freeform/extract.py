"""Per-part answers from a document: segmentation, candidates, confidence."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType
from typing import Literal
from collections.abc import Mapping

from grader.freeform.candidates import MAX_CACHED_TEXT, find_candidates, shifted
from grader.text.characters import fold_digits
from grader.freeform.evidence import BASE_CONFIDENCE
from grader.freeform.document import Document
from grader.freeform.layout import AssignmentLayout
from grader.freeform.records import record
from grader.freeform.segment import Piece, segment_document
from grader.freeform.segmentation import LabelFound, PartSegment
from grader.freeform.sub_answers import find_sub_answer_spans
from grader.submissions.inputs import Candidate

MAX_CONTEXT = 4000
_STRENGTH = attrgetter("strength")  # a candidate's rank among its part's
#: the confidence of a part whose block may run into another part (below the grader's review threshold)
UNSURE_SEGMENT = 0.45


@dataclass(frozen=True)
class PartExtraction:
    part_id: str
    candidates: tuple[Candidate, ...]
    label_found: Literal["explicit", "order", "none"]
    confidence: float
    flags: tuple[str, ...]
    context: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Extraction:
    parts: Mapping[str, PartExtraction]
    unassigned: tuple[tuple[int, int], ...]
    warnings: tuple[str, ...]


def extract_answers(*, document: Document, layout: AssignmentLayout) -> Extraction:
    spans = find_sub_answer_spans(lines=document.lines, sub_ids=layout.sub_parts)
    # the lines a sub-answer claims: its id's line (which names the parent part, `2a.1)` -> 2a) and its value's
    claimed: dict[int, str | None] = {}
    for sub_id, sub in spans.items():
        claimed[sub.id_line] = sub_id.split(".", 1)[0]
        claimed.setdefault(sub.line, None)
    segmentation = segment_document(lines=document.lines, layout=layout, claimed=claimed)
    subs = {sub_id: (sub.line, sub.text) for sub_id, sub in spans.items()}
    sub_lines = set(claimed)
    # a sub-answer is not its part's answer: the claimed lines some part's pieces hold (the walk places none of
    # them, so this is empty and no part's pieces are filtered, but the rule does not rest on that)
    placed = sub_lines.intersection(
        piece.line for segment in segmentation.parts.values() for piece in segment.pieces) if sub_lines else set()
    parts: dict[str, PartExtraction] = {}
    for part in layout.parts:
        segment = segmentation.parts[part.part_id]
        whole = part.part_id in layout.whole_answer
        if placed:
            pieces = tuple(p for p in segment.pieces if p.line not in placed)
            read = _read_part(pieces=pieces, segment=segment, whole=whole)
        else:
            read = _read_segment(segment=segment, whole=whole)
        if read is None:
            parts[part.part_id] = _from_hints(part_id=part.part_id, hints=segmentation.hints.get(part.part_id, ()),
                                              flags=list(segment.flags)) or PartExtraction(
                part_id=part.part_id, candidates=(), label_found="none", confidence=0.0, flags=segment.flags,
                context="", line_start=0, line_end=0)
            continue
        candidates, confidence, flags, context, line_start, line_end = read
        parts[part.part_id] = record(
            PartExtraction, part_id=part.part_id, candidates=candidates, label_found=segment.label_found,
            confidence=confidence, flags=flags, context=context, line_start=line_start, line_end=line_end)
    for sub_id, (line, text) in subs.items():
        alone = _read_alone(part_id=sub_id, pieces=(Piece(line=line, text=text),), label_found="explicit")
        if alone is not None:
            parts[sub_id] = alone
    return Extraction(parts=MappingProxyType(parts), unassigned=_without(segmentation.unassigned, sub_lines),
                      warnings=segmentation.warnings)


#: what :func:`_read_part` makes of a part: (candidates, confidence, flags, context, first line, last line)
PartRead = tuple[tuple[Candidate, ...], float, tuple[str, ...], str, int, int]
#: parts read at most, each of pieces totalling at most MAX_CACHED_TEXT characters (see _read_segment), with
#: their candidates (at most MAX_CANDIDATES, each no longer than the part) and context: a few kB each at worst,
#: typically well under one (~0.5 kB measured). A worker's 5 000 files of the benchmark's 10 000-file class read
#: 15 532 parts with 2048 entries, 9 322 with 4096 and 8 966 with 8192, for twice the memory of 4096 (the
#: class's peak memory was 503 MB with 8192, over the 500 MB issue 13 allows)
PART_CACHE_SIZE = 4096


def _read_segment(*, segment: PartSegment, whole: bool) -> PartRead | None:
    """:func:`_read_part` of the segment's own pieces. Students write the same answer the same way, so a part is
    read once per distinct text and spacing of its lines, label found and flags: what it yields depends on the
    line numbers only by an offset (the candidates' lines and the part's first and last), so it is read for the
    lines counted from the part's first one, then moved to where the part is."""
    pieces = segment.pieces
    if not pieces:
        return None  # (no text: no candidates)
    first = pieces[0]
    offset = first.line - 1
    shape: tuple[tuple[int, str], ...]
    if len(pieces) == 1 and len(first.text) <= MAX_CACHED_TEXT:  # most parts: one line, its shape directly
        shape = ((1, first.text),)
    elif sum([len(piece.text) for piece in pieces]) > MAX_CACHED_TEXT:
        return _read_part(pieces=pieces, segment=segment, whole=whole)
    else:
        shape = tuple([(piece.line - offset, piece.text) for piece in pieces])
    read = _read_shape(shape, segment.label_found, segment.flags, whole)
    if read is None or not offset:
        return read
    candidates, confidence, flags, context, line_start, line_end = read
    return shifted(candidates, offset), confidence, flags, context, line_start + offset, line_end + offset


@lru_cache(maxsize=PART_CACHE_SIZE)
def _read_shape(shape: tuple[tuple[int, str], ...], label_found: LabelFound, flags: tuple[str, ...],
                whole: bool) -> PartRead | None:
    """:func:`_read_part` of the pieces (line, text) in ``shape``, of a segment with this label and flags."""
    pieces = tuple([record(Piece, line=line, text=text) for line, text in shape])
    segment = PartSegment(part_id="", pieces=pieces, label_found=label_found, flags=flags)
    return _read_part(pieces=pieces, segment=segment, whole=whole)


def _read_part(*, pieces: tuple[Piece, ...], segment: PartSegment, whole: bool) -> PartRead | None:
    """The candidates of ``pieces`` (the segment's, less any sub-answer line) and what the part's extraction
    says of them: its confidence, flags, context and lines; None when they hold no candidate."""
    flags = list(segment.flags)
    candidates, facts = find_candidates(pieces=pieces, single_ok=segment.label_found == "explicit", whole=whole)
    if not candidates:
        return None
    top = max(candidates, key=_STRENGTH).source  # the first one, unless the whole answer leads
    confidence = BASE_CONFIDENCE[top]
    if top not in ("marker", "boxed", "structured"):
        flags.append("no-marker")
    if facts.get("cases"):
        flags.append("two-cases-joined")
    if facts.get("conflict"):
        flags.append("conflicting-candidates")
        confidence = min(confidence, 0.45)
    if segment.label_found == "order":
        confidence = min(confidence, 0.4)
        if "label-guessed-from-order" not in flags:
            flags.append("label-guessed-from-order")
    if "parts-numbered" in flags:
        confidence = min(confidence, 0.8)
    if "unread-label-in-block" in flags:
        # a line of the block opens like another part's mangled label (`Ce)`) that the page did not
        # confirm: the block may hold that part's answer, so a person decides
        confidence = min(confidence, UNSURE_SEGMENT)
    context = "\n".join([p.text for p in segment.pieces])[:MAX_CONTEXT]
    lines = [p.line for p in segment.pieces]
    return (tuple(candidates), round(confidence, 3), tuple(dict.fromkeys(flags)), context, min(lines),
            max(lines))


def _from_hints(*, part_id: str, hints: tuple[Piece, ...], flags: list[str]) -> PartExtraction | None:
    """A part with no text of its own: its answer may stand on a line of another part's block that opens like
    its mangled label (`(b) …` then `Cd) …` with no (c)), which the page did not confirm. Read from there, it
    is a candidate a person confirms (never a silent zero); None without such a line."""
    if not hints:
        return None
    return _read_alone(part_id=part_id, pieces=hints, label_found="order", flags=(*flags, "label-unconfirmed"),
                       at_most=UNSURE_SEGMENT)


def _read_alone(*, part_id: str, pieces: tuple[Piece, ...], label_found: Literal["explicit", "order"],
                flags: tuple[str, ...] = (), at_most: float = 1.0) -> PartExtraction | None:
    """``pieces`` read as a part's whole text, a lone value counting (a sub-answer's line, a hinted line), with
    its source's confidence, at most ``at_most``; None when they hold no candidate."""
    candidates, _ = find_candidates(pieces=pieces, single_ok=True)
    if not candidates:
        return None
    top = max(candidates, key=_STRENGTH).source
    return PartExtraction(part_id=part_id, candidates=tuple(candidates), label_found=label_found,
                          confidence=min(BASE_CONFIDENCE[top], at_most), flags=tuple(dict.fromkeys(flags)),
                          context="\n".join(p.text for p in pieces)[:MAX_CONTEXT],
                          line_start=min(p.line for p in pieces), line_end=max(p.line for p in pieces))


def _without(ranges: tuple[tuple[int, int], ...], lines: set[int]) -> tuple[tuple[int, int], ...]:
    """The line ranges with the given lines taken out (a claimed sub-answer is not unclaimed text)."""
    if not lines:
        return ranges
    ordered = sorted(lines)  # (once: each range takes its lines by bisection, not by testing all of them)
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        inside = ordered[bisect_left(ordered, start):bisect_right(ordered, end)]
        for n in inside:
            if n > start:
                out.append((start, n - 1))
            start = n + 1
        if start <= end:
            out.append((start, end))
    return tuple(out)


# ------------------------------------------------------------------ text no part claimed
#: what is *not* substantive on a line: page numbers, dates, homework/problem titles with their number,
#: a leading part label, rules and blanks ("Subject: ____"); what is left is substantive when it holds a
#: digit or a math sign (``= + × · * ^ < > ≤ ≥ → ⇒ \``, or ``$``). A line that opens with a problem
#: heading (``Problem 4 - one SGD step, lr = 0.4``) restates the problem: context, not an answer.
_NOISE = re.compile(
    r"(?<![^\W\d_])(?:page|pg|p\.|seite|стр\.?|страница|صفحه)\s*\d+(?:\s*(?:/|of|из|von|از)\s*\d+)?"
    r"|(?<!\d)\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?![\d.,])"
    r"|(?<![^\W\d_])(?:homework|hw|assignment|problem|prob|question|exercise|task|sheet|übungsblatt|hausaufgabe"
    r"|aufgabe|задача|задание|домашнее\s+задание|домашняя\s+работа|работа|дз|سؤال|سوال|تمرین)\s*(?:№\s*)?\d+"
    r"|^\s*(?:#+\s*|\*\*\s*)?(?:\(?[^\W\d_]{1,2}\)|\(?\d{1,2}[.)])(?=\s|$)"
    r"|(?<![^\W\d_])(?:группа|гр\.|group|gruppe|گروه)\s*\d+|\s[·|•]\s"
    r"|_{2,}|-{3,}|={3,}", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(?:#+\s*|\*\*\s*)?(?:problem|question|exercise|task|aufgabe|задача|задание|سؤال|سوال)"
                      r"\s*(?:№\s*)?\d+", re.IGNORECASE)
_MATH_SIGN = re.compile(r"\d|[=+×·*^<>≤≥→⇒\\]|\$[^$\s]")
MAX_UNCLAIMED_BLOCKS = 8
MAX_UNCLAIMED_CHARS = 500
MAX_SCANNED_LINES = 20_000


def strip_noise(*, text: str) -> str:
    """A line without its page numbers, dates, titles, leading label and rules (what substantive_line ignores)."""
    return _NOISE.sub(" ", fold_digits(text=text[:2000]))


def substantive_line(*, text: str) -> bool:
    """Whether a line holds math or numbers beyond page headers, footers, titles, labels and noise."""
    text = fold_digits(text=text[:2000])
    return bool(_MATH_SIGN.search(_NOISE.sub(" ", text)))


def has_substantive_text(*, document: Document, drop: Mapping[int, tuple[str, ...]] = MappingProxyType({})) -> bool:
    """Whether any line is substantive (``drop``: line -> strings to ignore on it, e.g. the header's name and id)."""
    return any(substantive_line(text=_dropped(line=line, drop=drop.get(n, ())))
               for n, line in enumerate(document.lines[:MAX_SCANNED_LINES], start=1))


def _dropped(*, line: str, drop: tuple[str, ...]) -> str:
    line = fold_digits(text=line)
    for text in drop:
        line = line.replace(fold_digits(text=text), " ")
    return line


def unclaimed_text(*, document: Document, extraction: Extraction,
                   drop: Mapping[int, tuple[str, ...]] = MappingProxyType({})) -> tuple[tuple[int, int, str], ...]:
    """Runs of substantive lines that no part claimed: (first line, last line, text), in file order.
    Problem-heading lines count as context, not as substantive text here."""
    blocks: list[tuple[int, int, str]] = []
    for start, end in extraction.unassigned:
        run: list[int] = []
        for n in range(start, min(end, MAX_SCANNED_LINES) + 1):
            line = document.lines[n - 1]
            if not line.strip():
                continue
            text = _dropped(line=line, drop=drop.get(n, ()))
            if not _HEADING.match(text) and substantive_line(text=text):
                run.append(n)
            elif run:
                blocks.append(_block(document=document, run=run))
                run = []
        if run:
            blocks.append(_block(document=document, run=run))
        if len(blocks) >= MAX_UNCLAIMED_BLOCKS:
            break
    return tuple(blocks[:MAX_UNCLAIMED_BLOCKS])


def _block(*, document: Document, run: list[int]) -> tuple[int, int, str]:
    text = "\n".join(document.lines[n - 1].strip() for n in run)
    return run[0], run[-1], text[:MAX_UNCLAIMED_CHARS]


#: a token that looks like an answer label, recognised or not: ``(a)``, ``b)``, ``Cb)``, ``a.)``, ``(e).``,
#: ``(б)``, ``الف)``, ``3)``, ``2.``; counted to tell a file whose layout was not recognised from a partial hand-in
_LABEL_LIKE = re.compile(r"(?:(?<=\s)|^)(?:\(\s*[^\W\d_]{1,3}\s*\)\.?|[^\W\d_]{1,3}\.?\)|\(?\d{1,2}\)|\d{1,2}\.(?=\s))"
                         r"(?=\s|$)")


def count_label_like(*, document: Document) -> int:
    return sum(len(_LABEL_LIKE.findall(fold_digits(text=line[:2000]))) for line in document.lines[:MAX_SCANNED_LINES])
