"""The grade command's own surface: -h, --version, usage errors that name the folder (exit 2),
an empty submissions folder (a warning), and the summary's last line (the class page)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from grader.cli import app, tools
from tests.core.grading_harness import REPO


def test_short_help_and_version() -> None:
    assert "Grade every file" in CliRunner().invoke(app, ["-h"]).output
    assert "Validate every assignment" in CliRunner().invoke(tools, ["check", "-h"]).output
    version = CliRunner().invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.startswith("grade ")


def test_a_missing_problems_folder_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [str(tmp_path), "--problems", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert f"no problems folder at {(tmp_path / 'nope').resolve()}" in result.output


def test_an_unknown_assignment_is_a_usage_error_listing_the_known_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [str(tmp_path), "--problems", str(REPO / "problems"), "--assignment", "nope"])
    assert result.exit_code == 2
    assert "no assignment 'nope'" in result.output and "cnn-basics, dl-basics" in result.output


def test_an_empty_submissions_folder_is_a_warning_and_the_summary_ends_with_the_class_page(tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"warning: no files to grade in {subs}" in result.output
    assert result.output.rstrip().splitlines()[-1] == f"class page: {(out / 'index.html').resolve()}"
