"""What the structured answer types (``record``, ``table``) share: a view of the part for one
named value, finding labels and values in free text, and pairing them.

Everything here is linear in the (already size-limited) text: a fixed number of regular
expression scans without nested quantifiers over the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.mathtext import MAX_ANSWER_CHARS, clean_math_text
from grader.answers.registry import get_answer_type, known_answer_types
from grader.problems.models import Part, Tolerance

#: the types a record field or a table cell may have (one value each, found by the tokeniser below)
VALUE_TYPES = ("integer", "number", "shape")

_LETTER = r"[^\W\d_]"
_NUM = (r"(?:(?<![\w)\]])[-+])?(?<![^\W\d_])[0-9]+(?:[.,][0-9]+)*"
        r"(?:\s*[*×]\s*10\s*\^\s*\{?\s*[-+]?[0-9]{1,3}\s*\}?|[eE][-+]?[0-9]{1,3})?")
_PLAIN = r"[0-9]+(?:[.,][0-9]+)?"
_SHAPE = (rf"[(\[]\s*{_PLAIN}(?:\s*[,;×xX]\s*{_PLAIN}){{1,7}}\s*[)\]]"
          rf"|{_PLAIN}(?:\s*(?:×|\*|[xXхХ]|by)\s*{_PLAIN}){{1,7}}")
_SCALAR_TOKEN = re.compile(_NUM)
_SHAPE_TOKEN = re.compile(rf"{_SHAPE}|{_NUM}")
_THOUSANDS_SPACE = re.compile(r"(?<![\d.,])(\d{1,3}(?: \d{3})+)(?![\d.,])")
_SUBSCRIPT_BRACES = re.compile(r"([_^])\{([^{}]{0,40})\}")
MAX_TOKENS = 200
MAX_LABEL_HITS = 200


def sub_part(part: Part, *, type_name: str, tolerance: Tolerance | None) -> Part:
    """The part as seen by one field or column: its own type and tolerance, no misconceptions or examples."""
    return part.model_copy(update={"type": type_name, "tolerance": tolerance or part.tolerance,
                                   "misconceptions": (), "fields": (), "columns": (), "rows": (), "choices": ()})


def check_value_types(*, what: str, items: Sequence[Any]) -> list[str]:
    """Problems with the names and types of a record's fields or a table's columns."""
    problems: list[str] = []
    names = [item.name for item in items]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"the {what} name {name!r} is used twice")
    for item in items:
        if item.type not in known_answer_types():
            problems.append(f"{what} {item.name!r} has unknown type {item.type!r}; use one of: {', '.join(VALUE_TYPES)}")
        elif item.type not in VALUE_TYPES:
            problems.append(f"{what} {item.name!r} has type {item.type!r}, which cannot be a {what}; "
                            f"use one of: {', '.join(VALUE_TYPES)}")
    owners: dict[str, str] = {}
    for item in items:
        for label in {item.name.lower(), *(label.lower().strip() for label in item.labels)}:
            if label in owners and owners[label] != item.name:
                problems.append(f"the label {label!r} names both {what}s {owners[label]!r} and {item.name!r}")
            owners.setdefault(label, item.name)
    return problems


def coerce_value(*, type_name: str, value: Any, part: Part, what: str) -> Any:
    """One field's or cell's reference in its type's form, with the field named in the error."""
    try:
        return get_answer_type(type_name).reference_value(value=value, part=part)
    except ReferenceValueError as exc:
        raise ReferenceValueError(f"{what}: {exc}") from None


def prepare(text: str) -> str:
    """Clean OCR/LaTeX noise, keep ``C_{in}`` readable as ``C_in`` and join ``1 820``."""
    text = clean_math_text(text[:MAX_ANSWER_CHARS])
    text = _SUBSCRIPT_BRACES.sub(lambda m: m.group(1) + m.group(2).strip(), text)
    return _THOUSANDS_SPACE.sub(lambda m: m.group(1).replace(" ", ""), text)


def label_regex(label: str) -> str:
    """A label as a pattern: whole word for short labels, a word start (stem) for long ones."""
    label = " ".join(label.lower().split())
    body = re.escape(label).replace(r"\ ", r"\s+")
    start = rf"(?<!{_LETTER})" if re.match(_LETTER, label) else ""
    letters = re.fullmatch(rf"{_LETTER}+", label) is not None
    if letters and len(label) >= 6:  # a stem: входных / входной, Eingang / Eingangskanäle
        return start + re.escape(label[:max(4, len(label) - 2)]) + rf"{_LETTER}*"
    if letters and len(label) >= 4:
        return start + body + rf"{_LETTER}*"
    end = rf"(?!{_LETTER})" if re.search(rf"{_LETTER}$", label) else ""
    return start + body + end


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    key: str


