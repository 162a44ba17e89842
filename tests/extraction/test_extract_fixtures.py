"""Each fixture file: the expected top answer per part (or its absence), how the label was found, flags."""

from __future__ import annotations

import pytest

from grader.extraction import extract_answers
from grader.reading import read_document
from tests.extraction.conftest import FIXTURES

# (fixture, part, expected top candidate text, expected source, label_found)
EXPECTED = [
    ("english_typed.md", "1a", "\\hat{y}_i (\\delta_{ij} - \\hat{y}_j)", "structured", "explicit"),
    ("english_typed.md", "1b", "\\hat{y} - y", "structured", "explicit"),
    ("english_typed.md", "1c", "(0.090, 0.245, 0.665)", "structured", "explicit"),
    ("english_typed.md", "2a", "26 x 26", "structured", "explicit"),
    ("english_typed.md", "2b", "3 \\cdot 3 \\cdot 10 \\cdot 20 + 20", "structured", "explicit"),
    ("english_typed.md", "2c", "(46, 62, 20)", "structured", "explicit"),
    ("english_typed.md", "4i", "[[0.0003, 0.00035], [0.00089, 0.00105]]", "structured", "explicit"),
    ("english_typed.md", "4n", "(0.4497, 0.5134)", "structured", "explicit"),
    ("english_derivation.md", "1a",
     "\\begin{cases} \\hat{y}_i(1-\\hat{y}_i) & i = j \\\\ -\\hat{y}_i\\hat{y}_j & i \\neq j \\end{cases}",
     "last_rhs", "explicit"),
    ("english_derivation.md", "1b", "\\hat{y} - y", "marker", "explicit"),
    ("english_derivation.md", "1c", "(0.090, 0.245, 0.665)", "marker", "explicit"),
    ("english_derivation.md", "2a", "26 \\times 26", "marker", "explicit"),
    ("english_derivation.md", "2b", "1820", "boxed", "explicit"),
    ("russian.md", "2a", "26 \\times 26", "marker", "explicit"),
    ("russian.md", "2b", "1820", "marker", "explicit"),
    ("russian.md", "2c", "(46, 62, 20)", "marker", "explicit"),
    ("russian.md", "3a", "\\frac{m_i}{1-p}", "last_rhs", "explicit"),
    ("russian.md", "3b", "(4, 0, 6)", "last_rhs", "explicit"),
    ("persian.md", "1a", "\\hat{y}_i(\\delta_{ij} - \\hat{y}_j)", "marker", "explicit"),
    ("persian.md", "1b", "\\hat{y} - y", "marker", "explicit"),
    ("persian.md", "1c", "(0.090, 0.245, 0.665)", "last_rhs", "explicit"),
    ("persian.md", "2a", "26 \\times 26", "marker", "explicit"),
    ("persian.md", "2b", "1820", "last_rhs", "explicit"),
    ("german.txt", "3a", "\\frac{m_i}{1-p}", "marker", "explicit"),
    ("german.txt", "3b", "(4, 0, 6)", "marker", "explicit"),
    ("german.txt", "3c", "(2, 0, 2)", "marker", "explicit"),
    ("german.txt", "5a", "(A + A^T) w", "arrow", "explicit"),
    ("ocr_garbled.txt", "1a", "\\hat{y}_i (\\delta_{ij} - \\hat{y}_j)", "last_rhs", "explicit"),
    ("ocr_garbled.txt", "1b", "\\hat{y} - y", "last_rhs", "explicit"),
    ("ocr_garbled.txt", "2a", "26", "last_rhs", "explicit"),
    ("ocr_garbled.txt", "2b", "1820", "last_rhs", "explicit"),
    ("ocr_garbled.txt", "2e", "2L+1", "arrow", "explicit"),
]

# parts that must have no answer at all
ABSENT = [
    ("english_typed.md", "1d"), ("english_typed.md", "5b"), ("english_derivation.md", "3a"),
    ("english_derivation.md", "4c"), ("russian.md", "1a"), ("russian.md", "2d"), ("german.txt", "1a"),
    ("german.txt", "5b"), ("persian.md", "1d"), ("ocr_garbled.txt", "2c"),
]


