"""Reading a document's lines before the walk: the labels at each line's start, which lines are problem
headers, and what the whole file says about its labelling (numbered parts, abjad order, the label below)."""

from __future__ import annotations

import re
from functools import lru_cache

from grader.text.characters import LATIN_LOOKALIKES, fold_digits, fold_lookalikes
from grader.freeform.labels import LineLabels, parse_line
from grader.freeform.label_reading import ocr_start
from grader.freeform.layout import AssignmentLayout

MAX_LINE_FOR_LABELS = 400
#: OCR's `l)` / `I.` for `1)` before a part label at the start of a line
_OCR_ONE = re.compile(r"\A([ \t>*_#\-]*)[lI](?=[.)][ \t]+\(?[a-zA-Z]\.?\))")  # anchored: linear on any line
#: OCR's `la)` / `lb.` for `1a)` / `1b.` at the start of a line (taken only when the assignment has that part)
_OCR_ONE_PART = re.compile(r"\A([ \t>*_#\-]*)[lI]([a-z])(?=[.)])")
_PERSIAN_ONLY = frozenset("پتث")  # letters of the Persian alphabetical order that abjad lacks
_ABJAD_ONLY = frozenset("جده")  # 3rd/4th/5th letters of the abjad order (6th, 10th, 31st in the Persian one)


#: a line that opens like either pattern: what one_for_l tests first, for all the lines of a document at once
#: (searched in the lines joined after a newline each: a pattern opening with a literal is scanned for fast)
_MAY_BE_ONE = re.compile(r"\n[ \t>*_#\-]*[lI]")


def ones_for_l(*, lines: tuple[str, ...], part_ids: set[str]) -> tuple[str, ...]:
    """:func:`one_for_l` of every line; the lines themselves when none opens with `l` or `I` (most files: one
    search of the joined lines, which hold no newline, instead of a test per line)."""
    if _MAY_BE_ONE.search("\n" + "\n".join(lines)) is None:
        return tuple(lines)  # (a tuple is itself)
    return tuple([one_for_l(line=line, part_ids=part_ids) for line in lines])


def one_for_l(*, line: str, part_ids: set[str]) -> str:
    """OCR's letter l (or I) for the digit 1 in a label at the start of a line: `l) (a)`, and `la)` when 1a is
    a part of the assignment."""
    if line.lstrip(" \t>*_#-")[:1] not in ("l", "I"):
        return line  # what both patterns need first (a blank line has nothing for them), tested without them
    line = _OCR_ONE.sub(r"\g<1>1", line, count=1)
    found = _OCR_ONE_PART.match(line)
    if found is not None and f"1{found.group(2)}" in part_ids:
        line = f"{found.group(1)}1{found.group(2)}{line[found.end():]}"
    return line


#: a blank line's labels (none): one shared value, LineLabels is frozen
NO_LABELS = LineLabels()


@lru_cache(maxsize=8192)
def _plain_labels(line: str) -> LineLabels:
    """parse_line of a line, its look-alikes as written: what every line is read as first. Keyed by the line
    alone (a cache keyed by one string takes it as its key; two arguments make a tuple to hash and compare)."""
    return parse_line(line=line)


@lru_cache(maxsize=2048)
def _lookalike_labels(line: str) -> LineLabels:
    """parse_line of a non-ASCII line of a file labelled in Latin letters, its look-alikes read as Latin."""
    return parse_line(line=line, lookalikes=True)


def labels_of(line: str, lookalikes: bool) -> LineLabels:
    """parse_line, read once per distinct line (headings and labels repeat across students): 8192 lines of
    at most MAX_LINE_FOR_LABELS characters are kept as written, 2048 with their look-alikes read (LineLabels
    is frozen, so sharing one is safe)."""
    if len(line) <= MAX_LINE_FOR_LABELS:
        return _lookalike_labels(line) if lookalikes else _plain_labels(line)
    return parse_line(line=line, lookalikes=lookalikes)


