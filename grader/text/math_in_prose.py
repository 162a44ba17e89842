"""Finding the math in a line of prose: runs of math-looking tokens, `$…$` segments, `\\boxed{…}`, how much of
a text is prose.  Linear-time."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from grader.text.wrappers import MAX_SCAN, strip_wrappers

_TOKEN = re.compile(r"\$\$[^$]{0,4000}\$\$|\$[^$]{0,4000}\$|\S+")
_MATH_CHARS = set("0123456789()[]{}=+-*/^_\\<>|×·⋅−,;.'")

_MATH_WORDS = frozenset({"sin", "cos", "tan", "log", "ln", "exp", "max", "min", "softmax", "sigmoid", "tanh",
                         "diag", "det", "tr", "argmax", "argmin", "sum", "mod"})


#: tokens repeat across lines and students (`=`, `the`, `$x$`): a short one's class is computed once;
#: 8192 entries of at most MAX_CACHED_TOKEN characters
MAX_CACHED_TOKEN = 64


@lru_cache(maxsize=8192)
def _mathy_cached(token: str) -> bool:
    return _mathy(token)


def _mathy(token: str) -> bool:
    if token[:1] in ("$", "\\"):
        return True
    core = token.strip(".,;:!?()[]{}\"'")
    if not core:
        return any(ch in "()[]{}" for ch in token)
    if core.isalpha() and len(core) > 1:
        return core.lower() in _MATH_WORDS
    if len(core) == 1 and (core.isascii() or 0x370 <= ord(core) < 0x400 or core == "×"):
        return True
    if _accented_symbol(core):
        return True
    return any(ch in _MATH_CHARS or ch.isdigit() for ch in core)


#: the accents a math symbol wears (hat, tilde, bar, overline, dot, two dots, vector arrow); not the acute and
#: grave of prose words (`à`, `é`)
_MATH_ACCENTS = frozenset("\u0302\u0303\u0304\u0305\u0307\u0308\u20d7")


def _accented_symbol(core: str) -> bool:
    """`ŷ`, `x̄`, `ỹ` (precomposed or a letter and its combining accents): one Latin or Greek letter with math
    accents, a symbol like `y` itself, not a word."""
    letters = unicodedata.normalize("NFD", core)
    base = letters[:1]
    return (len(letters) > 1 and len(letters) <= 4 and base.isalpha()
            and (base.isascii() or 0x370 <= ord(base) < 0x400) and all(ch in _MATH_ACCENTS for ch in letters[1:]))


#: a text's math runs, and what the readers take from them, are worked out once per text (a statement is
#: read as prose, for its first math and for its last one, by several readers): at most CACHE_SIZE texts
#: of at most MAX_CACHED_TEXT characters each; longer texts are scanned every time
MAX_CACHED_TEXT = 500
CACHE_SIZE = 4096


def math_runs(*, text: str) -> list[str]:
    """Maximal runs of math-looking tokens (LaTeX `$…$` counts as one token), in order."""
    return list(_cached_runs(text) if len(text) <= MAX_CACHED_TEXT else _runs(text))


def _runs(text: str) -> tuple[str, ...]:
    text = text[:MAX_SCAN]
    runs: list[list[str]] = []
    in_run = False
    for token in _TOKEN.findall(text):
        if _mathy_cached(token) if len(token) <= MAX_CACHED_TOKEN else _mathy(token):
            if in_run:
                runs[-1].append(token)
            else:
                runs.append([token])
                in_run = True
        else:
            in_run = False
    return tuple(" ".join(run) for run in runs)


_cached_runs = lru_cache(maxsize=CACHE_SIZE)(_runs)


def last_math(*, text: str) -> str:
    return pick_math(text=text, first=False)


def pick_math(*, text: str, first: bool) -> str:
    """The first or last substantive math run (one with a digit, operator, bracket or command)."""
    picks = _cached_picks(text) if len(text) <= MAX_CACHED_TEXT else _picks(text)
    return picks[0] if first else picks[1]


def _picks(text: str) -> tuple[str, str]:
    """(first, last) substantive math run of ``text``; ("", "") when it has none."""
    runs = [r for r in math_runs(text=text) if strip_wrappers(text=r)]
    strong = [r for r in runs if any(ch.isdigit() or ch in "\\=^_([{+*/" for ch in r)]
    pool = strong or runs
    return (pool[0], pool[-1]) if pool else ("", "")


_cached_picks = lru_cache(maxsize=CACHE_SIZE)(_picks)


_DOLLAR = re.compile(r"\$\$([^$]{1,4000})\$\$|\$([^$]{1,4000})\$")


def dollar_segments(*, text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in _DOLLAR.finditer(text[:MAX_SCAN]) if (m.group(1) or m.group(2)).strip()]


def prose_ratio(*, text: str) -> float:
    """Share of characters that are outside math runs (1.0 = pure prose)."""
    text = text[:MAX_SCAN].strip()
    if not text:
        return 0.0
    runs = _cached_runs(text) if len(text) <= MAX_CACHED_TEXT else _runs(text)
    math_len = sum(map(len, runs))
    return max(0.0, 1.0 - math_len / len(text))


def boxed(*, text: str) -> list[tuple[int, str]]:
    """Contents of every `\\boxed{…}` (balanced braces), with their offsets."""
    found: list[tuple[int, str]] = []
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
