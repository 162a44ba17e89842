"""Split a document's lines into per-part pieces using the assignment layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from grader.text.characters import LATIN_LOOKALIKES, fold_digits, fold_lookalikes
from grader.freeform.layout import AssignmentLayout
from grader.freeform.evidence import MARKER
from grader.freeform.labels import CYRILLIC, LineLabels, RawLabel, label_index, parse_line

LabelFound = Literal["explicit", "order", "none"]
MAX_LINE_FOR_LABELS = 400
MAX_LINE_FOR_INLINE = 20_000  # longer lines are not scanned for labels inside them (hostile input)

_LBL = r"[a-zA-Z]|[а-яА-Я]|الف|[بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]"
#: a label inside a line: `(b)`, `(e).`, `b)`, `a.)`, OCR's `Cb)`/`cd)` for `(b)`/`(d)`, or a problem number
#: `2.`/`2)`; each is a label only where the assignment's sequence of part ids allows it (see _inline_cuts)
_INLINE_TOKEN = re.compile(
    rf"(?<!\S)(?:(?P<prob>\d{{1,2}})[.)]"
    rf"|\([ \t]*(?P<paren>{_LBL})[ \t]*\)\.?"
    rf"|[Cc](?P<ocr>[a-z])\)"
    rf"|(?P<close>{_LBL})\.?\))(?=\s|$)")
_LABEL_AFTER_NUMBER = re.compile(
    rf"[ \t]+(?:\([ \t]*(?P<paren>{_LBL})[ \t]*\)\.?|[Cc](?P<ocr>[a-z])\)|(?P<close>{_LBL})\.?\))(?=\s|$)")
#: OCR's `Cb)` / `cd)` / `(b)` misread at the start of a line (taken only when that letter is the next part)
_OCR_START = re.compile(r"[ \t>*_#\-]*[Cc(]([a-z])\)")
#: OCR's `l)` / `I.` for `1)` before a part label at the start of a line
_OCR_ONE = re.compile(r"\A([ \t>*_#\-]*)[lI](?=[.)][ \t]+\(?[a-zA-Z]\.?\))")  # anchored: linear on any line
#: OCR's `la)` / `lb.` for `1a)` / `1b.` at the start of a line (taken only when the assignment has that part)
_OCR_ONE_PART = re.compile(r"\A([ \t>*_#\-]*)[lI]([a-z])(?=[.)])")
#: `Answer (b): …` / `Ответ (в): …` / `Antwort b): …` / `پاسخ الف: …`: an answer line naming its part
_NAMED_ANSWER = re.compile(
    rf"[ \t>*_#\-]*(?:\*\*)?[ \t]*(?:final\s+answer|answer|ответ|antwort|ergebnis|réponse|respuesta|پاسخ|جواب)"
    rf"[ \t]+(?:\([ \t]*(?P<paren>{_LBL})[ \t]*\)|(?P<bare>{_LBL})\)?)[ \t]*(?:\*\*)?[ \t]*[:：]",
    re.IGNORECASE)
_PERSIAN_ONLY = frozenset("پتث")  # letters of the Persian alphabetical order that abjad lacks
_ABJAD_ONLY = frozenset("جده")  # 3rd/4th/5th letters of the abjad order (6th, 10th, 31st in the Persian one)
_EXTRA = -2  # a label past the problem's last part (`(f)` when the problem ends at (e))


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


def _one_for_l(*, line: str, part_ids: set[str]) -> str:
    """OCR's letter l (or I) for the digit 1 in a label at the start of a line: `l) (a)`, and `la)` when 1a is
    a part of the assignment."""
    if line[:12].lstrip(" \t>*_#-")[:1] not in "lI":
        return line
    line = _OCR_ONE.sub(r"\g<1>1", line, count=1)
    found = _OCR_ONE_PART.match(line)
    if found is not None and f"1{found.group(2)}" in part_ids:
        line = f"{found.group(1)}1{found.group(2)}{line[found.end():]}"
    return line


@lru_cache(maxsize=8192)
def _cached_labels(line: str, lookalikes: bool) -> LineLabels:
    return parse_line(line=line, lookalikes=lookalikes)


def _labels_of(line: str, lookalikes: bool) -> LineLabels:
    """parse_line, read once per distinct line (headings and labels repeat across students): 8192 lines of
    at most MAX_LINE_FOR_LABELS characters are kept (LineLabels is frozen, so sharing one is safe)."""
    if len(line) <= MAX_LINE_FOR_LABELS:
        return _cached_labels(line, lookalikes)
    return parse_line(line=line, lookalikes=lookalikes)


def segment_document(*, lines: tuple[str, ...], layout: AssignmentLayout,
                     claimed: Mapping[int, str | None] = MappingProxyType({})) -> Segmentation:
    """``claimed``: 1-based lines that hold a sub-answer (grader.freeform.sub_answers), never a part's text; a
    line naming a sub-answer's id maps to its parent part (`2a.1)` -> 2a), which becomes the current part, as
    the id's own label did, but without counting as a repeated label of it."""
    part_ids = {p.part_id.lower() for p in layout.parts}
    parents = {p.part_id: p for p in layout.parts}
    lines = tuple(_one_for_l(line=line, part_ids=part_ids) for line in lines)
    parsed = [_labels_of(line, False) if line.strip() else LineLabels() for line in lines]
    if _latin_labels(parsed=parsed):  # `2с)` with a Cyrillic с, among Latin labels, is 2c
        parsed = [_labels_of(line, True) if _has_lookalike(line=line, labels=p) else p
                  for line, p in zip(lines, parsed)]
    problems = set(layout.problems())
    keyword_doc = any(p.problem in problems and p.strength in ("keyword", "heading") for p in parsed)
    headers = _choose_headers(parsed=parsed, problems=problems, keyword_doc=keyword_doc, part_ids=part_ids,
                              lines=lines)
    number_mode = _numbered_part_problems(parsed=parsed, headers=headers, layout=layout)
    abjad = _abjad_order(parsed=parsed)
    b = _Builder()
    current_problem: int | None = None
    current_part: str | None = None
    extra = False  # after a label the problem does not have: text is unassigned until the next label
    started: set[int] = set()
    order_pos: dict[int, int] = {}
    following = _following_labels(lines=lines, parsed=parsed, headers=headers)
    ocr_seen = False  # a mangled label was read as a label already: this file's OCR reads `(` as `C`
    for index, (line, labels) in enumerate(zip(lines, parsed)):
        line_no = index + 1
        if not line.strip():
            continue
        if line_no in claimed:
            parent = parents.get(claimed[line_no] or "")
            if parent is not None:
                current_problem, current_part, extra = parent.problem, parent.part_id, False
                started.add(parent.problem)
            b.assigned_lines.add(line_no)
            continue
        if current_problem in problems and _named_answer(b=b, layout=layout, line=line, line_no=line_no,
                                                         problem=current_problem, current=current_part,
                                                         abjad=abjad):
            continue
        start = 0
        raw: RawLabel | None = labels.part
        if index in headers:
            current_problem = labels.problem
            current_part = None
            extra = False
            start = labels.problem_end
            if current_problem not in problems:
                b.warnings.append(f"line {line_no}: problem {current_problem} is not in this assignment")
        elif labels.strength == "bare":
            raw = labels.bare_number
        elif raw is None and current_problem in problems:
            raw = _ocr_label(line=line, layout=layout, problem=current_problem, current=current_part,
                             extra=extra, seen=b.pieces, ocr_seen=ocr_seen, following=following[index])
            ocr_seen = ocr_seen or raw is not None
            if raw is None and current_part is not None and _names_other_part(
                    line=line, layout=layout, problem=current_problem, current=current_part):
                flags = b.flags.setdefault(current_part, [])  # the part's text may run into another part's
                if "unread-label-in-block" not in flags:
                    flags.append("unread-label-in-block")
        if current_problem is not None:
            started.add(current_problem)
        problem = current_problem
        if problem is None and raw is not None and layout.parts:
            problem = layout.parts[0].problem
        if raw is not None and raw.dash and index not in headers and problem in problems \
                and not _dash_label_fits(value=raw.value, kind=raw.kind, layout=layout, problem=problem,
                                         current=current_part, extra=extra, abjad=abjad, seen=b.pieces):
            raw = None  # `p - y`, `y - \hat y`: a letter and a minus, not a label the problem has here
        if raw is not None and problem in problems:
            part_id, how = _resolve(raw=raw, problem=problem, layout=layout, current=current_part,
                                    number_mode=problem in number_mode, order_pos=order_pos, abjad=abjad,
                                    extra=extra)
            if how == "extra":
                b.warnings.append(f"line {line_no}: label ({raw.value}) is not a part of problem {problem}")
                current_problem, current_part, extra = problem, None, True
                started.add(problem)
                start = raw.end
            elif part_id is not None:
                if current_problem is None:
                    current_problem = problem
                    how = "order"
                started.add(current_problem)
                restart = _restarted_lettering(b=b, layout=layout, part_id=part_id, current=current_part)
                if restart is not None:
                    current_problem, part_id, how = restart[0], restart[1], "order"
                    b.mark(part_id=part_id, found=how, flag="problem-guessed-from-order")
                elif part_id in b.pieces and part_id != current_part:
                    b.mark(part_id=part_id, found=how, flag="label-repeated")
                current_part = part_id
                extra = False
                b.mark(part_id=part_id, found=how,
                       flag="label-guessed-from-order" if how == "order" else None)
                if raw.kind == "number" and how == "explicit":
                    b.mark(part_id=part_id, found=how, flag="parts-numbered")
                start = raw.end
        cuts = _inline_cuts(line=line, start=start, layout=layout, problem=current_problem, part=current_part,
                            extra=extra, started=started, abjad=abjad)
        seg_start = start
        for cut in cuts:
            _place(b=b, layout=layout, line=line, line_no=line_no, start=seg_start, end=cut.label_start,
                   problem=None if extra else current_problem, part=current_part, cut=seg_start != start)
            if cut.problem != current_problem:
                started.add(cut.problem)
            current_problem, current_part, extra = cut.problem, cut.part, cut.part is None
            if cut.part is None:
                b.warnings.append(f"line {line_no}: label ({cut.value}) is not a part of problem {cut.problem}")
            else:
                if cut.part in b.pieces and b.pieces[cut.part] and b.pieces[cut.part][-1].line != line_no:
                    b.mark(part_id=cut.part, found="explicit", flag="label-repeated")
                b.mark(part_id=cut.part, found="explicit")
            seg_start = cut.text_start
        _place(b=b, layout=layout, line=line, line_no=line_no, start=seg_start, end=len(line),
               problem=None if extra else current_problem, part=current_part, cut=seg_start != start)
    _move_misplaced_markers(b=b, layout=layout)
    _assign_preambles(b=b, layout=layout)
    return _finish(b=b, layout=layout, line_count=len(lines), lines=lines)


@dataclass(frozen=True)
class _Cut:
    label_start: int
    text_start: int
    problem: int
    part: str | None  # None: a label the problem does not have (its text stays unassigned)
    value: str


def _token_label(match: re.Match[str]) -> tuple[str, str] | None:
    """(value, form) of a part-label token; form is 'paren', 'ocr' or 'close'."""
    for form in ("paren", "ocr", "close"):
        value = match.group(form)
        if value:
            return value.lower(), form
    return None


def _label_position(*, value: str, labels: tuple[str | None, ...], abjad: bool) -> int | None:
    """0-based position of a label value among a problem's labels; _EXTRA past the last; None: not a label."""
    if not labels or labels == (None,):
        return None
    if "a" <= value <= "z" and len(value) == 1:
        if value in labels:
            return labels.index(value)
        last = max(label for label in labels if label is not None)
        return _EXTRA if len(last) == 1 and value > last else None
    kind = "cyrillic" if value in CYRILLIC else "persian"
    index = label_index(raw=value, kind=kind, abjad=abjad)  # type: ignore[arg-type]
    if index is None:
        return None
    return index - 1 if index <= len(labels) else (_EXTRA if index == len(labels) + 1 else None)


def _inline_cuts(*, line: str, start: int, layout: AssignmentLayout, problem: int | None, part: str | None,
                 extra: bool, started: set[int], abjad: bool) -> list[_Cut]:
    """Labels inside a line after `start`, in order, that the assignment's sequence of part ids allows.

    A part label counts only as the problem's next part (`(b)` after `(a)`; OCR forms like `Cb)` only then),
    or, written `(x)`, as a later part when parts are skipped, or as a label past the problem's last part
    (split off, its text unassigned). A problem number `N.`/`N)` counts only for a problem of the assignment
    that has not started yet and comes after the current one, followed by that problem's label (or, for a
    one-part problem, when it is the next problem). `2.5`, `(3, 1)`, `(b - a)` and anything inside `$…$` or
    inside unclosed brackets never match. One pass over the line."""
    if len(line) > MAX_LINE_FOR_INLINE or start >= len(line):
        return []
    text = fold_digits(text=line)
    order = list(layout.problems())
    cuts: list[_Cut] = []
    pos = start
    dollars = depth = 0
    counted = start
    while True:
        match = _INLINE_TOKEN.search(text, pos)
        if match is None:
            break
        chunk = text[counted:match.start()]
        dollars += chunk.count("$")
        depth = max(0, depth + chunk.count("(") + chunk.count("[") - chunk.count(")") - chunk.count("]"))
        counted, pos = match.start(), match.end()  # a skipped token's own brackets still count
        if dollars % 2 or depth:
            continue  # inside inline math or inside brackets: `(64, 96, 3) (b)` has no problem 3
        labels = layout.labels_of(problem=problem) if problem is not None else ()
        current = layout.label_of(part_id=part)
        at = len(labels) if extra else (labels.index(current) if current in labels else -1)
        number = match.group("prob")
        if number is not None:
            target = int(number)
            if target not in order or target in started or (problem is not None and problem in order
                                                             and order.index(target) < order.index(problem)):
                continue
            target_labels = layout.labels_of(problem=target)
            after = _LABEL_AFTER_NUMBER.match(text, match.end())
            if after is not None and target_labels != (None,):
                value, form = _token_label(after)  # type: ignore[misc]
                position = _label_position(value=value, labels=target_labels, abjad=abjad)
                if position is None or position == _EXTRA or (position > 0 and form != "paren"):
                    continue
                cut = _Cut(label_start=match.start(), text_start=after.end(), problem=target,
                           part=layout.part_id(problem=target, label=target_labels[position]), value=value)
            elif target_labels == (None,) and after is None and (
                    problem is None and order[0] == target
                    or problem in order and order.index(problem) + 1 < len(order)
                    and order[order.index(problem) + 1] == target):
                cut = _Cut(label_start=match.start(), text_start=match.end(), problem=target,
                           part=layout.part_id(problem=target, label=None), value=number)
            else:
                continue
            cuts.append(cut)
            counted = pos = cut.text_start
            started.add(target)
            problem, part, extra = cut.problem, cut.part, False
            continue
        if problem is None or not labels or labels == (None,):
            continue
        value, form = _token_label(match)  # type: ignore[misc]
        position = _label_position(value=value, labels=labels, abjad=abjad)
        if position is None:
            continue
        if position == _EXTRA:
            if extra or (form != "paren" and at != len(labels) - 1):
                continue
            cuts.append(_Cut(label_start=match.start(), text_start=match.end(), problem=problem, part=None,
                             value=value))
            counted = pos
            part, extra = None, True
            continue
        if position == at + 1 or (form == "paren" and position > at >= 0 and "a" <= value <= "z"):
            part = layout.part_id(problem=problem, label=labels[position])
            cuts.append(_Cut(label_start=match.start(), text_start=match.end(), problem=problem, part=part,
                             value=value))
            counted = pos
            extra = False
    return cuts


