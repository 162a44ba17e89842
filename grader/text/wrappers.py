"""Stripping what surrounds an answer: math delimiters (`$…$`, `$$…$$`, `\\[…\\]`, `\\(…\\)`), sizing and
spacing commands, left-hand sides (`E = 0.19`, `W := …`, `\\frac{\\partial L}{\\partial z} = …`), arrows and
trailing punctuation.  Linear-time, purely textual.

Three readers strip left-hand sides, each for its own kind of text, and keep their own rule:
``rhs`` (free-form candidates: the last top-level ``=``/update arrow outside brackets),
``after_last_relation`` (typed values: after the last ``=``/``≈``/arrow anywhere), and
``expression_start``/``strip_lhs`` (the expression grammar: only a derivative or a plain symbol is dropped).
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_SCAN = 20_000
_TRAIL = " \t.,;:!?*`\"'»«،؛。"
_LEAD = " \t:*`\"'»«=،"
_WRAPPER_PAIRS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_REL_OPS = ("\\leq", "\\geq", "\\neq", "\\le", "\\ge", "\\ne", "<=", ">=", "!=", "==", ":=")

#: `$`, `$$`, `\\[`, `\\]`, `\\(`, `\\)` wherever they are (the readers replace them by a space)
MATH_DELIMITERS = re.compile(r"\$+|\\\[|\\\]|\\\(|\\\)")
SIZE_COMMANDS = r"left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg"
#: `\\left`, `\\big`, … and the space after them, for values (a `.` after them may be a decimal point, so it stays)
SIZING = re.compile(rf"\\(?:{SIZE_COMMANDS})(?![a-zA-Z])\s*")
#: the same for expressions, where `\\left.` / `\\right.` is a null delimiter and its `.` goes too
SIZING_AND_NULL_DELIMITER = re.compile(rf"\\(?:{SIZE_COMMANDS})(?![a-zA-Z])\s*\.?")
#: spacing commands (`\\,`, `\\;`, `\\quad`, `~`) and the display/limits switches, each read as a space
SPACING = re.compile(r"(?<!\\)\\[,;:! ]|\\q?quad(?![a-zA-Z])|~|\\displaystyle(?![a-zA-Z])|\\limits(?![a-zA-Z])"
                     r"|\\nolimits(?![a-zA-Z])|\\textstyle(?![a-zA-Z])")


#: nested wrappers stripped at most (each round copies the text: unbounded, `$` × 10⁶ took quadratic time);
#: what is left of deeper `$` runs becomes spaces below anyway
MAX_WRAPPER_ROUNDS = 16


_BLANK_RUN = re.compile(r"[ \t]{2,}")


#: texts unwrapped at most (the readers unwrap the same statement and the same math runs many times); each
#: of at most MAX_CACHED_TEXT characters, longer ones are unwrapped every time
CACHE_SIZE = 8192
MAX_CACHED_TEXT = 500


def strip_wrappers(*, text: str) -> str:
    return _cached_strip(text) if len(text) <= MAX_CACHED_TEXT else _strip(text)


def _strip(text: str) -> str:
    text = text.strip().strip("*").strip()
    if text[:1] in ("$", "\\"):  # every wrapper opens with one of these: nothing to unwrap otherwise
        text = _unwrap(text)
    if "$" in text:
        text = text.replace("$$", " ").replace("$", " ")
    if "\t" in text or "  " in text:
        text = _BLANK_RUN.sub(" ", text)
    return text.strip().lstrip(" \t:*`").strip()


_cached_strip = lru_cache(maxsize=CACHE_SIZE)(_strip)


def _unwrap(text: str) -> str:
    changed, rounds = True, 0
    while changed and text and rounds < MAX_WRAPPER_ROUNDS:
        changed, rounds = False, rounds + 1
        for opening, closing in _WRAPPER_PAIRS:
            if text.startswith(opening) and text.endswith(closing) and len(text) >= len(opening) + len(closing):
                text = text[len(opening):len(text) - len(closing)].strip()
                changed = True
    return text


def top_level_split(*, text: str, seps: tuple[str, ...]) -> tuple[str, str] | None:
    """Split at the LAST separator outside braces/brackets; None when there is none."""
    text = text[:MAX_SCAN]
    present, pattern = _split_patterns(seps=seps)
    if present.search(text) is None:
        return None
    depth = 0
    best = None
    for match in pattern.finditer(text):
        token = match.group(0)
        if token in "{[(":  # noqa: S105 - a lexer token, not a password
            depth += 1
        elif token in "}])":  # noqa: S105 - a lexer token, not a password
            depth = max(0, depth - 1)
        elif depth == 0 and token not in _REL_OPS or token in seps and depth == 0:
            if (token[0].isalpha() or token.startswith("\\")) and text[match.end():match.end() + 1].isalpha():
                continue
            best = (match.start(), match.end())
    if best is None:
        return None
    return text[:best[0]], text[best[1]:]


_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _split_patterns(*, seps: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(any separator, stripped, anywhere: the quick test; the tokens the split scans)."""
    patterns = _PATTERNS.get(seps)
    if patterns is None:
        ops = sorted(set(seps) | set(_REL_OPS), key=len, reverse=True)
        present = re.compile("|".join(re.escape(sep.strip()) for sep in seps))
        patterns = present, re.compile("|".join(re.escape(op) for op in ops) + r"|[{}\[\]()]")
        _PATTERNS[seps] = patterns
    return patterns


#: `=`, `≈` and the update arrows (`W := …`, `b \\leftarrow …`, `←`, `⇐`): the value is on the right
RHS_SEPS = ("=", "\\approx", "≈", ":=", "\\leftarrow", "\\longleftarrow", "\\Leftarrow", "\\gets", "←", "⟵", "⇐")


def rhs(*, text: str) -> str:
    split = top_level_split(text=text, seps=RHS_SEPS)
    return split[1].strip() if split else ""


ARROWS = ("\\Rightarrow", "\\implies", "\\Longrightarrow", "\\rightarrow", "\\longrightarrow", "⇒", "→", "=>",
          "\\to ")


def after_arrow(*, text: str) -> str | None:
    split = top_level_split(text=text, seps=ARROWS)
    return split[1] if split else None


_OCR_EDGE_NOISE = " \t#§¶|~¦"


def clean_answer(*, text: str, limit: int = 2000) -> str:
    text = text.strip(_OCR_EDGE_NOISE)  # stray scan marks around `$$…$$`
    text = strip_wrappers(text=text)
    text = text.lstrip(_LEAD).strip()
    text = strip_wrappers(text=text)
    text = text.strip(" \t|~`'\"¦").rstrip(_TRAIL + "~|").strip()
    return text[:limit]


# ------------------------------------------------------------------ left-hand sides
#: `=`, `≈` and the update arrows anywhere in a typed value (`E = 0.1984`, `W ← …`)
_LHS = re.compile(r"=|≈|←|⟵|⇐|⟸|\\(?:approx|simeq|leftarrow|longleftarrow|Leftarrow|Longleftarrow|gets)(?![a-zA-Z])")


def after_last_relation(*, text: str) -> str:
    """Keep what follows the last ``=``/``≈``/update arrow (``E = 0.1984`` -> ``0.1984``)."""
    parts = _LHS.split(text)
    return parts[-1].strip()


def strip_trailing_punctuation(*, text: str) -> str:
    return text.strip().rstrip(".;:,").strip()


_SEPARATORS = re.compile(r"=|\\Rightarrow(?![a-zA-Z])|\\implies(?![a-zA-Z])|\\Longrightarrow(?![a-zA-Z])|\\to(?![a-zA-Z])")
_DERIVATIVE_LHS = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\\frac\s*\{\s*\\mathrm\s*\{\s*d|\\frac\s*\{\s*\\text\s*\{\s*d|^\s*d\w*\s*/\s*d")
_PLAIN_LHS = re.compile(r"^[\\A-Za-z0-9{}\s_^'(),]*$")


def _split_top_level(text: str) -> list[str]:
    """Split on '=' / \\Rightarrow outside brackets and outside cases environments."""
    parts: list[str] = []
    depth = 0
    env = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth = max(0, depth - 1)
        elif ch == "\\":
            if text.startswith(r"\begin", i):
                env += 1
            elif text.startswith(r"\end", i):
                env = max(0, env - 1)
            elif depth == 0 and env == 0:
                m = _SEPARATORS.match(text, i)
                if m and m.group(0) != "=":
                    parts.append(text[start:i])
                    start = i = m.end()
                    continue
        elif ch == "=" and depth == 0 and env == 0:
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if prev not in "<>!" and nxt != "=":
                parts.append(text[start:i])
                start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def expression_start(*, text: str) -> int:
    """Where the expression starts once ``LHS =`` is dropped (0 when nothing is dropped)."""
    parts = _split_top_level(text)
    if len(parts) < 2:
        return 0
    lhs = parts[0].strip()
    kept = len(text) - len(parts[-1])
    if not lhs:
        return kept
    is_derivative = bool(_DERIVATIVE_LHS.search(lhs))
    is_plain = len(lhs) <= 40 and bool(_PLAIN_LHS.match(lhs)) and not re.search(r"[+\-*/]", lhs)
    return kept if is_derivative or is_plain else 0


def strip_lhs(*, text: str) -> str:
    """Drop ``LHS =`` when the LHS is a derivative or a plain symbol; keep the last of a chain."""
    return text[expression_start(text=text):]
