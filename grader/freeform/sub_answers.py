"""Sub-answers with dotted ids (``2a.1``, ``2a.2)``, ``(2a.3)``): optional intermediate values a
problem may ask for, written on a line of their own that starts with the full id, anywhere in the
file (often above the part's own label). One linear pass over the lines with one pattern."""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.text.characters import fold_digits

MAX_LINE = 2000


def sub_answer_pattern(*, sub_ids: Sequence[str]) -> re.Pattern[str] | None:
    """A line that opens with one of the ids (``2a.1``, ``2a.1)``, ``(2a.1):``, ``**2a.1** =``) and goes on."""
    if not sub_ids:
        return None
    alternatives = "|".join(
        re.escape(head) + r"\s?\.\s?" + re.escape(tail)
        for head, tail in (sub_id.split(".", 1) for sub_id in sorted(sub_ids, key=len, reverse=True)))
    return re.compile(r"^[\s#*>_-]{0,8}\(?\s?(?P<id>" + alternatives + r")(?![\d.,])\s?\)?[\s*]{0,3}[):.=]?\s*(?P<rest>\S.*)$",
                      re.IGNORECASE)


def find_sub_answers(*, lines: Sequence[str], sub_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Sub-answer id -> (1-based line, the text after the id) for the first line giving each."""
    pattern = sub_answer_pattern(sub_ids=sub_ids)
    if pattern is None:
        return {}
    canonical = {re.sub(r"\s", "", sub_id).lower(): sub_id for sub_id in sub_ids}
    found: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines, start=1):
        if "." not in line[:40]:
            continue
        match = pattern.match(fold_digits(text=line[:MAX_LINE]))
        if match is None:
            continue
        sub_id = canonical.get(re.sub(r"\s", "", match.group("id")).lower())
        if sub_id is not None and sub_id not in found:
            found[sub_id] = (number, match.group("rest").strip())
        if len(found) == len(canonical):
            break
    return found