def find_labels(text: str, labels: Mapping[str, Sequence[str]]) -> list[Hit]:
    """Non-overlapping occurrences of each key's labels (longest first where they overlap), in text order."""
    hits: list[Hit] = []
    for key, words in labels.items():
        for word in {key, *words}:
            if not word.strip():
                continue
            for match in re.finditer(label_regex(word), text, re.IGNORECASE):
                hits.append(Hit(match.start(), match.end(), key))
                if len(hits) > MAX_LABEL_HITS:
                    break
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[Hit] = []
    for hit in hits:
        if chosen and hit.start < chosen[-1].end:
            continue
        chosen.append(hit)
    return chosen


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def value_tokens(text: str, *, shapes: bool, skip: Sequence[Hit] = ()) -> list[Token]:
    """Values written in the text (numbers; sizes like ``26x26x10`` when ``shapes``), not indices like ``k_1``."""
    pattern = _SHAPE_TOKEN if shapes else _SCALAR_TOKEN
    out: list[Token] = []
    for match in pattern.finditer(text):
        if match.start() > 0 and text[match.start() - 1] in "_^":
            continue
        if any(h.start <= match.start() < h.end for h in skip):
            continue
        out.append(Token(match.start(), match.end(), match.group(0).strip()))
        if len(out) >= MAX_TOKENS:
            break
    return out


@dataclass
class Pairing:
    """Which value text belongs to which key, and how that was decided."""

    values: dict[str, str] = field(default_factory=dict)
    by_order: list[str] = field(default_factory=list)
    named: bool = False
    notes: list[str] = field(default_factory=list)
    #: another complete reading by names that disagrees with ``values``
    alternative: dict[str, str] | None = None
    tokens: int = 0


def _label_first(text: str, hits: list[Hit], tokens: list[Token]) -> dict[str, int]:
    found: dict[str, int] = {}
    for k, hit in enumerate(hits):
        stop = hits[k + 1].start if k + 1 < len(hits) else len(text)
        segment = text[hit.end:stop]
        eq = max(segment.rfind("="), segment.rfind("≈"))
        begin = hit.end + eq + 1 if eq >= 0 else hit.end
        inside = [i for i, t in enumerate(tokens) if begin <= t.start and t.end <= stop]
        if inside:
            found[hit.key] = inside[0]
    return found


def _value_first(hits: list[Hit], tokens: list[Token]) -> dict[str, int]:
    found: dict[str, int] = {}
    for k, hit in enumerate(hits):
        begin = hits[k - 1].end if k else 0
        inside = [i for i, t in enumerate(tokens) if begin <= t.start and t.end <= hit.start]
        if inside:
            found[hit.key] = inside[-1]
    return found


def pair_values(text: str, *, keys: Sequence[str], labels: Mapping[str, Sequence[str]], shapes: bool) -> Pairing:
    """Pair labels with values (``in: 10``, ``10 input channels``), then fill unnamed keys by order."""
    hits = find_labels(text, labels)
    tokens = value_tokens(text, shapes=shapes, skip=hits)
    pairing = Pairing(tokens=len(tokens))
    chosen: dict[str, int] = {}
    if hits and tokens:
        after, before = _label_first(text, hits, tokens), _value_first(hits, tokens)
        value_first = tokens[0].start < hits[0].start
        if value_first:
            chosen, other = (before, after) if len(before) >= len(after) else (after, before)
        else:
            chosen, other = (after, before) if len(after) >= len(before) else (before, after)
        named_keys = {h.key for h in hits}
        if (len(other) == len(chosen) == len(named_keys) and
                {k: tokens[i].text for k, i in other.items()} != {k: tokens[i].text for k, i in chosen.items()}):
            pairing.alternative = {k: tokens[i].text for k, i in other.items()}
            pairing.notes.append("the labels can be paired with the values in two ways "
                                 "(label before or after its value); the readings disagree")
        repeated = [h.key for h in hits]
        if any(repeated.count(k) > 1 for k in chosen):
            pairing.notes.append("a value is named more than once; the first pairing was used")
        pairing.named = bool(chosen)
    used = set(chosen.values())
    pairing.values = {k: tokens[i].text for k, i in chosen.items()}
    leftover = [t for i, t in enumerate(tokens) if i not in used]
    missing = [k for k in keys if k not in pairing.values]
    if missing and leftover and (not pairing.named or len(leftover) <= len(missing)):
        if not pairing.named and len(leftover) != len(keys):
            return pairing  # unnamed values that do not match the keys one to one: the caller decides
        for key, token in zip(missing, leftover):
            pairing.values[key] = token.text
            pairing.by_order.append(key)
    return pairing


@dataclass(frozen=True)
class Cell:
    """One read value with the answer type that read it (so value_of needs no part)."""

    type: str
    parsed: Parsed

    @property
    def shown(self) -> str:
        return self.parsed.shown

    def plain(self) -> Any:
        return get_answer_type(self.type).value_of(parsed=self.parsed)


def delegate_parse(*, type_name: str, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
    return get_answer_type(type_name).parse(text=text, part=part, reference=reference)


def delegate_check(*, cell: Cell | None, reference: Any, part: Part, seed: int) -> Check | None:
    """The field's check, or None when the value is missing or the field type could not compare it."""
    if cell is None:
        return None
    try:
        return get_answer_type(cell.type).check(parsed=cell.parsed, reference=reference, part=part, seed=seed)
    except (TypeError, ValueError, AttributeError):
        return None
