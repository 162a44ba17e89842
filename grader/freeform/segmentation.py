"""What segmenting a document yields: each part's pieces of text, and the lines no part took."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LabelFound = Literal["explicit", "order", "none"]


@dataclass(frozen=True)
class Piece:
    line: int  # 1-based
    text: str


@dataclass(frozen=True)
class PartSegment:
    part_id: str
    pieces: tuple[Piece, ...]
    label_found: LabelFound
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Segmentation:
    parts: dict[str, PartSegment]
    unassigned: tuple[tuple[int, int], ...]
    warnings: tuple[str, ...]
    #: part id -> lines inside another part's block that open like this part's mangled label, unconfirmed
    hints: dict[str, tuple[Piece, ...]] = field(default_factory=dict)
