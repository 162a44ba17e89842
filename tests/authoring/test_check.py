"""`grade check`: every error of every file at once (file, field, line, fix), and each part's
declared examples graded as declared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grader.authoring.check import check_problems
from grader.cli import tools
from tests.core.grading_harness import REPO


@pytest.fixture()
def problems(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "problems" / "dl-basics", tmp_path / "problems" / "dl-basics")
    return tmp_path / "problems"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_problems_pass_the_check() -> None:
    report = check_problems(problems_dir=REPO / "problems")
    assert report.ok, "\n".join(error.describe() for error in report.errors)


def test_every_error_is_listed_at_once_with_file_field_line_and_fix(problems: Path) -> None:
    folder = problems / "dl-basics"
    edit(folder / "conv-shapes.yaml", "    type: integer\n    solver: conv.parameters", "    type: integr\n    solver: conv.parameters")
    edit(folder / "softmax.yaml", "tolerance: {policy: absolute, abs: 1.5e-3}", "tolerance: {policy: absolute}")
    edit(folder / "relu-vs-sigmoid.yaml", "    key_idea: >", "    kee_idea: >")
    edit(folder / "softmax.yaml", "prompt: Derive ∂L/∂z.", "promt: Derive ∂L/∂z.")
    report = check_problems(problems_dir=problems)
    assert not report.ok
    found = {(Path(error.file).name, error.field.split(" ")[0]) for error in report.errors}
    # pydantic errors of two files are all reported (the semantic pass needs valid models, so it runs after)
    assert ("softmax.yaml", "parts.2.tolerance") in found
    assert ("softmax.yaml", "parts.1") in found or ("softmax.yaml", "parts.1.prompt") in found
    assert ("relu-vs-sigmoid.yaml", "parts.0.kee_idea") in found
    for error in report.errors:
        assert error.fix and error.line, error.describe()
    misspelt = next(e for e in report.errors if e.field == "parts.0.kee_idea")
    assert misspelt.fix.startswith("did you mean 'key_idea'?"), misspelt.fix
    tolerance = next(e for e in report.errors if e.field == "parts.2.tolerance")
    lines = (folder / "softmax.yaml").read_text(encoding="utf-8").splitlines()
    assert "tolerance" in lines[tolerance.line - 1]


def test_semantic_errors_of_several_parts_are_all_listed(problems: Path) -> None:
    folder = problems / "dl-basics"
    edit(folder / "conv-shapes.yaml", "    type: integer\n    solver: conv.parameters", "    type: integr\n    solver: conv.parameters")
    edit(folder / "backprop.yaml", "solver: backprop.linear\n", "solver: backprop.linearr\n")
    edit(folder / "conv-shapes.yaml", "      reference: 2L + 1", "      reference: 2L + 3")
    report = check_problems(problems_dir=problems)
    fields = sorted(error.field for error in report.errors)
    assert "parts[4] (2b).type" in fields
    assert any(field.startswith("parts[0] (4a).solver") for field in fields), fields
    assert any(field == "parts[7] (2e).reference" for field in fields), fields
    unknown = next(e for e in report.errors if e.field.startswith("parts[0] (4a).solver"))
    assert "unknown solver" in unknown.problem and "grade solvers" in unknown.problem


def test_duplicate_yaml_keys_are_an_error_with_their_line(problems: Path) -> None:
    folder = problems / "dl-basics"
    edit(folder / "backprop.yaml", "  lr: 0.4", "  lr: 0.4\n  lr: 0.5")
    report = check_problems(problems_dir=problems)
    (error,) = report.errors
    assert "duplicate key 'lr'" in error.problem and error.line
    assert "lr: 0.5" in (folder / "backprop.yaml").read_text(encoding="utf-8").splitlines()[error.line - 1]


def test_declared_examples_are_graded(problems: Path) -> None:
    folder = problems / "dl-basics"
    before = check_problems(problems_dir=problems).assignments[0].examples
    text = (folder / "conv-shapes.yaml").read_text(encoding="utf-8")
    shipped = next(line for line in text.splitlines() if line.startswith("    examples: {correct: ['1820'"))
    edit(folder / "conv-shapes.yaml", shipped + "\n", "    examples:\n      correct: ['1820', '3 \\cdot 3 \\cdot 10 \\cdot 20 + 20', '1800']\n"
         "      incorrect:\n        - {answer: '1800', feedback_id: params-without-bias}\n"
         "        - {answer: '1801', feedback_id: params-without-bias}\n        - '1820'\n")
    report = check_problems(problems_dir=problems)
    problems_text = sorted(error.problem for error in report.errors)
    assert len(problems_text) == 3, problems_text
    assert any("'1800': expected correct" in text for text in problems_text)
    assert any("'1801': expected feedback id 'params-without-bias'" in text for text in problems_text)
    assert any("'1820': expected a wrong answer, graded correct" in text for text in problems_text)
    assert report.assignments[0].examples == before - 3 + 6  # 2b's three shipped examples replaced by six


def test_grade_check_command_exit_codes(problems: Path) -> None:
    ok = CliRunner().invoke(tools, ["check", str(problems)])
    assert ok.exit_code == 0, ok.output
    assert "ok  dl-basics" in ok.output
    edit(problems / "dl-basics" / "conv-shapes.yaml", "solver: conv.parameters", "solver: conv.paramters")
    bad = CliRunner().invoke(tools, ["check", str(problems)])
    assert bad.exit_code == 3
    assert "conv-shapes.yaml:" in bad.output and "fix:" in bad.output


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(tools, ["check", str(tmp_path)])
    assert result.exit_code == 3 and "no assignment found" in result.output
