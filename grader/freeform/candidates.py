"""Answer candidates inside one part's text, strongest first."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from grader.freeform.records import record
from grader.freeform.cases import LOOKBACK, SAME, cases_candidate
from grader.freeform.evidence import MARKER, MAX_CANDIDATE_CHARS, MAX_MARKERS, STRENGTH, Source
from grader.submissions.inputs import MAX_CANDIDATES, Candidate
from grader.text.characters import fold_answer
from grader.text.math_in_prose import boxed, dollar_segments, last_math, pick_math, prose_ratio
from grader.text.wrappers import SIZE_COMMANDS, after_arrow, clean_answer, rhs, strip_wrappers
from grader.freeform.segment import Piece
from grader.freeform.units import Unit, quote_of, units_of

#: a part the student marks as not answered: `skipped`, `(skipped, see (c))`, `skipped, see` (its label split off),
#: `не решено`, `—`
NON_ANSWER = re.compile(
    r"[\s*_`>#.:()\[\]-]{0,12}(?:(?:skipped|skip|not\s+(?:solved|done|answered|attempted)|no\s+answer|n\s?/\s?a|n\.a\.|todo|tbd"
    r"|не\s+решен[оа]?|не\s+решил[аи]?|не\s+сделан[оа]?|пропущен[оа]?|пропуск|нет\s+ответа|нет\s+решения"
    r"|übersprungen|nicht\s+(?:gelöst|bearbeitet)|keine\s+(?:antwort|lösung)|ausgelassen"
    r"|حل\s+نشد[هی]?|بدون\s+پاسخ|پاسخ\s+ندارم|نزدم)(?![^\W\d_])"
    r"(?:\s{0,3}[,;.(—–-]?\s{0,3}(?:see|siehe|voir|см\.?|смотри|ببینید)(?:\s{1,3}[^\n]{0,30})?)?|[—–-]{1,3}|\?{1,3}|/)"
    r"[\s*_`.:()\[\]!]{0,12}", re.IGNORECASE)


def is_non_answer(*, text: str) -> bool:
    """The whole part says it was not answered (so it has no answer rather than an unreadable one)."""
    text = text.strip()
    return len(text) <= 120 and NON_ANSWER.fullmatch(text) is not None


#: a statement's variants, and the value the last-`=` and last-value readers take from it, are computed once
#: per text: OCR'd homework repeats statements across students and the readers meet the same statement
#: several times per part. Each cache holds at most CACHE_SIZE texts of at most MAX_CACHED_TEXT characters,
#: with what is taken from them (a few texts no longer than it): at worst ~4096 × 2.5 kB ≈ 10 MB a cache.
#: Longer texts are computed every time, so hostile sizes stay out of memory. On the generated corpora a
#: part's text is 22 characters at the median and 162 at the 99th percentile.
MAX_CACHED_TEXT = 500
CACHE_SIZE = 4096


def _cached(function):
    """``function`` of one text, memoised (``CACHE_SIZE`` entries) for texts of at most ``MAX_CACHED_TEXT``."""
    memo = lru_cache(maxsize=CACHE_SIZE)(function)

    def call(text: str, *args):
        return memo(text, *args) if len(text) <= MAX_CACHED_TEXT else function(text, *args)

    call.cache_info, call.cache_clear = memo.cache_info, memo.cache_clear  # type: ignore[attr-defined]
    return call


#: parts kept at most, each with its pieces totalling at most MAX_CACHED_TEXT characters (see find_candidates);
#: a part keeps at most MAX_CANDIDATES candidates, each with a text and a quote no longer than the part
PART_CACHE_SIZE = 2048


def find_candidates(*, pieces: tuple[Piece, ...], single_ok: bool,
                    whole: bool = False) -> tuple[list[Candidate], dict[str, object]]:
    """Candidates strongest first, plus facts for confidence (markers seen, conflicts).

    ``whole``: the part's answer type reads a whole answer (several values, a table, a chosen
    option), so the longest form of the last marked answer, then the whole block, come first.

    Students write the same answer the same way (`Answer: 0.25` on one line), so a part is read once per
    distinct text and spacing of its lines: the candidates depend on the line numbers only by an offset,
    and are found for the lines counted from the part's first one, then moved to where the part is."""
    shape: tuple[tuple[int, str], ...]
    if len(pieces) == 1 and len(pieces[0].text) <= MAX_CACHED_TEXT:  # most parts: one line, read directly
        offset, shape = pieces[0].line - 1, ((1, pieces[0].text),)
    elif not pieces or sum(len(piece.text) for piece in pieces) > MAX_CACHED_TEXT:
        return _find_candidates(pieces=pieces, single_ok=single_ok, whole=whole)
    else:
        offset = pieces[0].line - 1
        shape = tuple([(piece.line - offset, piece.text) for piece in pieces])
    candidates, facts = _part_candidates(shape, single_ok, whole)
    if not offset:
        return list(candidates), dict(facts)
    return list(shifted(candidates, offset)), dict(facts)


