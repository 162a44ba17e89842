"""Map Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII digits."""

from __future__ import annotations

_TABLE = {cp: ord("0") + i for i, cp in enumerate(range(0x06F0, 0x06FA))}
_TABLE.update({cp: ord("0") + i for i, cp in enumerate(range(0x0660, 0x066A))})


def fold_digits(*, text: str) -> str:
    """Return `text` with every Persian/Arabic-Indic digit replaced by its ASCII digit."""
    return text.translate(_TABLE)
