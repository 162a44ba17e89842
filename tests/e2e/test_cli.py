"""End to end: `grade` on a temporary folder, asserting results.json and grades.csv."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from grader.cli import app
from tests.core.grading_harness import REPO, correct_answers

WRONG_LOOKING_RIGHT = {
    "3a": r"\frac{m}{p-1}",
    "1b": r"y - \hat y",
    "5a": "2Aw",
    "2b": "1800",
    "2a": "26.5",
    "2c": "(46, 62, 10)",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    subs = root / "subs"
    subs.mkdir()
    (subs / "good.json").write_text(json.dumps({"student": "good", "answers": correct_answers()}), encoding="utf-8")
    (subs / "wrong.yaml").write_text(
        "student: wrong\nanswers:\n" + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in
                                               (correct_answers() | WRONG_LOOKING_RIGHT).items()),
        encoding="utf-8")
    (subs / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (subs / "broken.yaml").write_text("answers: [unclosed\n", encoding="utf-8")
    (subs / "nested").mkdir()
    (subs / "nested" / "empty.txt").write_text("", encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(out), "-q"])
    return result, out


def test_exit_code_zero_even_with_unreadable_files(graded):
    result, _ = graded
    assert result.exit_code == 0, result.output


def test_results_json_has_one_row_per_file(graded):
    _, out = graded
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["assignment"] == "dl-basics"
    files = [s["file"] for s in data["submissions"]]
    assert files == ["binary.md", "broken.yaml", "good.json", "nested/empty.txt", "wrong.yaml"]
    by_file = {s["file"]: s for s in data["submissions"]}
    for name in ("binary.md", "broken.yaml", "nested/empty.txt"):
        assert by_file[name]["status"] == "unreadable"
        assert by_file[name]["reason"].startswith("unreadable: ")
    assert "not valid YAML" in by_file["broken.yaml"]["reason"]


def test_correct_submission_scores_full_marks_except_manual_review(graded):
    _, out = graded
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    good = next(s for s in data["submissions"] if s["student"] == "good")
    assert good["status"] == "graded"
    for part_id, part in good["parts"].items():
        keys = {"score", "max", "verdict", "answer", "feedback"}
        assert keys <= part.keys()
        if part_id == "6":
            assert part["verdict"] == "needs_review" and part["score"] == 0
        elif part_id.startswith("2a."):
            assert part["verdict"] == "no_answer" and part["max"] == 0
        else:
            assert part["verdict"] == "correct", (part_id, part["feedback"])
            assert part["score"] == part["max"] == 1
    assert good["score"] == good["max"] - 1 == 28


@pytest.mark.parametrize("part_id", sorted(WRONG_LOOKING_RIGHT))
def test_wrong_answers_that_look_right_score_zero_with_a_reason(graded, part_id):
    _, out = graded
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    wrong = next(s for s in data["submissions"] if s["student"] == "wrong")
    part = wrong["parts"][part_id]
    assert part["verdict"] == "incorrect", (part_id, part)
    assert part["score"] == 0
    assert part["feedback"] and part["feedback"] != "Correct."


def test_grades_csv(graded):
    _, out = graded
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert [row["file"] for row in rows] == ["binary.md", "broken.yaml", "good.json", "nested/empty.txt", "wrong.yaml"]
    header = list(rows[0].keys())
    assert header[:2] == ["student", "file"]
    assert header[2:31] == ["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "2e", "3a", "3b", "3c", "4a", "4b", "4c",
                            "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "4n", "5a", "5b", "6"]
    assert header[31:33] == ["total", "max"]
    good = next(row for row in rows if row["student"] == "good")
    assert (good["total"], good["max"], good["6"]) == ("28", "29", "0")
    assert "6" in good["needs_review"].split()


def test_feedback_files_for_every_submission(graded):
    _, out = graded
    names = sorted(p.name for p in (out / "feedback").iterdir())
    assert names == ["binary.md", "broken.md", "good.md", "nested_empty.md", "wrong.md"]
    text = (out / "feedback" / "wrong.md").read_text(encoding="utf-8")
    assert "You counted the weights but not the 20 biases" in text


def test_usage_errors_exit_non_zero(tmp_path):
    result = CliRunner().invoke(app, [str(tmp_path / "missing")])
    assert result.exit_code == 2


def test_broken_problem_files_refuse_to_grade(tmp_path):
    problems = tmp_path / "problems"
    shutil.copytree(REPO / "problems" / "dl-basics", problems / "dl-basics")
    path = problems / "dl-basics" / "dropout.yaml"
    path.write_text(path.read_text().replace("solver: dropout.forward", "solver: dropout.forwards"), encoding="utf-8")
    (tmp_path / "subs").mkdir()
    result = CliRunner().invoke(app, [str(tmp_path / "subs"), "--problems", str(problems), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "dropout.yaml" in result.output and "unknown solver" in result.output
    assert not (tmp_path / "o" / "results.json").exists()