@lru_cache(maxsize=PART_CACHE_SIZE)
def _part_candidates(shape: tuple[tuple[int, str], ...], single_ok: bool,
                     whole: bool) -> tuple[tuple[Candidate, ...], dict[str, object]]:
    """:func:`_find_candidates` of the pieces (line, text) in ``shape``; the caller copies the facts."""
    pieces = tuple([record(Piece, line=line, text=text) for line, text in shape])
    candidates, facts = _find_candidates(pieces=pieces, single_ok=single_ok, whole=whole)
    return tuple(candidates), facts


def shifted(candidates: tuple[Candidate, ...], by: int) -> tuple[Candidate, ...]:
    """The candidates with their lines ``by`` further down (moved on every cache hit, ~40 a file)."""
    return tuple([_moved(c, by) for c in candidates])


def _moved(candidate: Candidate, by: int) -> Candidate:
    """``records.moved(candidate, line_start=…, line_end=…)`` written out: the new instance's own dict filled from
    the candidate's, then its two lines set (no keyword dict to build and merge, no call: this runs for every
    candidate of every part read from the cache, and costs about half as much)."""
    made = _new(Candidate)
    fields = made.__dict__
    fields.update(candidate.__dict__)
    start, end = fields["line_start"], fields["line_end"]
    if start is not None:
        fields["line_start"] = start + by
    if end is not None:
        fields["line_end"] = end + by
    return made


_new = object.__new__  # (Candidate fits grader.freeform.records: a frozen dataclass whose fields are its dict)


def _find_candidates(*, pieces: tuple[Piece, ...], single_ok: bool,
                     whole: bool) -> tuple[list[Candidate], dict[str, object]]:
    units = units_of(pieces=pieces)
    out: list[Candidate] = []
    facts: dict[str, object] = {"conflict": False, "cases": False}
    if not units:
        return [], facts
    if len(units) <= 3 and is_non_answer(text=" ".join(u.text for u in units)):
        facts["non_answer"] = True
        return [], facts
    markers, primaries = _marker_candidates(units=units)
    cases = cases_candidate(units=units)
    if cases is not None:
        facts["cases"] = True
        out.append(cases)
    out += markers
    boxes = _boxed_candidates(units=units)
    box_primaries = {_WHITESPACE.sub("", c.text) for c in boxes if c.strength >= STRENGTH["boxed"] - 0.005}
    out += boxes
    if cases is None and (len(primaries) > 1 or len(box_primaries) > 1):
        facts["conflict"] = True
    arrow = _arrow_candidates(units=units)
    if single_ok and len(units) == 1 and not markers and not boxes and not arrow and cases is None:
        out += _variants(unit=units[0], raw=units[0].text, source="structured")
    out += arrow
    out += _rhs_candidates(units=units)
    out += _last_value_candidates(units=units)
    block = _block(units=units)
    if _ALNUM.search(block.text) is not None:
        out.append(block)
    out.sort(key=lambda c: -c.strength)
    if whole:
        out = _whole_first(candidates=out, markers=markers)
    return _dedupe(candidates=out), facts


def _whole_first(*, candidates: list[Candidate], markers: list[Candidate]) -> list[Candidate]:
    """The whole last marked answer and the whole block ahead of the values cut out of them."""
    first: list[Candidate] = []
    if markers:
        last = [c for c in markers if c.line_start == markers[0].line_start]
        first.append(max(last, key=lambda c: len(c.text)))
    first += [c for c in candidates if c.source == "block"]
    return first + [c for c in candidates if c not in first]


def _clean(text: str, prose: bool = False) -> str:
    if prose:
        return fold_answer(text=text).strip().lstrip(":.-—–*#").strip()[:MAX_CANDIDATE_CHARS]
    return clean_answer(text=fold_answer(text=text), limit=MAX_CANDIDATE_CHARS)