@pytest.mark.parametrize(("name", "part", "text", "source", "label_found"), EXPECTED)
def test_top_candidate(layout, name, part, text, source, label_found):
    extraction = extract_answers(document=read_document(path=FIXTURES / name), layout=layout)
    found = extraction.parts[part]
    assert found.candidates, f"{name} {part}: no candidates; context={found.context!r}"
    top = found.candidates[0]
    assert (top.text, top.source) == (text, source)
    assert found.label_found == label_found
    assert 1 <= top.line_start <= top.line_end <= found.line_end
    assert top.quote  # the exact source text is shown to reviewers


@pytest.mark.parametrize(("name", "part"), ABSENT)
def test_absent_parts(layout, name, part):
    found = extract_answers(document=read_document(path=FIXTURES / name), layout=layout).parts[part]
    assert found.candidates == ()
    assert found.label_found == "none"
    assert found.confidence == 0.0


def test_every_layout_part_is_reported(layout):
    for path in sorted(FIXTURES.iterdir()):
        extraction = extract_answers(document=read_document(path=path), layout=layout)
        assert [p.part_id for p in layout.parts] == list(extraction.parts)


def test_confidence_levels(layout):
    typed = extract_answers(document=read_document(path=FIXTURES / "english_typed.md"), layout=layout)
    derivation = extract_answers(document=read_document(path=FIXTURES / "english_derivation.md"), layout=layout)
    russian = extract_answers(document=read_document(path=FIXTURES / "russian.md"), layout=layout)
    assert typed.parts["2c"].confidence >= 0.9
    assert derivation.parts["1b"].confidence >= 0.9  # explicit label + marker
    assert russian.parts["3a"].confidence == pytest.approx(0.7)  # explicit label + last_rhs
    assert "no-marker" in russian.parts["3a"].flags
    assert "no-marker" not in derivation.parts["1b"].flags


def test_free_text_part_keeps_the_whole_answer(layout):
    found = extract_answers(document=read_document(path=FIXTURES / "english_derivation.md"), layout=layout).parts["6"]
    block = [c for c in found.candidates if c.source == "block"]
    assert block and "vanish" in block[0].text and "ReLU" in block[0].text
    assert found.line_start == 32 and found.line_end == 33


def test_persian_digits_are_folded_in_candidates_but_not_in_quotes(layout):
    found = extract_answers(document=read_document(path=FIXTURES / "persian.md"), layout=layout).parts["2a"]
    assert found.candidates[0].text == "26 \\times 26"
    assert "۲۶" in found.candidates[0].quote


def test_title_and_scratch_text_is_unassigned(layout):
    extraction = extract_answers(document=read_document(path=FIXTURES / "russian.md"), layout=layout)
    assert (1, 1) in extraction.unassigned


def _answers(layout, path):
    extraction = extract_answers(document=read_document(path=path), layout=layout)
    return {part: found.candidates[0].text for part, found in extraction.parts.items() if found.candidates}


def test_notebook_answers(tmp_path, layout):
    import json

    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Homework\n## Problem 2"},
        {"cell_type": "code", "metadata": {}, "source": "n = (224 + 6 - 7) // 2 + 1\nprint('Answer: 999')",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["Answer: 999\n"]}], "execution_count": 3},
        {"cell_type": "markdown", "metadata": {}, "source": ["(a) The chain gives 112, 112, 56, 26.\n", "Answer: 26 x 26"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["(b) **Answer:** $3 \\cdot 3 \\cdot 10 \\cdot 20 + 20$"]},
    ]
    path = tmp_path / "hw.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}), encoding="utf-8")
    answers = _answers(layout, path)
    assert answers == {"2a": "26 x 26", "2b": "3 \\cdot 3 \\cdot 10 \\cdot 20 + 20"}


def test_pdf_answers(tmp_path, layout):
    from tests.extraction.pdf_maker import make_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(lines=["Problem 3", "(a) f' = m/(1-p)", "(b) Answer: (4, 0, 6)", "(c) Answer: (2, 0, 2)"]))
    assert _answers(layout, path) == {"3a": "m/(1-p)", "3b": "(4, 0, 6)", "3c": "(2, 0, 2)"}


def test_cp1251_answers(tmp_path, layout):
    path = tmp_path / "petrov.txt"
    source = "Задача 3\r\nа) производная $= \\frac{m_i}{1-p}$\r\nб) Ответ: (4, 0, 6)\r\nв) Ответ: (2, 0, 2)\r\n"
    path.write_bytes(source.encode("cp1251"))
    assert _answers(layout, path) == {"3a": "\\frac{m_i}{1-p}", "3b": "(4, 0, 6)", "3c": "(2, 0, 2)"}
