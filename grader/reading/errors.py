"""The single error raised when a submission file cannot be turned into text."""

from __future__ import annotations


class UnreadableFile(Exception):
    """A file we cannot read as text; `reason` always starts with 'unreadable: '."""

    def __init__(self, reason: str) -> None:
        text = str(reason)
        if not text.startswith("unreadable: "):
            text = f"unreadable: {text}"
        super().__init__(text)
        self.reason = text