def _make(*, text: str, unit: Unit, source: Source, bonus: float = 0.0, end_unit: Unit | None = None) -> Candidate:
    """The candidate of an already cleaned, non-empty ``text`` found in ``unit`` (to ``end_unit``)."""
    end = end_unit or unit
    quote = quote_of(unit=unit) if end is unit else (unit.text.strip() + "\n" + end.text.strip())[:MAX_CANDIDATE_CHARS]
    return record(Candidate, text=text, source=source, line_start=unit.line_start, line_end=end.line_end,
                  quote=quote, values_on_line=None, strength=round(STRENGTH[source] + bonus, 3))


def _variants(*, unit: Unit, raw: str, source: Source, end_unit: Unit | None = None) -> list[Candidate]:
    """RHS of the last `=` first (the form written, unevaluated), then the whole expression; prose trimmed."""
    return [_make(text=text, unit=unit, source=source, bonus=bonus, end_unit=end_unit)
            for text, bonus in _variant_texts(raw, source in ("marker", "boxed"))]


@_cached
def _variant_texts(raw: str, first: bool) -> tuple[tuple[str, float], ...]:
    """The cleaned texts of :func:`_variants` with their bonuses, empty ones left out."""
    segments = dollar_segments(text=raw)
    body = strip_wrappers(text=raw)
    ratio = prose_ratio(text=body)
    if segments and (len(segments) > 1 or ratio > 0.05):
        math = pick_math(text=raw, first=first)  # `$…$` groups count as single math tokens
    else:
        math = pick_math(text=body, first=first) if ratio > 0.05 else body
    math = strip_wrappers(text=math)
    tail = after_arrow(text=math) if math else None
    if tail is not None and strip_wrappers(text=tail):
        math = strip_wrappers(text=tail)
    found: list[tuple[str, float]] = []
    prose_first = ratio > 0.85 and len(body.split()) >= 5
    if prose_first:
        found.append((_clean(body, True), 0.0))
    right = rhs(text=math) if math else ""
    if right:
        found.append((_clean(right), -0.01))
    if math:
        found.append((_clean(math), -0.02))
    if not prose_first and body != math:
        found.append((_clean(body), -0.03))
    return tuple((text, bonus) for text, bonus in found if text)


def _marker_candidates(*, units: list[Unit]) -> tuple[list[Candidate], set[str]]:
    """Every marked answer, the last one first (a later answer is usually the corrected one)."""
    found: list[tuple[int, str, bool]] = []
    for index in range(len(units) - 1, -1, -1):
        found += [(index, raw, empty) for raw, empty in _marker_segments(units[index].text)[:MAX_MARKERS - len(found)]]
        if len(found) >= MAX_MARKERS:
            break
    out: list[Candidate] = []
    primaries: set[str] = set()
    for rank, (index, raw, empty) in enumerate(found):
        unit = units[index]
        end_unit = None
        if empty and index + 1 < len(units):
            end_unit = units[index + 1]
            raw = end_unit.text
        variants = _variants(unit=unit, raw=raw, source="marker", end_unit=end_unit)
        if variants:
            primaries.add(_WHITESPACE.sub("", variants[0].text))
        out += [_demote(candidate=c, by=0.001 * rank) for c in variants]
    return out, primaries


@_cached
def _marker_segments(text: str) -> tuple[tuple[str, bool], ...]:
    """What follows each `Answer:` marker in a statement (to the next marker), the last first, and whether
    it is empty once unwrapped (the answer is then on the next statement)."""
    text = text[:20_000]
    if not _may_have_marker(text):
        return ()
    matches = list(MARKER.finditer(text))
    segments = []
    for k in range(len(matches) - 1, -1, -1):
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        raw = text[matches[k].end():stop]
        segments.append((raw, not strip_wrappers(text=raw)))
    return tuple(segments)


#: one of these is in every text MARKER matches, once case-folded (the case-insensitive MARKER scan costs
#: 4-11 us a line, casefold and these tests about 1 us); re.IGNORECASE also matches `ı` and `İ` to `i`,
#: which casefold keeps apart, so a text with either is always scanned (tests/freeform/test_marker_hint.py)
MARKER_WORDS = ("ans", "ответ", "итог", "antwort", "ergebnis", "réponse", "reponse", "respuesta", "resposta",
                "risposta", "پاسخ", "جواب", "答案")


#: any of MARKER_WORDS, `ı` or a combining dot above: one search of the folded text for what the test takes
_MARKER_HINT = re.compile("|".join([re.escape(word) for word in (*MARKER_WORDS, "ı", "\u0307")]))


