"""`grade solvers` and `grade new-problem` as a new instructor uses them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from grader.authoring.check import check_problems
from grader.cli import tools


def test_solvers_lists_the_library_with_arguments() -> None:
    result = CliRunner().invoke(tools, ["solvers"])
    assert result.exit_code == 0, result.output
    for name in ("layers.stack_table", "convolution.conv2d", "pooling.max_pool1d_grad", "tensors.image_batch",
                 "activations.relu_grad", "conv.parameters"):
        assert f"\n{name}(" in result.output, name
    assert "- input_shape:" in result.output and "returns:" in result.output


def test_solvers_describes_one_and_refuses_an_unknown_name() -> None:
    one = CliRunner().invoke(tools, ["solvers", "layers.output_size"])
    assert one.exit_code == 0 and one.output.count("returns:") == 1
    unknown = CliRunner().invoke(tools, ["solvers", "layers.nope"])
    assert unknown.exit_code == 2 and "no solver" in unknown.output


def test_new_problem_scaffold_passes_check_unchanged(tmp_path: Path) -> None:
    problems = tmp_path / "problems"
    first = CliRunner().invoke(tools, ["new-problem", "conv-layer", "--assignment", "hw1", "--problems", str(problems)])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(tools, ["new-problem", "pooling", "--assignment", "hw1", "--problems", str(problems),
                                        "--solver"])
    assert second.exit_code == 0, second.output
    report = check_problems(problems_dir=problems)
    assert report.ok, "\n".join(error.describe() for error in report.errors)
    (item,) = report.assignments
    assert (item.problems, item.parts) == (2, 6) and item.examples >= 12
    local = CliRunner().invoke(tools, ["solvers", "--problems", str(problems)])
    assert "local solvers of hw1" in local.output and "pooling.conv_parameters(" in local.output


def test_scaffold_then_edit_then_check_round_trip(tmp_path: Path) -> None:
    problems = tmp_path / "problems"
    CliRunner().invoke(tools, ["new-problem", "conv-layer", "--assignment", "hw1", "--problems", str(problems)])
    path = problems / "hw1" / "conv-layer.yaml"
    text = path.read_text(encoding="utf-8")
    # the instructor changes a number: the formula's reference follows, the example that hard-coded 14 fails
    path.write_text(text.replace("  n: 28\n", "  n: 32\n"), encoding="utf-8")
    report = check_problems(problems_dir=problems)
    assert not report.ok
    assert any("example '14': expected correct" in error.problem for error in report.errors), report.errors
    assert all(error.field.startswith("parts[1] (1b).examples") or error.field.startswith("parts[2]")
               for error in report.errors), [e.describe() for e in report.errors]
    again = CliRunner().invoke(tools, ["new-problem", "conv-layer", "--assignment", "hw1", "--problems", str(problems)])
    assert again.exit_code == 2 and "exists already" in again.output
