"""Errors of the math parser, the interpreter and formulas (all carry a human-readable message)."""

from __future__ import annotations

from typing import Literal


class MathParseError(ValueError):
    """The text could not be read as an expression (or was refused: too long, too deep).

    ``offset`` is where in the text the caller passed (not the normalised text) the problem
    was found, 0 <= offset <= len(text); None when the problem is the text as a whole."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def caret_excerpt(*, text: str, offset: int, width: int = 60) -> str:
    """Two lines: ``text`` windowed to about ``width`` characters around ``offset``, and a ``^``
    under the character at ``offset`` (after the last character when offset == len(text)).
    Line breaks and tabs are shown as spaces so that the caret stays aligned; '…' marks cut ends."""
    offset = min(max(offset, 0), len(text))
    start = max(0, min(offset - width // 2, len(text) - width))
    end = min(len(text), start + width)
    window = "".join(" " if ch in "\r\n\t\v\f" else ch for ch in text[start:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return f"{prefix}{window}{suffix}\n{' ' * (len(prefix) + offset - start)}^"


class FormulaError(ValueError):
    """A formula cannot be read or evaluated; the message says what and where."""


#: what kind of failure an EvalError is (grader.mathparse.interpret's docstring says when each is raised)
ErrorKind = Literal["shape", "ambiguous", "bound", "unknown", "unsupported", "nonfinite"]


class EvalError(Exception):
    def __init__(self, kind: ErrorKind, message: str, shapes: tuple[tuple[int, ...], ...] = (), op: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.shapes = shapes
        self.op = op


class ExactError(Exception):
    """The tree has no exact value here (``kind``: shape, bound, unsupported)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
