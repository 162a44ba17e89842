"""The reports folder's own files (class page, student pages, feedback, grades.csv, assets), served read-only.

Only regular files inside the folder are served: no ``..``, no absolute path, no hidden file, no symlink that
leads outside it, and only the kinds of file ``grade`` writes."""

from __future__ import annotations

import os
from pathlib import Path

#: suffix -> media type of what the reports folder holds
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".csv": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",  # assets/: the math font the pages share
}


def report_file(*, reports_dir: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``reports_dir``, or None when it is not one to serve."""
    parts = relative.replace("\\", "/").split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    if "\0" in relative or ":" in parts[0]:
        return None
    root = Path(os.path.realpath(reports_dir))
    target = Path(os.path.realpath(root.joinpath(*parts)))
    if target.suffix.lower() not in MEDIA_TYPES or not target.is_file():
        return None
    try:
        target.relative_to(root)
    except ValueError:
        return None
    return target
