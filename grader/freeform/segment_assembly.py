"""Collecting the pieces of a document's parts while its lines are walked, and assembling the Segmentation."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.freeform.evidence import MARKER
from grader.freeform.layout import AssignmentLayout
from grader.freeform.records import record
from grader.freeform.segmentation import LabelFound, PartSegment, Piece, Segmentation


@dataclass
class Builder:
    pieces: dict[str, list[Piece]] = field(default_factory=dict)
    found: dict[str, LabelFound] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    preamble: dict[int, list[Piece]] = field(default_factory=dict)
    assigned_lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    #: part id -> lines that open like its mangled label (`Cd)`) but were not read as one (grader/freeform/
    #: label_reading.py ocr_label: the page did not confirm it), with the text after the label
    hints: dict[str, list[Piece]] = field(default_factory=dict)

    def add(self, *, part_id: str, piece: Piece) -> None:
        pieces = self.pieces.get(part_id)  # (no list made for setdefault: a piece for nearly every line of a file)
        if pieces is None:
            self.pieces[part_id] = [piece]
        else:
            pieces.append(piece)

    def mark(self, *, part_id: str, found: LabelFound, flag: str | None = None) -> None:
        if self.found.get(part_id) != "explicit":
            self.found[part_id] = found
        if flag and flag not in self.flags.setdefault(part_id, []):
            self.flags[part_id].append(flag)



def move_misplaced_markers(*, b: Builder, layout: AssignmentLayout) -> None:
    """An unnamed `Answer:` line directly under the next part's label belongs to the part above it.

    Decided only when all of these hold, so an ordinary answer is never moved: the part above has pieces
    and no `Answer:` line of its own; in this part the marker comes before any math (only the label's
    heading prose is above it); and this part has another `Answer:` line of its own further down."""
    for problem in layout.problems():
        ids = layout.part_ids_of(problem=problem)
        for above, here in zip(ids, ids[1:]):
            upper, pieces = b.pieces.get(above), b.pieces.get(here)
            # (two `Answer:` lines below need two pieces: a part of one line is never looked into)
            if not upper or not pieces or len(pieces) < 2 or upper[-1].line >= pieces[0].line:
                continue
            if any(MARKER.match(p.text.strip(" \t*_>")) for p in upper):
                continue
            markers = [k for k, p in enumerate(pieces) if MARKER.match(p.text.strip(" \t*_>"))]
            if len(markers) < 2 or any(has_math(text=p.text) for p in pieces[:markers[0]]):
                continue
            upper.append(pieces.pop(markers[0]))

def place(*, b: Builder, layout: AssignmentLayout, line: str, line_no: int, start: int, end: int,
           problem: int | None, part: str | None, cut: bool = False) -> None:
    text = line[start:end]
    if (start > 0 or end < len(line) or cut) and not text.strip(" \t*_#:.-—–{}[]"):
        b.assigned_lines.add(line_no)
        if part is None and problem is not None:
            b.preamble.setdefault(problem, [])
        return
    if start > 0 and not cut:
        prefix = line[:start]
        opener = "$$" if "$$" in prefix else ("$" if "$" in prefix else "")
        text = opener + text
    if part is not None:
        b.add(part_id=part, piece=record(Piece, line=line_no, text=text))
    elif problem is not None and problem in set(layout.problems()):
        b.preamble.setdefault(problem, []).append(Piece(line=line_no, text=text))


def assign_preambles(*, b: Builder, layout: AssignmentLayout) -> None:
    for problem, pieces in b.preamble.items():
        labels = layout.labels_of(problem=problem)
        ids = layout.part_ids_of(problem=problem)
        if not ids:
            continue
        if labels == (None,):
            for piece in pieces:
                b.add(part_id=ids[0], piece=piece)
            b.mark(part_id=ids[0], found="explicit")
        elif not any(pid in b.pieces for pid in ids) and pieces:
            for piece in pieces:
                b.add(part_id=ids[0], piece=piece)
            b.mark(part_id=ids[0], found="order", flag="label-guessed-from-order")
        # otherwise text before a problem's first part label stays unassigned context


def _drop_trailing_prose(*, pieces: list[Piece], lines: tuple[str, ...]) -> list[Piece]:
    """A last paragraph with no math at all after a part's math is scratch text, not the answer."""
    if len(pieces) < 2:
        return pieces
    cut = len(pieces)
    for k in range(len(pieces) - 1, 0, -1):
        gap = any(not lines[n - 1].strip() for n in range(pieces[k - 1].line + 1, pieces[k].line))
        if gap:
            cut = k
            break
    if cut == len(pieces):
        return pieces
    head, tail = pieces[:cut], pieces[cut:]
    if any(has_math(text=p.text) for p in tail) or not any(has_math(text=p.text) for p in head):
        return pieces
    return head


def has_math(*, text: str) -> bool:
    return any(ch.isdigit() or ch in "$=\\^_[]{}+*/<>" for ch in text[:5000])


def finish(*, b: Builder, layout: AssignmentLayout, line_count: int, lines: tuple[str, ...]) -> Segmentation:
    parts = {}
    used: set[int] = set()  # the lines the parts' pieces stand on
    for part in layout.parts:
        pieces = b.pieces.get(part.part_id, [])
        if part.label is not None and len(pieces) > 1:  # (one piece is kept as it is: nothing trails it)
            pieces = _drop_trailing_prose(pieces=pieces, lines=lines)
        kept = tuple(pieces)
        found: LabelFound = b.found.get(part.part_id, "none") if kept else "none"
        parts[part.part_id] = record(PartSegment, part_id=part.part_id, pieces=kept, label_found=found,
                                     flags=tuple(b.flags.get(part.part_id, ())))
        used.update([piece.line for piece in kept])
    spans: list[tuple[int, int]] = []
    open_span = False
    assigned = b.assigned_lines
    for line_no, line in enumerate(lines[:line_count], start=1):
        if not line or line.isspace():  # (what strip() leaves nothing of)
            continue
        if line_no in used or line_no in assigned:
            open_span = False
            continue
        if open_span:
            spans[-1] = (spans[-1][0], line_no)
        else:
            spans.append((line_no, line_no))
            open_span = True
    return Segmentation(parts=parts, unassigned=tuple(spans), warnings=tuple(b.warnings),
                        hints={pid: tuple(pieces) for pid, pieces in b.hints.items()})
