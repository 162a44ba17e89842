"""Reading files: encodings, line endings, notebooks, PDFs, and files that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.freeform import UnreadableFile, fold_digits, read_document

from .pdf_writer import minimal_pdf

RUSSIAN = "Задача 2\nа) Ответ: $26 \\times 26$\nб) параметров: 1820\n"


@pytest.mark.parametrize(
    ("raw", "expected_text", "encoding"),
    [
        (b"1a) 5\r\n1b) 7\r\n", "1a) 5\n1b) 7\n", "utf-8"),
        (b"\xef\xbb\xbf1a) 5\n", "1a) 5\n", "utf-8"),
        (b"1a) 5\r1b) 7", "1a) 5\n1b) 7", "utf-8"),
        (b"Aufgabe 3\na) Antwort: 1/(1-p)\n", "Aufgabe 3\na) Antwort: 1/(1-p)\n", "utf-8"),
        ("1a) ä".encode("utf-16-le"), None, None),
    ],
)
def test_text_encodings_and_line_endings(tmp_path: Path, raw: bytes, expected_text: str | None,
                                         encoding: str | None) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(raw)
    if expected_text is None:  # UTF-16 without BOM has NUL bytes: binary
        with pytest.raises(UnreadableFile):
            read_document(path=path)
        return
    doc = read_document(path=path)
    assert doc.text == expected_text
    assert doc.lines == tuple(expected_text.split("\n"))
    assert doc.encoding == encoding
    assert doc.kind == "text"
    assert not doc.truncated


def test_nfc_normalisation(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text("Lo\u0308sung: 5", encoding="utf-8")  # o + combining diaeresis
    doc = read_document(path=path)
    assert doc.text == "L\u00f6sung: 5"
    assert doc.kind == "markdown"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("\ufeffQ1 (a) 5\r\n".encode("utf-16-le"))
    doc = read_document(path=path)
    assert doc.text == "Q1 (a) 5\n"


def test_cp1251_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "ivanova.txt"
    text = ("Домашнее задание номер три, студентка Петрова Мария.\n" + RUSSIAN
            + "в) Ответ: форма выхода равна $(46, 62, 20)$, это видно из формулы размера.\n")
    path.write_bytes(text.encode("cp1251"))
    doc = read_document(path=path)
    assert doc.text == text
    assert doc.encoding.replace("-", "").replace("_", "").lower() in {"cp1251", "windows1251"}
    assert any("not UTF-8" in w for w in doc.warnings)


def test_latin1_never_crashes(tmp_path: Path) -> None:
    path = tmp_path / "s.tex"
    path.write_bytes("L\xf6sung: $\\frac{1}{1-p}$ \xe9t\xe9\n".encode("latin-1"))
    doc = read_document(path=path)
    assert "frac{1}{1-p}" in doc.text
    assert doc.kind == "latex"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "unreadable: empty file"),
        (b"  \n\r\n\t", "unreadable: empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "unreadable: binary file (NUL bytes)"),
        (bytes(range(1, 32)) * 20, "unreadable: binary file (control characters)"),
    ],
)
def test_unreadable_files(tmp_path: Path, raw: bytes, reason: str) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(raw)
    with pytest.raises(UnreadableFile) as info:
        read_document(path=path)
    assert info.value.reason == reason
    assert str(info.value) == reason


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as info:
        read_document(path=tmp_path / "nope.md")
    assert info.value.reason.startswith("unreadable: ")


def test_truncation_flag(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("1a) 5\n" + "x" * 5000 + "\nЖ" * 10, encoding="utf-8")
    doc = read_document(path=path, max_bytes=1001)
    assert doc.truncated
    assert doc.text.startswith("1a) 5\n")
    assert len(doc.text) <= 1001


def test_truncation_inside_multibyte_char(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Ж" * 100, encoding="utf-8")
    doc = read_document(path=path, max_bytes=51)  # cuts the 26th Ж in half
    assert doc.truncated
    assert doc.text == "Ж" * 25
    assert doc.encoding == "utf-8"


def _notebook(cells: list[dict]) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_notebook_markdown_and_raw_cells_only(tmp_path: Path) -> None:
    path = tmp_path / "hw.ipynb"
    path.write_text(_notebook([
        {"cell_type": "markdown", "metadata": {}, "source": ["# Problem 3\n", "(a) Answer: $\\frac{m}{1-p}$"]},
        {"cell_type": "code", "metadata": {}, "source": "print('(b) Answer: 99')", "outputs": [
            {"output_type": "stream", "text": "(b) Answer: 99"}], "execution_count": 1},
        {"cell_type": "raw", "metadata": {}, "source": "(b) Answer: (4, 0, 6)"},
    ]), encoding="utf-8")
    doc = read_document(path=path)
    assert doc.kind == "notebook"
    assert doc.text == "# Problem 3\n(a) Answer: $\\frac{m}{1-p}$\n\n(b) Answer: (4, 0, 6)"
    assert "99" not in doc.text


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"cells": 5}', "[" * 100_000])
def test_invalid_notebook(tmp_path: Path, body: str) -> None:
    path = tmp_path / "hw.ipynb"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UnreadableFile) as info:
        read_document(path=path)
    assert info.value.reason.startswith("unreadable: invalid notebook JSON")


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "hw.pdf"
    path.write_bytes(minimal_pdf(pages=[["Problem 4", "(a) Answer: [0.3275, 0.3475]"],
                                        ["(b) a1 = sigma(z1). Answer: [0.5812, 0.5860]"]]))
    doc = read_document(path=path)
    assert doc.kind == "pdf"
    assert doc.lines[:2] == ("Problem 4", "(a) Answer: [0.3275, 0.3475]")
    assert "(b) a1 = sigma(z1). Answer: [0.5812, 0.5860]" in doc.lines


def test_pdf_without_text_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(minimal_pdf(pages=[[]]))
    with pytest.raises(UnreadableFile) as info:
        read_document(path=path)
    assert info.value.reason == "unreadable: PDF has no text layer"


@pytest.mark.parametrize("raw", [b"%PDF-1.4\n garbage", minimal_pdf(pages=[["x"]])[:120]])
def test_broken_pdf_is_unreadable(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(raw)
    with pytest.raises(UnreadableFile) as info:
        read_document(path=path)
    assert info.value.reason.startswith("unreadable: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("سوال ۱۲", "سوال 12"), ("٣٫٥", "3٫5"), ("abc 123", "abc 123"), ("", "")],
)
def test_fold_digits(text: str, expected: str) -> None:
    assert fold_digits(text=text) == expected
    assert len(fold_digits(text=text)) == len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".md", ".txt", ".tex", ".ipynb", ".pdf", ".dat"]))
def test_arbitrary_bytes_read_or_unreadable(tmp_path: Path, raw: bytes, suffix: str) -> None:
    path = tmp_path / f"s{suffix}"
    path.write_bytes(raw)
    try:
        doc = read_document(path=path)
    except UnreadableFile as exc:
        assert exc.reason.startswith("unreadable: ")
        return
    assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
    assert doc.lines == tuple(doc.text.split("\n"))


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ответ: 5", "cp1251"), ("а) Ответ: $26 \\times 26$", "cp1251"), ("Задача 1\nа) 5\nб) 7", "cp1251"),
        ("Итог: размер 26 на 26, параметров 1820", "cp1251"), ("پاسخ: 26", "cp1256"),
        ("سوال 1\nالف) پاسخ: 5", "cp1256"), ("Lösung: 5", "latin-1"), ("Aufgabe 3 Antwort: Größe", "cp1252"),
        ("Übung 5: Ergebnis ist größer", "cp1252"), ("Ответ: да", "koi8_r"), ("Задача 2 б) Ответ: 1820", "koi8_r"),
    ],
)
def test_short_legacy_texts_decode_exactly(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path=path)
    assert doc.text == text
