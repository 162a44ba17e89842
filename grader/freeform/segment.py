"""Split a document's lines into per-part pieces using the assignment layout.

The lines are read first (grader.freeform.line_reading: the labels at their starts, the problem headers), then
walked once, top to bottom: each line's opening label is decided (grader.freeform.label_reading), the labels
inside it cut it (grader.freeform.inline_cuts), and its pieces go to the part the walk is in
(grader.freeform.segment_assembly)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from grader.freeform.inline_cuts import MAX_LINE_FOR_INLINE, cuts_after, may_cut
from grader.freeform.label_reading import dash_label_fits, may_name_answer, named_answer, ocr_label, ocr_start
from grader.freeform.label_reading import other_part_named
from grader.freeform.label_reading import resolve, restarted_lettering
from grader.freeform.labels import LineLabels, RawLabel
from grader.freeform.layout import AssignmentLayout, PartLayout
from grader.freeform.line_reading import MAX_LINE_FOR_LABELS, abjad_order, choose_headers, following_labels
from grader.freeform.line_reading import numbered_part_problems, ones_for_l, read_labels
from grader.freeform.segment_assembly import Builder, assign_preambles, finish, move_misplaced_markers, place
from grader.freeform.segmentation import LabelFound, PartSegment, Piece, Segmentation

__all__ = ["MAX_LINE_FOR_INLINE", "MAX_LINE_FOR_LABELS", "LabelFound", "PartSegment", "Piece", "Segmentation",
           "segment_document"]


def segment_document(*, lines: tuple[str, ...], layout: AssignmentLayout,
                     claimed: Mapping[int, str | None] = MappingProxyType({})) -> Segmentation:
    """``claimed``: 1-based lines that hold a sub-answer (grader.freeform.sub_answers), never a part's text; a
    line naming a sub-answer's id maps to its parent part (`2a.1)` -> 2a), which becomes the current part, as
    the id's own label did, but without counting as a repeated label of it."""
    part_ids = {p.part_id.lower() for p in layout.parts}
    lines = ones_for_l(lines=lines, part_ids=part_ids)
    parsed = read_labels(lines=lines)
    problems = set(layout.problems())
    keyword_doc = any(p.problem in problems and p.strength in ("keyword", "heading") for p in parsed)
    headers = choose_headers(parsed=parsed, problems=problems, keyword_doc=keyword_doc, part_ids=part_ids,
                             lines=lines)
    walk = _Walk(layout=layout, problems=problems, headers=headers, abjad=abjad_order(parsed=parsed),
                 parents={p.part_id: p for p in layout.parts}, lines=lines, parsed=parsed)
    for index, (line, labels) in enumerate(zip(lines, parsed)):
        if not line.strip():
            continue
        if index + 1 in claimed:
            walk.enter_sub_answer(line_no=index + 1, sub_answer=claimed[index + 1])
        else:
            walk.read_line(index=index, line=line, labels=labels)
    move_misplaced_markers(b=walk.b, layout=layout)
    assign_preambles(b=walk.b, layout=layout)
    return finish(b=walk.b, layout=layout, line_count=len(lines), lines=lines)


