"""Turn OCR'd / hand-typed LaTeX into the small dialect the grammar reads.

Purely textual and linear-time: wrappers, sizing and spacing commands, fonts,
unicode look-alikes, ``\\text{softmax}`` -> ``\\softmax``, greek letters ->
words, one-character sub/superscripts braced, comma decimals, a leading
left-hand side (``\\frac{\\partial L}{\\partial z} =``) and trailing
punctuation removed.  Nothing here evaluates anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from grader.mathparse.errors import MathParseError
from grader.text.characters import character_table
from grader.text.wrappers import MATH_DELIMITERS, SIZING_AND_NULL_DELIMITER, SPACING, expression_start, strip_lhs

MAX_RAW_CHARS = 20_000
MAX_CHARS = 2_000
MAX_DEPTH = 60

#: look-alike characters from the one table: dots become `\cdot`; digit scripts are not folded here and the
#: Arabic thousands separator is left alone (`_COMMA_DECIMAL` would read a `,` as a decimal point)
_CHARACTERS = {chr(point): replacement or "" for point, replacement in
               character_table(digits=False, thousands=None, dot=r" \cdot ").items()}
_UNICODE = {
    **_CHARACTERS, "×": r" \times ", "⊙": r" \odot ",
    "∘": r" \circ ", "⊗": r" \otimes ", "≠": r" \neq ", "≥": r" \geq ", "≤": r" \leq ", "⩾": r" \geq ", "⩽": r" \leq ", "ᵀ": "^{T}", "⊤": r"\top ", "′": "'", "’": "'",
    "∑": r"\sum ", "∏": r"\prod ", "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ", "Σ": r"\sum ", "∂": r"\partial ", "∇": r"\nabla ", "√": r"\sqrt ", "𝟙": r"\one ",
    "σ": r"\sigma ", "δ": r"\delta ", "α": r"\alpha ", "β": r"\beta ", "η": r"\eta ", "λ": r"\lambda ",
    "ε": r"\epsilon ", "θ": r"\theta ", "μ": r"\mu ", "π": r"\pi ", "ŷ": r"\hat{y}", "ȳ": r"\bar{y}",
    "⇒": r" \Rightarrow ", "→": r" \Rightarrow ", "≡": "=",
    "ᵢ": "_{i}", "ⱼ": "_{j}", "ₖ": "_{k}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}", "₃": "_{3}",
    "²": "^{2}", "³": "^{3}", "⁻¹": "^{-1}",
}
_UNICODE_RE = re.compile("|".join(re.escape(k) for k in sorted(_UNICODE, key=len, reverse=True)))
_COMBINING_HAT = re.compile(r"([A-Za-z])\u0302")
_COMBINING_BAR = re.compile(r"([A-Za-z])[\u0304\u0305]")

_FRAC = re.compile(r"\\[dt]frac(?![a-zA-Z])|\\cfrac(?![a-zA-Z])")
_FRAC_SHORT = re.compile(r"\\frac\s*([0-9A-Za-z])\s*([0-9A-Za-z])")
_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathit|mathsf|mathcal|pmb|textbf|textit|underline)(?![a-zA-Z])\s*")
_MATHBB_ONE = re.compile(r"\\mathbb\s*\{\s*1\s*\}|\\mathbb\s*1|\\mathds\s*\{\s*1\s*\}|\\mathbf\s*\{\s*1\s*\}_")
_TEXTLIKE = re.compile(r"\\(?:text|textrm|mathrm|operatorname\*?|textnormal|mbox|rm)\s*\{([^{}]{0,80})\}")
_HAT_WORD = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?:_\{?hat\}?|hat)(?![A-Za-z])")
_PRIME = re.compile(r"\^\s*\{?\s*\\prime\s*\}?|\^\s*\{\s*'\s*\}|\\prime(?![a-zA-Z])")
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*(?:\\top|\\intercal|\\mathsf\s*\{?T\}?|T)\s*\}|\\top(?![a-zA-Z])|\\intercal(?![a-zA-Z])|T(?![A-Za-z]))")
_SCRIPT_CMD = re.compile(r"([_^])\s*(\\[A-Za-z]+)")
_DECOR_CHAR = re.compile(r"\\(hat|bar|tilde|widehat|widetilde|overline|dot)\s*([A-Za-z])")
_GREEK = re.compile(r"\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|rho|"
                    r"tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Phi|Psi|Omega|ell)(?![A-Za-z])")
_FUNC_WORD = re.compile(r"(?<![A-Za-z\\])(softmax|sigmoid|sigma|diag|exp|log|ln|relu|ReLU|max|min|tanh|sqrt|floor|ceil|sign|sgn)"
                        r"(?![A-Za-z])")
_SCRIPT_CHAR = re.compile(r"([_^])\s*([A-Za-z0-9])")
_COMMA_DECIMAL = re.compile(r"(?<![\w.{,])(\d+),(\d+)(?![\d,])")
_ARRAY_CASES = re.compile(r"(?:\\left\s*)?\\\{\s*\\begin\s*\{\s*array\s*\}\s*\{[a-z| ]*\}(.{0,1500}?)\\end\s*\{\s*array\s*\}"
                          r"\s*(?:\\right\s*\.)?", re.S)
_BEGIN_CASES = re.compile(r"\\begin\s*\{\s*(?:cases|dcases|rcases)\s*\}")
_END_CASES = re.compile(r"\\end\s*\{\s*(?:cases|dcases|rcases)\s*\}")
_NEQ = re.compile(r"\\not\s*=|!=|\\ne(?![a-zA-Z])|\\neq(?![a-zA-Z])")
_INEQ_WORDS = [(re.compile(r"\\geq?(?![a-zA-Z])|\\geqslant(?![a-zA-Z])|>="), r" \\geq "),
               (re.compile(r"\\leq?(?![a-zA-Z])|\\leqslant(?![a-zA-Z])|<="), r" \\leq "),
               (re.compile(r"\\gt(?![a-zA-Z])"), " > "), (re.compile(r"\\lt(?![a-zA-Z])"), " < ")]
_MISC = [(re.compile(r"\\ast(?![a-zA-Z])"), "*"), (re.compile(r"\\lbrack|\\lbrace"), "("),
         (re.compile(r"\\rbrack|\\rbrace"), ")"), (re.compile(r"\\\{"), "("), (re.compile(r"\\\}"), ")"),
         (re.compile(r"\\lvert|\\rvert|\\vert|\\mid"), "|"), (re.compile(r"\\cdotp|\\centerdot"), r"\\cdot")]
_TRAILING = re.compile(r"(?:\s|[.,;:]|\\\\|\\quad|\\,)+$")

_IF = r"(?:\\text\s*\{\s*(?:if|for|falls|wenn|when)\s*\}|(?<![A-Za-z\\])(?:if|for|when)(?![A-Za-z]))"
_ELSE = r"(?:\\text\s*\{\s*(?:otherwise|else|sonst)\s*\}|(?<![A-Za-z\\])(?:otherwise|else)(?![A-Za-z]))"
_COND = r"[a-z]\s*(?:=|\\neq)\s*[a-z]|[a-z](?:_\{?[a-z0-9]\}?)?\s*(?:>|<|\\geq|\\leq)\s*(?:[a-z]|0)(?![A-Za-z0-9])"
_COND_AFTER_IF = re.compile(rf"{_IF}\s*({_COND})")
_TRAILING_ELSE = re.compile(rf"[,;]?\s*{_ELSE}\s*[.,;]?\s*$")
_ROW_JUNK = re.compile(r"^(?:\s|[,;]|\\quad|\\\\)+|(?:\s|[,;]|\\quad|\\\\)+$")
_UNITS = re.compile(r"\s*(?:\\text\s*\{\s*(?:pixels?|px|Pixel[n]?)\s*\}|(?<![A-Za-z])(?:pixels?|px)(?![A-Za-z]))\s*[.]?\s*$")

#: `… \quad \forall i, j` / `… \text{for all } i, j`: a trailing quantifier over index letters says nothing
_QUANTIFIER = re.compile(
    r"[,;]?\s*(?:\\q?quad\s*)?(?:\\forall(?![a-zA-Z])|∀|\\text\s*\{\s*(?:for\s+(?:all|any|every|each)|für\s+alle)\s*\}"
    r"|(?<![A-Za-z\\])(?:for\s+(?:all|any|every|each)|für\s+alle)(?![A-Za-z]))"
    r"\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*(?:(?:\\in(?![a-zA-Z])|∈)[^;]{0,60})?\s*[.]?\s*$")
#: `\sigma` with no argument after it (`\operatorname{diag}(\sigma) - \sigma \sigma^T`): a quantity named sigma,
#: which a part may declare as an alias (the softmax output); `\sigma(x)`, `\sigma x`, `\sigma'` stay functions
_BARE_SIGMA = re.compile(r"\\sigma(?=\s*(?:$|[)\]}+\-,;&=*/^]|\\\\|\\(?:cdot|odot|circ|times|sigma)(?![A-Za-z])))")
_TEXT_DROP = {"", "if", "for", "when", "wenn", "falls", "si", "where", "and", "für", "für alle", "sonst wenn"}
_TEXT_OTHERWISE = {"otherwise", "else", "sonst", "sinon", "иначе", "andernfalls", "other", "elsewhere"}


def depth_ok(*, text: str, limit: int = MAX_DEPTH) -> bool:
    """True when brackets ({[( and \\begin) never nest deeper than ``limit``; linear scan."""
    depth = 0
    for ch in text:
        if ch in "{([":
            depth += 1
            if depth > limit:
                return False
        elif ch in "})]":
            depth = max(0, depth - 1)
    return True


def _textlike(match: re.Match[str]) -> str:
    content = match.group(1).strip()
    low = content.lower().rstrip(":,")
    if low in _TEXT_DROP:
        return " "
    if low in _TEXT_OTHERWISE:
        return r" \otherwise "
    if low.startswith("if ") or low.startswith("for "):
        return " " + content.split(" ", 1)[1] + " "
    if low in ("d",):
        return " d "
    return " " + re.sub(r"\s+", "", content) + " "


def inline_cases(*, text: str) -> str:
    """'A if i = j, B otherwise' / 'A if i=j; B if i \\neq j' -> a cases environment (linear time)."""
    if r"\begin{cases}" in text:
        return text
    conds = list(_COND_AFTER_IF.finditer(text))
    if len(conds) == 2 and not _ROW_JUNK.sub("", text[conds[1].end():]).strip(" ."):
        a, b = text[:conds[0].start()], text[conds[0].end():conds[1].start()]
        second = conds[1].group(1)
    elif len(conds) == 1:
        tail = _TRAILING_ELSE.search(text, max(conds[0].end(), len(text) - _TAIL))
        if tail is None:
            return text
        a, b = text[:conds[0].start()], text[conds[0].end():tail.start()]
        second = r"\otherwise"
    else:
        return text
    a, b = _ROW_JUNK.sub("", strip_lhs(text=a)), _ROW_JUNK.sub("", b)
    if not a or not b:
        return text
    return rf"\begin{{cases}} {a} & {conds[0].group(1)} \\ {b} & {second} \end{{cases}}"


class _Tracked:
    """Text being normalised plus, for every character, its offset in the student's text
    (one extra entry for the end).  Each substitution is one linear pass; replacement text
    maps to where its match started, except group references (``\\1``), which keep their own offsets."""

    def __init__(self, text: str, origin: list[int]) -> None:
        self.s = text
        self.origin = origin

    def sub(self, pattern: re.Pattern[str], repl, pos: int = 0) -> None:
        pieces = _template(repl) if isinstance(repl, str) else None
        out: list[str] = []
        origin: list[int] = []
        last = 0
        for m in pattern.finditer(self.s, pos):
            out.append(self.s[last:m.start()])
            origin.extend(self.origin[last:m.start()])
            at = self.origin[m.start()]
            if pieces is None:
                text = repl(m)
                out.append(text)
                origin.extend([at] * len(text))
            else:
                for literal, group in pieces:
                    if group is None:
                        out.append(literal)
                        origin.extend([at] * len(literal))
                    elif m.group(group) is not None:
                        out.append(m.group(group))
                        origin.extend(self.origin[m.start(group):m.end(group)])
            last = m.end()
        if last == 0 and not out:
            return
        out.append(self.s[last:])
        origin.extend(self.origin[last:])  # includes the end entry
        self.s, self.origin = "".join(out), origin

    def replace_all(self, text: str) -> None:
        """A rewrite that is not a substitution (inline cases): every character maps to where the text began."""
        if text != self.s:
            self.s, self.origin = text, [self.origin[0]] * len(text) + [self.origin[-1]]

    def keep_from(self, start: int) -> None:
        self.s, self.origin = self.s[start:], self.origin[start:]


_TEMPLATE_PART = re.compile(r"\\(\d)|\\\\|[^\\]+|\\")


@lru_cache(maxsize=256)
def _template(repl: str) -> tuple[tuple[str, int | None], ...]:
    """``r"\\hat{\\1}"`` -> (("\\hat{", None), ("", 1), ("}", None)): literal text and group references (a
    replacement's pieces, read once: the rewrites use a few dozen fixed ones)."""
    pieces: list[tuple[str, int | None]] = []
    for m in _TEMPLATE_PART.finditer(repl):
        if m.group(1):
            pieces.append(("", int(m.group(1))))
        else:
            pieces.append(("\\" if m.group(0) == "\\\\" else m.group(0), None))
    return tuple(pieces)


def _nfc(text: str) -> _Tracked:
    """NFC per cluster (a character and its combining marks), so each cluster keeps its offset."""
    out: list[str] = []
    origin: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            cluster = text[start:i]
            composed = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or not cluster.isascii() else cluster
            out.append(composed)
            origin.extend([start] * len(composed))
            start = i
    return _Tracked("".join(out), origin + [len(text)])


#: `Z[i,j_1,j_2,m]`: a comma list of index names in brackets right after a name is indexing
#: (`y[1-y]`, one item or an expression, stays a bracket)
_INDEX_NAME = r"[A-Za-z](?:_\{?[A-Za-z0-9]\}?)?"
#: an entry of a bracket index: a name, or index arithmetic (`j_1 + k_1`, `j - 1`)
_INDEX_ITEM = rf"(?:{_INDEX_NAME}|\d+)(?:\s*[+-]\s*(?:{_INDEX_NAME}|\d+))*"
_BRACKET_INDEX = re.compile(rf"(?<=[A-Za-z}}])\[\s*({_INDEX_ITEM}(?:\s*,\s*{_INDEX_ITEM})+)\s*\]")
#: `\sum_{k=1}^{C} e^{z_k}, k \neq i` / `… \quad k \neq i` / `… \text{for } k \neq i`: a trailing exclusion of a
#: sum's index, rewritten to `… \where k \neq i` (searched only in the last _TAIL characters, so bounded)
_TRAILING_EXCLUSION = re.compile(
    rf"(?:\s*(?:[,;]|\\q?quad(?![A-Za-z])|\\text\s*\{{\s*(?:for|where|with)\s*\}}|(?<![A-Za-z\\])(?:for|where|with)(?![A-Za-z])))*"
    rf"\s*\(?\s*(?<![A-Za-z0-9_\\])({_INDEX_NAME})\s*\\neq\s*({_INDEX_NAME})\s*\)?\s*[.]?\s*$")
_TAIL = 160
_WHITESPACE = re.compile(r"\s+")
_LEADING_PUNCT = re.compile(r"^\s*(?:[.,;:]|\\quad)+")
_OTHERWISE_WORD = re.compile(r"(?<![A-Za-z\\])(otherwise|else|sonst)(?![A-Za-z])")
_AMP_IF = re.compile(r"&\s*(?:if|for|when)(?![A-Za-z])")
_EDGE_SPACE = re.compile(r"^ | $")


def normalise_with_offsets(*, text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters (plus one for the end), the offset in ``text``
    it came from; raises MathParseError when too long or too deep."""
    if not isinstance(text, str):
        raise MathParseError("answer is not text")
    if len(text) > MAX_RAW_CHARS:
        raise MathParseError(f"answer longer than {MAX_RAW_CHARS} characters")
    if not depth_ok(text=text):
        raise MathParseError(f"brackets nested deeper than {MAX_DEPTH}")
    t = _nfc(text)
    for rewrite in _PASSES:
        rewrite(t)
    if len(t.s) > MAX_CHARS:
        raise MathParseError(f"expression longer than {MAX_CHARS} characters")
    if not t.s:
        raise MathParseError("empty expression")
    return t.s, t.origin


def _characters_and_delimiters(t: _Tracked) -> None:
    """Unicode math characters and combining accents as commands; math delimiters, sizing and spacing away;
    `cases` environments and inequality words in one spelling."""
    t.sub(_COMBINING_HAT, r"\\hat{\1}")
    t.sub(_COMBINING_BAR, r"\\bar{\1}")
    t.sub(_UNICODE_RE, lambda m: _UNICODE[m.group(0)])
    t.sub(_BRACKET_INDEX, r"_{\1}")
    t.sub(MATH_DELIMITERS, " ")
    t.sub(_ARRAY_CASES, r" \\begin{cases} \1 \\end{cases} ")
    t.sub(SIZING_AND_NULL_DELIMITER, "")
    t.sub(SPACING, " ")
    t.sub(_BEGIN_CASES, r" \\begin{cases} ")
    t.sub(_END_CASES, r" \\end{cases} ")
    t.sub(_NEQ, r" \\neq ")
    for pattern, repl in _INEQ_WORDS:
        t.sub(pattern, repl)


def _tail_and_start(t: _Tracked) -> None:
    """Units, quantifiers and a sum's trailing exclusion at the end; inline cases; the text from where the
    expression starts.  Patterns anchored at the end are only tried in the last _TAIL characters: tried at
    every position of a long run of spaces or commas they would take quadratic time."""
    t.sub(_UNITS, "", pos=max(0, len(t.s) - _TAIL))
    t.sub(_QUANTIFIER, "", pos=max(0, len(t.s) - _TAIL))
    tail = max(0, len(t.s) - _TAIL)
    exclusion = _TRAILING_EXCLUSION.search(t.s, tail)
    if exclusion is not None and re.search(r"\\(?:sum|prod)(?![A-Za-z])", t.s[:exclusion.start()]):
        t.sub(_TRAILING_EXCLUSION, r" \\where \1 \\neq \2", pos=tail)
    t.replace_all(inline_cases(text=t.s))
    t.keep_from(expression_start(text=t.s))


def _notation(t: _Tracked) -> None:
    """Fonts, text-like commands, words, primes, transposes, accents, scripts, Greek letters and function
    names in the grammar's one spelling."""
    t.sub(_FRAC, r"\\frac")
    t.sub(_MATHBB_ONE, r"\\one ")
    t.sub(_FONTS, "")
    t.sub(_TEXTLIKE, _textlike)
    for pattern, repl in _MISC:
        t.sub(pattern, repl)
    t.sub(_OTHERWISE_WORD, r" \\otherwise ")
    t.sub(_AMP_IF, "& ")
    t.sub(_HAT_WORD, r"\\hat{\1}")
    t.sub(_PRIME, "'")
    t.sub(_TRANSPOSE, "^{T}")
    t.sub(_FRAC_SHORT, r"\\frac{\1}{\2}")
    t.sub(_DECOR_CHAR, r"\\\1{\2}")
    t.sub(_SCRIPT_CMD, r"\1{\2}")
    t.sub(_GREEK, r" \1 ")
    t.sub(_FUNC_WORD, r" \\\1")
    t.sub(_BARE_SIGMA, " sigma ")
    t.sub(_SCRIPT_CHAR, r"\1{\2}")
    t.sub(_COMMA_DECIMAL, r"\1.\2")


def _edges_and_spaces(t: _Tracked) -> None:
    """Trailing and leading punctuation away, runs of white space as one space, none at the edges."""
    t.sub(_TRAILING, "", pos=max(0, len(t.s) - _TAIL))
    t.sub(_LEADING_PUNCT, "")
    t.sub(_WHITESPACE, " ")
    t.sub(_EDGE_SPACE, "")


#: the rewrites of the text, in the order they apply (each sees the text the one before left)
_PASSES: tuple[Callable[[_Tracked], None], ...] = (_characters_and_delimiters, _tail_and_start, _notation,
                                                   _edges_and_spaces)


def normalise(*, text: str) -> str:
    """Normalised text ready for the grammar; raises MathParseError when too long or too deep."""
    return normalise_with_offsets(text=text)[0]
