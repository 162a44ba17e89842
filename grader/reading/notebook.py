"""Jupyter notebooks: the text of markdown and raw cells, in order (code cells and outputs ignored)."""

from __future__ import annotations

import json

from grader.reading.errors import UnreadableFile

MAX_CELLS = 5000
MAX_NESTING = 64


def notebook_text(*, text: str) -> str:
    """Join the markdown and raw cells of notebook JSON `text`, a blank line between cells."""
    if _nesting_depth(text=text) > MAX_NESTING:
        raise UnreadableFile("unreadable: invalid notebook JSON (nested too deeply)")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile("unreadable: invalid notebook JSON") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if cells is None and isinstance(data, dict) and isinstance(data.get("worksheets"), list):
        cells = [c for ws in data["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", []) or []]
    if not isinstance(cells, list):
        raise UnreadableFile("unreadable: invalid notebook JSON (no cells)")
    chunks: list[str] = []
    for cell in cells[:MAX_CELLS]:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("markdown", "raw"):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if isinstance(source, str) and source.strip():
            chunks.append(source.strip("\n"))
    return "\n\n".join(chunks)


def _nesting_depth(*, text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest
