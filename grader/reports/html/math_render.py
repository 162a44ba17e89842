"""LaTeX to MathML on the server side, safe for hostile input.

latex2mathml does not escape everything it emits (``\\text{<script>}`` comes out
as a raw tag, ``\\href``/``\\style`` become attributes), so its string output is
never used: we take its element tree and serialise it ourselves, keeping only
MathML elements and presentation attributes from an allow-list and escaping
every text node and attribute value.  Anything unexpected falls back to escaped
``<code>``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

#: longest LaTeX we hand to the converter (student text is hostile)
MAX_LATEX_CHARS = 600
#: deepest element nesting we serialise
MAX_DEPTH = 60

_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
    "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none", "semantics",
})
_ATTRS = frozenset({
    "mathvariant", "displaystyle", "scriptlevel", "stretchy", "fence", "separator", "lspace", "rspace",
    "minsize", "maxsize", "columnalign", "rowalign", "rowspacing", "columnspacing", "columnlines", "rowlines",
    "frame", "accent", "accentunder", "linethickness", "notation", "width", "height", "depth",
    "movablelimits", "largeop", "symmetric", "form", "mathcolor", "mathbackground",
})
_SAFE_VALUE = re.compile(r"^[#\w.%\s+-]{0,48}$")
_COMMAND = re.compile(r"\\[A-Za-z]+|\\[{}%$&_#,;! ]")
_DELIMITED = re.compile(r"^\s*(\$\$?)(.+?)\1\s*$|^\s*\\\((.+?)\\\)\s*$|^\s*\\\[(.+?)\\\]\s*$", re.DOTALL)
#: a comma between two digits with no space (``0,5``) is a decimal comma or a digit group, not a list separator;
#: text groups (``\text{1,5 m}``) are matched first and left as they are
_DIGIT_COMMA = re.compile(r"(\\(?:text[a-z]*|mbox|operatorname)\s*\{[^{}]*\})|(?<=\d),(?=\d)")
#: the separators that join the digits around them into one number, written ``{,}`` / ``{.}`` in LaTeX
_NUMBER_SEPARATORS = (",", ".")
_MATHY = re.compile(r"^[\w\s.,;:+\-*/=<>()\[\]{}^_|'!]*$")


@dataclass(frozen=True)
class MathHtml:
    """An HTML fragment: rendered MathML (``is_math``) or escaped ``<code>``; safe to write as is."""

    html: Markup
    is_math: bool


class _Unsafe(ValueError):
    """The converter produced something outside the allow-list."""


def code_html(*, text: str, limit: int = MAX_LATEX_CHARS) -> Markup:
    """Escaped inline code; long text is cut with an ellipsis."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    # escape() is what Markup.format applies to a text, without its Formatter: this runs for every page (the file
    # name) and every answer that is not math
    return Markup(f'<code dir="auto">{escape(shown)}</code>')  # noqa: S704 - the text is escaped


#: distinct LaTeX strings whose rendering is kept: a class repeats answers, and every page repeats the references
#: (kept the most recently used: the references stay). It renders for a card that is made (the cards' own cache
#: keeps the rest), so few texts come back: over a worker's 5 000 files of a 10 000-file class 4096 entries
#: (~0.95 kB each, ~3.9 MB) had 730 hits for 4 821 misses
RENDER_CACHE_SIZE = 512


def render_latex(*, latex: str, display: bool = False) -> MathHtml:
    """MathML for ``latex``; escaped code when it is too long, does not parse, or looks unsafe."""
    return _render_latex(latex, display)


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render_latex(latex: str, display: bool) -> MathHtml:
    source = latex.strip()
    if not source or len(source) > MAX_LATEX_CHARS:
        return MathHtml(html=code_html(text=latex), is_math=False)
    try:
        from latex2mathml.converter import convert_to_element

        # `0,5` is written `0{,}5` for the converter, which wraps a braced comma in its own <mrow>: the one
        # mark that tells a decimal comma from the separator of `(1, 2)`, after which LaTeX puts a space
        element = convert_to_element(_DIGIT_COMMA.sub(_brace_comma, source), display="block" if display else "inline")
        _join_numbers(element, depth=0)
        body = _serialise(element, depth=0)
    except Exception:  # the converter raises many kinds of errors on bad input
        return MathHtml(html=code_html(text=latex), is_math=False)
    label = html.escape(" ".join(source.split()), quote=True)
    # the serialiser below escaped every text node and attribute value: this is where MathML becomes safe HTML
    return MathHtml(html=Markup(body.replace("<math ", f'<math aria-label="{label}" ', 1)), is_math=True)  # noqa: S704 - the serialiser escaped every text and attribute