def _dash_label_fits(*, value: str, kind: str, layout: AssignmentLayout, problem: int, current: str | None,
                     extra: bool, abjad: bool, seen: dict[str, list[Piece]]) -> bool:
    """A Latin letter written `b - …` is a label only as a later part of the problem than the current one, as an
    earlier part that has no text yet (answered out of order), or as the letter right after the problem's last
    part when that part is the current one (like an inline label): otherwise the dash is a minus and the line
    is math (`p - y`, `y - \\hat y` below a label)."""
    if kind != "latin":
        return True
    labels = layout.labels_of(problem=problem)
    position = _label_position(value=value, labels=labels, abjad=abjad)
    if position is None:
        return False
    current_label = next((p.label for p in layout.parts if p.part_id == current), None)
    at = len(labels) if extra else (labels.index(current_label) if current_label in labels else -1)
    if position == _EXTRA:
        return at == len(labels) - 1
    return position > at or layout.part_id(problem=problem, label=labels[position]) not in seen


def _ocr_label(*, line: str, layout: AssignmentLayout, problem: int, current: str | None, extra: bool,
               seen: Mapping[str, object], ocr_seen: bool, following: str | None) -> RawLabel | None:
    """`Cb)` / `cd)` / `(b)` mangled by OCR at the start of a line.

    It is a label when it names the next part; or when it names a later part of the current problem that has
    no text yet (the student skipped a part: `(c)` … `Ce)` with no (d)) and the page confirms the reading,
    either by its order (the next label of the problem below names a part after it: `(c)`, `Ce)`, `(f)`) or
    because a mangled label above was already read as one (this file's OCR turns `(` into `C`). A lone `cd)`
    after `(a)` is text."""
    match = _OCR_START.match(fold_digits(text=line[:40]))
    if match is None or extra:
        return None
    labels = layout.labels_of(problem=problem)
    current_label = layout.label_of(part_id=current)
    position = labels.index(current_label) + 1 if current_label in labels else 0
    value = match.group(1)
    raw = RawLabel(kind="latin", value=value, end=match.end())
    if position < len(labels) and labels[position] == value:
        return raw
    if value not in labels or labels.index(value) <= position:
        return None
    named = labels.index(value)
    if layout.part_id(problem=problem, label=value) in seen:
        return None
    after = following is not None and following in labels and labels.index(following) > named
    return raw if (after or ocr_seen) else None


