"""The README's authoring example is a problem file `grade check` accepts."""

from __future__ import annotations

import re
from pathlib import Path

from grader.authoring.check import check_problems
from tests.core.grading_harness import REPO


def test_readme_problem_example_passes_check(tmp_path: Path) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Authoring assignments"):]
    problem = next(body for body in re.findall(r"```yaml\n(.*?)```", section, re.S) if "parts:" in body)
    folder = tmp_path / "hw"
    folder.mkdir()
    (folder / "assignment.yaml").write_text("id: hw\ntitle: HW\nproblems: [conv-layer.yaml]\n", encoding="utf-8")
    (folder / "conv-layer.yaml").write_text(problem, encoding="utf-8")
    report = check_problems(problems_dir=tmp_path)
    assert report.ok, [error.describe() for error in report.errors]
    assert report.assignments[0].examples == 2
