"""Exact arithmetic on the numeric expressions students write.

``3 \\cdot 3 \\cdot 10 \\cdot 20 + 20``, ``5.1336*10^6``, ``\\frac{3}{4}``, ``2^{10}``
evaluate to exact rationals.  A small recursive-descent parser over our own
tokens: nothing is ever passed to ``eval``.  Sizes are bounded so that
``10^{10^{10}}`` is refused instead of computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

MAX_DEPTH = 50
MAX_TOKENS = 400
MAX_EXPONENT = 400
MAX_DIGITS = 400

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<frac>\\frac)|(?P<sqrt>\\sqrt)|(?P<op>[-+*/^(){}×]))"
)


class ArithError(ValueError):
    pass


@dataclass(frozen=True)
class Number:
    value: Fraction
    #: digits after the decimal point when the answer was one plain literal
    decimals: int | None
    literal: bool


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ArithError(f"cannot read {text[pos:pos + 12]!r}")
        tokens.append(match.group(match.lastgroup or "op"))
        pos = match.end()
        if len(tokens) > MAX_TOKENS:
            raise ArithError("expression too long")
    if not tokens:
        raise ArithError("empty")
    return tokens


def evaluate(text: str) -> Number:
    tokens = tokenize(text)
    parser = _Parser(tokens)
    value = parser.expr(0)
    if parser.pos != len(tokens):
        raise ArithError(f"unexpected {tokens[parser.pos]!r}")
    literal = len(tokens) == 1 or (len(tokens) == 2 and tokens[0] in "+-")
    decimals = None
    if literal:
        raw = tokens[-1]
        if "e" not in raw.lower():
            decimals = len(raw.partition(".")[2])
    return Number(value=value, decimals=decimals, literal=literal)


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

    def expr(self, depth: int) -> Fraction:
        if depth > MAX_DEPTH:
            raise ArithError("nested too deeply")
        value = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()
            rhs = self.term(depth)
            value = value + rhs if op == "+" else value - rhs
            _bound(value)
        return value

    def term(self, depth: int) -> Fraction:
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
            elif token in ("(", "{", "\\frac", "\\sqrt"):
                value = value * self.unary(depth)
            else:
                return value
            _bound(value)

    def unary(self, depth: int) -> Fraction:
        if self.peek() in ("-", "+"):
            sign = -1 if self.take() == "-" else 1
            return sign * self.unary(depth + 1)
        return self.power(depth)

    def power(self, depth: int) -> Fraction:
        base = self.atom(depth)
        if self.peek() == "^":
            self.take()
            exponent = self.unary(depth + 1)
            if exponent.denominator != 1:
                raise ArithError("only whole-number exponents")
            if abs(exponent) > MAX_EXPONENT:
                raise ArithError("exponent too large")
            if base == 0 and exponent < 0:
                raise ArithError("division by zero")
            if abs(base.numerator).bit_length() * abs(int(exponent)) > MAX_DIGITS * 4 or \
               abs(base.denominator).bit_length() * abs(int(exponent)) > MAX_DIGITS * 4:
                raise ArithError("number too large")
            base = base ** int(exponent)
        return base

    def atom(self, depth: int) -> Fraction:
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
        if token == "\\sqrt":  # noqa: S105 - a lexer token, not a password
            raise ArithError("square roots are not exact")
        if token[0].isdigit() or token[0] == ".":
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


def _bound(value: Fraction) -> None:
    if value.numerator.bit_length() > MAX_DIGITS * 4 or value.denominator.bit_length() > MAX_DIGITS * 4:
        raise ArithError("number too large")
