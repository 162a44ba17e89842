"""`grade SUBMISSIONS` with several assignments: one sub-folder per assignment id, each graded
against its own assignment into --out/<id>/; files that belong to none are a usage error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli import app
from tests.core.grading_harness import REPO

SECOND = """\
id: second
title: Second
problems: [p.yaml]
"""
PROBLEM = """\
id: p
number: 1
title: P
parts:
  - {id: 1a, prompt: How many, type: integer, answer: 12}
"""


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "problems" / "dl-basics", tmp_path / "problems" / "dl-basics")
    (tmp_path / "problems" / "second").mkdir()
    (tmp_path / "problems" / "second" / "assignment.yaml").write_text(SECOND, encoding="utf-8")
    (tmp_path / "problems" / "second" / "p.yaml").write_text(PROBLEM, encoding="utf-8")
    for name in ("dl-basics", "second"):
        (tmp_path / "subs" / name).mkdir(parents=True)
    (tmp_path / "subs" / "dl-basics" / "a.yaml").write_text("answers: {2b: '1820'}\n", encoding="utf-8")
    (tmp_path / "subs" / "second" / "b.md").write_text("1a) 12\n", encoding="utf-8")
    return tmp_path


def grade(course: Path, *extra: str):
    return CliRunner().invoke(app, [str(course / "subs"), "--problems", str(course / "problems"),
                                    "--out", str(course / "out"), "-q", *extra])


def test_each_sub_folder_is_graded_against_its_assignment(course: Path) -> None:
    result = grade(course)
    assert result.exit_code == 0, result.output
    first = json.loads((course / "out" / "dl-basics" / "results.json").read_text(encoding="utf-8"))
    second = json.loads((course / "out" / "second" / "results.json").read_text(encoding="utf-8"))
    assert first["assignment"] == "dl-basics" and [s["file"] for s in first["submissions"]] == ["a.yaml"]
    assert second["assignment"] == "second" and second["submissions"][0]["parts"]["1a"]["verdict"] == "correct"


def test_one_assignment_can_be_chosen(course: Path) -> None:
    result = grade(course, "--assignment", "second")
    assert result.exit_code == 0, result.output
    assert (course / "out" / "second" / "results.json").exists()
    assert not (course / "out" / "dl-basics").exists()


def test_files_outside_the_assignment_folders_are_a_usage_error(course: Path) -> None:
    (course / "subs" / "stray.md").write_text("1a) 12\n", encoding="utf-8")
    result = grade(course)
    assert result.exit_code == 2
    assert "stray.md" in result.output and "--assignment" in result.output
    assert not (course / "out").exists()


def test_several_assignments_without_sub_folders_ask_for_one(course: Path) -> None:
    flat = course / "flat"
    flat.mkdir()
    (flat / "x.md").write_text("1a) 12\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(flat), "--problems", str(course / "problems"), "--out", str(course / "o"), "-q"])
    assert result.exit_code == 2 and "--assignment" in result.output
