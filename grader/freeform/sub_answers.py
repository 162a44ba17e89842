"""Sub-answers with dotted ids (``2a.1``, ``2a.2)``, ``(2a.3)``): optional intermediate values a
problem may ask for, written on a line of their own that starts with the full id, anywhere in the
file (often above the part's own label), or as a heading of their own (``## 2a.1``, ``2a.1)`` alone on
its line) with the value on the next line. One linear pass over the lines with two patterns (a heading
looks at most LOOKAHEAD lines further)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from grader.freeform.labels import parse_line
from grader.text.characters import fold_digits

MAX_LINE = 2000
#: how many lines below a heading-form id its value may stand (a blank line between is common)
LOOKAHEAD = 3


@dataclass(frozen=True)
class SubAnswer:
    id_line: int  # 1-based line that names the sub-answer
    line: int  # 1-based line the value is on (the id's own line, or the one below a heading)
    text: str  # the text after the id, or the value line below a heading


def _alternatives(*, sub_ids: Sequence[str]) -> str:
    return "|".join(
        re.escape(head) + r"\s?\.\s?" + re.escape(tail)
        for head, tail in (sub_id.split(".", 1) for sub_id in sorted(sub_ids, key=len, reverse=True)))


def sub_answer_pattern(*, sub_ids: Sequence[str]) -> re.Pattern[str] | None:
    """A line that opens with one of the ids (``2a.1``, ``2a.1)``, ``(2a.1):``, ``**2a.1** =``) and goes on
    with something other than the id's own closing marks (``2a.1)`` alone on a line has no value)."""
    if not sub_ids:
        return None
    return re.compile(r"^[\s#*>_-]{0,8}\(?\s?(?P<id>" + _alternatives(sub_ids=sub_ids)
                      + r")(?![\d.,])\s?\)?[\s*]{0,3}[):.=]?\s*(?P<rest>[^\s):.=*].*)$", re.IGNORECASE)


def _heading_pattern(*, sub_ids: Sequence[str]) -> re.Pattern[str]:
    """A line that holds nothing but one of the ids: ``## 2a.1``, ``2a.1)``, ``**(2a.1):**``."""
    return re.compile(r"^[\s#*>_-]{0,8}\(?\s?(?P<id>" + _alternatives(sub_ids=sub_ids)
                      + r")(?![\d.,])\s?\)?[\s*]{0,3}[):.=]?[\s*]{0,3}$", re.IGNORECASE)


def _value_below(*, lines: Sequence[str], index: int, pattern: re.Pattern[str],
                 heading: re.Pattern[str]) -> int | None:
    """0-based index of the first non-blank line within LOOKAHEAD lines below ``index`` when it can be the
    heading's value: not another id, not a heading (``#``), a problem header or a part label."""
    for later in range(index + 1, min(len(lines), index + 1 + LOOKAHEAD)):
        line = lines[later][:MAX_LINE]
        if not line.strip():
            continue
        folded = fold_digits(text=line)
        if pattern.match(folded) or heading.match(folded) or line.lstrip().startswith("#"):
            return None
        labels = parse_line(line=line)
        if labels.part is not None or labels.strength in ("keyword", "heading") \
                or (labels.problem is not None and labels.strength == "bare" and labels.problem_end < len(line.rstrip())):
            return None  # `(b) 1820`, `Problem 3`, `3. …`: the next answer, not this one's value
        return later
    return None


@lru_cache(maxsize=64)
def _readers(sub_ids: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], Mapping[str, str]] | None:
    """The two patterns of these ids and each id by its spacing-free lower-case form; built once per assignment's
    ids (a file is read with the ids of its assignment: a few distinct tuples), not once per file."""
    pattern = sub_answer_pattern(sub_ids=sub_ids)
    if pattern is None:
        return None
    canonical = {re.sub(r"\s", "", sub_id).lower(): sub_id for sub_id in sub_ids}
    return pattern, _heading_pattern(sub_ids=sub_ids), MappingProxyType(canonical)


def find_sub_answer_spans(*, lines: Sequence[str], sub_ids: Sequence[str]) -> dict[str, SubAnswer]:
    """Sub-answer id -> where it is given and its text, for the first place giving each."""
    readers = _readers(tuple(sub_ids))
    if readers is None:
        return {}
    pattern, heading, canonical = readers
    found: dict[str, SubAnswer] = {}
    for index, line in enumerate(lines):
        if "." not in line[:40]:
            continue
        folded = fold_digits(text=line[:MAX_LINE])
        match = pattern.match(folded)
        if match is not None:
            sub_id = canonical.get(re.sub(r"\s", "", match.group("id")).lower())
            if sub_id is not None and sub_id not in found:
                found[sub_id] = SubAnswer(id_line=index + 1, line=index + 1, text=match.group("rest").strip())
        else:
            alone = heading.match(folded)
            sub_id = canonical.get(re.sub(r"\s", "", alone.group("id")).lower()) if alone else None
            if sub_id is not None and sub_id not in found:
                below = _value_below(lines=lines, index=index, pattern=pattern, heading=heading)
                if below is not None:
                    found[sub_id] = SubAnswer(id_line=index + 1, line=below + 1,
                                              text=fold_digits(text=lines[below][:MAX_LINE]).strip())
        if len(found) == len(canonical):
            break
    return found


def find_sub_answers(*, lines: Sequence[str], sub_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Sub-answer id -> (1-based line of the value, its text) for the first place giving each."""
    return {sub_id: (sub.line, sub.text) for sub_id, sub in find_sub_answer_spans(lines=lines, sub_ids=sub_ids).items()}
