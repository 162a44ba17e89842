"""Reading files into normalised text: encodings, line endings, notebooks, PDFs, refusals."""

from __future__ import annotations

import json

import pytest

from grader.reading import UnreadableFile, fold_digits, read_document
from tests.extraction.pdf_maker import make_pdf


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"1a) 5\r\n1b) 6\r\n", "1a) 5\n1b) 6\n", "utf-8"),
        (b"1a) 5\r1b) 6", "1a) 5\n1b) 6", "utf-8"),
        ("\ufeffЗадача 1\nОтвет: 5".encode("utf-8"), "Задача 1\nОтвет: 5", "utf-8-sig"),
        ("e\u0301".encode("utf-8"), "\u00e9", "utf-8"),
    ],
)
def test_text_is_normalised(tmp_path, raw, text, encoding):
    path = tmp_path / "s.md"
    path.write_bytes(raw)
    document = read_document(path=path)
    assert document.text == text
    assert document.lines == tuple(text.split("\n"))
    assert document.encoding == encoding
    assert document.kind == "markdown"
    assert not document.truncated


def test_cp1251_file_is_detected(tmp_path):
    source = "Задача 2\nа) Считаем размер изображения.\nОтвет: итоговый размер 26 на 26\nб) Ответ: 1820\n"
    path = tmp_path / "ivanov.txt"
    path.write_bytes(source.encode("cp1251"))
    document = read_document(path=path)
    assert document.text == source
    assert document.encoding.replace("_", "").lower() in ("cp1251", "windows1251")
    assert document.warnings


def test_cp1256_persian_never_crashes(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("سوال 1\nپاسخ: 5\n".encode("cp1256", errors="replace"))
    document = read_document(path=path)
    assert "5" in document.text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "unreadable: empty file"),
        (b"  \n\r\n\t ", "unreadable: empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "unreadable: binary file (NUL bytes)"),
        (bytes(range(1, 9)) * 50, "unreadable: binary file (control characters)"),
    ],
)
def test_refusals(tmp_path, raw, reason):
    path = tmp_path / "s.txt"
    path.write_bytes(raw)
    with pytest.raises(UnreadableFile) as caught:
        read_document(path=path)
    assert caught.value.reason == reason


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        read_document(path=tmp_path / "nope.md")
    assert caught.value.reason.startswith("unreadable: ")


def test_large_file_is_truncated(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("1a) 5\n" + "x" * 5000, encoding="utf-8")
    document = read_document(path=path, max_bytes=1000)
    assert document.truncated
    assert document.text.startswith("1a) 5")
    assert len(document.text) <= 1000


def test_truncation_inside_a_multibyte_character_is_not_a_legacy_encoding(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text("Ответ: " + "я" * 600, encoding="utf-8")
    document = read_document(path=path, max_bytes=1001)  # cuts a 2-byte letter in half
    assert document.encoding == "utf-8"
    assert document.text.startswith("Ответ: яя")


def _notebook(cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def test_notebook_keeps_markdown_and_raw_cells_only(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## 1a\n", "$\\hat{y}_i(\\delta_{ij} - \\hat{y}_j)$"]},
        {"cell_type": "code", "metadata": {}, "source": "print('1b) wrong')", "outputs": [{"text": "1b) wrong"}],
         "execution_count": 1},
        {"cell_type": "raw", "metadata": {}, "source": "1b) \\hat{y} - y"},
    ]
    path = tmp_path / "hw.ipynb"
    path.write_text(json.dumps(_notebook(cells)), encoding="utf-8")
    document = read_document(path=path)
    assert document.kind == "notebook"
    assert document.text == "## 1a\n$\\hat{y}_i(\\delta_{ij} - \\hat{y}_j)$\n\n1b) \\hat{y} - y"
    assert "wrong" not in document.text


@pytest.mark.parametrize("content", ["{not json", "[" * 10_000 + "]" * 10_000, json.dumps({"cells": 5})])
def test_bad_notebooks_are_unreadable(tmp_path, content):
    path = tmp_path / "hw.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        read_document(path=path)
    assert caught.value.reason.startswith("unreadable: invalid notebook JSON")


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(lines=["Problem 2", "(a) Answer: 26 x 26", "(b) Answer: 1820"]))
    document = read_document(path=path)
    assert document.kind == "pdf"
    assert "Problem 2" in document.text
    assert "Answer: 1820" in document.text


def test_pdf_without_text_is_unreadable(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(lines=[]))
    with pytest.raises(UnreadableFile) as caught:
        read_document(path=path)
    assert caught.value.reason == "unreadable: PDF has no text layer"


def test_broken_pdf_is_unreadable(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")
    with pytest.raises(UnreadableFile) as caught:
        read_document(path=path)
    assert caught.value.reason.startswith("unreadable: ")


@pytest.mark.parametrize(
    ("text", "folded"),
    [("۲۶ \\times ۲۶", "26 \\times 26"), ("٣٫٥", "3٫5"), ("abc 123", "abc 123"), ("", "")],
)
def test_fold_digits(text, folded):
    assert fold_digits(text=text) == folded


def test_persian_digits_stay_in_document_text(tmp_path):
    path = tmp_path / "fa.md"
    path.write_text("سوال ۱\nپاسخ: ۵", encoding="utf-8")
    assert "۱" in read_document(path=path).text


@pytest.mark.parametrize(("name", "kind"), [("a.tex", "latex"), ("a.txt", "text"), ("a.answers", "text"),
                                            ("a.MD", "markdown")])
def test_kind_follows_extension(tmp_path, name, kind):
    path = tmp_path / name
    path.write_text("1a) 5\n", encoding="utf-8")
    assert read_document(path=path).kind == kind


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(
    raw=st.one_of(st.binary(max_size=3000), st.binary(max_size=3000).map(lambda b: b"%PDF-1.4\n" + b)),
    suffix=st.sampled_from([".md", ".txt", ".tex", ".ipynb", ".pdf", ".bin"]),
)
def test_reader_only_ever_raises_unreadable(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("r") / f"s{suffix}"
    path.write_bytes(raw)
    try:
        document = read_document(path=path, max_bytes=2000)
    except UnreadableFile as exc:
        assert exc.reason.startswith("unreadable: ")
        return
    assert "\r" not in document.text and "\ufeff" not in document.text[:1]
    assert document.lines == tuple(document.text.split("\n"))
