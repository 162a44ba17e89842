"""Split a document's lines into per-part regions using problem headings and part labels.

A sweep over events: every accepted heading or label opens a region that runs to the next event.
Regions are column-exact, so `(a) 5 (b) 7` on one line gives two regions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from grader.extraction.labels import (
    Label, inline_labels, label_index, label_view, match_full_id, match_heading, match_start_label,
)
from grader.extraction.layout import AssignmentLayout, PartLayout

LabelFound = Literal["explicit", "order", "none"]
MAX_LINE_FOR_LABELS = 5000  # labels are looked for in the first characters of a line only
_MARKER_LINE = re.compile(
    r"^[ \t>*_#-]*(?:final answer|answer|ans\.?|ответ|итог|antwort|réponse|respuesta|پاسخ|جواب|答案)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Segment:
    line: int  # 0-based line index
    start: int
    end: int


@dataclass(frozen=True)
class PartRegion:
    part_id: str
    label_found: LabelFound
    segments: tuple[Segment, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Segmentation:
    regions: dict[str, PartRegion]
    unassigned: tuple[tuple[int, int], ...]  # 1-based inclusive line spans
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Event:
    line: int
    col: int
    target: str | None  # part id; None: text that belongs to no part
    how: LabelFound
    flags: tuple[str, ...] = ()
    label_col: int = 0  # where the label that opens the event begins (0: at the line's start)


@dataclass
class _Problem:
    number: int | None  # None: text outside any recognised problem
    first: int  # first line index (inclusive)
    col: int  # column where the problem's own text starts on its first line
    last: int = -1
    guessed: bool = False
    events: list[_Event] = field(default_factory=list)


def segment_document(*, lines: tuple[str, ...], layout: AssignmentLayout) -> Segmentation:
    folded = [label_view(line=line[:MAX_LINE_FOR_LABELS]) for line in lines]
    problems, full_events, warnings = _split_problems(lines=folded, layout=layout)
    events: list[_Event] = list(full_events)
    for problem in problems:
        events.extend(_problem_events(problem=problem, lines=folded, full=lines, layout=layout, warnings=warnings))
    events.sort(key=lambda e: (e.line, e.col))
    return _sweep(events=events, lines=lines, layout=layout, warnings=warnings)


def _split_problems(
    *, lines: list[str], layout: AssignmentLayout,
) -> tuple[list[_Problem], list[_Event], list[str]]:
    known = set(layout.problems())
    current: _Problem = _Problem(number=None, first=0, col=0)
    problems: list[_Problem] = [current]
    full_events: list[_Event] = []
    bare_style: str | None = None
    warnings: list[str] = []
    keyword_headings = _uses_keyword_headings(lines=lines, known=known)
    for index, line in enumerate(lines):
        full = match_full_id(line=line)
        if full is not None and layout.find(problem=full.problem, label=full.label) is not None:
            part = layout.find(problem=full.problem, label=full.label)
            current.last = index - 1
            current = _Problem(number=full.problem, first=index, col=full.rest)
            current.events.append(_Event(line=index, col=full.rest, target=part.part_id, how="explicit"))
            problems.append(current)
            full_events.append(_Event(line=index, col=full.rest, target=part.part_id, how="explicit", flags=("typed-id",)))
            continue
        heading = match_heading(line=line)
        if heading is None:
            continue
        if heading.kind == "number":
            if keyword_headings or heading.number not in known:
                continue
            if current.number is not None and heading.number <= current.number:
                continue
            if heading.style == ")" and _continues_steps(lines=lines, index=index, number=heading.number):
                continue
            if bare_style is not None and heading.style != bare_style and heading.style != "":
                continue
            if not _plausible_heading_rest(rest=line[heading.rest:]):
                continue
            if heading.style:
                bare_style = heading.style
        elif heading.number not in known:
            warnings.append(f"line {index + 1}: problem {heading.number} is not in this assignment")
            current.last = index - 1
            current = _Problem(number=-1 - heading.number, first=index, col=heading.rest)  # negative: not ours
            problems.append(current)
            continue
        current.last = index - 1
        current = _Problem(number=heading.number, first=index, col=heading.rest)
        problems.append(current)
    current.last = len(lines) - 1
    _guess_leading_problem(problems=problems, layout=layout, lines=lines)
    return problems, full_events, warnings


def _uses_keyword_headings(*, lines: list[str], known: set[int]) -> bool:
    """Documents headed `Problem 1`/`Задача 2`/`## 3` number derivation steps `1)`, `2.`: those are not problems."""
    for line in lines:
        heading = match_heading(line=line)
        if heading is not None and heading.kind != "number" and heading.number in known:
            return True
    return False


_STEP = re.compile(r"[ \t]*\(?(\d{1,2})[.)]")


def _continues_steps(*, lines: list[str], index: int, number: int) -> bool:
    """`3)` right after a `2)` step within the last lines is the next step of a derivation."""
    for back in range(index - 1, max(-1, index - 12), -1):
        m = _STEP.match(lines[back])
        if m is not None and int(m.group(1)) == number - 1:
            return True
    return False


def _plausible_heading_rest(*, rest: str) -> bool:
    """A bare `3.` heads a problem when nothing, a label or prose follows; `3) $x = 1$` is a step."""
    text = rest.strip(" \t*_")
    if not text:
        return True
    if match_start_label(line=text) is not None:
        return True
    return text[0].isalpha()


def _guess_leading_problem(*, problems: list[_Problem], layout: AssignmentLayout, lines: list[str]) -> None:
    """Text before the first heading answers the first problem when headings start later (flagged)."""
    lead = problems[0]
    order = layout.problems()
    if lead.number is not None or not order or lead.last < lead.first:
        return
    filled = [lines[i] for i in range(lead.first, lead.last + 1) if lines[i].strip()]
    if len(filled) < 2 or not any(ch in line for line in filled for ch in "=$\\"):
        return  # a title or a name, not an answer
    numbered = [p.number for p in problems[1:] if p.number is not None and p.number > 0]
    if numbered and numbered[0] > order[0] and order[0] not in numbered:
        lead.number = order[0]
        lead.guessed = True
    elif not numbered and len(problems) == 1 and len(order) == 1:
        lead.number = order[0]
        lead.guessed = True


def _problem_events(
    *, problem: _Problem, lines: list[str], full: tuple[str, ...], layout: AssignmentLayout, warnings: list[str],
) -> list[_Event]:
    if problem.events:  # opened by a full part id such as '1a)'
        return []
    if problem.number is None or problem.number < 0:
        return [_Event(line=problem.first, col=0, target=None, how="none")]
    parts = layout.parts_of(problem=problem.number)
    if not parts:
        return [_Event(line=problem.first, col=0, target=None, how="none")]
    how: LabelFound = "order" if problem.guessed else "explicit"
    base_flags = ("problem-guessed-from-position",) if problem.guessed else ()
    opening = _Event(line=problem.first, col=problem.col, target=None, how="none")
    if len(parts) == 1 and parts[0].label is None:
        return [_Event(line=problem.first, col=problem.col, target=parts[0].part_id, how=how, flags=base_flags)]
    labels = _collect_labels(problem=problem, lines=lines)
    chosen = _choose_labels(labels=labels, parts=parts)
    if not chosen:
        return [opening, *_order_fallback(problem=problem, lines=full, parts=parts, warnings=warnings)]
    events = [opening]
    for line_index, label, part, guessed, at_start in chosen:
        flags = base_flags + (("label-guessed-from-order",) if guessed else ())
        events.append(_Event(
            line=line_index, col=label.rest, target=part.part_id, how="order" if guessed else how, flags=flags,
            label_col=0 if at_start else label.start,
        ))
    return events


def _collect_labels(*, problem: _Problem, lines: list[str]) -> list[tuple[int, Label, bool]]:
    """(line, label, at_line_start) for every label-looking token in the problem's lines."""
    found: list[tuple[int, Label, bool]] = []
    for index in range(problem.first, problem.last + 1):
        start = problem.col if index == problem.first else 0
        line = lines[index]
        label = match_start_label(line=line, start=start) if start <= len(line) else None
        if label is not None:
            found.append((index, label, True))
            start = label.rest
        for inline in inline_labels(line=line, start=start):
            found.append((index, inline, False))
    return found


