"""End to end: `grade`, `grade override`, `grade` again: the decision shows in results.json and grades.csv,
survives re-grading, goes stale when the answer changes, and a bad overrides.yaml stops the run."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli import TOOL_COMMANDS, app, tools
from tests.core.grading_harness import DL_BASICS, correct_answers


def _write(subs: Path, student: str, **answers: str) -> None:
    (subs / f"{student}.json").write_text(json.dumps({"student": student, "answers": correct_answers() | answers}),
                                          encoding="utf-8")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(DL_BASICS, tmp_path / "problems" / "dl-basics")
    subs = tmp_path / "subs"
    subs.mkdir()
    _write(subs, "ann")
    _write(subs, "bob", **{"2b": "1800"})
    _write(subs, "cyd", **{"2b": "1800"})
    _write(subs, "dee", **{"2b": "1800"})
    return tmp_path


def _grade(course: Path):
    result = CliRunner().invoke(app, [str(course / "subs"), "--problems", str(course / "problems"),
                                      "--out", str(course / "reports"), "-q"])
    data = json.loads((course / "reports" / "results.json").read_text(encoding="utf-8")) \
        if result.exit_code == 0 else None
    return result, data


def _override(course: Path, *args: str):
    return CliRunner().invoke(tools, ["override", *args, "--reports", str(course / "reports"),
                                      "--problems", str(course / "problems"), "--by", "ta.lee"])


def _parts(data: dict, part: str) -> dict[str, dict]:
    return {s["student"]: s["parts"][part] for s in data["submissions"]}


def _csv(course: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((course / "reports" / "grades.csv").read_text(encoding="utf-8")))
    return {row["student"]: row for row in rows}


def test_override_is_recorded_applied_kept_and_goes_stale(course: Path) -> None:
    assert "override" in TOOL_COMMANDS
    result, data = _grade(course)
    assert result.exit_code == 0, result.output
    assert _parts(data, "2b")["bob"]["verdict"] == "incorrect"
    group = next(g for g in data["groups"]["2b"] if g["key"] == "1800")
    assert (group["count"], group["students"]) == (3, ["bob", "cyd", "dee"])

    done = _override(course, "bob", "2b", "1", "--comment", "Bias forgotten, method right.")
    assert done.exit_code == 0, done.output
    assert "recorded" in done.output and "'1800'" in done.output
    done = _override(course, "cyd", "2b", "0.5", "--group")
    assert done.exit_code == 0, done.output
    text = (course / "overrides.yaml").read_text(encoding="utf-8")
    assert text.count("- assignment: dl-basics") == 2 and "group: '1800'" in text and "student: bob" in text

    for _ in range(2):  # re-grading keeps the decisions
        result, data = _grade(course)
        assert result.exit_code == 0, result.output
        parts = _parts(data, "2b")
        assert (parts["bob"]["verdict"], parts["bob"]["score"], parts["bob"]["auto_verdict"]) == \
            ("overridden", 1.0, "incorrect")
        assert parts["bob"]["feedback"] == "Bias forgotten, method right."
        assert parts["bob"]["override"]["by"] == "ta.lee"
        assert (parts["cyd"]["score"], parts["dee"]["score"]) == (0.5, 0.5)
        assert parts["ann"]["verdict"] == "correct"
        assert data["stale_overrides"] == []
        rows = _csv(course)
        assert (rows["bob"]["2b"], rows["cyd"]["2b"]) == ("1", "0.5")
        assert "2b" not in rows["bob"]["needs_review"].split()

    # the same decision again updates its entry instead of adding one
    assert "updated" in _override(course, "bob", "2b", "0.75").output
    assert (course / "overrides.yaml").read_text(encoding="utf-8").count("student: bob") == 1

    _write(course / "subs", "bob", **{"2b": "1810"})  # bob's answer changed: his decision is stale
    result, data = _grade(course)
    parts = _parts(data, "2b")
    assert parts["bob"]["verdict"] == "incorrect" and "override" not in parts["bob"]
    assert [(s["student"], s["answer"], s["now"]) for s in data["stale_overrides"]] == [("bob", "1800", "1810")]
    assert parts["cyd"]["verdict"] == "overridden"
    page = (course / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Stale overrides" in page and "1 stale entry not applied" in page


def test_override_errors(course: Path) -> None:
    assert "run `grade` first" in _override(course, "bob", "2b", "1").output
    _grade(course)
    assert _override(course, "bob", "2b", "99").exit_code == 2
    assert "no part" in _override(course, "bob", "9z", "1").output
    assert "no graded student" in _override(course, "nobody", "2b", "1").output


@pytest.mark.parametrize(("entry", "message"), [
    ("{assignment: dl-basics, part: 9z, student: bob, answer: '1800', score: 1, at: '2026-12-01'}",
     r"entry 1 \(dl-basics part 9z, student bob\): assignment dl-basics has no part '9z'"),
    ("{assignment: dl-basics, part: 2b, student: bob, answer: '1800', score: 50, at: '2026-12-01'}",
     r"entry 1 \(dl-basics part 2b, student bob\): score 50 is above the part's"),
])
def test_bad_overrides_file_stops_the_run(course: Path, entry: str, message: str) -> None:
    (course / "overrides.yaml").write_text(f"overrides:\n- {entry}\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(course / "subs"), "--problems", str(course / "problems"),
                                      "--out", str(course / "reports"), "-q"])
    assert result.exit_code == 2
    import re
    assert re.search(message, result.output), result.output
    assert not (course / "reports" / "results.json").exists()
