"""Small text surgery on answer spans: OCR escape repair, math-wrapper and prose stripping, top-level splits.

Every function is a single left-to-right pass (or a bounded number of them): linear in the input.
"""

from __future__ import annotations

import re

MAX_CANDIDATE_CHARS = 2000

# A LaTeX escape read as a control character by some OCR/JSON step: '\f' in '\frac' became a form feed, etc.
_CONTROL_ESCAPES = (
    ("\x0c", "\\f"), ("\x08", "\\b"), ("\x07", "\\a"), ("\x0b", "\\v"),
)
_BROKEN_FRAC = re.compile(r"(?<![\\A-Za-z])(d?)rac\{")
_TAB_ESCAPE = re.compile(r"\t(?=imes|ext\{|heta|ilde|riangle|o\b)")
_PROSE_WORD = re.compile(r"[^\W\d_]{3,}")
_MATH_WORDS = frozenset(
    "sin cos tan exp log ln max min sum prod sigma softmax diag relu tanh det tr lim mask frac cdot times odot "
    "sqrt hat bar vec text mathrm mathbf left right begin end bmatrix pmatrix matrix cases delta partial "
    "neq leq geq approx infty alpha beta gamma lambda theta epsilon argmax argmin sign sgn floor ceil lfloor "
    "rfloor lceil rceil top mathsf operatorname dfrac tfrac quad qquad".split()
)
_STOP_SHORT = frozenset("is of be to at in on it as an so if or we и в на с es la le de du et ist im am".split())


def repair_ocr(*, text: str) -> str:
    """Undo common OCR/escape damage: control characters for '\\f', '\\b'…, 'rac{' for '\\frac{'."""
    for bad, good in _CONTROL_ESCAPES:
        if bad in text:
            text = text.replace(bad, good)
    if "\t" in text:
        text = _TAB_ESCAPE.sub(r"\\t", text)
    if "rac{" in text:
        text = _BROKEN_FRAC.sub(lambda m: "\\" + m.group(1) + "frac{", text)
    return text


def unwrap_math(*, text: str) -> str:
    """Drop `$`/`$$`/`\\[ \\]`/`\\( \\)` wrappers, a leading '=' or ':' and trailing punctuation."""
    text = text.translate(_BIDI_MARKS).strip()
    text = text.replace("$$", " ").replace("$", " ")
    for opener, closer in (("\\[", "\\]"), ("\\(", "\\)")):
        if text.startswith(opener) and text.endswith(closer):
            text = text[len(opener):-len(closer)]
    text = _strip_junk(text=text.strip(" \t*_"))
    while text[:1] in ("=", ":", "：") and not text.startswith("=="):
        text = text[1:].lstrip()
    while text and text[-1] in ".,;:،؛" and not text.endswith("\\,") and not text.endswith("\\;"):
        text = text[:-1].rstrip()
    text = _strip_junk(text=text.strip(" \t*_"))
    return " ".join(text.split()) if len(text) <= MAX_CANDIDATE_CHARS * 2 else text[:MAX_CANDIDATE_CHARS]


_BIDI_MARKS = {cp: None for cp in (0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                   0x2066, 0x2067, 0x2068, 0x2069)}
_JUNK = " \t*_~§#`\"“”«»،؛"


def _strip_junk(*, text: str) -> str:
    """OCR debris at the ends (`§`, `#`, `~~`, stray commas and bars) is not part of an answer."""
    for _ in range(3):
        before = text
        text = text.strip(_JUNK)
        text = text.lstrip(",;")
        if text.endswith("|") and text.count("|") % 2 == 1:
            text = text[:-1]
        if text.startswith("|") and text.count("|") % 2 == 1:
            text = text[1:]
        text = text.rstrip(",;") if not text.endswith("\\,") else text
        if text == before:
            break
    return text


def math_segments(*, text: str) -> list[str]:
    """The `$…$` / `$$…$$` pieces of `text`, in order (unbalanced trailing `$` closes at the end)."""
    pieces: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = text.find("$", i)
        if j < 0:
            break
        width = 2 if text.startswith("$$", j) else 1
        k = text.find("$" * width, j + width)
        if k < 0:
            pieces.append(text[j + width:])
            break
        pieces.append(text[j + width:k])
        i = k + width
    return [p for p in (piece.strip() for piece in pieces) if p]