def _choose_labels(
    *, labels: list[tuple[int, Label, bool]], parts: tuple[PartLayout, ...],
) -> list[tuple[int, Label, PartLayout, bool, bool]]:
    """Keep the labels of the problem's own scheme and map them to parts; derivation steps stay text."""
    letters = {p.label: p for p in parts if p.label}
    n = len(parts)
    scheme = None
    for _, label, at_start in labels:
        if not at_start:
            continue
        if label.scheme == "number":
            continue
        if label.scheme == "latin" and label.key in ("i", "v", "x"):
            if label.key in letters and (label_index(scheme="latin", key=label.key) or 0) < n:
                scheme = "latin"
            else:
                scheme = "roman"
            break
        scheme = label.scheme
        break
    if scheme is None:
        numbers = [label for _, label, at_start in labels if at_start and label.scheme == "number"]
        keys = [int(label.key) for label in numbers]
        if n >= 2 and keys and keys == list(range(1, len(keys) + 1)) and len(keys) == n:
            scheme = "number"
        else:
            return []
    chosen: list[tuple[int, Label, PartLayout, bool, bool]] = []
    used: set[str] = set()
    order_position = 0
    for line_index, label, at_start in labels:
        own = label.scheme == scheme or (scheme == "roman" and label.scheme == "latin" and label.key in ("i", "v", "x"))
        if not own:
            continue
        if scheme == "other":
            index = order_position
            order_position += 1
            guessed = True
        else:
            key_scheme = "roman" if scheme == "roman" else scheme
            index = label_index(scheme=key_scheme, key=label.key)
            guessed = False
        if index is None:
            continue
        if scheme == "latin":
            part = letters.get(label.key)
        else:
            part = parts[index] if 0 <= index < n else None
        if part is None:
            continue
        if not at_start and (part.part_id in used or not _after_last(chosen=chosen, part=part, parts=parts)):
            continue  # an inline '(b)' counts only as the next part in order
        used.add(part.part_id)
        chosen.append((line_index, label, part, guessed, at_start))
    return chosen


