"""Arithmetic on the numeric expressions students write.

``3 \\cdot 3 \\cdot 10 \\cdot 20 + 20``, ``5.1336*10^6``, ``\\frac{3}{4}``, ``2^{10}`` evaluate to exact
rationals; closed-form constants evaluate too: ``\\ln 2``, ``\\log_2 8``, ``e``, ``e^{-1}``, ``\\exp(1)``,
``\\sqrt{2}``, ``\\pi``, ``\\lfloor \\frac{223}{2} \\rfloor + 1``, ``\\lceil 7/2 \\rceil``.

A small recursive-descent parser over our own tokens: nothing is ever passed to ``eval``, ``sympify`` or a
parser of someone else's.  A value is an exact ``Fraction`` while every step is exact (``\\sqrt{16}``,
``\\ln 1``, ``\\log_2 8``, ``e^{0}``, floors and ceilings of exact values are); a step that is not (``\\ln 2``,
``e``, ``\\sqrt{2}``) makes it a float, and the :class:`Number` says so (``exact``): a count must be exact.

Conventions (the ML ones, as ``grader.mathparse`` reads expressions): ``\\log`` and ``\\ln`` are the natural
logarithm, ``\\log_b x`` is base ``b``; ``e`` standing alone is Euler's number, while inside a number literal
it is e-notation (``9e-2``); ``e`` right after a number is refused unless a power follows (``2e^{-1}``), as
``2 e-2`` could be either.  Sizes are bounded so that ``10^{10^{10}}`` and ``e^{e^{e^{99}}}`` are refused
instead of computed; a floor or ceiling of an inexact value this close to a whole number is refused, not
guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from collections.abc import Callable
from fractions import Fraction
from typing import Any

MAX_DEPTH = 50
MAX_TOKENS = 400
MAX_EXPONENT = 400
MAX_DIGITS = 400
MAX_FLOAT = 1e300        # an inexact value beyond this is refused (as an exact one beyond MAX_DIGITS is)
WHOLE_TOLERANCE = 1e-9   # relative: an inexact value this close to a whole number has no floor we can trust

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<frac>\\frac)"
    r"|(?P<func>\\(?:sqrt|ln|log|exp)(?![A-Za-z])|(?<![A-Za-z])(?:sqrt|ln|log|exp|floor|ceil)(?![A-Za-z]))"
    r"|(?P<bracket>\\[lr](?:floor|ceil)(?![A-Za-z])|[⌊⌋⌈⌉])"
    r"|(?P<const>\\pi(?![A-Za-z])|π|(?<![A-Za-z])e(?![A-Za-z]))"
    r"|(?P<op>[-+*/^(){}×_]))"
)
_CANONICAL = {"sqrt": "\\sqrt", "ln": "\\ln", "log": "\\log", "exp": "\\exp", "⌊": "\\lfloor", "⌋": "\\rfloor",
              "⌈": "\\lceil", "⌉": "\\rceil", "π": "\\pi"}
_FUNCTIONS = frozenset({"\\sqrt", "\\ln", "\\log", "\\exp", "floor", "ceil"})
_CLOSING = {"\\lfloor": "\\rfloor", "\\lceil": "\\rceil"}
#: tokens that start a factor written right after another one (``2\\frac{1}{2}``, ``2\\ln 2``, ``2e^{-1}``)
_IMPLICIT = frozenset({"(", "{", "\\frac", "\\lfloor", "\\lceil", "\\pi", "e"}) | _FUNCTIONS

Value = Fraction | float


class ArithError(ValueError):
    pass


@dataclass(frozen=True)
class Number:
    value: Fraction
    #: digits after the decimal point when the answer was one plain literal
    decimals: int | None
    literal: bool
    #: False when a step was not exact (``\\ln 2``, ``e``): ``value`` is then the float's own value
    exact: bool = True


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ArithError(f"cannot read {text[pos:pos + 12]!r}")
        token = match.group(match.lastgroup or "op")
        tokens.append(_CANONICAL.get(token, token))
        pos = match.end()
        if len(tokens) > MAX_TOKENS:
            raise ArithError("expression too long")
    if not tokens:
        raise ArithError("empty")
    return tokens


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token[0] == "."


def evaluate(text: str) -> Number:
    tokens = tokenize(text)
    parser = _Parser(tokens)
    try:
        value = parser.expr(0)
    except (OverflowError, ZeroDivisionError) as exc:  # a float step out of range: refused like a large number
        raise ArithError(f"number too large ({exc})") from None
    if parser.pos != len(tokens):
        raise ArithError(f"unexpected {tokens[parser.pos]!r}")
    literal = _is_number(tokens[-1]) and (len(tokens) == 1 or (len(tokens) == 2 and tokens[0] in "+-"))
    decimals = None
    if literal:
        raw = tokens[-1]
        if "e" not in raw.lower():
            decimals = len(raw.partition(".")[2])
    if isinstance(value, Fraction):
        if abs(value) > MAX_FLOAT:  # `10^{400}` is exact, but no float holds it: every reader needs one
            raise ArithError("number too large")
        return Number(value=value, decimals=decimals, literal=literal)
    return Number(value=Fraction(_checked(value)), decimals=None, literal=False, exact=False)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ArithError(f"expected {expected or 'more'}")
        self.pos += 1
        return token

    def expr(self, depth: int) -> Value:
        if depth > MAX_DEPTH:
            raise ArithError("nested too deeply")
        value = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()
            rhs = self.term(depth)
            value = value + rhs if op == "+" else value - rhs
            _bound(value)
        return value

    def term(self, depth: int) -> Value:
        value = self.unary(depth)
        while True:
            token = self.peek()
            if token in ("*", "×", "/"):
                self.take()
                rhs = self.unary(depth)
                if token == "/":  # noqa: S105 - a lexer token, not a password
                    if rhs == 0:
                        raise ArithError("division by zero")
                    value = value / rhs
                else:
                    value = value * rhs
            elif token in _IMPLICIT:
                value = value * self.unary(depth)
            else:
                return value
            _bound(value)

    def unary(self, depth: int) -> Value:
        if depth > MAX_DEPTH:
            raise ArithError("nested too deeply")
        if self.peek() in ("-", "+"):
            sign = -1 if self.take() == "-" else 1
            return sign * self.unary(depth + 1)
        return self.power(depth)

    def power(self, depth: int) -> Value:
        euler = self.peek() == "e"
        base = self.atom(depth)
        if self.peek() == "^":
            self.take()
            exponent = self.unary(depth + 1)
            base = _exp(exponent) if euler else _power(base, exponent)
        return base

    def atom(self, depth: int) -> Value:
        if depth > MAX_DEPTH:
            raise ArithError("nested too deeply")
        token = self.take()
        if token in ("(", "{"):
            value = self.expr(depth + 1)
            self.take(")" if token == "(" else "}")  # noqa: S105 - a lexer token, not a password
            return value
        if token == "\\frac":  # noqa: S105 - a lexer token, not a password
            self.take("{")
            num = self.expr(depth + 1)
            self.take("}")
            self.take("{")
            den = self.expr(depth + 1)
            self.take("}")
            if den == 0:
                raise ArithError("division by zero")
            return num / den
        if token in _CLOSING:
            value = self.expr(depth + 1)
            self.take(_CLOSING[token])
            return _whole(value, math.floor if token == "\\lfloor" else math.ceil)  # noqa: S105 - a lexer token
        if token in _FUNCTIONS:
            return self.function(token, depth)
        if token == "\\pi":  # noqa: S105 - a lexer token, not a password
            return math.pi
        if token == "e":  # noqa: S105 - a lexer token, not a password
            if self.pos >= 2 and _is_number(self.tokens[self.pos - 2]) and self.peek() != "^":
                raise ArithError("'e' right after a number: write 2e-3 for e-notation or 2 \\cdot e")
            return math.e
        if _is_number(token):
            if len(token) > MAX_DIGITS:
                raise ArithError("number too long")
            mantissa, _, exp = token.lower().partition("e")
            value = Fraction(mantissa)
            if exp:
                if abs(int(exp)) > MAX_EXPONENT:
                    raise ArithError("exponent too large")
                value *= Fraction(10) ** int(exp)
            return value
        raise ArithError(f"unexpected {token!r}")

    def function(self, name: str, depth: int) -> Value:
        base: Value | None = None
        if name == "\\log" and self.peek() == "_":
            self.take()
            base = self.atom(depth + 1)
        if name == "\\sqrt" or self.peek() in ("(", "{"):
            argument = self.atom(depth + 1)  # `\sqrt{2}`, `\ln(2)`: the group alone; a power after it is the result's
        else:
            argument = self.unary(depth + 1)  # `\ln 2`, `\ln 2^3` (= \ln 8), `\exp -1`
        if name == "\\sqrt":
            return _sqrt(argument)
        if name == "\\exp":
            return _exp(argument)
        if name in ("floor", "ceil"):
            return _whole(argument, math.floor if name == "floor" else math.ceil)
        return _log(argument, base)


def _checked(value: float) -> float:
    if not math.isfinite(value) or abs(value) > MAX_FLOAT:
        raise ArithError("number too large")
    return value


def _float(value: Value) -> float:
    if isinstance(value, Fraction) and abs(value) > MAX_FLOAT:
        raise ArithError("number too large")
    return _checked(float(value))


def _power(base: Value, exponent: Value) -> Value:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        if abs(exponent) > MAX_EXPONENT:
            raise ArithError("exponent too large")
        if base == 0 and exponent < 0:
            raise ArithError("division by zero")
        if isinstance(base, float):
            if base != 0 and abs(int(exponent)) * math.log10(abs(base)) > math.log10(MAX_FLOAT):
                raise ArithError("number too large")
            return _checked(base ** int(exponent))
        if not _power_fits(base, int(exponent)):
            raise ArithError("number too large")
        return base ** int(exponent)
    b, x = _float(base), _float(exponent)
    if b < 0:
        raise ArithError("a negative number to a power that is not whole")
    if b == 0:
        if x <= 0:
            raise ArithError("division by zero")
        return 0.0
    if x * math.log10(b) > math.log10(MAX_FLOAT):
        raise ArithError("number too large")
    return _checked(b ** x)


def _power_fits(base: Fraction, k: int) -> bool:
    """Whether ``base ** k`` stays within the bound on exact values (:func:`_bound`), told before computing it."""
    return abs(base.numerator).bit_length() * abs(k) <= MAX_DIGITS * 4 and \
        abs(base.denominator).bit_length() * abs(k) <= MAX_DIGITS * 4


def _exp(x: Value) -> Value:
    if x == 0:
        return Fraction(1)
    v = _float(x)
    if v > math.log(MAX_FLOAT):
        raise ArithError("number too large")
    return math.exp(v)


def _ln(x: Value) -> float:
    if isinstance(x, Fraction):  # the logarithm of the integers: exact enough for any bounded size
        return math.log(x.numerator) - math.log(x.denominator)
    return math.log(x)


def _log(x: Value, base: Value | None) -> Value:
    if x <= 0:
        raise ArithError("the logarithm of a number that is not positive")
    if base is not None and (base <= 0 or base == 1):
        raise ArithError("a logarithm's base must be positive and not 1")
    if x == 1:
        return Fraction(0)
    if base is None:
        return _checked(_ln(x))
    ratio = _ln(x) / _ln(base)
    if isinstance(x, Fraction) and isinstance(base, Fraction) and abs(ratio) <= MAX_EXPONENT:
        k = round(ratio)  # `\log_2 8` is exactly 3 when 2^3 is exactly 8
        if k != 0 and _power_fits(base, k) and base ** k == x:
            return Fraction(k)
    return _checked(ratio)


def _sqrt(x: Value) -> Value:
    if x < 0:
        raise ArithError("the square root of a negative number")
    if isinstance(x, Fraction):
        top, bottom = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if top * top == x.numerator and bottom * bottom == x.denominator:
            return Fraction(top, bottom)
    return math.sqrt(_float(x))


def _whole(x: Value, rounding: Callable[[Any], int]) -> Fraction:
    """A floor or a ceiling: exact of an exact value; of an inexact one only when it is clearly not whole."""
    if isinstance(x, Fraction):
        return Fraction(rounding(x))
    v = _checked(x)
    if abs(v - round(v)) <= WHOLE_TOLERANCE * max(1.0, abs(v)):
        raise ArithError("too close to a whole number to round exactly")
    return Fraction(rounding(v))


def _bound(value: Value) -> None:
    if isinstance(value, float):
        _checked(value)
    elif value.numerator.bit_length() > MAX_DIGITS * 4 or value.denominator.bit_length() > MAX_DIGITS * 4:
        raise ArithError("number too large")
