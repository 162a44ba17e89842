"""Bytes to normalised text: BOM, UTF-8 or a detected legacy encoding, line endings, NFC."""

from __future__ import annotations

import codecs
import unicodedata

from grader.reading.errors import UnreadableFile

CONTROL_RATIO_LIMIT = 0.05
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DETECT_SAMPLE = 200_000


def decode_bytes(*, raw: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode `raw` to (text, encoding, warnings); refuse binary data with UnreadableFile."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name, ()
            except UnicodeDecodeError:
                break
    if b"\x00" in raw:
        raise UnreadableFile("unreadable: binary file (NUL bytes)")
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
        warnings: tuple[str, ...] = ()
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and _is_cut_utf8(raw=raw):
            text = raw.decode("utf-8", errors="ignore")
            encoding, warnings = "utf-8", ("last character cut by the size limit",)
        else:
            text, encoding, warnings = _decode_legacy(raw=raw)
    _refuse_control_heavy(text=text)
    return text, encoding, warnings


def normalise_text(*, text: str) -> str:
    """Strip a BOM, turn CRLF/CR into LF and compose to NFC."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _is_cut_utf8(*, raw: bytes) -> bool:
    try:
        raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data"
    return True


def _decode_legacy(*, raw: bytes) -> tuple[str, str, tuple[str, ...]]:
    from charset_normalizer import from_bytes

    best = None
    try:
        best = from_bytes(raw[:_DETECT_SAMPLE], cp_isolation=["cp1251", "cp1256", "latin_1", "cp1252", "koi8_r"]).best()
        if best is None:
            best = from_bytes(raw[:_DETECT_SAMPLE]).best()
    except Exception:  # noqa: BLE001 - detection is advisory; fall back below
        best = None
    if best is not None and best.encoding:
        try:
            text = raw.decode(best.encoding, errors="replace")
            return text, best.encoding, (f"not UTF-8; decoded as {best.encoding}",)
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("latin-1"), "latin-1", ("not UTF-8 and no encoding detected; decoded as latin-1",)


def _refuse_control_heavy(*, text: str) -> None:
    sample = text[:_DETECT_SAMPLE]
    if not sample:
        return
    controls = sum(1 for ch in sample if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in _ALLOWED_CONTROLS)
    if controls / len(sample) > CONTROL_RATIO_LIMIT:
        raise UnreadableFile("unreadable: binary file (control characters)")