def _names_other_part(*, line: str, layout: AssignmentLayout, problem: int, current: str) -> bool:
    """The line opens like a mangled label (`Ce)`) of another part of the problem, yet was not read as one."""
    match = _OCR_START.match(fold_digits(text=line[:40]))
    if match is None:
        return False
    part_id = layout.part_id(problem=problem, label=match.group(1))
    return part_id is not None and part_id != current


def _following_labels(*, lines: tuple[str, ...], parsed: list[LineLabels], headers: set[int]) -> list[str | None]:
    """Per line, the Latin letter of the next part label below it (`(f)`, or a mangled `Cf)`) before the next
    problem header; None when a header or the end comes first. One backward pass."""
    out: list[str | None] = [None] * len(lines)
    below: str | None = None
    for index in range(len(lines) - 1, -1, -1):
        out[index] = below
        if index in headers:
            below = None
            continue
        part = parsed[index].part
        if part is not None and part.kind == "latin" and not part.dash:
            below = part.value
        elif part is None and parsed[index].problem is None:
            match = _OCR_START.match(fold_digits(text=lines[index][:40]))
            if match is not None:
                below = match.group(1)
    return out


def _named_answer(*, b: _Builder, layout: AssignmentLayout, line: str, line_no: int, problem: int,
                  current: str | None, abjad: bool) -> bool:
    """`Ответ (б): 1820` below в): the line belongs to the part it names, wherever it stands.

    The label is blanked (same columns) so the line still reads as an `Answer:` marker."""
    match = _NAMED_ANSWER.match(fold_digits(text=line[:200]))
    if match is None:
        return False
    value = (match.group("paren") or match.group("bare")).lower()
    labels = layout.labels_of(problem=problem)
    position = _label_position(value=value, labels=labels, abjad=abjad)
    if position is None or position < 0:
        return False
    part_id = layout.part_id(problem=problem, label=labels[position])
    if part_id is None:
        return False
    group = "paren" if match.group("paren") else "bare"
    lo, hi = match.start(group), match.end(group)
    if group == "paren":
        lo, hi = line.rindex("(", 0, lo), line.index(")", hi) + 1
    elif hi < len(line) and line[hi] == ")":
        hi += 1
    b.add(part_id=part_id, piece=Piece(line=line_no, text=line[:lo] + " " * (hi - lo) + line[hi:]))
    b.mark(part_id=part_id, found="explicit")
    return True


