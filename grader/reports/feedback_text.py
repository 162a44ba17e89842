"""Feedback text that carries a pointer into the student's answer (a parse error's
caret line under the answer) is split into prose and a block to show in a
fixed-width font, where the caret lines up with the character it points at."""

from __future__ import annotations

import re

_CARET = re.compile(r"^ *\^$")


def split_pointer(feedback: str) -> tuple[str, str | None]:
    """(prose, fixed-width block or None)."""
    lines = feedback.split("\n")
    if len(lines) >= 3 and _CARET.match(lines[-1]):
        return "\n".join(lines[:-2]).rstrip(), "\n".join(lines[-2:])
    return feedback, None
