"""Per-part answers from a document: segmentation, candidates, confidence."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

from grader.freeform.candidates import find_candidates
from grader.freeform.evidence import Candidate
from grader.freeform.document import Document
from grader.freeform.layout import AssignmentLayout
from grader.freeform.segment import segment_document

MAX_CONTEXT = 4000
BASE_CONFIDENCE = {"structured": 0.85, "marker": 0.95, "boxed": 0.92, "arrow": 0.8, "last_rhs": 0.7,
                   "last_value": 0.6, "block": 0.5}


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
    segmentation = segment_document(lines=document.lines, layout=layout)
    parts: dict[str, PartExtraction] = {}
    for part in layout.parts:
        segment = segmentation.parts[part.part_id]
        flags = list(segment.flags)
        candidates, facts = find_candidates(pieces=segment.pieces, single_ok=segment.label_found == "explicit",
                                            whole=part.part_id in layout.whole_answer)
        if not candidates:
            parts[part.part_id] = PartExtraction(part_id=part.part_id, candidates=(), label_found="none",
                                                 confidence=0.0, flags=tuple(flags), context="",
                                                 line_start=0, line_end=0)
            continue
        top = max(candidates, key=lambda c: c.strength).source  # the first one, unless the whole answer leads
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
        context = "\n".join(p.text for p in segment.pieces)[:MAX_CONTEXT]
        parts[part.part_id] = PartExtraction(
            part_id=part.part_id, candidates=tuple(candidates), label_found=segment.label_found,
            confidence=round(confidence, 3), flags=tuple(dict.fromkeys(flags)), context=context,
            line_start=min(p.line for p in segment.pieces), line_end=max(p.line for p in segment.pieces))
    return Extraction(parts=MappingProxyType(parts), unassigned=segmentation.unassigned,
                      warnings=segmentation.warnings)
