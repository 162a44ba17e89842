"""Reading a ``range`` answer's text: rewritten to one spelling, cut into tokens (``n`` a number, ``v`` a
variable, a symbol per operator), whose string of kinds ``PATTERN`` matches (grader.answers.ranges)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from grader.answers.base import ParseFailure
from grader.problems.models import Part

MAX_TOKENS = 400
INF = math.inf

_REWRITES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\\(?:leqslant|leq|le)(?![a-zA-Z])|<=|⩽|≦"), " ≤ "),
    (re.compile(r"\\(?:geqslant|geq|ge)(?![a-zA-Z])|>=|⩾|≧"), " ≥ "),
    (re.compile(r"\\lt(?![a-zA-Z])"), " < "),
    (re.compile(r"\\gt(?![a-zA-Z])"), " > "),
    (re.compile(r"(?:\\in|∈)\s*(?:\\mathbb\s*\{?\s*[ZNR]\s*\}?|[ℤℕℝ])(?:\s*[,;:]|\s+(?=[0-9-]))?"), " "),
    (re.compile(r"\\in(?![a-zA-Z])|∈"), " ∈ "),
    (re.compile(r"\\[{}]"), lambda m: m.group(0)[1]),
    (re.compile(r"\\(?:ldots|dots|cdots|dotsc)(?![a-zA-Z])|…|\.{2,3}"), " .. "),
    (re.compile(r"\\infty(?![a-zA-Z])|\binf(?:inity)?\b", re.I), "∞"),
    (re.compile(r"(?<![^\W\d_])(?:to|bis|до|по|until|through)(?![^\W\d_])|(?<=\s)تا(?=\s)", re.I), " .. "),
    (re.compile(r"(?<![^\W\d_])(?:from|von|от|de|desde|از)(?![^\W\d_])", re.I), " "),
    (re.compile(r"(?<![^\W\d_])(?:or|and|und|oder|или|и|ou|et|o|y|یا|و)(?![^\W\d_])", re.I), " , "),
]
_TOKEN = re.compile(r"(?P<n>[-+]?\s?(?:[0-9]+(?:\.[0-9]+)?|∞))|(?P<op>≤|≥|<|>|∈|=|\.\.|[,;{}\[\]()])"
                    r"|(?P<v>\\?[A-Za-zА-Яа-яα-ω]+(?:_[A-Za-z0-9]+|[₀-₉]+)?'?)|(?P<s>\s+)|(?P<x>.)")
_SYMBOL = {"≤": "l", "<": "<", "≥": "g", ">": ">", "∈": "e", "=": "=", "..": "d", ",": ",", ";": ";"}
PATTERN = re.compile(
    r"(?P<chain>n[l<]v[l<]n|n[g>]v[g>]n)"
    r"|(?P<interval>(?:v[e=])?[\[(]n[,;]n[\])])"
    r"|(?P<set>(?:v[e=])?\{[nd](?:[,;]?[nd]){0,400}\})"
    r"|(?P<dots>(?:v[e=])?ndn)"
    r"|(?P<list>v=n(?:,n){0,400})"
    r"|(?P<one>v[l<g>]n|n[l<g>]v)")


def number(text: str) -> float:
    text = text.replace(" ", "")
    if text.endswith("∞"):
        return -INF if text.startswith("-") else INF
    return float(text)


def read_tokens(cleaned: str, part: Part) -> list[tuple[str, str]] | ParseFailure:
    """The answer as (kind, text) tokens: ``n`` a number, ``v`` a variable, else the symbol of an operator
    (``_SYMBOL``); spaces and other characters dropped."""
    normal = cleaned
    if part.domain == "reals" or ";" in normal:
        normal = re.sub(r"(?<=\d),(?=\d)", ".", normal) if ";" in normal else normal
    for pattern, replacement in _REWRITES:
        normal = pattern.sub(replacement, normal)
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(normal):
        kind = match.lastgroup or ""  # every alternative of _TOKEN is a named group
        if kind in ("s", "x"):
            continue
        value = match.group(0)
        tokens.append((kind, value) if kind != "op" else (_SYMBOL.get(value, value), value))
        if len(tokens) > MAX_TOKENS:
            return ParseFailure("the answer is too long to be one range")
    return tokens


def side(piece: list[tuple[str, str]], nums: list[float], var: str | None) -> tuple[str, float, bool, str]:
    """One end of a range written alone (``k ≥ 0``, ``2 > k``): (lower|upper, bound, open, variable)."""
    first, op = piece[0][0], piece[1][0]
    lower = (op in "g>") if first == "v" else (op in "l<")
    return ("lower" if lower else "upper", nums[0], op in "<>", var or "")
