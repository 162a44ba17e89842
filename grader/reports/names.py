"""Safe, unique file names for per-student reports (student ids are untrusted)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_stem(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    stem = _UNSAFE.sub("_", text).strip("._")[:80]
    return stem or "student"


def unique_stems(names: dict[str, str]) -> dict[str, str]:
    """Map each key to a distinct safe stem made from its name, in the given order."""
    used: set[str] = set()
    out: dict[str, str] = {}
    for key, name in names.items():
        stem = base = safe_stem(name)
        n = 2
        while stem.lower() in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem.lower())
        out[key] = stem
    return out


def report_stems(files: Iterable[str]) -> dict[str, str]:
    """file -> the stem of its report files (feedback/<stem>.md, students/<stem>.html): the file's path without
    its suffix, made safe and unique in the order given (a run's submissions are sorted by file)."""
    return unique_stems({file: _without_suffix(file) for file in files})


def _without_suffix(file: str) -> str:
    """``Path(file).with_suffix("").as_posix()`` for a listing's name (relative, "/"-separated, normalised),
    without building a path for each of a class's files: the last name's suffix goes, as pathlib sees one (a
    dot neither first nor last in the name)."""
    head, slash, name = file.rpartition("/")
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        name = name[:dot]
    return head + slash + name
