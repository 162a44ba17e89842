"""Errors of the math parser and interpreter (all carry a human-readable message)."""

from __future__ import annotations


class MathParseError(ValueError):
    """The text could not be read as an expression (or was refused: too long, too deep)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
