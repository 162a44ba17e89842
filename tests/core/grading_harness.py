"""Grade answer dictionaries through the real pipeline (structured submissions)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from grader.grading import build_context, grade_directory
from grader.grading.checked import load_assignment_dir
from grader.problems.models import Assignment
from grader.results import SubmissionResult

REPO = Path(__file__).resolve().parents[2]
DL_BASICS = REPO / "problems" / "dl-basics"


def correct_answers() -> dict[str, str]:
    """A fully correct answer set, every value rounded to the decimals asked for."""
    return {
        "1a": r"\hat{y}_i(\delta_{ij} - \hat{y}_j)",
        "1b": r"\hat{y} - y",
        "1c": "(0.090, 0.245, 0.665)",
        "1d": "[[0.082, -0.022, -0.060], [-0.022, 0.185, -0.163], [-0.060, -0.163, 0.223]]",
        "2a": r"26 \times 26",
        "2b": "1820",
        "2c": "(46, 62, 20)",
        "2d": "5133600",
        "2e": "2L + 1",
        "3a": r"\frac{m_i}{1 - p}",
        "3b": "(4, 0, 6)",
        "3c": "(2, 0, 2)",
        "4a": "(0.3275, 0.3475)",
        "4b": "(0.5812, 0.5860)",
        "4c": "(0.8794, 0.9962)",
        "4d": "(0.7067, 0.7303)",
        "4e": "0.1984",
        "4f": "(0.1258, -0.0334)",
        "4g": "[[0.0731, -0.0194], [0.0737, -0.0196]]",
        "4h": "(0.1258, -0.0334)",
        "4i": "[[0.0003, 0.0004], [0.0009, 0.0011]]",
        "4j": "(0.0059, 0.0070)",
        "4k": "[[0.0999, 0.1999], [0.1496, 0.2496]]",
        "4l": "(0.2976, 0.2972)",
        "4m": "[[0.2708, 0.4078], [0.3205, 0.4578]]",
        "4n": "(0.4497, 0.5134)",
        "5a": "(A + A^T) w",
        "5b": r"(g \odot y \odot (1 - y)) x^T",
        "6": "ReLU' is 1 for positive inputs; sigmoid' is at most 1/4 and saturates.",
    }


@functools.cache
def shipped_dl_basics() -> Assignment:
    """problems/dl-basics as shipped, loaded (and self-checked, 0.3-0.4 s) once per test process: the loaded
    assignment is a frozen model, so the tests that grade against the unedited folder share it."""
    return load_assignment_dir(folder=DL_BASICS)


def grade_answers(tmp_path: Path, answers: dict[str, str], *, problems: Path = DL_BASICS,
                  isolate: bool = False) -> SubmissionResult:
    folder = tmp_path / "subs"
    folder.mkdir(exist_ok=True)
    (folder / "student.json").write_text(json.dumps({"student": "s1", "answers": answers}), encoding="utf-8")
    assignment = shipped_dl_basics() if problems == DL_BASICS else load_assignment_dir(folder=problems)
    context = build_context(assignment=assignment)
    run = grade_directory(context=context, directory=folder, isolate=isolate)
    (result,) = run.submissions
    return result


def report_bytes(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (a report set), by relative path: two sets are the same bytes when these are equal."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
