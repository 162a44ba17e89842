"""Labels inside a line (`… (b) …`, `… 2. (a) …`): where a line's text passes to another part or problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from grader.text.characters import fold_digits
from grader.freeform.label_reading import EXTRA, LABEL_LETTER, label_position
from grader.freeform.layout import AssignmentLayout

MAX_LINE_FOR_INLINE = 20_000  # longer lines are not scanned for labels inside them (hostile input)

#: a label inside a line: `(b)`, `(e).`, `b)`, `a.)`, OCR's `Cb)`/`cd)` for `(b)`/`(d)`, or a problem number
#: `2.`/`2)`; each is a label only where the assignment's sequence of part ids allows it (see inline_cuts)
_INLINE_TOKEN = re.compile(
    rf"(?<!\S)(?:(?P<prob>\d{{1,2}})[.)]"
    rf"|\([ \t]*(?P<paren>{LABEL_LETTER})[ \t]*\)\.?"
    rf"|[Cc](?P<ocr>[a-z])\)"
    rf"|(?P<close>{LABEL_LETTER})\.?\))(?=\s|$)")
_LABEL_AFTER_NUMBER = re.compile(
    rf"[ \t]+(?:\([ \t]*(?P<paren>{LABEL_LETTER})[ \t]*\)\.?|[Cc](?P<ocr>[a-z])\)"
    rf"|(?P<close>{LABEL_LETTER})\.?\))(?=\s|$)")


@dataclass(frozen=True)
class Cut:
    label_start: int
    text_start: int
    problem: int
    part: str | None  # None: a label the problem does not have (its text stays unassigned)
    value: str
    past_last: bool = False  # a label past the problem's last part: the text after it is unassigned


#: words after a problem number (two of them, the first of three letters or more): an answer in prose; every
#: repeat bounded, so a match costs the same on any line
_PROSE_AFTER = re.compile(r"\s{1,8}[^\W\d_]{3}[\w'’-]{0,60}[,;:]?\s{1,8}[^\W\d_]")


def _token_label(match: re.Match[str]) -> tuple[str, str] | None:
    """(value, form) of a part-label token; form is 'paren', 'ocr' or 'close'."""
    for form in ("paren", "ocr", "close"):
        value = match.group(form)
        if value:
            return value.lower(), form
    return None


def may_cut(line: str, start: int) -> bool:
    """Whether :func:`inline_cuts` can find a label in the line after ``start`` (a test the walk makes before
    the call): every token holds a `)` or a `.`, and a line longer than MAX_LINE_FOR_INLINE is not scanned."""
    return len(line) <= MAX_LINE_FOR_INLINE and start < len(line) and (
        line.find(")", start) >= 0 or line.find(".", start) >= 0)


def inline_cuts(*, line: str, start: int, layout: AssignmentLayout, problem: int | None, part: str | None,
                extra: bool, started: set[int], abjad: bool) -> list[Cut]:
    """Labels inside a line after `start`, in order, that the assignment's sequence of part ids allows.

    A part label counts only as the problem's next part (`(b)` after `(a)`; OCR forms like `Cb)` only then),
    or, written `(x)`, as a later part when parts are skipped, or as a label past the problem's last part
    (split off, its text unassigned). A problem number `N.`/`N)` counts only for a problem of the assignment
    that has not started yet and comes after the current one, followed by that problem's label (or, for a
    one-part problem, when it is the next problem). `2.5`, `(3, 1)`, `(b - a)` and anything inside `$…$` or
    inside unclosed brackets never match. One pass over the line."""
    if not may_cut(line, start):
        return []
    return cuts_after(line=line, start=start, layout=layout, problem=problem, part=part, extra=extra,
                      started=started, abjad=abjad)


def cuts_after(*, line: str, start: int, layout: AssignmentLayout, problem: int | None, part: str | None,
               extra: bool, started: set[int], abjad: bool) -> list[Cut]:
    """:func:`inline_cuts` of a line :func:`may_cut` already said yes to (the walk tests it first)."""
    text, tokens = _scan(line, start) if len(line) <= MAX_CACHED_LINE else _tokens(line, start)
    if not tokens:
        return []  # most lines: no token at all, whatever the walk's state
    order = layout.problems()
    cuts: list[Cut] = []
    pos = counted = start
    dollars = depth = 0
    for match in tokens:
        if match.start() < pos:
            continue  # the label after a problem number the cut took (`2. (a)`): searching from pos skips it
        chunk = text[counted:match.start()]
        dollars += chunk.count("$")
        depth = max(0, depth + chunk.count("(") + chunk.count("[") - chunk.count(")") - chunk.count("]"))
        counted, pos = match.start(), match.end()  # a skipped token's own brackets still count
        if dollars % 2 or depth:
            continue  # inside inline math or inside brackets: `(64, 96, 3) (b)` has no problem 3
        if match.group("prob") is not None:
            cut = _problem_cut(match=match, text=text, layout=layout, order=order, problem=problem,
                               started=started, abjad=abjad)
            if cut is None:
                continue
            counted = pos = cut.text_start
            started.add(cut.problem)
        else:
            cut = _part_cut(match=match, layout=layout, problem=problem, part=part, extra=extra, abjad=abjad)
            if cut is None:
                continue
            counted = pos
        cuts.append(cut)
        problem, part, extra = cut.problem, cut.part, cut.past_last
    return cuts


def _tokens(line: str, start: int) -> tuple[str, tuple[re.Match[str], ...]]:
    """The line with its digits folded and the _INLINE_TOKEN matches in it from ``start``, each searched for
    from the end of the one before: what :func:`inline_cuts` meets searching from each token's end. A cut
    after a problem number goes on from the end of the label after it (`2. (a)`), which is the end of the
    token found there (the same three label forms, the same order, after blanks no token starts in)."""
    text = fold_digits(text=line)
    found = []
    pos = start
    while (match := _INLINE_TOKEN.search(text, pos)) is not None:
        found.append(match)
        pos = match.end()
    return text, tuple(found)


#: a line's tokens are found once per distinct line and start (lines repeat across students, and most have
#: none): CACHE_SIZE lines of at most MAX_CACHED_LINE characters, longer ones are scanned every time
MAX_CACHED_LINE = 500
CACHE_SIZE = 8192
_scan = lru_cache(maxsize=CACHE_SIZE)(_tokens)


def _problem_cut(*, match: re.Match[str], text: str, layout: AssignmentLayout, order: tuple[int, ...],
                 problem: int | None, started: set[int], abjad: bool) -> Cut | None:
    """A problem number `N.`/`N)` inside a line: a cut only for a later problem that has not started, followed
    by one of its labels (`2. (a)`), or, for a one-part problem, when it is the next problem."""
    number = match.group("prob")
    target = int(number)
    if target not in order or target in started or (problem is not None and problem in order
                                                     and order.index(target) < order.index(problem)):
        return None
    target_labels = layout.labels_of(problem=target)
    after = _LABEL_AFTER_NUMBER.match(text, match.end())
    if after is not None and target_labels != (None,):
        value, form = _token_label(after)  # type: ignore[misc]
        position = label_position(value=value, labels=target_labels, abjad=abjad)
        if position is None or position == EXTRA or (position > 0 and form != "paren"):
            return None
        return Cut(label_start=match.start(), text_start=after.end(), problem=target,
                   part=layout.part_id(problem=target, label=target_labels[position]), value=value)
    if target_labels == (None,) and after is None and (
            problem is None and order[0] == target
            or problem in order and order.index(problem) + 1 < len(order)
            and order[order.index(problem) + 1] == target
            or _skipped_to_prose(text=text, end=match.end(), order=order, problem=problem, target=target,
                                 started=started)):
        return Cut(label_start=match.start(), text_start=match.end(), problem=target,
                   part=layout.part_id(problem=target, label=None), value=number)
    return None


def _skipped_to_prose(*, text: str, end: int, order: tuple[int, ...], problem: int | None, target: int,
                      started: set[int]) -> bool:
    """`… (n) 0.45 6. Die Ableitung von ReLU …`: a one-part problem after problems the student skipped (none of
    them started), its number followed by words, not by a value: the answer of that problem, not of the part
    before it (which would otherwise swallow it, and the problem get no answer)."""
    if problem not in order or order.index(target) <= order.index(problem) + 1:
        return False
    skipped = order[order.index(problem) + 1:order.index(target)]
    return not any(p in started for p in skipped) and _PROSE_AFTER.match(text, end) is not None


def _part_cut(*, match: re.Match[str], layout: AssignmentLayout, problem: int | None, part: str | None,
              extra: bool, abjad: bool) -> Cut | None:
    """A part label inside a line: the problem's next part, a later part written `(x)` (parts skipped), or
    the label past the problem's last part when that part is the current one."""
    if problem is None:
        return None
    labels = layout.labels_of(problem=problem)
    if not labels or labels == (None,):
        return None
    value, form = _token_label(match)  # type: ignore[misc]
    position = label_position(value=value, labels=labels, abjad=abjad)
    if position is None:
        return None
    current = layout.label_of(part_id=part)
    at = len(labels) if extra else (labels.index(current) if current in labels else -1)
    if position == EXTRA:
        if extra or (form != "paren" and at != len(labels) - 1):
            return None
        return Cut(label_start=match.start(), text_start=match.end(), problem=problem, part=None, value=value,
                   past_last=True)
    if position == at + 1 or (form == "paren" and position > at >= 0 and "a" <= value <= "z"):
        return Cut(label_start=match.start(), text_start=match.end(), problem=problem,
                   part=layout.part_id(problem=problem, label=labels[position]), value=value)
    return None
