"""Whole submissions in several languages and styles: each part's first candidate, label and confidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.freeform import (Extraction, extract_answers, layout_from_part_ids, read_document)

from .pdf_writer import minimal_pdf

FIXTURES = Path(__file__).parent / "fixtures"
PART_IDS = ("1a 1b 1c 1d 2a 2b 2c 2d 2e 3a 3b 3c 4a 4b 4c 4d 4e 4f 4g 4h 4i 4j 4k 4l 4m 4n 5a 5b 6").split()
LAYOUT = layout_from_part_ids(part_ids=PART_IDS)

CASES_1A = "\\begin{cases} %s & i = j \\\\ %s & i \\neq j \\end{cases}"

# part id -> expected first candidate text (None: no candidates at all)
EXPECTED: dict[str, dict[str, str | None]] = {
    "typed_en.md": {
        "1a": "\\hat{y}_i(\\delta_{ij} - \\hat{y}_j)", "1b": "\\hat y - y", "1c": "(0.09, 0.245, 0.665)",
        "1d": None, "2a": "26 x 26", "2b": "1820", "2c": "(46, 62, 20)",
        "4i": "[[0.0003, 0.0004], [0.0009, 0.0011]]", "4n": "[0.4457, 0.5134]", "4m": None,
    },
    "derivation_en.txt": {
        "1a": CASES_1A % ("y_i (1 - y_i)", "-y_i y_j"), "1b": "\\hat y - y", "1c": "(0.090, 0.245, 0.665)",
        "2a": "26 x 26", "2b": "1820", "2c": "Z, U \\in R^{46 \\times 62 \\times 20}", "2d": "5133600",
        "2e": "2L+1", "3a": None,
    },
    "russian.md": {
        "1a": None, "2a": "26 \\times 26", "2b": "1820", "2c": "(46, 62, 20)",
        "2d": "3 \\cdot 3 \\cdot 10 \\cdot 46 \\cdot 62 \\cdot 20", "2e": None, "3a": "\\frac{m_i}{1-p}",
        "3b": "(4, 0, 6)", "3c": "(2, 0, 2)",
    },
    "persian.md": {
        "1a": CASES_1A % ("\\hat y_i (1 - \\hat y_i)", "-\\hat y_i \\hat y_j"), "1b": "\\hat y - y",
        "2a": "26 \\times 26", "2b": "1820", "2c": "(46, 62, 20)", "2d": None,
    },
    "german.md": {
        "3a": "\\frac{m_i}{1-p}", "3b": "(4; 0; 6)", "3c": "(2;\\ 0;\\ 2)", "5a": "(A + A^T) w",
        "5b": "\\operatorname{diag}(\\sigma'(Wx))\\, g\\, x^T", "1a": None,
    },
    "ocr_noisy.txt": {
        "1a": "\\hat{y}_i (\\delta_{ij} - \\hat{y}_j)", "1b": "\\hat{y} - y", "2a": "26×26", "2b": "1820",
        "2c": "(46, 62, 20)", "2d": None, "3a": "\\frac{m}{1-p}",
    },
}

SOURCES: dict[tuple[str, str], str] = {
    ("derivation_en.txt", "1b"): "boxed", ("derivation_en.txt", "1c"): "marker",
    ("derivation_en.txt", "1a"): "last_rhs", ("russian.md", "2a"): "marker", ("persian.md", "2c"): "marker",
    ("german.md", "3b"): "marker", ("typed_en.md", "2b"): "structured", ("ocr_noisy.txt", "2a"): "marker",
}


def _extract(name: str) -> Extraction:
    return extract_answers(document=read_document(path=FIXTURES / name), layout=LAYOUT)


@pytest.mark.parametrize(("name", "part_id", "expected"),
                         [(n, p, e) for n, parts in EXPECTED.items() for p, e in parts.items()])
def test_first_candidate(name: str, part_id: str, expected: str | None) -> None:
    part = _extract(name).parts[part_id]
    if expected is None:
        assert part.candidates == ()
        assert part.label_found == "none"
        return
    assert part.candidates, f"no candidates for {part_id}"
    assert part.candidates[0].text == expected
    assert part.label_found == "explicit"


@pytest.mark.parametrize(("key", "source"), sorted(SOURCES.items()))
def test_candidate_source(key: tuple[str, str], source: str) -> None:
    name, part_id = key
    assert _extract(name).parts[part_id].candidates[0].source == source


def test_every_layout_part_present_and_ordered_candidates() -> None:
    for name in EXPECTED:
        extraction = _extract(name)
        assert set(extraction.parts) == set(PART_IDS)
        for part in extraction.parts.values():
            strengths = [c.strength for c in part.candidates]
            assert strengths == sorted(strengths, reverse=True)
            assert len(part.candidates) <= 8
            assert 0.0 <= part.confidence <= 1.0


def test_quotes_and_lines_point_at_the_source() -> None:
    doc = read_document(path=FIXTURES / "russian.md")
    part = extract_answers(document=doc, layout=LAYOUT).parts["2a"]
    top = part.candidates[0]
    assert top.line_start == top.line_end == 10
    assert top.quote == "Ответ: размер выхода $26 \\times 26$."
    assert doc.lines[9].strip() == top.quote
    assert (part.line_start, part.line_end) == (5, 10)
    assert "Найдём размер" in part.context


def test_numbered_steps_are_not_parts_in_a_lettered_problem() -> None:
    extraction = _extract("russian.md")
    assert extraction.parts["2b"].candidates[0].text == "1820"  # not step "2)"
    assert "1) $\\lfloor" in extraction.parts["2a"].context
    assert extraction.parts["1a"].candidates == ()  # "1)" steps are not problem 1


def test_confidence_levels_and_flags() -> None:
    german = _extract("german.md").parts
    assert german["3a"].confidence >= 0.9 and "no-marker" not in german["3a"].flags
    derivation = _extract("derivation_en.txt").parts
    assert 0.6 <= derivation["1a"].confidence <= 0.75
    assert "no-marker" in derivation["1a"].flags
    assert "two-cases-joined" in derivation["1a"].flags


def test_scratch_text_between_problems_is_unassigned() -> None:
    doc = read_document(path=FIXTURES / "derivation_en.txt")
    extraction = extract_answers(document=doc, layout=LAYOUT)
    scratch = next(n for n, line in enumerate(doc.lines, start=1) if line.startswith("Some scratch"))
    assert any(a <= scratch <= b for a, b in extraction.unassigned)
    assert "scratch" not in extraction.parts["2e"].context
    assert (1, 1) in extraction.unassigned  # the title line


def test_part_six_free_text_is_the_block() -> None:
    for name in ("derivation_en.txt", "persian.md", "typed_en.md"):
        top = _extract(name).parts["6"].candidates[0]
        assert "ReLU" in top.text
        assert top.source in ("structured", "block")


def test_persian_quote_keeps_original_digits() -> None:
    part = _extract("persian.md").parts["2c"]
    assert part.candidates[0].text == "(46, 62, 20)"
    assert "۴۶" in part.candidates[0].quote


def test_notebook_submission(tmp_path: Path) -> None:
    path = tmp_path / "hw.ipynb"
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## Problem 3\n", "\n", "(a) We scale by 1/(1-p).\n",
                                                             "Answer: $\\frac{m_i}{1-p}$"]},
        {"cell_type": "code", "metadata": {}, "source": ["# (b) Answer: 123"], "outputs": [], "execution_count": 1},
        {"cell_type": "markdown", "metadata": {}, "source": "(b) Answer: $(4, 0, 6)$"},
        {"cell_type": "markdown", "metadata": {}, "source": "(c) $\\Rightarrow (2, 0, 2)$"},
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")
    parts = extract_answers(document=read_document(path=path), layout=LAYOUT).parts
    assert parts["3a"].candidates[0].text == "\\frac{m_i}{1-p}"
    assert parts["3b"].candidates[0].text == "(4, 0, 6)"
    assert parts["3c"].candidates[0].text == "(2, 0, 2)"
    assert parts["3c"].candidates[0].source == "arrow"


def test_pdf_submission(tmp_path: Path) -> None:
    path = tmp_path / "okafor.pdf"
    path.write_bytes(minimal_pdf(pages=[
        ["Homework 3", "Problem 4", "(a) z1 = i W1 + b1", "Answer: z1 = [0.3275, 0.3475]"],
        ["(b) a1 = sigma(z1). Answer: [0.5812, 0.5860]", "(e) E = 0.5 * sum (o - t)^2 = 0.1984"],
    ]))
    parts = extract_answers(document=read_document(path=path), layout=LAYOUT).parts
    assert parts["4a"].candidates[0].text == "[0.3275, 0.3475]"
    assert parts["4a"].confidence >= 0.9
    assert parts["4b"].candidates[0].text == "[0.5812, 0.5860]"
    assert parts["4e"].candidates[0].text == "0.1984"
    assert parts["4c"].candidates == ()


def test_cp1251_submission(tmp_path: Path) -> None:
    path = tmp_path / "petrov.txt"
    text = ("Контрольная работа, Петров Иван, группа 3\n\nЗадача 3\n\nа) Производная маски: "
            "Ответ: $\\frac{m_i}{1-p}$\nб) Ответ: $(4, 0, 6)$\nв) Ответ: $(2, 0, 2)$\n")
    path.write_bytes(text.encode("cp1251"))
    parts = extract_answers(document=read_document(path=path), layout=LAYOUT).parts
    assert [parts[p].candidates[0].text for p in ("3a", "3b", "3c")] == [
        "\\frac{m_i}{1-p}", "(4, 0, 6)", "(2, 0, 2)"]
