"""PDF text layer via pypdf, page by page; any pypdf failure becomes UnreadableFile."""

from __future__ import annotations

import io

from grader.reading.errors import UnreadableFile

MAX_PAGES = 200


def pdf_text(*, raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Return (text of all pages joined by blank lines, warnings)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise UnreadableFile("unreadable: PDF is encrypted")
        pages = reader.pages
        count = len(pages)
        texts = [(pages[i].extract_text() or "") for i in range(min(count, MAX_PAGES))]
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile input
        raise UnreadableFile(f"unreadable: PDF could not be parsed ({type(exc).__name__})") from None
    warnings = (f"PDF has {count} pages; only the first {MAX_PAGES} were read",) if count > MAX_PAGES else ()
    text = "\n\n".join(t.strip("\n") for t in texts)
    if not text.strip():
        raise UnreadableFile("unreadable: PDF has no text layer")
    return text, warnings