@dataclass
class _Walk:
    """The walk down a document's lines: what the file says (layout, headers, ...) and where the walk stands
    (the problem and part the text belongs to), with the pieces collected so far in ``b``."""

    layout: AssignmentLayout
    problems: set[int]
    headers: set[int]
    abjad: bool
    parents: dict[str, PartLayout]
    lines: tuple[str, ...]
    parsed: list[LineLabels]
    b: Builder = field(default_factory=Builder)
    problem: int | None = None
    part: str | None = None
    extra: bool = False  # after a label the problem does not have: text is unassigned until the next label
    started: set[int] = field(default_factory=set)
    order_pos: dict[int, int] = field(default_factory=dict)
    ocr_seen: bool = False  # a mangled label was read as a label already: this file's OCR reads `(` as `C`

    def enter_sub_answer(self, *, line_no: int, sub_answer: str | None) -> None:
        parent = self.parents.get(sub_answer or "")
        if parent is not None:
            self.problem, self.part, self.extra = parent.problem, parent.part_id, False
            self.started.add(parent.problem)
        self.b.assigned_lines.add(line_no)

    def read_line(self, *, index: int, line: str, labels: LineLabels) -> None:
        line_no = index + 1
        if self.problem in self.problems and may_name_answer(line) and named_answer(
                b=self.b, layout=self.layout, line=line, line_no=line_no, problem=self.problem,
                current=self.part, abjad=self.abjad):
            return
        start, raw = self._opening_label(index=index, line=line, labels=labels)
        if self.problem is not None:
            self.started.add(self.problem)
        problem = self.problem
        if problem is None and raw is not None and self.layout.parts:
            problem = self.layout.parts[0].problem
        if raw is not None and raw.dash and index not in self.headers and problem in self.problems \
                and not dash_label_fits(value=raw.value, kind=raw.kind, layout=self.layout,
                                        problem=problem, current=self.part,
                                        extra=self.extra, abjad=self.abjad, seen=self.b.pieces):
            raw = None  # `p - y`, `y - \hat y`: a letter and a minus, not a label the problem has here
        if raw is not None and problem in self.problems:
            start = self._take_label(raw=raw, problem=problem, line_no=line_no, start=start)
        self._place_line(line=line, line_no=line_no, start=start)

    def _opening_label(self, *, index: int, line: str, labels: LineLabels) -> tuple[int, RawLabel | None]:
        """Where the line's text starts and the part label it opens with, if any; a problem header moves the
        walk to its problem."""
        if index in self.headers:
            self.problem, self.part, self.extra = labels.problem, None, False
            if self.problem not in self.problems:
                self.b.warnings.append(f"line {index + 1}: problem {self.problem} is not in this assignment")
            return labels.problem_end, labels.part
        if labels.strength == "bare":
            return 0, labels.bare_number
        raw = labels.part
        # (a line that does not open like a mangled label, most of them, is neither one nor a hint)
        if raw is None and self.problem in self.problems and ocr_start(line=line) is not None:
            raw = self._mangled_label(index=index, line=line, problem=self.problem)
        return 0, raw

    def _mangled_label(self, *, index: int, line: str, problem: int) -> RawLabel | None:
        """The line opens like an OCR-mangled label (`Cb)`): the label it is read as, if any; else, when it
        names another part of the problem, the current part is flagged and the line kept as that part's hint."""
        raw = ocr_label(line=line, layout=self.layout, problem=problem,
                        current=self.part, extra=self.extra, seen=self.b.pieces, ocr_seen=self.ocr_seen,
                        following=self.following[index])
        self.ocr_seen = self.ocr_seen or raw is not None
        current = self.part
        other = None if raw is not None or current is None else other_part_named(
            line=line, layout=self.layout, problem=problem, current=current)
        if other is not None and current is not None:
            flags = self.b.flags.setdefault(current, [])  # the part's text may run into another part's
            if "unread-label-in-block" not in flags:
                flags.append("unread-label-in-block")
            # and that part, if it gets no text of its own, may have its answer here
            self.b.hints.setdefault(other[0], []).append(Piece(line=index + 1, text=line[other[1]:]))
        return raw

    @cached_property
    def following(self) -> list[str | None]:
        """Per line, the letter of the next part label below it (line_reading.following_labels): only a line
        that opens like a mangled label asks, in most files none, so it is worked out at the first that does."""
        return following_labels(lines=self.lines, parsed=self.parsed, headers=self.headers)

    @cached_property
    def number_mode(self) -> set[int]:
        """The problems whose parts are numbered (line_reading.numbered_part_problems): only a number label asks."""
        return numbered_part_problems(parsed=self.parsed, headers=self.headers, layout=self.layout)

    def _take_label(self, *, raw: RawLabel, problem: int, line_no: int, start: int) -> int:
        """The walk moves to the part the label names (or past the problem's last part); where the text after
        the label starts."""
        part_id, how = resolve(raw=raw, problem=problem, layout=self.layout, current=self.part,
                               number_mode=raw.kind == "number" and problem in self.number_mode,
                               order_pos=self.order_pos,
                               abjad=self.abjad, extra=self.extra)
        if how == "extra":
            self.b.warnings.append(f"line {line_no}: label ({raw.value}) is not a part of problem {problem}")
            self.problem, self.part, self.extra = problem, None, True
            self.started.add(problem)
            return raw.end
        if part_id is None:
            return start
        if self.problem is None:
            self.problem = problem
            how = "order"
        self.started.add(self.problem)
        found: LabelFound = how
        restart = restarted_lettering(b=self.b, layout=self.layout, part_id=part_id, current=self.part)
        if restart is not None:
            self.problem, part_id, found = restart[0], restart[1], "order"
            self.b.mark(part_id=part_id, found=found, flag="problem-guessed-from-order")
        elif part_id in self.b.pieces and part_id != self.part:
            self.b.mark(part_id=part_id, found=found, flag="label-repeated")
        self.part, self.extra = part_id, False
        self.b.mark(part_id=part_id, found=found, flag="label-guessed-from-order" if found == "order" else None)
        if raw.kind == "number" and found == "explicit":
            self.b.mark(part_id=part_id, found=found, flag="parts-numbered")
        return raw.end

    def _place_line(self, *, line: str, line_no: int, start: int) -> None:
        """The line's text from ``start``, cut at the labels inside it, each piece to the part it belongs to."""
        cuts = cuts_after(line=line, start=start, layout=self.layout, problem=self.problem, part=self.part,
                          extra=self.extra, started=self.started, abjad=self.abjad) if may_cut(line, start) else []
        seg_start = start
        for cut in cuts:
            place(b=self.b, layout=self.layout, line=line, line_no=line_no, start=seg_start, end=cut.label_start,
                  problem=None if self.extra else self.problem, part=self.part, cut=seg_start != start)
            if cut.problem != self.problem:
                self.started.add(cut.problem)
            self.problem, self.part, self.extra = cut.problem, cut.part, cut.part is None
            if cut.part is None:
                self.b.warnings.append(f"line {line_no}: label ({cut.value}) is not a part of problem {cut.problem}")
            else:
                if cut.part in self.b.pieces and self.b.pieces[cut.part] \
                        and self.b.pieces[cut.part][-1].line != line_no:
                    self.b.mark(part_id=cut.part, found="explicit", flag="label-repeated")
                self.b.mark(part_id=cut.part, found="explicit")
            seg_start = cut.text_start
        place(b=self.b, layout=self.layout, line=line, line_no=line_no, start=seg_start, end=len(line),
              problem=None if self.extra else self.problem, part=self.part, cut=seg_start != start)
