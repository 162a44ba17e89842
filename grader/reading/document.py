"""Read one submission file (text, Markdown, LaTeX, notebook, PDF) into a normalised Document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from grader.reading.decoding import decode_bytes, normalise_text
from grader.reading.errors import UnreadableFile
from grader.reading.notebook import notebook_text
from grader.reading.pdf_text import pdf_text

Kind = Literal["markdown", "text", "latex", "notebook", "pdf"]

_KINDS: dict[str, Kind] = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".tex": "latex",
    ".ipynb": "notebook", ".pdf": "pdf",
}


@dataclass(frozen=True)
class Document:
    text: str
    lines: tuple[str, ...]
    encoding: str
    kind: Kind
    truncated: bool
    warnings: tuple[str, ...] = ()


def read_document(*, path: Path, max_bytes: int = 2_000_000) -> Document:
    """Read `path`; files over `max_bytes` are read up to the limit and flagged `truncated`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"unreadable: {exc.strerror or type(exc).__name__}") from None
    truncated = len(raw) > max_bytes
    raw = raw[:max_bytes]
    if not raw.strip(b" \t\r\n\x0c\xef\xbb\xbf"):
        raise UnreadableFile("unreadable: empty file")
    kind = _KINDS.get(path.suffix.lower(), "text")
    if raw.startswith(b"%PDF-"):
        kind = "pdf"
    warnings: tuple[str, ...] = ()
    if kind == "pdf":
        if truncated:
            raise UnreadableFile("unreadable: PDF larger than the size limit")
        text, warnings = pdf_text(raw=raw)
        encoding = "pdf"
    else:
        text, encoding, warnings = decode_bytes(raw=raw)
        if kind == "notebook":
            if truncated:
                raise UnreadableFile("unreadable: notebook larger than the size limit")
            text = notebook_text(text=normalise_text(text=text))
    text = normalise_text(text=text)
    if not text.strip():
        raise UnreadableFile("unreadable: empty file")
    if truncated:
        warnings += (f"file larger than {max_bytes} bytes; only the beginning was read",)
    return Document(
        text=text, lines=tuple(text.split("\n")), encoding=encoding, kind=kind, truncated=truncated, warnings=warnings,
    )
