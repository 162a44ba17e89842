"""Broken variant declarations stop loading with the file, the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.problems.errors import ProblemFileError, ProblemFileErrors
from grader.grading.checked import load_assignment_dir

PROBLEM = """\
id: conv
number: 1
title: Conv
statement: 'A {{n}}×{{n}} input.'
parameters: {n: 32, layer: {kernel: 3, padding: 1, stride: 2}}
variants:
VARIANTS
constraints:
CONSTRAINTS
parts:
  - id: 1a
    prompt: 'Size after conv {{layer.kernel}}×{{layer.kernel}}?'
    type: integer
    solver: conv.layer_size
    args: {n: $n, layer: $layer}
"""


def _load(tmp_path: Path, variants: str, constraints: str = "  []", *, manifest_extra: str = "") -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "assignment.yaml").write_text(f"id: a\ntitle: A\nproblems: [conv.yaml]\n{manifest_extra}",
                                            encoding="utf-8")
    text = PROBLEM.replace("VARIANTS", variants).replace("CONSTRAINTS", constraints)
    (folder / "conv.yaml").write_text(text, encoding="utf-8")
    load_assignment_dir(folder=folder)


def _errors(exc: pytest.ExceptionInfo) -> tuple[ProblemFileError, ...]:
    return exc.value.errors if isinstance(exc.value, ProblemFileErrors) else (exc.value,)


def test_a_good_declaration_loads(tmp_path) -> None:
    _load(tmp_path, "  n: {range: [16, 64], step: 4}\n  layer.kernel: {choices: [3, 5]}",
          "  - {integer: '(n + 2*layer.padding - layer.kernel) / layer.stride + 1/2'}")


def test_unknown_parameter(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  size: {choices: [1, 2]}\n  layer.dilation: {choices: [1, 2]}")
    errors = _errors(exc)
    fields = {e.field: e for e in errors}
    assert "variants.size" in fields and "variants.layer.dilation" in fields
    assert fields["variants.size"].file.endswith("conv.yaml")
    assert "unknown parameter 'size'" in fields["variants.size"].problem
    assert "has no 'dilation'" in fields["variants.layer.dilation"].problem
    assert "declare it under parameters" in fields["variants.size"].fix
    assert fields["variants.size"].line is not None


def test_values_of_the_wrong_type(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  n: {uniform: [10, 20]}\n  layer: {choices: [{kernel: 3}]}")
    problems = {e.field: e.problem for e in _errors(exc)}
    assert "uniform gives real numbers" in problems["variants.n"]
    assert "keys" in problems["variants.layer"]


def test_unsatisfiable_constraints(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  n: {range: [10, 20]}", "  - {positive: 'n - 100'}")
    (error,) = _errors(exc)
    assert error.field == "constraints"
    assert "no variant found in 200 draws" in error.problem
    assert "loosen the constraints" in error.fix


def test_constraint_with_an_unknown_name(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  n: {range: [10, 20]}", "  - {integer: 'n / stride'}")
    (error,) = _errors(exc)
    assert error.field == "constraints[0].integer" and "stride" in error.problem
    assert "layer.stride" in error.fix


def test_unknown_placeholder(tmp_path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "assignment.yaml").write_text("id: a\ntitle: A\nproblems: [conv.yaml]\n", encoding="utf-8")
    text = PROBLEM.replace("variants:\nVARIANTS\nconstraints:\nCONSTRAINTS\n", "").replace("{{layer.kernel}}", "{{kernel}}")
    (folder / "conv.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProblemFileError) as exc:
        load_assignment_dir(folder=folder)
    (error,) = _errors(exc)
    assert error.field == "parts[0] (1a).prompt" and "unknown parameter 'kernel'" in error.problem


def test_a_variant_whose_reference_fails_its_self_check(tmp_path) -> None:
    # a stride of 0 makes the solver divide by zero for every student
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  layer.stride: {choices: [0]}")
    (error,) = _errors(exc)
    assert error.field == "parts[0] (1a)" and "with the variant layer.stride = 0" in error.problem


def test_enabled_without_a_seed(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  n: {range: [10, 20]}", manifest_extra="variants: {enabled: true}\n")
    (error,) = _errors(exc)
    assert error.field == "variants.seed" and error.file.endswith("assignment.yaml")


def test_spec_needs_exactly_one_kind(tmp_path) -> None:
    with pytest.raises(ProblemFileError) as exc:
        _load(tmp_path, "  n: {range: [10, 20], choices: [1]}")
    assert any("exactly one of 'choices', 'range' or 'uniform'" in e.problem for e in _errors(exc))
