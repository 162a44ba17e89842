"""docs/authoring.md's worked example, run as written: scaffold, replace the problem with the
guide's, check it, grade the guide's two submissions, and find the verdicts the guide states."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from grader.cli import app, tools
from tests.core.grading_harness import REPO


def _blocks() -> list[tuple[str, str]]:
    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = text[text.index("## Worked example"):]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def test_the_worked_example_runs_as_written(tmp_path: Path) -> None:
    blocks = _blocks()
    problem = next(body for kind, body in blocks if kind == "yaml" and "id: pooling" in body)
    ana, ben = [body for kind, body in blocks if kind == "text"]
    problems = tmp_path / "problems"
    made = CliRunner().invoke(tools, ["new-problem", "pooling", "--assignment", "hw3", "--problems", str(problems)])
    assert made.exit_code == 0, made.output
    first = CliRunner().invoke(tools, ["check", str(problems)])
    assert "ok  hw3" in first.output and "1 problem, 3 parts, 9 examples" in first.output, first.output
    (problems / "hw3" / "pooling.yaml").write_text(problem, encoding="utf-8")
    checked = CliRunner().invoke(tools, ["check", str(problems)])
    assert checked.exit_code == 0 and "1 problem, 4 parts, 12 examples" in checked.output, checked.output
    subs = tmp_path / "submissions"
    subs.mkdir()
    (subs / "ana.md").write_text(ana, encoding="utf-8")
    (subs / "ben.txt").write_text(ben, encoding="utf-8")
    out = tmp_path / "reports"
    graded = CliRunner().invoke(app, [str(subs), "--problems", str(problems), "--out", str(out), "-q"])
    assert graded.exit_code == 0, graded.output
    results = {s["file"]: s for s in json.loads((out / "results.json").read_text(encoding="utf-8"))["submissions"]}
    assert results["ana.md"]["score"] == 4
    verdicts = {part: (v["verdict"], v["feedback_id"]) for part, v in results["ben.txt"]["parts"].items()}
    assert verdicts == {"1a": ("incorrect", "ceil-length"), "1b": ("incorrect", "shape-mismatch"),
                        "1c": ("incorrect", "wrong-range"), "1d": ("correct", None)}
