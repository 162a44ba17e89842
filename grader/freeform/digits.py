"""Persian (۰-۹) and Arabic-Indic (٠-٩) digits mapped to ASCII, one char for one char."""

from __future__ import annotations

_TABLE = {**{0x06F0 + i: str(i) for i in range(10)}, **{0x0660 + i: str(i) for i in range(10)}}


def fold_digits(*, text: str) -> str:
    """Same length as `text`, so column positions stay valid."""
    return text.translate(_TABLE)
