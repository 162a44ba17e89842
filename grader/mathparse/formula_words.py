"""Formula mode's one difference from reading a student answer: every identifier (``input_size``, ``c_in``,
``conv1.kernel``, ``kc``) is ONE name.  One linear pass over the text swaps each identifier for an opaque
placeholder word (and function words for commands, ``x[i]`` for a zero-based subscript, ``2^10`` for a
braced exponent) before the normaliser, which is unchanged."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from grader.mathparse.errors import FormulaError

CONSTANTS = {"e": math.e, "pi": math.pi}
#: identifiers that are functions in a formula (written without a backslash)
_FUNCTION_WORDS = {"floor": r"\floor", "ceil": r"\ceil", "min": r"\min", "max": r"\max", "abs": r"\abs",
                   "exp": r"\exp", "log": r"\log", "ln": r"\log", "sqrt": r"\sqrt"}
#: `sum(x)` / `prod(x)`: the entries of a list, braced so that `sum(x)^2` squares the sum
_AGGREGATE_WORDS = {"sum": r"\sum", "prod": r"\prod"}
_CLOSER = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Name:
    name: str
    zero_based: bool    # written `x[0]`: Python-style indexing of a list parameter


@dataclass(frozen=True)
class Protected:
    text: str                       # the formula with each identifier replaced by a placeholder
    names: Mapping[str, Name]       # placeholder -> the identifier it stands for


def _placeholder(k: int) -> str:
    """An opaque word no normaliser rule touches: 'Qz' + the number written with letters a..j."""
    return "Qz" + "".join("abcdefghij"[int(d)] for d in str(k))


def _word_char(text: str, j: int) -> bool:
    """A letter or digit, or a '_' followed by one (`c_in`; the '_' of `k_{i}` is a subscript)."""
    ch = text[j]
    if ch == "_":
        return j + 1 < len(text) and text[j + 1].isascii() and text[j + 1].isalnum()
    return ch.isascii() and ch.isalnum()


def _identifier_end(text: str, i: int) -> int:
    """End of the identifier starting at ``i``: letters, digits, inner '_' and dotted parts (`conv1.kernel`)."""
    n = len(text)
    j = i
    while j < n and _word_char(text, j):
        j += 1
    while j + 1 < n and text[j] == "." and text[j + 1].isascii() and text[j + 1].isalpha():
        j += 1
        while j < n and _word_char(text, j):
            j += 1
    return j


def protect_names(*, text: str) -> Protected:
    """One left-to-right pass: identifiers -> placeholders, function words -> commands,
    `x[...]` -> `x_{...}` (marked zero-based), `sum(...)` -> `{\\sum(...)}`, `2^10` / `2**(k+1)` ->
    a braced exponent.  Linear in the text."""
    return _Protector(text=text).run()


@dataclass
class _Protector:
    """The pass over one formula: each ``_…`` step reads the token at ``i`` and returns where the next starts."""

    text: str
    out: list[str] = field(default_factory=list)
    names: dict[str, Name] = field(default_factory=dict)
    by_name: dict[Name, str] = field(default_factory=dict)
    #: per open bracket: the character that closes it, and what it becomes
    closers: list[tuple[str, str]] = field(default_factory=list)

    def run(self) -> Protected:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            ch = text[i]
            if ch == "\\":
                i = self._command(i)
            elif ch.isascii() and ch.isalpha():
                i = self._word(i)
            elif ch == "^" or text.startswith("**", i):
                i = self._power(i)
            elif ch in ")]}":
                i = self._close(i)
            else:
                if ch in "([{":
                    self.closers.append((_CLOSER[ch], _CLOSER[ch]))
                self.out.append(", " if ch == "," else ch)  # a space: `max(3,4)` is two arguments, not 3,4
                i += 1
        if self.closers:
            raise FormulaError(f"formula {text!r}: {len(self.closers)} bracket(s) not closed")
        return Protected("".join(self.out), self.names)

    def _command(self, i: int) -> int:
        text, j = self.text, i + 1
        while j < len(text) and text[j].isascii() and text[j].isalpha():
            j += 1
        self.out.append(text[i:max(j, i + 2)])
        return max(j, i + 2)

    def _word(self, i: int) -> int:
        j = _identifier_end(self.text, i)
        word, rest = self.text[i:j], self.text[j:j + 1]
        if word in _AGGREGATE_WORDS and rest == "(":
            self.out.append("{" + _AGGREGATE_WORDS[word] + "(")
            self.closers.append((")", ")}"))
            return j + 1
        if word in _FUNCTION_WORDS:
            self.out.append(" " + _FUNCTION_WORDS[word] + " ")
            return j
        if word in CONSTANTS and rest != "[":
            self.out.append(" " + word + " ")
            return j
        key = Name(word, zero_based=rest == "[")
        holder = self.by_name.get(key)
        if holder is None:
            holder = self.by_name[key] = _placeholder(len(self.by_name))
            self.names[holder] = key
        braced = not self.out or not self.out[-1].endswith("{")
        self.out.append(("{" + holder + "}") if braced else holder)
        if rest != "[":
            return j
        self.out.append("_{")
        self.closers.append(("]", "}"))
        return j + 1

    def _power(self, i: int) -> int:
        text = self.text
        i += 1 if text[i] == "^" else 2
        j = i
        while j < len(text) and text[j].isdigit():
            j += 1
        if j > i:  # `2^10` is 2 to the 10th (in LaTeX it would be 2^1 times 0)
            self.out.append("^{" + text[i:j] + "}")
            return j
        if text.startswith("(", i):  # `2^(k+1)` / `2**(k+1)`: the bracket is the exponent
            self.out.append("^{(")
            self.closers.append((")", ")}"))
            return i + 1
        self.out.append("^")
        return i

    def _close(self, i: int) -> int:
        ch = self.text[i]
        if not self.closers or self.closers[-1][0] != ch:
            raise FormulaError(f"formula {self.text!r}: unbalanced {ch!r} at position {i}")
        self.out.append(self.closers.pop()[1])
        return i + 1
