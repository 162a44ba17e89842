"""`grade export`: --list, exit codes, the reports folder with several assignments, unmatched on stderr."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from grader.cli import TOOL_COMMANDS, tools
from tests.core.grading_harness import REPO

SAMPLES = REPO / "tests" / "golden" / "samples"
ROSTERS = REPO / "tests" / "export" / "rosters"
FORMATS = ("blackboard", "brightspace", "canvas", "csv", "json", "moodle")


def _invoke(*args: str):
    return CliRunner().invoke(tools, ["export", *args])


def test_export_is_a_tool_command() -> None:
    assert "export" in TOOL_COMMANDS


def test_list_names_every_format() -> None:
    result = _invoke("--list")
    assert result.exit_code == 0
    assert all(name in result.output for name in FORMATS)


def test_unknown_format_exits_2_with_the_list() -> None:
    result = _invoke("excel", str(SAMPLES / "dl-basics"))
    assert result.exit_code == 2
    assert "unknown export format 'excel'" in result.output and all(name in result.output for name in FORMATS)
    assert _invoke().exit_code == 2


def test_several_assignments_need_assignment(tmp_path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLES, reports)
    result = _invoke("csv", str(reports))
    assert result.exit_code == 2 and "--assignment" in result.output
    result = _invoke("csv", str(reports), "--assignment", "cnn-basics")
    assert result.exit_code == 0, result.output
    assert (reports / "cnn-basics" / "exports" / "csv.csv").read_text(encoding="utf-8").startswith("student,name,")
    assert _invoke("csv", str(reports), "--assignment", "nope").exit_code == 2
    assert _invoke("csv", str(tmp_path / "nothing")).exit_code == 2


def test_unmatched_go_to_stderr_and_feedback_files_are_written(tmp_path) -> None:
    out = tmp_path / "canvas.csv"
    result = _invoke("canvas", str(SAMPLES / "dl-basics"), "--roster", str(ROSTERS / "canvas.csv"), "--out", str(out),
                     "--feedback-dir", str(tmp_path / "fb"), "--assignment-name", "Deep learning basics")
    assert result.exit_code == 0, result.output
    assert "frank_okafor.txt" in result.output and "matches no roster row" in result.output
    assert out.exists() and (tmp_path / "canvas.report.json").exists()
    assert len(list((tmp_path / "fb").iterdir())) == 5


def test_roster_errors_exit_2(tmp_path) -> None:
    roster = tmp_path / "dup.csv"
    roster.write_text("Student,ID,SIS User ID\nA,1,S1\nB,1,S2\n", encoding="utf-8")
    result = _invoke("canvas", str(SAMPLES / "dl-basics"), "--roster", str(roster), "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "duplicate ids" in result.output and "line 2" in result.output
    assert _invoke("canvas", str(SAMPLES / "dl-basics"), "--missing", "maybe").exit_code == 2
