"""LaTeX commands an OCR pipeline ate as escapes (`\\f`rac, `\\t`imes, `\\r`floor), put back."""

from __future__ import annotations

import re

#: (what a fix needs in the text, the fix): each pattern matches only where its literal is, and no fix
#: writes another fix's literal, so a fix whose literal is absent is skipped
_OCR_FIXES = (
    ("rac{", re.compile(r"(?<![\\A-Za-z])rac\{"), r"\\frac{"),
    ("imes", re.compile(r"(?<![\\A-Za-z])imes(?![A-Za-z])"), r"\\times"),
    ("ext{", re.compile(r"(?<![\\A-Za-z])ext\{"), r"\\text{"),
    ("heta", re.compile(r"(?<![\\A-Za-z])heta(?![A-Za-z])"), r"\\theta"),
    ("abla", re.compile(r"(?<![\\A-Za-z])abla(?![A-Za-z])"), r"\\nabla"),
    ("lpha", re.compile(r"(?<![\\A-Za-z])lpha(?![A-Za-z])"), r"\\alpha"),
    # `floor(x)` is the floor function (a formula written in words), not a `\rfloor` that lost its `\r`
    ("floor", re.compile(r"(?<![\\A-Za-z])floor(?![A-Za-z])(?!\s{0,3}\()"), r"\\rfloor"),
    ("ight", re.compile(r"(?<![\\A-Za-z])ight(?=[)\]|.])"), r"\\right"),
)
CR_SPLIT_STARTS = ("floor", "ight)", "ight]", "ight|", "ight.", "ceil", "angle")


def repair_ocr(*, text: str) -> str:
    """Undo LaTeX commands eaten as escapes by an OCR pipeline (`\\f`rac, `\\t`imes, `\\r`floor)."""
    for literal, pattern, replacement in _OCR_FIXES:
        if literal in text:
            text = pattern.sub(replacement, text)
    return text
