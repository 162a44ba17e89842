"""Free-form submissions graded end to end: the verdict of every part of every fixture.

Two fixture sets written independently (``tests/freeform/fixtures`` and ``tests/e2e/freeform_b``) plus
files generated here (a notebook, a PDF with a text layer, a cp1251 text, an empty and a binary file).
Every part not listed for a file must come back ``no_answer``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.grading import build_context, grade_directory
from grader.grading.checked import load_assignment_dir
from tests.core.grading_harness import DL_BASICS
from tests.freeform.pdf_writer import minimal_pdf

HERE = Path(__file__).parent
SETS = {"a": HERE.parent / "freeform" / "fixtures", "b": HERE / "freeform_b"}

C, R, W, U = "correct", "needs_review", "incorrect", "could_not_evaluate"

EXPECTED: dict[str, dict[str, str]] = {
    "a_typed_en.md": {"1a": C, "1b": C, "1c": C, "2a": C, "2b": C, "2c": C, "4i": C,
                      "4n": W,  # 0.4457 for 0.4497: a wrong first entry
                      "6": R},
    "a_derivation_en.txt": {"1a": R,  # y_i for ŷ_i: y is the label, so a person decides
                            "1b": C, "1c": C, "2a": C, "2b": C, "2c": C, "2d": C, "2e": C, "6": R},
    "a_russian.md": {"2a": C, "2b": C, "2c": C, "2d": C, "3a": C, "3b": C, "3c": C},
    "a_persian.md": {"1a": C, "1b": C, "2a": C, "2b": C, "2c": C, "6": R},
    "a_german.md": {"3a": C, "3b": C, "3c": C, "5a": C, "5b": C},
    "a_ocr_noisy.txt": {"1a": C, "1b": C, "2a": C, "2b": C, "2c": C, "3a": C},
    "b_english_typed.md": {"1a": C, "1b": C, "1c": C, "2a": C, "2b": C, "2c": C, "4i": C, "4n": C, "6": R},
    "b_english_derivation.md": {"1a": C, "1b": C, "1c": C, "2a": C, "2b": C,
                                "2c": U,  # '(c) (a) 5 (b) 7 — a note': not a shape, queued for a person
                                "6": R},
    "b_russian.md": {"2a": C, "2b": C, "2c": C, "3a": C, "3b": C},
    "b_persian.md": {"1a": C, "1b": C, "1c": C, "2a": C, "2b": C},
    "b_german.txt": {"3a": C, "3b": C, "3c": C, "5a": C},
    "b_ocr_garbled.txt": {"1a": C, "1b": C, "2a": C, "2b": C, "2e": C},
    "notebook.ipynb": {"3a": C, "3b": C, "3c": C},
    "scan.pdf": {"4a": C, "4b": C, "4e": C},
    "legacy_cp1251.txt": {"3a": C, "3b": C, "3c": C},
}
UNREADABLE = {"empty.md", "binary.txt"}


def _generated(folder: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## Problem 3\n", "(a) Answer: $\\frac{m_i}{1-p}$"]},
        {"cell_type": "code", "metadata": {}, "source": ["# (b) Answer: 123"], "outputs": [], "execution_count": 1},
        {"cell_type": "markdown", "metadata": {}, "source": "(b) Answer: $(4, 0, 6)$"},
        {"cell_type": "raw", "metadata": {}, "source": "(c) $\\Rightarrow (2, 0, 2)$"},
    ]
    (folder / "notebook.ipynb").write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (folder / "scan.pdf").write_bytes(minimal_pdf(pages=[
        ["Homework 3", "Problem 4", "(a) z1 = i W1 + b1", "Answer: z1 = [0.3275, 0.3475]"],
        ["(b) a1 = sigma(z1). Answer: [0.5812, 0.5860]", "(e) E = 0.5 * sum (o - t)^2 = 0.1984"],
    ]))
    (folder / "legacy_cp1251.txt").write_bytes(
        ("Задача 3\r\nа) Ответ: $\\frac{m_i}{1-p}$\r\nб) Ответ: $(4, 0, 6)$\r\nв) Ответ: (2; 0; 2)\r\n")
        .encode("cp1251"))
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("freeform")
    for prefix, source in SETS.items():
        for path in source.iterdir():
            shutil.copyfile(path, folder / f"{prefix}_{path.name}")
    _generated(folder)
    context = build_context(assignment=load_assignment_dir(folder=DL_BASICS))
    run = grade_directory(context=context, directory=folder, isolate=False)
    return {s.file: s for s in run.submissions}, tuple(p.id for p in context.assignment.graded_parts)


def test_every_file_has_exactly_one_row(results):
    rows, _ = results
    assert set(rows) == set(EXPECTED) | UNREADABLE


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdict_of_every_part(results, name):
    rows, part_ids = results
    row = rows[name]
    assert row.status == "graded", row.reason
    got = {pid: row.parts[pid].verdict for pid in part_ids}
    want = {pid: EXPECTED[name].get(pid, "no_answer") for pid in part_ids}
    assert got == want


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_say_why(results, name):
    row = results[0][name]
    assert row.status == "unreadable"
    assert row.reason and row.reason.startswith("unreadable:")


def test_graded_parts_quote_their_evidence(results):
    rows, _ = results
    for name in EXPECTED:
        for part in rows[name].parts.values():
            if part.verdict == "no_answer":
                continue
            assert part.evidence is not None and part.evidence.quote.strip(), (name, part.part_id)
            if not name.endswith(".ipynb"):
                assert part.evidence.line_start is not None and part.evidence.line_start >= 1, (name, part.part_id)