def _after_last(*, chosen: list, part: PartLayout, parts: tuple[PartLayout, ...]) -> bool:
    if not chosen:
        return True
    return parts.index(part) > parts.index(chosen[-1][2])


def _order_fallback(
    *, problem: _Problem, lines: tuple[str, ...], parts: tuple[PartLayout, ...], warnings: list[str],
) -> list[_Event]:
    """No labels in a multi-part problem: each answer-marker line closes a part, in order (flagged)."""
    events: list[_Event] = []
    start_line, start_col = problem.first, problem.col
    flags = ("label-guessed-from-order",)
    position = 0
    for index in range(problem.first, problem.last + 1):
        if position >= len(parts):
            break
        if _MARKER_LINE.match(lines[index][:200]):
            events.append(_Event(line=start_line, col=start_col, target=parts[position].part_id, how="order", flags=flags))
            position += 1
            start_line, start_col = index + 1, 0
    if position == 0:
        has_text = bool(lines[problem.first][problem.col:].strip()) or any(
            lines[i].strip() for i in range(problem.first + 1, problem.last + 1)
        )
        if has_text:
            warnings.append(f"problem {problem.number}: parts are not labelled; its text is given to part {parts[0].part_id}")
            events.append(_Event(line=problem.first, col=problem.col, target=parts[0].part_id, how="order", flags=flags))
    elif start_line <= problem.last:
        events.append(_Event(line=start_line, col=start_col, target=None, how="none"))
    return events


def _sweep(
    *, events: list[_Event], lines: tuple[str, ...], layout: AssignmentLayout, warnings: list[str],
) -> Segmentation:
    explicit_targets = {e.target for e in events if e.target is not None and e.how == "explicit"}
    segments: dict[str, list[Segment]] = {}
    how: dict[str, LabelFound] = {}
    flags: dict[str, tuple[str, ...]] = {}
    covered = [False] * len(lines)
    for position, event in enumerate(events):
        if event.target is None or (event.target in explicit_targets and event.how != "explicit"):
            continue
        nxt = events[position + 1] if position + 1 < len(events) else None
        if nxt is None:
            end_line, end_col = len(lines) - 1, None
        elif nxt.label_col == 0 and nxt.line > event.line:
            end_line, end_col = nxt.line - 1, None
        else:
            end_line, end_col = nxt.line, nxt.label_col
        parts = segments.setdefault(event.target, [])
        how.setdefault(event.target, event.how)
        flags[event.target] = tuple(dict.fromkeys(flags.get(event.target, ()) + event.flags))
        for index in range(event.line, end_line + 1):
            line = lines[index]
            start = min(event.col, len(line)) if index == event.line else 0
            stop = end_col if (index == end_line and end_col is not None) else len(line)
            stop = max(start, min(stop, len(line)))
            parts.append(Segment(line=index, start=start, end=stop))
            covered[index] = True
    regions = {
        part_id: PartRegion(part_id=part_id, label_found=how[part_id], segments=tuple(segs), flags=flags[part_id])
        for part_id, segs in segments.items()
    }
    spans: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if covered[index] or not line.strip() or _heading_only(line=line):
            continue
        if spans and all(not lines[k].strip() or _heading_only(line=lines[k]) for k in range(spans[-1][1], index)):
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index + 1, index + 1))
    return Segmentation(regions=regions, unassigned=tuple(spans), warnings=tuple(warnings))


def _heading_only(*, line: str) -> bool:
    if len(line) > 200:
        return False
    folded = label_view(line=line)
    heading = match_heading(line=folded)
    return heading is not None and not folded[heading.rest:].strip(" \t*_#:.")
