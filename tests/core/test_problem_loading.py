"""Broken problem files fail with a message naming the file, the field and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.grading.checked import load_assignment
from grader.problems import ProblemFileError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def problems(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "problems" / "dl-basics", tmp_path / "problems" / "dl-basics")
    return tmp_path / "problems"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_assignment_loads():
    assignment = load_assignment(problems_dir=REPO / "problems", assignment_id="dl-basics")
    ids = [part.id for part in assignment.graded_parts]
    assert ids == ["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "2e", "3a", "3b", "3c",
                   "4a", "4b", "4c", "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "4n",
                   "5a", "5b", "6"]


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "words"),
    [
        ("conv-shapes.yaml", "    type: integer\n    solver: conv.parameters", "    type: integr\n    solver: conv.parameters",
         "parts[4] (2b).type", "unknown answer type"),
        ("conv-shapes.yaml", "solver: conv.parameters", "solver: conv.paramters", "parts[4] (2b).solver", "unknown solver"),
        ("backprop.yaml", "args: {z: '@4a'}", "args: {z: '@4z'}", "args", "unknown part @4z"),
        ("dropout.yaml", "args: {a: $a, mask: $mask, p: $p}", "args: {a: $a, mask: $maks, p: $p}",
         "parts[1] (3b).solver", "unknown parameter"),
        ("softmax.yaml", "tolerance: {policy: absolute, abs: 1.5e-3}", "tolerance: {policy: absolute}",
         "parts.2.tolerance", "needs the field 'abs'"),
        ("softmax.yaml", "prompt: Derive ∂L/∂z.", "promt: Derive ∂L/∂z.", "parts.1", "Field required"),
        ("relu-vs-sigmoid.yaml", "    key_idea: >", "    kee_idea: >", "parts.0.kee_idea", "Extra inputs"),
        ("backprop.yaml", "  lr: 0.4", "  lr: [0.4", "line", "not valid YAML"),
    ],
)
def test_broken_problem_file_names_file_field_and_fix(problems, file, old, new, field, words):
    edit(problems / "dl-basics" / file, old, new)
    with pytest.raises(ProblemFileError) as info:
        load_assignment(problems_dir=problems)
    error = info.value
    assert error.file.endswith(file) or file == "backprop.yaml" and field == "args"
    assert error.field.startswith(field), error
    assert words in str(error)
    assert error.fix


def test_cycle_between_parts_is_reported(problems):
    edit(problems / "dl-basics" / "backprop.yaml", "args: {x: $i, W: $W1, b: $b1}", "args: {x: '@4b', W: $W1, b: $b1}")
    with pytest.raises(ProblemFileError, match="cycle: 4a -> 4b -> 4a|cycle: 4b -> 4a -> 4b"):
        load_assignment(problems_dir=problems)


def test_yaml_aliases_are_refused(problems):
    edit(problems / "dl-basics" / "backprop.yaml", "  b2: [0.5, 0.5]", "  b2: &x [0.5, 0.5]\n  b3: *x")
    with pytest.raises(ProblemFileError, match="anchors"):
        load_assignment(problems_dir=problems)


def test_missing_assignment_folder(tmp_path):
    with pytest.raises(ProblemFileError, match="no assignment found"):
        load_assignment(problems_dir=tmp_path)


def test_reference_that_fails_its_own_check_refuses_to_load(problems):
    edit(problems / "dl-basics" / "conv-shapes.yaml", "      reference: 2L + 1", "      reference: 2L + 3")
    with pytest.raises(ProblemFileError) as info:
        load_assignment(problems_dir=problems)
    assert info.value.file.endswith("conv-shapes.yaml")
    assert info.value.field == "parts[7] (2e).reference"
    assert "fails its own check" in info.value.problem


def test_misconception_equal_to_the_reference_refuses_to_load(problems):
    edit(problems / "dl-basics" / "conv-shapes.yaml",
         "args: {kernel: $kernel, in_channels: $in_channels, out_channels: $out_channels, bias: false}",
         "args: {kernel: $kernel, in_channels: $in_channels, out_channels: $out_channels, bias: true}")
    with pytest.raises(ProblemFileError) as info:
        load_assignment(problems_dir=problems)
    assert info.value.field == "parts[4] (2b).misconceptions.params-without-bias"


def test_misconception_solver_that_raises_is_reported(problems):
    edit(problems / "dl-basics" / "backprop.yaml", "args: {x: $i, W: $W1, b: [0, 0]}", "args: {x: $i, W: $W1, b: [0, 0, 0]}")
    with pytest.raises(ProblemFileError) as info:
        load_assignment(problems_dir=problems)
    assert info.value.field.startswith("parts[0] (4a).misconceptions")