def read_labels(*, lines: tuple[str, ...]) -> list[LineLabels]:
    """The labels at the start of every line; a file labelled in Latin letters has its look-alike Cyrillic
    labels read as Latin ones (`2с)` with a Cyrillic с is 2c)."""
    # labels_of, inlined: once for every line; a blank one (what strip() leaves nothing of) has none
    parsed = [(_plain_labels(line) if len(line) <= MAX_LINE_FOR_LABELS else parse_line(line=line))
              if line and not line.isspace() else NO_LABELS for line in lines]
    if latin_labels(parsed=parsed):
        # the look-alikes are all Cyrillic: an ASCII line has none (has_lookalike, not called for it)
        parsed = [labels_of(line, True) if not line.isascii() and has_lookalike(line=line, labels=p) else p
                  for line, p in zip(lines, parsed)]
    return parsed


def latin_labels(*, parsed: list[LineLabels]) -> bool:
    """The file labels its parts with Latin letters (its Cyrillic labels are all look-alikes of Latin ones)."""
    latin = False
    for labels in parsed:
        part = labels.part
        if part is None:
            continue
        if part.kind == "latin":
            latin = True
        elif part.kind == "cyrillic" and part.value not in LATIN_LOOKALIKES \
                and part.value.upper() not in LATIN_LOOKALIKES:
            return False  # a Cyrillic label that is no look-alike: the file is lettered in Cyrillic
    return latin


def has_lookalike(*, line: str, labels: LineLabels) -> bool:
    if labels.part is not None and labels.part.kind != "cyrillic":
        return False
    head = line[:400]
    return fold_lookalikes(text=head) != head


def abjad_order(*, parsed: list[LineLabels]) -> bool:
    """Arabic-script letter labels in abjad order (الف ب ج د ه) rather than the Persian one (الف ب پ ت ث)."""
    used = {x.part.value for x in parsed if x.part is not None and x.part.kind == "persian"}
    return bool(used & _ABJAD_ONLY) and not used & _PERSIAN_ONLY


def _plausible_bare(*, parsed: list[LineLabels], index: int, lines: tuple[str, ...]) -> bool:
    """A number alone on a line (`2`, no `.`/`)`) is a header only if a part label follows it."""
    line = lines[index].strip(" \t*_#>")
    if not line.isdigit() and not fold_digits(text=line).isdigit():
        return True
    for later in range(index + 1, min(len(lines), index + 4)):
        if lines[later].strip():
            return parsed[later].part is not None
    return False


def choose_headers(*, parsed: list[LineLabels], problems: set[int], keyword_doc: bool,
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


def numbered_part_problems(*, parsed: list[LineLabels], headers: set[int], layout: AssignmentLayout) -> set[int]:
    """Problems whose parts the student numbered 1) 2) … instead of lettering them: from the problem's header
    on (the header's own part label counts, its number does not), no letter label, and numbers from 1 up to
    at most the problem's part count. One pass, tallying each problem's labels."""
    lettered: set[int] = set()
    numbers: dict[int, list[int]] = {}
    current: int | None = None
    for index, labels in enumerate(parsed):
        part, bare = labels.part, labels.bare_number
        if index in headers:
            current, bare = labels.problem, None
        if current is None:
            continue
        if part is not None:
            if part.kind == "number":
                numbers.setdefault(current, []).append(int(part.value))
            else:
                lettered.add(current)
        if bare is not None:
            numbers.setdefault(current, []).append(int(bare.value))
    chosen = set()
    for problem, found in numbers.items():
        count = len(layout.labels_of(problem=problem))
        if count >= 2 and problem not in lettered and 1 in found and max(found) <= count:
            chosen.add(problem)
    return chosen


def following_labels(*, lines: tuple[str, ...], parsed: list[LineLabels], headers: set[int]) -> list[str | None]:
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
            match = ocr_start(line=lines[index])
            if match is not None:
                below = match.group(1)
    return out
