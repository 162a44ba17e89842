"""What one answer candidate is: its text, where it came from, and how strong that kind of evidence is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["structured", "marker", "boxed", "arrow", "last_rhs", "last_value", "block"]
STRENGTH: dict[str, float] = {"structured": 0.97, "marker": 0.95, "boxed": 0.9, "arrow": 0.75, "last_rhs": 0.6,
                              "last_value": 0.45, "block": 0.2}
MAX_CANDIDATES = 8
MAX_CANDIDATE_CHARS = 2000
MAX_MARKERS = 6

MARKER = re.compile(
    r"(?<![^\W_])(?:final\s+answer|answer|ans\.?|ответ|итого|итог|antwort|ergebnis|réponse|reponse|respuesta"
    r"|resposta|risposta|پاسخ|جواب|答案)(?![^\W_])[ \t]*(?:\*\*)?[ \t]*[:：.\-—=]?",
    re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    text: str
    line_start: int
    line_end: int
    quote: str
    source: Source
    strength: float


