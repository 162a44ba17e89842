"""Read numbers and lists of numbers, deciding what commas and spaces mean.

``0,5812`` is a decimal comma; ``(46, 62, 20)`` separates entries; ``[0,3275,
0,3475]`` has both; ``5 133 600`` and ``5,133,600`` group thousands.  When the
text allows several readings, every reading is returned and the caller picks
the one with the expected number of entries (or asks a person).
"""

from __future__ import annotations

import re

from grader.answers.arith import ArithError, Number, evaluate

#: `5,133,600`; a first group of a lone 0 never groups thousands (`0,198` is a decimal comma)
_THOUSANDS_COMMA = re.compile(r"^[-+]?(?!0,)\d{1,3}(?:,\d{3})+$")
_THOUSANDS_DOTS = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3}){2,}$")
#: `3.216` in a whole-number part: a dot groups thousands (German), a count is never 3.216
_THOUSANDS_DOT = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+$")
#: `1.234,5` (German) and `1,234.5` (English): a thousands separator and a decimal mark
_GROUPED_DECIMAL = {",": re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+,\d+$"), ".": re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+\.\d+$")}
_THOUSANDS_SPACE = re.compile(r"(?<![\d.,])(\d{1,3}(?: \d{3})+)(?![\d.,])")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def read_scalar(text: str, *, integer_context: bool = False) -> list[Number]:
    """All readings of one scalar answer (usually exactly one)."""
    text = _THOUSANDS_SPACE.sub(lambda m: m.group(1).replace(" ", ""), text.strip())
    readings: list[str] = []
    if _THOUSANDS_DOTS.match(text) or (integer_context and _THOUSANDS_DOT.match(text)):
        readings.append(text.replace(".", ""))
    elif _GROUPED_DECIMAL[","].match(text):
        readings.append(text.replace(".", "").replace(",", "."))
    elif _GROUPED_DECIMAL["."].match(text):
        readings.append(text.replace(",", ""))
    elif _THOUSANDS_COMMA.match(text):
        readings.append(text.replace(",", ""))
        if not integer_context:
            readings.append(text.replace(",", ".", 1) if text.count(",") == 1 else "")
    elif "," in text:
        readings.append(_DECIMAL_COMMA.sub(".", text))
    else:
        readings.append(text)
    numbers = []
    for reading in readings:
        if not reading:
            continue
        try:
            numbers.append(evaluate(reading))
        except ArithError:
            continue
    return numbers


def split_entries(body: str) -> list[list[str]]:
    """Possible splittings of a flat list body into entry strings."""
    body = body.strip()
    if not body:
        return [[]]
    if re.search(r"[;&]|\\\\", body):
        return [[part.strip() for part in re.split(r";|&|\\\\", body) if part.strip()]]
    commas_spaced = re.search(r",\s", body) is not None
    commas_tight = re.search(r"\d,\d", body) is not None
    spaced = _split_spaces(body)
    if commas_spaced and commas_tight:
        return [[part.strip() for part in re.split(r",\s+", body) if part.strip()]]
    if "," not in body:
        return [spaced]
    options = [[part.strip() for part in body.split(",") if part.strip()]]
    if commas_tight and not commas_spaced:
        # "0,5 0,3" (decimal commas, space separated) or "0,3275,0,3475" (pairs)
        if len(spaced) > 1:
            options.append(spaced)
        chunks = [part.strip() for part in body.split(",")]
        if len(chunks) % 2 == 0:
            options.append([f"{chunks[k]},{chunks[k + 1]}" for k in range(0, len(chunks), 2)])
    return options


def _split_spaces(body: str) -> list[str]:
    """Split on spaces that are not inside an arithmetic expression."""
    tokens = body.split()
    entries: list[str] = []
    for token in tokens:
        if entries and (entries[-1][-1] in "+-*/^×({" or token[0] in "*/^×)}" or
                        (token[0] in "+-" and len(token) == 1)):
            entries[-1] = f"{entries[-1]} {token}"
        else:
            entries.append(token)
    return entries


def read_entry(text: str) -> Number:
    """One entry of a vector or matrix (decimal commas already resolved by the split)."""
    text = _DECIMAL_COMMA.sub(".", text.strip())
    return evaluate(text)
