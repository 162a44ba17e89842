"""Small, linear-time operations on answer text: strip wrappers/prose, right-hand sides, balanced braces."""

from __future__ import annotations

import re

from grader.text.characters import fold_characters

MAX_SCAN = 20_000
_TOKEN = re.compile(r"\$\$[^$]{0,4000}\$\$|\$[^$]{0,4000}\$|\S+")
_MATH_CHARS = set("0123456789()[]{}=+-*/^_\\<>|×·⋅−,;.'")
_TRAIL = " \t.,;:!?*`\"'»«،؛。"
_LEAD = " \t:*`\"'»«=،"
_WRAPPERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_REL_OPS = ("\\leq", "\\geq", "\\neq", "\\le", "\\ge", "\\ne", "<=", ">=", "!=", "==", ":=")


def strip_wrappers(*, text: str) -> str:
    text = text.strip().strip("*").strip()
    changed = True
    while changed and text:
        changed = False
        for opening, closing in _WRAPPERS:
            if text.startswith(opening) and text.endswith(closing) and len(text) >= len(opening) + len(closing):
                text = text[len(opening):len(text) - len(closing)].strip()
                changed = True
    text = text.replace("$$", " ").replace("$", " ")
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip().lstrip(" \t:*`").strip()


_MATH_WORDS = frozenset({"sin", "cos", "tan", "log", "ln", "exp", "max", "min", "softmax", "sigmoid", "tanh",
                         "diag", "det", "tr", "argmax", "argmin", "sum", "mod"})


def _mathy(token: str) -> bool:
    if token.startswith("$") or token.startswith("\\"):
        return True
    core = token.strip(".,;:!?()[]{}\"'")
    if not core:
        return any(ch in "()[]{}" for ch in token)
    if core.isalpha() and len(core) > 1:
        return core.lower() in _MATH_WORDS
    if len(core) == 1 and (core.isascii() or 0x370 <= ord(core) < 0x400 or core == "×"):
        return True
    return any(ch in _MATH_CHARS or ch.isdigit() for ch in core)


def math_runs(*, text: str) -> list[str]:
    """Maximal runs of math-looking tokens (LaTeX `$…$` counts as one token), in order."""
    text = text[:MAX_SCAN]
    runs: list[list[str]] = []
    in_run = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _mathy(token):
            if in_run:
                runs[-1].append(token)
            else:
                runs.append([token])
                in_run = True
        else:
            in_run = False
    return [" ".join(run) for run in runs]


def last_math(*, text: str) -> str:
    return pick_math(text=text, first=False)


def pick_math(*, text: str, first: bool) -> str:
    """The first or last substantive math run (one with a digit, operator, bracket or command)."""
    runs = [r for r in math_runs(text=text) if strip_wrappers(text=r)]
    strong = [r for r in runs if any(ch.isdigit() or ch in "\\=^_([{+*/" for ch in r)]
    pool = strong or runs
    if not pool:
        return ""
    return pool[0] if first else pool[-1]


_DOLLAR = re.compile(r"\$\$([^$]{1,4000})\$\$|\$([^$]{1,4000})\$")


def dollar_segments(*, text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in _DOLLAR.finditer(text[:MAX_SCAN]) if (m.group(1) or m.group(2)).strip()]


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


def fold_answer(*, text: str) -> str:
    """Persian/Arabic digits and separators as ASCII, for candidate texts (not quotes).

    Lighter than what the readers fold: candidate texts keep their dashes, dots, spaces and full-width
    punctuation (the readers fold those later), and the Arabic thousands separator is dropped here
    (`۱٬۲۳۴` is the candidate `1234`) where the readers turn it into `,`; kept as it was.
    """
    return fold_characters(text=text, lookalikes=False, thousands="", separators="\u060c\u061b")


def prose_ratio(*, text: str) -> float:
    """Share of characters that are outside math runs (1.0 = pure prose)."""
    text = text[:MAX_SCAN].strip()
    if not text:
        return 0.0
    math_len = sum(len(r) for r in math_runs(text=text))
    return max(0.0, 1.0 - math_len / len(text))


def top_level_split(*, text: str, seps: tuple[str, ...]) -> tuple[str, str] | None:
    """Split at the LAST separator outside braces/brackets; None when there is none."""
    text = text[:MAX_SCAN]
    if not any(sep.strip() in text for sep in seps):
        return None
    pattern = _split_pattern(seps=seps)
    depth = 0
    best = None
    for match in pattern.finditer(text):
        token = match.group(0)
        if token in "{[(":
            depth += 1
        elif token in "}])":
            depth = max(0, depth - 1)
        elif depth == 0 and token not in _REL_OPS or token in seps and depth == 0:
            if (token[0].isalpha() or token.startswith("\\")) and text[match.end():match.end() + 1].isalpha():
                continue
            best = (match.start(), match.end())
    if best is None:
        return None
    return text[:best[0]], text[best[1]:]


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _split_pattern(*, seps: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _PATTERNS.get(seps)
    if pattern is None:
        ops = sorted(set(seps) | set(_REL_OPS), key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(op) for op in ops) + r"|[{}\[\]()]")
        _PATTERNS[seps] = pattern
    return pattern


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


def boxed(*, text: str) -> list[tuple[int, str]]:
    """Contents of every `\\boxed{…}` (balanced braces), with their offsets."""
    found = []
    start = 0
    text = text[:MAX_SCAN * 5]
    while len(found) < 8:
        i = text.find("\\boxed", start)
        if i < 0:
            break
        j = i + len("\\boxed")
        while j < len(text) and text[j] == " ":
            j += 1
        if j >= len(text) or text[j] != "{":
            start = j
            continue
        depth = 0
        k = j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        found.append((i, text[j + 1:k]))
        start = k + 1
    return found


_OCR_EDGE_NOISE = " \t#§¶|~¦"


def clean_answer(*, text: str, limit: int = 2000) -> str:
    text = text.strip(_OCR_EDGE_NOISE)  # stray scan marks around `$$…$$`
    text = strip_wrappers(text=text)
    text = text.lstrip(_LEAD).strip()
    text = strip_wrappers(text=text)
    text = text.strip(" \t|~`'\"¦").rstrip(_TRAIL + "~|").strip()
    return text[:limit]