def strip_prose(*, text: str) -> str:
    """Keep the math of a sentence: `$= 26 \\times 26$.` -> `26 \\times 26`; `are both (46,62,20).` -> `(46,62,20)`.

    The text is cut into tokens (a `$…$` piece is one token); prose words split it into runs; the last run
    that holds a digit or math wins.
    """
    if not has_prose(text=text):
        return unwrap_math(text=text)
    runs: list[list[str]] = [[]]
    for token in _tokens(text=text):
        if not token.startswith("$") and _is_prose(token=token):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(token)
    runs = [run for run in runs if run and _mathy(text=" ".join(run))]
    if not runs:
        segments = math_segments(text=text)
        return unwrap_math(text=segments[-1] if segments else text)
    return unwrap_math(text=" ".join(runs[-1]))


def _tokens(*, text: str) -> list[str]:
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "$":
            width = 2 if text.startswith("$$", i) else 1
            close = text.find("$" * width, i + width)
            stop = n if close < 0 else close + width
            while stop < n and text[stop] in ".,;:":
                stop += 1
            tokens.append(text[i:stop])
            i = stop
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != "$":
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def _mathy(*, text: str) -> bool:
    core = text.replace("$", "").strip(" .,;:")
    if not core or (core.startswith("\\") and core[1:].isalpha() and core in ("\\Rightarrow", "\\implies", "\\to")):
        return False
    return any(ch.isdigit() or ch in "()[]{}\\^_=+*/×·" for ch in core) or text.startswith("$") or len(core) <= 2


def _outside_math(*, text: str) -> str:
    out, inside, i = [], False, 0
    while i < len(text):
        if text[i] == "$":
            inside = not inside
            i += 2 if text.startswith("$$", i) else 1
            continue
        if not inside:
            out.append(text[i])
        i += 1
    return "".join(out)


def _is_prose(*, token: str) -> bool:
    core = token.strip(".,;:!?\"'«»()")
    if not core:
        return False
    if core.startswith("\\") or any(ch.isdigit() for ch in core):
        return False
    if core.lower() in _STOP_SHORT:
        return True
    if not core.replace("-", "").replace("'", "").isalpha():
        return False
    if any(ord(ch) > 0x24F and not 0x370 <= ord(ch) <= 0x3FF for ch in core):
        return True  # Cyrillic, Persian, CJK… words: Greek letters alone are math
    if len(core) <= 2:
        return False
    return core.lower() not in _MATH_WORDS


def top_level_positions(*, text: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each needle occurring outside braces/brackets/parentheses, left to right."""
    found: list[tuple[int, int]] = []
    depth = 0
    i, n = 0, len(text)
    firsts = {needle[0] for needle in needles}
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "{}":
            i += 2
            continue
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in firsts:
            for needle in needles:
                if text.startswith(needle, i) and _command_ends(text=text, start=i, needle=needle):
                    found.append((i, i + len(needle)))
                    i += len(needle)
                    break
            else:
                i += 1
            continue
        i += 1
    return found


def _command_ends(*, text: str, start: int, needle: str) -> bool:
    if not needle.startswith("\\") or not needle[-1].isalpha():
        return True
    end = start + len(needle)
    return end >= len(text) or not text[end].isalpha()


def math_rhs(*, text: str) -> str | None:
    """RHS of the last '=' of a line, looked for inside its `$…$` pieces when it has any."""
    if "$" in text and has_prose(text=text):
        for segment in reversed(math_segments(text=text)):
            rhs = last_equals_rhs(text=segment)
            if rhs is not None:
                return rhs
        return None
    return last_equals_rhs(text=text.replace("$", " "))


def has_prose(*, text: str) -> bool:
    """Whether `text` has words outside its `$…$` math that read as prose (not LaTeX commands or math names)."""
    return any(not token.startswith("$") and _is_prose(token=token) for token in _tokens(text=text))


def last_equals_rhs(*, text: str) -> str | None:
    """Text after the last top-level '=' that is not part of '==', '<=', '>=', '!=', ':='; None if none."""
    positions = top_level_positions(text=text, needles=("=",))
    for start, end in reversed(positions):
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before in "<>!:=" or after == "=":
            continue
        rhs = text[end:]
        if rhs.strip(" \t.$,;"):
            return rhs
    return None


def balanced_group(*, text: str, open_at: int, limit: int = MAX_CANDIDATE_CHARS) -> tuple[str, int] | None:
    """Contents of the `{…}` whose '{' is at `open_at`, and the index after its '}'; None if unbalanced."""
    depth = 0
    stop = min(len(text), open_at + limit + 2)
    i = open_at
    while i < stop:
        ch = text[i]
        if ch == "\\" and i + 1 < stop and text[i + 1] in "{}":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i], i + 1
        i += 1
    return None
