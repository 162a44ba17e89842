"""Split a document's lines into per-part pieces using the assignment layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from grader.freeform.digits import fold_digits
from grader.freeform.layout import AssignmentLayout
from grader.freeform.labels import LineLabels, RawLabel, inline_labels, label_index, parse_line

LabelFound = Literal["explicit", "order", "none"]
MAX_LINE_FOR_LABELS = 400


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


@dataclass
class _Builder:
    pieces: dict[str, list[Piece]] = field(default_factory=dict)
    found: dict[str, LabelFound] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    preamble: dict[int, list[Piece]] = field(default_factory=dict)
    assigned_lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def add(self, *, part_id: str, piece: Piece) -> None:
        self.pieces.setdefault(part_id, []).append(piece)

    def mark(self, *, part_id: str, found: LabelFound, flag: str | None = None) -> None:
        if self.found.get(part_id) != "explicit":
            self.found[part_id] = found
        if flag and flag not in self.flags.setdefault(part_id, []):
            self.flags[part_id].append(flag)


def segment_document(*, lines: tuple[str, ...], layout: AssignmentLayout) -> Segmentation:
    parsed = [parse_line(line=line) if line.strip() else LineLabels() for line in lines]
    problems = set(layout.problems())
    keyword_doc = any(p.problem in problems and p.strength in ("keyword", "heading") for p in parsed)
    part_ids = {p.part_id.lower() for p in layout.parts}
    headers = _choose_headers(parsed=parsed, problems=problems, keyword_doc=keyword_doc, part_ids=part_ids,
                              lines=lines)
    number_mode = _numbered_part_problems(parsed=parsed, headers=headers, layout=layout)
    b = _Builder()
    current_problem: int | None = None
    current_part: str | None = None
    order_pos: dict[int, int] = {}
    for index, (line, labels) in enumerate(zip(lines, parsed)):
        line_no = index + 1
        if not line.strip():
            continue
        start = 0
        raw: RawLabel | None = labels.part
        if index in headers:
            current_problem = labels.problem
            current_part = None
            start = labels.problem_end
            if current_problem not in problems:
                b.warnings.append(f"line {line_no}: problem {current_problem} is not in this assignment")
        elif labels.strength == "bare":
            raw = labels.bare_number
        problem = current_problem
        if problem is None and raw is not None and layout.parts:
            problem = layout.parts[0].problem
        if raw is not None and problem in problems:
            part_id, how = _resolve(raw=raw, problem=problem, layout=layout, current=current_part,
                                    number_mode=problem in number_mode, order_pos=order_pos)
            if part_id is not None:
                if current_problem is None:
                    current_problem = problem
                    how = "order"
                restart = _restarted_lettering(b=b, layout=layout, part_id=part_id, current=current_part)
                if restart is not None:
                    current_problem, part_id, how = restart[0], restart[1], "order"
                    b.mark(part_id=part_id, found=how, flag="problem-guessed-from-order")
                elif part_id in b.pieces and part_id != current_part:
                    b.mark(part_id=part_id, found=how, flag="label-repeated")
                current_part = part_id
                b.mark(part_id=part_id, found=how,
                       flag="label-guessed-from-order" if how == "order" else None)
                if raw.kind == "number" and how == "explicit":
                    b.mark(part_id=part_id, found=how, flag="parts-numbered")
                start = raw.end
        _place(b=b, layout=layout, line=line, line_no=line_no, start=start, problem=current_problem,
               part=current_part)
        if current_problem in problems and current_part is not None:
            current_part = _inline_split(b=b, layout=layout, line=line, line_no=line_no, start=start,
                                         problem=current_problem, part=current_part)
    _assign_preambles(b=b, layout=layout)
    return _finish(b=b, layout=layout, line_count=len(lines), lines=lines)


def _restarted_lettering(*, b: _Builder, layout: AssignmentLayout, part_id: str,
                         current: str | None) -> tuple[int, str] | None:
    """`(a)` again after `(c)` with no problem header between: the next unseen problem (header lost)."""
    if current is None or part_id not in b.pieces:
        return None
    ids = [p.part_id for p in layout.parts]
    this = next(p for p in layout.parts if p.part_id == part_id)
    if ids.index(part_id) >= ids.index(current):
        return None
    problems = layout.problems()
    position = problems.index(this.problem) + 1
    if position >= len(problems):
        return None
    problem = problems[position]
    if any(p.part_id in b.pieces for p in layout.parts if p.problem == problem):
        return None
    target = layout.part_id(problem=problem, label=this.label)
    return (problem, target) if target is not None else None


def _plausible_bare(*, parsed: list[LineLabels], index: int, lines: tuple[str, ...]) -> bool:
    """A number alone on a line (`2`, no `.`/`)`) is a header only if a part label follows it."""
    line = lines[index].strip(" \t*_#>")
    if not line.isdigit() and not fold_digits(text=line).isdigit():
        return True
    for later in range(index + 1, min(len(lines), index + 4)):
        if lines[later].strip():
            return parsed[later].part is not None
    return False


def _choose_headers(*, parsed: list[LineLabels], problems: set[int], keyword_doc: bool,
                    part_ids: set[str], lines: tuple[str, ...]) -> set[int]:
    headers: set[int] = set()
    current = 0
    seen: set[int] = set()
    last_bare = 0  # the last bare `N)` since the last header: a numbered list of steps counts up from it
    for index, labels in enumerate(parsed):
        if labels.problem is None:
            continue
        bare = labels.strength == "bare" and labels.part is None
        if labels.strength in ("keyword", "heading"):
            headers.add(index)
            current = labels.problem
            seen.add(labels.problem)
        elif bare and keyword_doc and str(labels.problem) in part_ids and labels.problem > current \
                and labels.problem not in seen and labels.problem != last_bare + 1:
            # `6) …` after `4n) …`: a one-part problem's own id, not step 6 of a numbered derivation
            headers.add(index)
            current = labels.problem
            seen.add(labels.problem)
        elif not keyword_doc and labels.problem in problems and labels.problem > current \
                and labels.problem not in seen and _plausible_bare(parsed=parsed, index=index, lines=lines):
            headers.add(index)
            current = labels.problem
            seen.add(labels.problem)
        elif labels.part is not None and labels.part.kind == "latin" \
                and f"{labels.problem}{labels.part.value}" in part_ids:
            headers.add(index)  # typed `1a)` for an earlier problem: still an explicit id
            current = labels.problem
        if index in headers:
            last_bare = 0
        elif bare:
            last_bare = labels.problem
    return headers


def _numbered_part_problems(*, parsed: list[LineLabels], headers: set[int], layout: AssignmentLayout) -> set[int]:
    """Problems whose parts the student numbered 1) 2) … instead of lettering them."""
    regions: dict[int, list[LineLabels]] = {}
    current: int | None = None
    for index, labels in enumerate(parsed):
        if index in headers:
            current = labels.problem
            if labels.part is not None and current is not None:
                regions.setdefault(current, []).append(LineLabels(part=labels.part))
            continue
        if current is not None:
            regions.setdefault(current, []).append(labels)
    chosen = set()
    for problem, items in regions.items():
        count = len(layout.labels_of(problem=problem))
        if count < 2:
            continue
        letters = [x for x in items if x.part is not None and x.part.kind != "number"]
        numbers = [int(x.bare_number.value) for x in items if x.bare_number is not None]
        numbers += [int(x.part.value) for x in items if x.part is not None and x.part.kind == "number"]
        if not letters and numbers and 1 in numbers and max(numbers) <= count:
            chosen.add(problem)
    return chosen


def _resolve(*, raw: RawLabel, problem: int, layout: AssignmentLayout, current: str | None,
             number_mode: bool, order_pos: dict[int, int]) -> tuple[str | None, LabelFound]:
    labels = layout.labels_of(problem=problem)
    if labels == (None,) or not labels:
        return None, "none"
    kind = raw.kind
    value = raw.value
    if kind == "number" and not number_mode:
        return None, "none"
    current_label = next((p.label for p in layout.parts if p.part_id == current), None)
    if kind == "latin" and value in ("i", "v", "x") and value not in labels:
        kind = "roman"
    if kind == "latin" and value in labels:
        return layout.part_id(problem=problem, label=value), "explicit"
    index = label_index(raw=value, kind=kind) if kind in ("roman", "cyrillic", "persian", "number") else None
    if index is not None and 1 <= index <= len(labels):
        return layout.part_id(problem=problem, label=labels[index - 1]), "explicit"
    if kind in ("latin", "greek") or index is None:
        # unknown alphabet or a letter the layout lacks: the next part in order
        position = labels.index(current_label) + 1 if current_label in labels else order_pos.get(problem, 0)
        if position < len(labels):
            order_pos[problem] = position + 1
            return layout.part_id(problem=problem, label=labels[position]), "order"
    return None, "none"


def _place(*, b: _Builder, layout: AssignmentLayout, line: str, line_no: int, start: int,
           problem: int | None, part: str | None) -> None:
    text = line[start:]
    if not text.strip(" \t*_#:.-—–{}[]") and start > 0:
        b.assigned_lines.add(line_no)
        if part is None and problem is not None:
            b.preamble.setdefault(problem, [])
        return
    if start > 0:
        prefix = line[:start]
        opener = "$$" if "$$" in prefix else ("$" if "$" in prefix else "")
        text = opener + text
    if part is not None:
        b.add(part_id=part, piece=Piece(line=line_no, text=text))
    elif problem is not None and problem in set(layout.problems()):
        b.preamble.setdefault(problem, []).append(Piece(line=line_no, text=text))


def _inline_split(*, b: _Builder, layout: AssignmentLayout, line: str, line_no: int, start: int,
                  problem: int, part: str) -> str:
    """`(a) 5 (b) 7`: later labels on the same line that are exactly the next parts."""
    labels = layout.labels_of(problem=problem)
    found = inline_labels(text=line, start=start)
    if not found:
        return part
    current = part
    pieces = b.pieces.get(part, [])
    if not pieces or pieces[-1].line != line_no:
        return part
    segments: list[tuple[str, int, int]] = []  # part, text start, text end
    seg_start = start
    for lab_start, lab_end, value in found:
        cur_label = next((p.label for p in layout.parts if p.part_id == current), None)
        if cur_label not in labels:
            break
        position = labels.index(cur_label) + 1
        if position >= len(labels):
            break
        expected = labels[position]
        kind = "latin" if "a" <= value <= "z" else ("cyrillic" if value.isalpha() and value < "ѐ" else "persian")
        index = label_index(raw=value, kind=kind)
        if value != expected and index != position + 1:
            continue
        segments.append((current, seg_start, lab_start))
        current = layout.part_id(problem=problem, label=expected) or current
        seg_start = lab_end
    if not segments:
        return part
    segments.append((current, seg_start, len(line)))
    b.pieces[part].pop()
    for part_id, s, e in segments:
        if line[s:e].strip():
            b.add(part_id=part_id, piece=Piece(line=line_no, text=line[s:e]))
        b.mark(part_id=part_id, found="explicit")
    return current


def _assign_preambles(*, b: _Builder, layout: AssignmentLayout) -> None:
    for problem, pieces in b.preamble.items():
        labels = layout.labels_of(problem=problem)
        ids = [p.part_id for p in layout.parts if p.problem == problem]
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
    if any(_has_math(text=p.text) for p in tail) or not any(_has_math(text=p.text) for p in head):
        return pieces
    return head


def _has_math(*, text: str) -> bool:
    return any(ch.isdigit() or ch in "$=\\^_[]{}+*/<>" for ch in text[:5000])


def _finish(*, b: _Builder, layout: AssignmentLayout, line_count: int, lines: tuple[str, ...]) -> Segmentation:
    parts = {}
    for part in layout.parts:
        pieces = b.pieces.get(part.part_id, [])
        if part.label is not None:
            pieces = _drop_trailing_prose(pieces=pieces, lines=lines)
        pieces = tuple(pieces)
        found: LabelFound = b.found.get(part.part_id, "none") if pieces else "none"
        parts[part.part_id] = PartSegment(part_id=part.part_id, pieces=pieces, label_found=found,
                                          flags=tuple(b.flags.get(part.part_id, ())))
    used = {piece.line for seg in parts.values() for piece in seg.pieces}
    spans: list[tuple[int, int]] = []
    open_span = False
    for line_no in range(1, line_count + 1):
        if not lines[line_no - 1].strip():
            continue
        if line_no in used or line_no in b.assigned_lines:
            open_span = False
            continue
        if open_span:
            spans[-1] = (spans[-1][0], line_no)
        else:
            spans.append((line_no, line_no))
            open_span = True
    return Segmentation(parts=parts, unassigned=tuple(spans), warnings=tuple(b.warnings))
