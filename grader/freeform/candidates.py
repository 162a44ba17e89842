"""Answer candidates inside one part's text, strongest first."""

from __future__ import annotations

import re

from grader.freeform.cases import LOOKBACK, SAME, cases_candidate
from grader.freeform.evidence import (MARKER, MAX_CANDIDATE_CHARS, MAX_CANDIDATES, MAX_MARKERS, STRENGTH, Candidate,
                                      Source)
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


def find_candidates(*, pieces: tuple[Piece, ...], single_ok: bool,
                    whole: bool = False) -> tuple[list[Candidate], dict[str, object]]:
    """Candidates strongest first, plus facts for confidence (markers seen, conflicts).

    ``whole``: the part's answer type reads a whole answer (several values, a table, a chosen
    option), so the longest form of the last marked answer, then the whole block, come first."""
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
    box_primaries = {re.sub(r"\s+", "", c.text) for c in boxes if c.strength >= STRENGTH["boxed"] - 0.005}
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
    if any(ch.isalnum() for ch in block.text):
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


def _make(*, text: str, unit: Unit, source: Source, bonus: float = 0.0, end_unit: Unit | None = None,
          prose: bool = False) -> Candidate | None:
    if prose:
        text = fold_answer(text=text).strip().lstrip(":.-—–*#").strip()[:MAX_CANDIDATE_CHARS]
    else:
        text = clean_answer(text=fold_answer(text=text), limit=MAX_CANDIDATE_CHARS)
    if not text:
        return None
    end = end_unit or unit
    quote = quote_of(unit=unit) if end is unit else (unit.text.strip() + "\n" + end.text.strip())[:MAX_CANDIDATE_CHARS]
    return Candidate(text=text, line_start=unit.line_start, line_end=end.line_end, quote=quote, source=source,
                     strength=round(STRENGTH[source] + bonus, 3))


def _variants(*, unit: Unit, raw: str, source: Source, end_unit: Unit | None = None) -> list[Candidate]:
    """RHS of the last `=` first (the form written, unevaluated), then the whole expression; prose trimmed."""
    first = source in ("marker", "boxed")
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
    found: list[Candidate | None] = []
    prose_first = ratio > 0.85 and len(body.split()) >= 5
    if prose_first:
        found.append(_make(text=body, unit=unit, source=source, end_unit=end_unit, prose=True))
    right = rhs(text=math) if math else ""
    if right:
        found.append(_make(text=right, unit=unit, source=source, bonus=-0.01, end_unit=end_unit))
    if math:
        found.append(_make(text=math, unit=unit, source=source, bonus=-0.02, end_unit=end_unit))
    if not prose_first and body != math:
        found.append(_make(text=body, unit=unit, source=source, bonus=-0.03, end_unit=end_unit))
    return [c for c in found if c is not None]


def _marker_candidates(*, units: list[Unit]) -> tuple[list[Candidate], set[str]]:
    """Every marked answer, the last one first (a later answer is usually the corrected one)."""
    found: list[tuple[int, str]] = []
    for index in range(len(units) - 1, -1, -1):
        text = units[index].text[:20_000]
        matches = list(MARKER.finditer(text))
        for k in range(len(matches) - 1, -1, -1):
            stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            found.append((index, text[matches[k].end():stop]))
            if len(found) >= MAX_MARKERS:
                break
        if len(found) >= MAX_MARKERS:
            break
    out: list[Candidate] = []
    primaries: set[str] = set()
    for rank, (index, raw) in enumerate(found):
        unit = units[index]
        end_unit = None
        if not strip_wrappers(text=raw) and index + 1 < len(units):
            end_unit = units[index + 1]
            raw = end_unit.text
        variants = _variants(unit=unit, raw=raw, source="marker", end_unit=end_unit)
        if variants:
            primaries.add(re.sub(r"\s+", "", variants[0].text))
        out += [_demote(candidate=c, by=0.001 * rank) for c in variants]
    return out, primaries


def _demote(*, candidate: Candidate, by: float) -> Candidate:
    if not by:
        return candidate
    return Candidate(text=candidate.text, line_start=candidate.line_start, line_end=candidate.line_end,
                     quote=candidate.quote, source=candidate.source, strength=round(candidate.strength - by, 4))


def _boxed_candidates(*, units: list[Unit]) -> list[Candidate]:
    out: list[Candidate] = []
    for unit in units:
        for _, content in boxed(text=unit.text):
            out += _variants(unit=unit, raw=content, source="boxed")
    return out


def _arrow_candidates(*, units: list[Unit]) -> list[Candidate]:
    for unit in reversed(units[-LOOKBACK:]):
        tail = after_arrow(text=unit.text)
        if tail is not None and strip_wrappers(text=tail):
            return _variants(unit=unit, raw=tail, source="arrow")
    return []


def _rhs_candidates(*, units: list[Unit]) -> list[Candidate]:
    for unit in reversed(units[-LOOKBACK:]):
        body = strip_wrappers(text=unit.text)
        right = rhs(text=body)
        if right and not _only_condition(text=body):
            made = _make(text=last_math(text=right) or right, unit=unit, source="last_rhs")
            return [made] if made else []
    return []


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
        if prose_ratio(text=unit.text) > 0.8 and len(unit.text.split()) >= 5:
            continue
        if _no_value(unit.text):
            continue
        math = last_math(text=strip_wrappers(text=unit.text))
        made = _make(text=math, unit=unit, source="last_value") if math else None
        return [made] if made else []
    return []


def _block(*, units: list[Unit]) -> Candidate:
    text = "\n".join(u.text.strip() for u in units)[:MAX_CANDIDATE_CHARS].strip()
    prose = prose_ratio(text=text) > 0.8 and len(text.split()) >= 5
    return Candidate(text=text, line_start=units[0].line_start, line_end=units[-1].line_end, quote=text,
                     source="block", strength=STRENGTH["block"] + (0.3 if prose else 0.0))


def _dedupe(*, candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for candidate in candidates:
        key = re.sub(r"\s+", "", candidate.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(candidate)
        if len(out) >= MAX_CANDIDATES:
            break
    return out
