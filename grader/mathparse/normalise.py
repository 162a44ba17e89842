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

from grader.mathparse.errors import MathParseError

MAX_RAW_CHARS = 20_000
MAX_CHARS = 2_000
MAX_DEPTH = 60

_UNICODE = {
    "−": "-", "–": "-", "—": "-", "‒": "-", "﹣": "-", "－": "-",
    "·": r" \cdot ", "⋅": r" \cdot ", "∙": r" \cdot ", "•": r" \cdot ", "×": r" \times ", "⊙": r" \odot ",
    "∘": r" \circ ", "⊗": r" \otimes ", "≠": r" \neq ", "ᵀ": "^{T}", "⊤": r"\top ", "′": "'", "’": "'",
    "∑": r"\sum ", "∏": r"\prod ", "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ", "Σ": r"\sum ", "∂": r"\partial ", "∇": r"\nabla ", "√": r"\sqrt ", "𝟙": r"\one ",
    "σ": r"\sigma ", "δ": r"\delta ", "α": r"\alpha ", "β": r"\beta ", "η": r"\eta ", "λ": r"\lambda ",
    "ε": r"\epsilon ", "θ": r"\theta ", "μ": r"\mu ", "π": r"\pi ", "ŷ": r"\hat{y}", "ȳ": r"\bar{y}",
    "⇒": r" \Rightarrow ", "→": r" \Rightarrow ", "≡": "=", "：": ":",
    "\u2009": " ", "\u202f": " ", "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "",
    "\u200e": "", "\u200f": "", "\u2066": "", "\u2067": "", "\u2069": "", "\u202a": "", "\u202c": "",
    "，": ",", "٫": ".",
    "ᵢ": "_{i}", "ⱼ": "_{j}", "ₖ": "_{k}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}", "₃": "_{3}",
    "²": "^{2}", "³": "^{3}", "⁻¹": "^{-1}",
}
_UNICODE_RE = re.compile("|".join(re.escape(k) for k in sorted(_UNICODE, key=len, reverse=True)))
_COMBINING_HAT = re.compile(r"([A-Za-z])\u0302")
_COMBINING_BAR = re.compile(r"([A-Za-z])[\u0304\u0305]")

_WRAPPERS = re.compile(r"\$+|\\\[|\\\]|\\\(|\\\)")
_SIZING = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![a-zA-Z])\s*\.?")
_SPACES = re.compile(r"(?<!\\)\\[,;:! ]|\\q?quad(?![a-zA-Z])|~|\\displaystyle(?![a-zA-Z])|\\limits(?![a-zA-Z])"
                     r"|\\nolimits(?![a-zA-Z])|\\textstyle(?![a-zA-Z])")
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
_FUNC_WORD = re.compile(r"(?<![A-Za-z\\])(softmax|sigmoid|sigma|diag|exp|log|ln|relu|ReLU|max|min|tanh|sqrt|floor|ceil)"
                        r"(?![A-Za-z])")
_SCRIPT_CHAR = re.compile(r"([_^])\s*([A-Za-z0-9])")
_COMMA_DECIMAL = re.compile(r"(?<![\w.{,])(\d+),(\d+)(?![\d,])")
_ARRAY_CASES = re.compile(r"(?:\\left\s*)?\\\{\s*\\begin\s*\{\s*array\s*\}\s*\{[a-z| ]*\}(.{0,1500}?)\\end\s*\{\s*array\s*\}"
                          r"\s*(?:\\right\s*\.)?", re.S)
_BEGIN_CASES = re.compile(r"\\begin\s*\{\s*(?:cases|dcases|rcases)\s*\}")
_END_CASES = re.compile(r"\\end\s*\{\s*(?:cases|dcases|rcases)\s*\}")
_NEQ = re.compile(r"\\not\s*=|!=|\\ne(?![a-zA-Z])|\\neq(?![a-zA-Z])")
_MISC = [(re.compile(r"\\ast(?![a-zA-Z])"), "*"), (re.compile(r"\\lbrack|\\lbrace"), "("),
         (re.compile(r"\\rbrack|\\rbrace"), ")"), (re.compile(r"\\\{"), "("), (re.compile(r"\\\}"), ")"),
         (re.compile(r"\\lvert|\\rvert|\\vert|\\mid"), "|"), (re.compile(r"\\cdotp|\\centerdot"), r"\\cdot")]
