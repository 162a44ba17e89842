"""LaTeX commands an OCR pipeline ate as escapes (`\\f`rac, `\\t`imes, `\\r`floor), put back."""

from __future__ import annotations

import re

_OCR_FIXES = (
    (re.compile(r"(?<![\\A-Za-z])rac\{"), r"\\frac{"),
    (re.compile(r"(?<![\\A-Za-z])imes(?![A-Za-z])"), r"\\times"),
    (re.compile(r"(?<![\\A-Za-z])ext\{"), r"\\text{"),
    (re.compile(r"(?<![\\A-Za-z])heta(?![A-Za-z])"), r"\\theta"),
    (re.compile(r"(?<![\\A-Za-z])abla(?![A-Za-z])"), r"\\nabla"),
    (re.compile(r"(?<![\\A-Za-z])lpha(?![A-Za-z])"), r"\\alpha"),
    # `floor(x)` is the floor function (a formula written in words), not a `\rfloor` that lost its `\r`
    (re.compile(r"(?<![\\A-Za-z])floor(?![A-Za-z])(?!\s{0,3}\()"), r"\\rfloor"),
    (re.compile(r"(?<![\\A-Za-z])ight(?=[)\]|.])"), r"\\right"),
)
CR_SPLIT_STARTS = ("floor", "ight)", "ight]", "ight|", "ight.", "ceil", "angle")


def repair_ocr(*, text: str) -> str:
    """Undo LaTeX commands eaten as escapes by an OCR pipeline (`\\f`rac, `\\t`imes, `\\r`floor)."""
    if "rac{" not in text and "imes" not in text and "ext{" not in text and "heta" not in text \
            and "abla" not in text and "lpha" not in text and "floor" not in text and "ight" not in text:
        return text
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    return text
