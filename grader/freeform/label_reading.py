"""Deciding what a label at the start of a line names: which part (explicitly or by order), a label past the
problem's last part, an OCR-mangled label, an `Answer (b):` line, or lettering restarted for a lost header."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from grader.text.characters import fold_digits
from grader.freeform.labels import CYRILLIC, RawLabel, label_index
from grader.freeform.layout import AssignmentLayout
from grader.freeform.segment_assembly import Builder
from grader.freeform.segmentation import LabelFound, Piece

LABEL_LETTER = r"[a-zA-Z]|[а-яА-Я]|الف|[بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]"
#: OCR's `Cb)` / `cd)` / `(b)` misread at the start of a line (taken only when that letter is the next part)
OCR_START = re.compile(r"[ \t>*_#\-]*[Cc(]([a-z])\)")
#: `Answer (b): …` / `Ответ (в): …` / `Antwort b): …` / `پاسخ الف: …`: an answer line naming its part
_NAMED_ANSWER = re.compile(
    rf"[ \t>*_#\-]*(?:\*\*)?[ \t]*(?:final\s+answer|answer|ответ|antwort|ergebnis|réponse|respuesta|پاسخ|جواب)"
    rf"[ \t]+(?:\([ \t]*(?P<paren>{LABEL_LETTER})[ \t]*\)|(?P<bare>{LABEL_LETTER})\)?)[ \t]*(?:\*\*)?[ \t]*[:：]",
    re.IGNORECASE)
EXTRA = -2  # a label past the problem's last part (`(f)` when the problem ends at (e))


def ocr_start(*, line: str) -> re.Match[str] | None:
    """OCR_START at the start of the line (its first 40 characters, digits folded); every match ends in `)`,
    so a line without one there is not matched at all."""
    head = line[:40]
    return OCR_START.match(fold_digits(text=head)) if ")" in head else None


def label_position(*, value: str, labels: tuple[str | None, ...], abjad: bool) -> int | None:
    """0-based position of a label value among a problem's labels; EXTRA past the last; None: not a label."""
    if not labels or labels == (None,):
        return None
    if "a" <= value <= "z" and len(value) == 1:
        if value in labels:
            return labels.index(value)
        last = max(label for label in labels if label is not None)
        return EXTRA if len(last) == 1 and value > last else None
    kind = "cyrillic" if value in CYRILLIC else "persian"
    index = label_index(raw=value, kind=kind, abjad=abjad)  # type: ignore[arg-type]
    if index is None:
        return None
    return index - 1 if index <= len(labels) else (EXTRA if index == len(labels) + 1 else None)


def dash_label_fits(*, value: str, kind: str, layout: AssignmentLayout, problem: int, current: str | None,
                     extra: bool, abjad: bool, seen: dict[str, list[Piece]]) -> bool:
    """A Latin letter written `b - …` is a label only as a later part of the problem than the current one, as an
    earlier part that has no text yet (answered out of order), or as the letter right after the problem's last
    part when that part is the current one (like an inline label): otherwise the dash is a minus and the line
    is math (`p - y`, `y - \\hat y` below a label)."""
    if kind != "latin":
        return True
    labels = layout.labels_of(problem=problem)
    position = label_position(value=value, labels=labels, abjad=abjad)
    if position is None:
        return False
    current_label = next((p.label for p in layout.parts if p.part_id == current), None)
    at = len(labels) if extra else (labels.index(current_label) if current_label in labels else -1)
    if position == EXTRA:
        return at == len(labels) - 1
    return position > at or layout.part_id(problem=problem, label=labels[position]) not in seen


def ocr_label(*, line: str, layout: AssignmentLayout, problem: int, current: str | None, extra: bool,
               seen: Mapping[str, object], ocr_seen: bool, following: str | None) -> RawLabel | None:
    """`Cb)` / `cd)` / `(b)` mangled by OCR at the start of a line.

    It is a label when it names the next part; or when it names a later part of the current problem that has
    no text yet (the student skipped a part: `(c)` … `Ce)` with no (d)) and the page confirms the reading,
    either by its order (the next label of the problem below names a part after it: `(c)`, `Ce)`, `(f)`) or
    because a mangled label above was already read as one (this file's OCR turns `(` into `C`). A lone `cd)`
    after `(a)` is text."""
    match = ocr_start(line=line)
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


def other_part_named(*, line: str, layout: AssignmentLayout, problem: int, current: str) -> tuple[str, int] | None:
    """The line opens like a mangled label (`Ce)`) of another part of the problem, yet was not read as one:
    (that part's id, where the text after the label starts), else None."""
    match = ocr_start(line=line)
    if match is None:
        return None
    part_id = layout.part_id(problem=problem, label=match.group(1))
    return (part_id, match.end()) if part_id is not None and part_id != current else None



def may_name_answer(line: str) -> bool:
    """Whether :func:`named_answer` can take the line: every match ends in `:` or `：` within its first 200
    characters (a test the walk makes before the call, for most lines the only one)."""
    head = line[:200]
    return ":" in head or "：" in head


def named_answer(*, b: Builder, layout: AssignmentLayout, line: str, line_no: int, problem: int,
                  current: str | None, abjad: bool) -> bool:
    """`Ответ (б): 1820` below в): the line belongs to the part it names, wherever it stands.

    The label is blanked (same columns) so the line still reads as an `Answer:` marker."""
    if not may_name_answer(line):
        return False
    match = _NAMED_ANSWER.match(fold_digits(text=line[:200]))
    if match is None:
        return False
    value = (match.group("paren") or match.group("bare")).lower()
    labels = layout.labels_of(problem=problem)
    position = label_position(value=value, labels=labels, abjad=abjad)
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


def restarted_lettering(*, b: Builder, layout: AssignmentLayout, part_id: str,
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
    if any(part_id in b.pieces for part_id in layout.part_ids_of(problem=problem)):
        return None
    target = layout.part_id(problem=problem, label=this.label)
    return (problem, target) if target is not None else None


def resolve(*, raw: RawLabel, problem: int, layout: AssignmentLayout, current: str | None,
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
    if kind == "latin" and value in ("i", "v", "x") and value not in labels:
        kind = "roman"
    if kind == "latin" and value in labels:
        return layout.part_id(problem=problem, label=value), "explicit"
    if kind in ("latin", "cyrillic", "persian") and label_position(value=value, labels=labels,
                                                                    abjad=abjad) == EXTRA:
        return None, "extra"
    index = label_index(raw=value, kind=kind, abjad=abjad) if kind in ("roman", "cyrillic", "persian", "number") \
        else None
    if index is not None and 1 <= index <= len(labels):
        return layout.part_id(problem=problem, label=labels[index - 1]), "explicit"
    if kind in ("latin", "greek") or index is None:
        # unknown alphabet or a letter the layout lacks: the next part in order
        current_label = layout.label_of(part_id=current)
        position = labels.index(current_label) + 1 if current_label in labels else order_pos.get(problem, 0)
        if extra:
            return None, "none"
        if position < len(labels):
            order_pos[problem] = position + 1
            return layout.part_id(problem=problem, label=labels[position]), "order"
    return None, "none"
