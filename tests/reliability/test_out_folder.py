"""--out never touches the submissions folder (issue 14, item 2): it may not be that folder, be inside it, or
hold it (a run replaces its whole output folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.cli import app
from tests.core.grading_harness import REPO


@pytest.mark.parametrize("inside", [False, True])
def test_out_in_the_submissions_folder_is_refused(tmp_path: Path, inside: bool) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.md").write_text("2b) 1820\n", encoding="utf-8")
    out = subs / "reports" if inside else subs
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(out), "-q"])
    assert result.exit_code == 2 and "submissions folder" in result.output
    assert sorted(p.name for p in subs.iterdir()) == ["a.md"]
    assert (subs / "a.md").read_text(encoding="utf-8") == "2b) 1820\n"


def test_submissions_inside_out_is_refused(tmp_path: Path) -> None:
    subs = tmp_path / "out" / "subs"
    subs.mkdir(parents=True)
    (subs / "a.md").write_text("2b) 1820\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2 and "submissions folder" in result.output
    assert (subs / "a.md").is_file()