def _may_have_marker(text: str) -> bool:
    return _MARKER_HINT.search(text.casefold()) is not None


def _demote(*, candidate: Candidate, by: float) -> Candidate:
    if not by:
        return candidate
    return replace(candidate, strength=round(candidate.strength - by, 4))


def _boxed_candidates(*, units: list[Unit]) -> list[Candidate]:
    out: list[Candidate] = []
    for unit in units:
        for _, content in boxed(text=unit.text):
            out += _variants(unit=unit, raw=content, source="boxed")
    return out


def _arrow_candidates(*, units: list[Unit]) -> list[Candidate]:
    for unit in reversed(units[-LOOKBACK:]):
        tail = _arrow_tail(unit.text)
        if tail is not None:
            return _variants(unit=unit, raw=tail, source="arrow")
    return []


@_cached
def _arrow_tail(text: str) -> str | None:
    """What follows a statement's last top-level arrow, when something does."""
    tail = after_arrow(text=text)
    return tail if tail is not None and strip_wrappers(text=tail) else None


def _rhs_candidates(*, units: list[Unit]) -> list[Candidate]:
    for unit in reversed(units[-LOOKBACK:]):
        value = _rhs_value(unit.text)
        if value is not None:
            return [_make(text=value, unit=unit, source="last_rhs")] if value else []
    return []


@_cached
def _rhs_value(text: str) -> str | None:
    """The cleaned value right of a statement's last top-level `=` ("" when nothing is left of it once
    cleaned); None when it has none, or only a condition like `i = j`."""
    body = strip_wrappers(text=text)
    right = rhs(text=body)
    if right and not _only_condition(text=body):
        return _clean(last_math(text=right) or right)
    return None


def _only_condition(*, text: str) -> bool:
    stripped = SAME.sub("", text)
    return not rhs(text=stripped)


#: a statement of brackets, punctuation, backslashes and sizing commands only (`{{{{`, `\left(\left(`, `\\`):
#: no value can be read from it, so it never hides the value written above it (two linear passes)
_SIZE_COMMAND = re.compile(rf"\\(?:{SIZE_COMMANDS})(?![a-zA-Z])")
_NO_VALUE = re.compile(r"[\s{}\[\]()<>$\\|.,;:!?~^_'`\"*#&%=+-]*")


def _no_value(text: str) -> bool:
    return _NO_VALUE.fullmatch(_SIZE_COMMAND.sub("", text)) is not None


def _last_value_candidates(*, units: list[Unit]) -> list[Candidate]:
    """The last value written: from the last statement that is not plain prose (comments after it are skipped)
    nor noise without a value (:func:`_no_value`)."""
    for unit in reversed(units):
        value = _last_value(unit.text)
        if value is not None:
            return [_make(text=value, unit=unit, source="last_value")] if value else []
    return []


@_cached
def _last_value(text: str) -> str | None:
    """The cleaned last math of a statement ("" when none); None for plain prose or noise without a value."""
    if _is_prose(text) or _no_value(text):
        return None
    math = last_math(text=strip_wrappers(text=text))
    return _clean(math) if math else ""


@_cached
def _is_prose(text: str) -> bool:
    """Plain prose: at least five words, more than 80 % of the characters outside math."""
    return prose_ratio(text=text) > 0.8 and len(text.split()) >= 5


def _block(*, units: list[Unit]) -> Candidate:
    text = "\n".join(u.text.strip() for u in units)[:MAX_CANDIDATE_CHARS].strip()
    return record(Candidate, text=text, source="block", line_start=units[0].line_start,
                  line_end=units[-1].line_end, quote=text, values_on_line=None,
                  strength=STRENGTH["block"] + (0.3 if _is_prose(text) else 0.0))


_WHITESPACE = re.compile(r"\s+")
#: a character str.isalnum calls alphanumeric: re's \w is exactly those and `_` (both test Py_UNICODE_ISALNUM),
#: searched in C instead of a Python loop over the block's characters
_ALNUM = re.compile(r"[^\W_]")


def _dedupe(*, candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for candidate in candidates:
        key = "".join(candidate.text.split())  # = re.sub(r"\s+", "", …): both split on str.isspace
        if key in seen:
            continue
        seen.add(key)
        out.append(candidate)
        if len(out) >= MAX_CANDIDATES:
            break
    return out