_TRAILING = re.compile(r"(?:\s|[.,;:]|\\\\|\\quad|\\,)+$")
_SEPARATORS = re.compile(r"=|\\Rightarrow(?![a-zA-Z])|\\implies(?![a-zA-Z])|\\Longrightarrow(?![a-zA-Z])|\\to(?![a-zA-Z])")
_DERIVATIVE_LHS = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\\frac\s*\{\s*\\mathrm\s*\{\s*d|\\frac\s*\{\s*\\text\s*\{\s*d|^\s*d\w*\s*/\s*d")
_PLAIN_LHS = re.compile(r"^[\\A-Za-z0-9{}\s_^'(),]*$")

_IF = r"(?:\\text\s*\{\s*(?:if|for|falls|wenn|when)\s*\}|(?<![A-Za-z\\])(?:if|for|when)(?![A-Za-z]))"
_ELSE = r"(?:\\text\s*\{\s*(?:otherwise|else|sonst)\s*\}|(?<![A-Za-z\\])(?:otherwise|else)(?![A-Za-z]))"
_COND = r"[a-z]\s*(?:=|\\neq)\s*[a-z]"
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
_TEXT_DROP = {"", "if", "for", "when", "wenn", "falls", "si", "where", "and", "falls", "für", "für alle", "sonst wenn"}
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


def strip_lhs(*, text: str) -> str:
    """Drop ``LHS =`` when the LHS is a derivative or a plain symbol; keep the last of a chain."""
    parts = _split_top_level(text)
    if len(parts) < 2:
        return text
    lhs = parts[0].strip()
    if not lhs:
        return parts[-1]
    is_derivative = bool(_DERIVATIVE_LHS.search(lhs))
    is_plain = len(lhs) <= 40 and bool(_PLAIN_LHS.match(lhs)) and not re.search(r"[+\-*/]", lhs)
    if is_derivative or is_plain:
        return parts[-1]
    return text


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
        tail = _TRAILING_ELSE.search(text, conds[0].end())
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


def normalise(*, text: str) -> str:
    """Normalised text ready for the grammar; raises MathParseError when too long or too deep."""
    if not isinstance(text, str):
        raise MathParseError("answer is not text")
    if len(text) > MAX_RAW_CHARS:
        raise MathParseError(f"answer longer than {MAX_RAW_CHARS} characters")
    if not depth_ok(text=text):
        raise MathParseError(f"brackets nested deeper than {MAX_DEPTH}")
    s = unicodedata.normalize("NFC", text)
    s = _COMBINING_HAT.sub(r"\\hat{\1}", s)
    s = _COMBINING_BAR.sub(r"\\bar{\1}", s)
    s = _UNICODE_RE.sub(lambda m: _UNICODE[m.group(0)], s)
    s = _WRAPPERS.sub(" ", s)
    s = _ARRAY_CASES.sub(lambda m: r" \begin{cases} " + m.group(1) + r" \end{cases} ", s)
    s = _SIZING.sub("", s)
    s = _SPACES.sub(" ", s)
    s = _BEGIN_CASES.sub(r" \\begin{cases} ", s)
    s = _END_CASES.sub(r" \\end{cases} ", s)
    s = _NEQ.sub(r" \\neq ", s)
    s = _UNITS.sub("", s)
    s = _QUANTIFIER.sub("", s)
    s = inline_cases(text=s)
    s = strip_lhs(text=s)
    s = _FRAC.sub(r"\\frac", s)
    s = _MATHBB_ONE.sub(r"\\one ", s)
    s = _FONTS.sub("", s)
    s = _TEXTLIKE.sub(_textlike, s)
    for pattern, repl in _MISC:
        s = pattern.sub(repl, s)
    s = re.sub(r"(?<![A-Za-z\\])(otherwise|else|sonst)(?![A-Za-z])", r" \\otherwise ", s)
    s = re.sub(r"&\s*(?:if|for|when)(?![A-Za-z])", "& ", s)
    s = _HAT_WORD.sub(r"\\hat{\1}", s)
    s = _PRIME.sub("'", s)
    s = _TRANSPOSE.sub("^{T}", s)
    s = _FRAC_SHORT.sub(r"\\frac{\1}{\2}", s)
    s = _DECOR_CHAR.sub(r"\\\1{\2}", s)
    s = _SCRIPT_CMD.sub(r"\1{\2}", s)
    s = _GREEK.sub(r" \1 ", s)
    s = _FUNC_WORD.sub(r" \\\1", s)
    s = _BARE_SIGMA.sub(" sigma ", s)
    s = _SCRIPT_CHAR.sub(r"\1{\2}", s)
    s = _COMMA_DECIMAL.sub(r"\1.\2", s)
    s = _TRAILING.sub("", s)
    s = re.sub(r"^\s*(?:[.,;:]|\\quad)+", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) > MAX_CHARS:
        raise MathParseError(f"expression longer than {MAX_CHARS} characters")
    if not s:
        raise MathParseError("empty expression")
    return s
