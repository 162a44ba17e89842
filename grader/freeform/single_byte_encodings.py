"""Guess the single-byte encoding of a non-UTF-8 file (cp1251, cp1256, cp1252, koi8-r): the one whose
decoding reads as the most plausible text."""

from __future__ import annotations

import re
import unicodedata

CANDIDATES = ("cp1251", "cp1256", "cp1252", "koi8_r")
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_BYTES = 64_000


def _script(ch: str) -> str:
    point = ord(ch)
    if point < 0x250:
        return "latin"
    if 0x370 <= point < 0x400:
        return "greek"
    if 0x400 <= point < 0x530:
        return "cyrillic"
    if 0x590 <= point < 0x600:
        return "hebrew"
    if 0x600 <= point < 0x700 or 0xFB50 <= point <= 0xFEFF:
        return "arabic"
    return "other"


def implausibility(*, text: str) -> float:
    """Lower is better: mixed-script words, odd letter case, control characters, odd symbols."""
    words = _WORD.findall(text)
    bad = 0.0
    for word in words:
        scripts = {_script(ch) for ch in word}
        if len(scripts) > 1:
            bad += 3
        if len(word) > 1:
            tail = word[1:]
            if any(ch.isupper() for ch in tail) and (any(ch.islower() for ch in tail) or word[0].islower()):
                bad += 2
        bad += sum(1 for ch in word if 0x400 <= ord(ch) < 0x530 and not (0x410 <= ord(ch) < 0x450 or ch in "Ёё"))
        if len(word) >= 3 and all(ord(ch) >= 0x80 and _script(ch) == "latin" for ch in word):
            bad += 2  # whole words of accented Latin letters: Cyrillic read as cp1252
    previous = " "
    for ch in text:
        if ord(ch) >= 0x80 and unicodedata.category(ch).startswith("M") and _script(previous) != _script(ch):
            bad += 3  # a combining mark on a letter of another script
        previous = ch
        if ord(ch) >= 0x80:
            category = unicodedata.category(ch)
            if category.startswith("C"):
                bad += 5
            elif category in ("So", "Sk", "Sc", "Pi", "Pf", "Lm") or ch in "ƒ„†‡ˆ‰‹›¤¦§¨©ª¬®¯°±´µ¶·¸¹º¼½¾":
                bad += 1
    return bad / max(1, len(words))


def guess_single_byte_encoding(*, raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) for the most plausible decoding of non-UTF-8 bytes, or None."""
    sample = raw[:SAMPLE_BYTES]
    best: tuple[float, int, str] | None = None
    for rank, encoding in enumerate(CANDIDATES):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = implausibility(text=text)
        if best is None or (score, rank) < best[:2]:
            best = (score, rank, encoding)
    if best is None:
        return None
    encoding = best[2]
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        return None