def looks_like_latex(*, text: str) -> bool:
    """Whether student text is meant as LaTeX (``$…$``, ``\\frac``, ``x^2``, ``a_{ij}``)."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_LATEX_CHARS:
        return False
    if _DELIMITED.match(stripped):
        return True
    return bool(_COMMAND.search(stripped)) or (bool(re.search(r"[\^_]", stripped)) and bool(_MATHY.match(stripped)))


def strip_delimiters(*, text: str) -> str:
    match = _DELIMITED.match(text)
    if not match:
        return text.strip()
    return next(group for group in (match.group(2), match.group(3), match.group(4)) if group is not None).strip()


def render_answer(*, text: str) -> MathHtml:
    """A student's answer: MathML when it is LaTeX that parses, otherwise escaped code."""
    if looks_like_latex(text=text):
        rendered = render_latex(latex=strip_delimiters(text=text))
        if rendered.is_math:
            return rendered
    return MathHtml(html=code_html(text=text), is_math=False)


def _brace_comma(match: re.Match[str]) -> str:
    return match.group(1) or "{,}"


def _join_numbers(element: Any, *, depth: int) -> None:
    """Merge ``<mn>0</mn><mrow><mo>,</mo></mrow><mn>5</mn>`` (from ``0{,}5``) into ``<mn>0,5</mn>``, in place."""
    if depth > MAX_DEPTH:
        raise _Unsafe("too deep")
    children = list(element)
    for child in children:
        _join_numbers(child, depth=depth + 1)
    joined: list[Any] = []
    i = 0
    while i < len(children):
        child = children[i]
        while (child.tag == "mn" and i + 2 < len(children) and _separator(children[i + 1]) is not None
               and children[i + 2].tag == "mn" and _digits_meet(child, children[i + 2])):
            child.text = html.unescape(child.text) + _separator(children[i + 1]) + html.unescape(children[i + 2].text)
            child.tail = children[i + 2].tail
            i += 2
        joined.append(child)
        i += 1
    if len(joined) != len(children):
        element[:] = joined


def _separator(element: Any) -> str | None:
    """The separator of a braced ``{,}`` / ``{.}``: an <mrow> holding one <mo> with only that text."""
    if element.tag != "mrow" or len(element) != 1 or (element.text or "").strip():
        return None
    (mo,) = element
    text = html.unescape(mo.text or "")
    return text if mo.tag == "mo" and len(mo) == 0 and text in _NUMBER_SEPARATORS and not (mo.tail or "").strip() \
        else None


def _digits_meet(left: Any, right: Any) -> bool:
    before, after = html.unescape(left.text or ""), html.unescape(right.text or "")
    return bool(before) and bool(after) and before[-1].isdigit() and after[0].isdigit() and not len(left) \
        and not len(right)


def _serialise(element: Any, *, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise _Unsafe("too deep")
    tag = element.tag
    if not isinstance(tag, str) or tag not in _TAGS:
        raise _Unsafe(f"element {tag!r}")
    attrs = []
    if tag == "math":
        attrs.append('xmlns="http://www.w3.org/1998/Math/MathML"')
        if element.get("display") == "block":
            attrs.append('display="block"')
    for name in sorted(element.attrib):
        value = element.attrib[name]
        if name in _ATTRS and isinstance(value, str) and _SAFE_VALUE.match(value):
            attrs.append(f'{name}="{html.escape(value, quote=True)}"')
    parts = [f"<{tag}{(' ' + ' '.join(attrs)) if attrs else ''}>"]
    if element.text:
        parts.append(_text(element.text))
    for child in element:
        parts.append(_serialise(child, depth=depth + 1))
        if child.tail:
            parts.append(_text(child.tail))
    parts.append(f"</{tag}>")
    return "".join(parts)


def _text(text: str) -> str:
    # the converter leaves some characters as entity strings ("&#x0003C;"); decode, then escape everything
    return html.escape(html.unescape(text), quote=True)
