"""`extract_answers`: every layout part's block of text, its answer candidates and how sure we are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from grader.extraction.candidates import BlockLine, Candidate
from grader.extraction.candidates import find_candidates
from grader.extraction.layout import AssignmentLayout
from grader.extraction.segment import LabelFound, PartRegion, segment_document
from grader.reading.digits import fold_digits
from grader.reading.document import Document

MAX_CONTEXT_CHARS = 4000
MAX_PART_CHARS = 200_000  # a part's text beyond this is not searched for candidates (still counted as context)


@dataclass(frozen=True)
class PartExtraction:
    part_id: str
    candidates: tuple[Candidate, ...]
    label_found: LabelFound
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
    """Find each layout part's answer candidates in `document` (never raises on any text)."""
    segmentation = segment_document(lines=document.lines, layout=layout)
    parts: dict[str, PartExtraction] = {}
    for part in layout.parts:
        region = segmentation.regions.get(part.part_id)
        parts[part.part_id] = _part(part_id=part.part_id, region=region, lines=document.lines)
    return Extraction(
        parts=MappingProxyType(parts), unassigned=segmentation.unassigned, warnings=segmentation.warnings,
    )


def _part(*, part_id: str, region: PartRegion | None, lines: tuple[str, ...]) -> PartExtraction:
    if region is None:
        return PartExtraction(part_id=part_id, candidates=(), label_found="none", confidence=0.0,
                              flags=("no-text",), context="", line_start=0, line_end=0)
    block: list[BlockLine] = []
    size = 0
    for segment in region.segments:
        text = lines[segment.line][segment.start:segment.end]
        if size + len(text) > MAX_PART_CHARS:
            text = text[:max(0, MAX_PART_CHARS - size)]
        size += len(text)
        block.append(BlockLine(number=segment.line + 1, text=text))
        if size >= MAX_PART_CHARS:
            break
    block = _trim(block=block)
    if not block:
        return PartExtraction(part_id=part_id, candidates=(), label_found=region.label_found, confidence=0.0,
                              flags=region.flags + ("no-text",), context="", line_start=region.segments[0].line + 1,
                              line_end=region.segments[0].line + 1)
    typed = region.label_found == "explicit" and "typed-id" in region.flags
    candidates = find_candidates(lines=tuple(block), typed=typed)
    context = "\n".join(line.text for line in block)
    if len(context) > MAX_CONTEXT_CHARS:
        context = context[:MAX_CONTEXT_CHARS - 1] + "…"
    flags = [flag for flag in region.flags if flag != "typed-id"]
    confidence = _confidence(label_found=region.label_found, candidates=candidates, flags=flags)
    return PartExtraction(
        part_id=part_id, candidates=candidates, label_found=region.label_found, confidence=confidence,
        flags=tuple(dict.fromkeys(flags)), context=context, line_start=block[0].number, line_end=block[-1].number,
    )


def _trim(*, block: list[BlockLine]) -> list[BlockLine]:
    start, end = 0, len(block)
    while start < end and not block[start].text.strip():
        start += 1
    while end > start and not block[end - 1].text.strip():
        end -= 1
    return block[start:end]


def _confidence(*, label_found: LabelFound, candidates: tuple[Candidate, ...], flags: list[str]) -> float:
    if not candidates:
        flags.append("no-answer-found")
        return 0.0
    top = candidates[0]
    base = {"structured": 0.97, "marker": 0.93, "boxed": 0.9, "arrow": 0.75, "last_rhs": 0.7,
            "last_value": 0.55, "block": 0.3}[top.source]
    if top.source not in ("structured", "marker", "boxed"):
        flags.append("no-marker")
    same = [c for c in candidates if c.source == top.source and c.source not in ("block",)]
    values = {fold_digits(text=c.text).replace(" ", "") for c in same}
    if top.source in ("marker", "boxed") and len(values) > 1 and _distinct_answers(candidates=same):
        flags.append("conflicting-candidates")
        base = min(base, 0.45)
    if label_found == "order":
        if "label-guessed-from-order" not in flags:
            flags.append("label-guessed-from-order")
        base = min(base, 0.45)
    elif label_found == "none":
        base = min(base, 0.3)
    return round(base, 3)


def _distinct_answers(*, candidates: list[Candidate]) -> bool:
    """Two marked answers on different lines that differ (a prose/math pair of one marker is not a conflict)."""
    by_line: dict[int, set[str]] = {}
    for c in candidates:
        by_line.setdefault(c.line_start, set()).add(fold_digits(text=c.text).replace(" ", ""))
    if len(by_line) < 2:
        return False
    firsts = [next(iter(sorted(v, key=len))) for v in by_line.values()]
    return len(set(firsts)) > 1
