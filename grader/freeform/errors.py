"""The one error the free-form reader raises."""

from __future__ import annotations


class UnreadableFile(Exception):
    """A submission file that cannot be turned into text; `reason` starts with 'unreadable: '."""

    def __init__(self, reason: str) -> None:
        if not reason.startswith("unreadable"):
            reason = f"unreadable: {reason}"
        super().__init__(reason)
        self.reason = reason
