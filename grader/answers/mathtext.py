"""Clean the OCR/LaTeX noise around numeric answers before they are read.

Only cosmetic rewriting happens here (wrappers, spacing commands, unicode
look-alikes, digit scripts); deciding what a comma means is left to the
readers, which know how many entries they expect.
"""

from __future__ import annotations

import re

from grader.text.characters import fold_characters
from grader.text.wrappers import MATH_DELIMITERS, SIZING, SPACING

MAX_ANSWER_CHARS = 4000

_TEXT_CMDS = re.compile(r"\\(?:text|mathrm|mathbf|operatorname|textbf|mathit|boldsymbol)\s*\{([^{}]*)\}")
#: `0{,}5`, `5{,}133{,}600`: LaTeX's comma (or point) in braces, written to avoid the space after a comma
_BRACED_SEPARATOR = re.compile(r"\{\s{0,3}([,.])\s{0,3}\}")
_LETTER_O = re.compile(r"(?<=\d)[Oo](?=\d)|(?<![\w\\])[Oo](?=[.,]\d)|(?<=\d)[Oo](?=[.,]\d)")


def clean_math_text(text: str) -> str:
    text = text[:MAX_ANSWER_CHARS]
    text = fold_characters(text=text)  # digits, look-alikes, marks; the Arabic thousands separator to ','
    text = MATH_DELIMITERS.sub(" ", text)
    text = SIZING.sub("", text)
    text = _BRACED_SEPARATOR.sub(r"\1", text)
    text = SPACING.sub(" ", text)
    text = _TEXT_CMDS.sub(r" \1 ", text)
    text = text.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    text = text.replace("\\cdot", "*").replace("\\ast", "*").replace("\\times", "×")
    text = _LETTER_O.sub("0", text)
    return " ".join(text.split())