def _latin_labels(*, parsed: list[LineLabels]) -> bool:
    """The file labels its parts with Latin letters (its Cyrillic labels are all look-alikes of Latin ones)."""
    kinds = [(x.part.kind, x.part.value) for x in parsed if x.part is not None]
    cyrillic = [value for kind, value in kinds if kind == "cyrillic"]
    return (any(kind == "latin" for kind, _ in kinds)
            and all(value in LATIN_LOOKALIKES or value.upper() in LATIN_LOOKALIKES for value in cyrillic))


def _has_lookalike(*, line: str, labels: LineLabels) -> bool:
    if labels.part is not None and labels.part.kind != "cyrillic":
        return False
    head = line[:400]
    return fold_lookalikes(text=head) != head


def _abjad_order(*, parsed: list[LineLabels]) -> bool:
    """Arabic-script letter labels in abjad order (الف ب ج د ه) rather than the Persian one (الف ب پ ت ث)."""
    used = {x.part.value for x in parsed if x.part is not None and x.part.kind == "persian"}
    return bool(used & _ABJAD_ONLY) and not used & _PERSIAN_ONLY


def _move_misplaced_markers(*, b: _Builder, layout: AssignmentLayout) -> None:
    """An unnamed `Answer:` line directly under the next part's label belongs to the part above it.

    Decided only when all of these hold, so an ordinary answer is never moved: the part above has pieces
    and no `Answer:` line of its own; in this part the marker comes before any math (only the label's
    heading prose is above it); and this part has another `Answer:` line of its own further down."""
    for problem in layout.problems():
        ids = [p.part_id for p in layout.parts if p.problem == problem]
        for above, here in zip(ids, ids[1:]):
            upper, pieces = b.pieces.get(above), b.pieces.get(here)
            if not upper or not pieces or upper[-1].line >= pieces[0].line:
                continue
            if any(MARKER.match(p.text.strip(" \t*_>")) for p in upper):
                continue
            markers = [k for k, p in enumerate(pieces) if MARKER.match(p.text.strip(" \t*_>"))]
            if len(markers) < 2 or any(_has_math(text=p.text) for p in pieces[:markers[0]]):
                continue
            upper.append(pieces.pop(markers[0]))


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
             number_mode: bool, order_pos: dict[int, int], abjad: bool = False,
             extra: bool = False) -> tuple[str | None, LabelFound | Literal["extra"]]:
    """The part a label names; ``"extra"`` for a letter past the problem's last part (`(f)` after (e))."""
    labels = layout.labels_of(problem=problem)
    if labels == (None,) or not labels:
        return None, "none"
    kind = raw.kind
    value = raw.value
    if kind == "number" and not number_mode:
        return None, "none"
    current_label = layout.label_of(part_id=current)
    if kind == "latin" and value in ("i", "v", "x") and value not in labels:
        kind = "roman"
    if kind == "latin" and value in labels:
        return layout.part_id(problem=problem, label=value), "explicit"
    if kind in ("latin", "cyrillic", "persian") and _label_position(value=value, labels=labels,
                                                                    abjad=abjad) == _EXTRA:
        return None, "extra"
    index = label_index(raw=value, kind=kind, abjad=abjad) if kind in ("roman", "cyrillic", "persian", "number") \
        else None
    if index is not None and 1 <= index <= len(labels):
        return layout.part_id(problem=problem, label=labels[index - 1]), "explicit"
    if kind in ("latin", "greek") or index is None:
        # unknown alphabet or a letter the layout lacks: the next part in order
        position = labels.index(current_label) + 1 if current_label in labels else order_pos.get(problem, 0)
        if extra:
            return None, "none"
        if position < len(labels):
            order_pos[problem] = position + 1
            return layout.part_id(problem=problem, label=labels[position]), "order"
    return None, "none"


def _place(*, b: _Builder, layout: AssignmentLayout, line: str, line_no: int, start: int, end: int,
           problem: int | None, part: str | None, cut: bool = False) -> None:
    text = line[start:end]
    if not text.strip(" \t*_#:.-—–{}[]") and (start > 0 or end < len(line) or cut):
        b.assigned_lines.add(line_no)
        if part is None and problem is not None:
            b.preamble.setdefault(problem, [])
        return
    if start > 0 and not cut:
        prefix = line[:start]
        opener = "$$" if "$$" in prefix else ("$" if "$" in prefix else "")
        text = opener + text
    if part is not None:
        b.add(part_id=part, piece=Piece(line=line_no, text=text))
    elif problem is not None and problem in set(layout.problems()):
        b.preamble.setdefault(problem, []).append(Piece(line=line_no, text=text))


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
        kept = tuple(pieces)
        found: LabelFound = b.found.get(part.part_id, "none") if kept else "none"
        parts[part.part_id] = PartSegment(part_id=part.part_id, pieces=kept, label_found=found,
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
