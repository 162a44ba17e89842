"""Zero-width characters, full-width forms and Cyrillic look-alikes in part labels (issue 14, item 6).

They are folded before labels are read (grader.text.characters.label_characters and fold_lookalikes), so the
answer files under the part the student meant; look-alikes only in files whose labels are Latin, and never in
the answers or prose themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.problems.loader import load_assignment_dir
from grader.submissions.read import read_submission
from grader.text.characters import fold_lookalikes, label_characters
from tests.core.grading_harness import DL_BASICS

EXPECTED = {"2a": "26 x 26", "2b": "1820", "2c": "(46, 62, 20)"}
CASES = {
    "zero-width space": "2a) 26 x 26\n2\u200bb) 1820\n2c) (46, 62, 20)\n",
    "zero-width joiner": "2a) 26 x 26\n2b\u200d) 1820\n2c) (46, 62, 20)\n",
    "full-width digit": "\uff12a) 26 x 26\n\uff12b) 1820\n\uff12c) (46, 62, 20)\n",
    "full-width letter": "2a) 26 x 26\n2\uff42) 1820\n2c) (46, 62, 20)\n",
    "full-width brackets": "2a) 26 x 26\n2\uff08b\uff09 1820\n2c) (46, 62, 20)\n",
    "Cyrillic с": "2a) 26 x 26\n2b) 1820\n2\u0441) (46, 62, 20)\n",
    "Cyrillic а": "2\u0430) 26 x 26\n2b) 1820\n2c) (46, 62, 20)\n",
    "Cyrillic В": "2a) 26 x 26\n2\u0412) 1820\n2c) (46, 62, 20)\n",
    "Russian labels": "Задача 2\nа) 26 x 26\nб) 1820\nв) (46, 62, 20)\n",
}


@pytest.fixture(scope="module")
def assignment():
    return load_assignment_dir(folder=DL_BASICS)


def _read(tmp_path: Path, assignment, text: str):
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    submission = read_submission(path=path, assignment=assignment)
    return {pid: part.candidates[0].text for pid, part in submission.parts.items() if part.candidates}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_answer_files_under_the_part_meant(tmp_path: Path, assignment, name: str) -> None:
    assert _read(tmp_path, assignment, CASES[name]) == EXPECTED


def test_russian_sixth_letter_stays_russian(tmp_path: Path, assignment) -> None:
    """`е` is the 6th Cyrillic label but looks like Latin `e` (the 5th): in a file with Cyrillic labels it is
    not folded, so it is past 2e, not 2e."""
    found = _read(tmp_path, assignment, "Задача 2\nа) 26 x 26\nб) 1820\nв) (46, 62, 20)\nг) 5133600\nд) 2L + 1\n"
                                         "е) 7\n")
    assert found["2e"] == "2L + 1"


def test_look_alikes_are_folded_in_labels_only(tmp_path: Path, assignment) -> None:
    found = _read(tmp_path, assignment, "2a) 26 x 26\n2\u0441) (46, 62, 20)\n6) ReLU с градиентом 1, а сигмоида "
                                         "насыщается\n")
    assert found["2c"] == "(46, 62, 20)"
    assert found["6"] == "ReLU с градиентом 1, а сигмоида насыщается"


def test_folding_keeps_columns() -> None:
    for text in ("2\u200bb) x", "\uff12\uff42) x", "Задача 2 с) в слове", "\u200e2b)"):
        assert len(label_characters(text=text)) == len(text)
        assert len(fold_lookalikes(text=text)) == len(text)
    assert fold_lookalikes(text="2с) Задача с") == "2c) Задача c"
    assert label_characters(text="\uff12\u200b\uff42\uff09") == "2 b)"
