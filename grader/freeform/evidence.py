"""The kinds of evidence a free-form answer candidate (grader.submissions.inputs.Candidate) is found by, how strong
each kind is, and the markers and bounds of finding them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["structured", "marker", "boxed", "arrow", "last_rhs", "last_value", "block"]


@dataclass(frozen=True)
class EvidenceWeight:
    #: ranks the candidates of one part (the strongest is the answer); bonuses are added on top
    strength: float
    #: how sure the extraction is of the part's answer when this kind of candidate wins
    confidence: float


#: The one table for each kind of evidence.  The two columns are not the same scale and do not agree on
#: order: a structured answer block outranks a marker when both are present, but a part answered only by
#: one gets less confidence (0.85) than a marked or boxed one.  These are the values in use; change them
#: here only with the goldens.
EVIDENCE: dict[str, EvidenceWeight] = {
    "structured": EvidenceWeight(strength=0.97, confidence=0.85),
    "marker": EvidenceWeight(strength=0.95, confidence=0.95),
    "boxed": EvidenceWeight(strength=0.9, confidence=0.92),
    "arrow": EvidenceWeight(strength=0.75, confidence=0.8),
    "last_rhs": EvidenceWeight(strength=0.6, confidence=0.7),
    "last_value": EvidenceWeight(strength=0.45, confidence=0.6),
    "block": EvidenceWeight(strength=0.2, confidence=0.5),
}
STRENGTH: dict[str, float] = {source: evidence.strength for source, evidence in EVIDENCE.items()}
BASE_CONFIDENCE: dict[str, float] = {source: evidence.confidence for source, evidence in EVIDENCE.items()}
MAX_CANDIDATE_CHARS = 2000
MAX_MARKERS = 6

MARKER = re.compile(
    r"(?<![^\W_])(?:final\s+answer|answer|ans\.?|ответ|итого|итог|antwort|ergebnis|réponse|reponse|respuesta"
    r"|resposta|risposta|پاسخ|جواب|答案)(?![^\W_])[ \t]*(?:\*\*)?[ \t]*[:：.\-—=]?",
    re.IGNORECASE)


