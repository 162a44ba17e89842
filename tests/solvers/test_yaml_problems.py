"""The new solvers work from a YAML problem file: YAML values in, answer-type-ready references out."""

from __future__ import annotations

import textwrap

import pytest

from grader.problems.bindings import compute_references
from grader.grading.checked import load_assignment_dir
from grader.problems.loader import ProblemFileError

PROBLEM = """
id: cnn
number: 1
title: A small CNN
statement: A 28x28x1 input through conv, pool, conv, pool, flatten, fc.
parameters:
  input_shape: [28, 28, 1]
  stack:
    - {type: conv, kernel: 3, filters: 10, stride: 1, padding: 0, bias: true}
    - {type: pool, kernel: 2, stride: 2}
    - {type: conv, kernel: 3, filters: 10}
    - {type: pool, kernel: 2, stride: 2}
    - {type: flatten}
    - {type: fc, units: 3}
  image: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
parts:
  - {id: 1a, prompt: Total parameters, type: integer, solver: layers.stack_params,
     args: {input_shape: $input_shape, layers: $stack}}
  - {id: 1b, prompt: Output shape of the last pool, type: shape, solver: layers.output_hw,
     args: {input_size: 11, kernel: 2, stride: 2}}
  - {id: 1c, prompt: 2x2 ones kernel over the image, type: matrix, solver: convolution.conv2d,
     args: {x: $image, kernel: [[1, 1], [1, 1]]}}
  - {id: 1d, prompt: Max-pool gradient, type: vector, solver: pooling.max_pool1d_grad,
     args: {x: [1, 3, 3, 2], upstream: [1, 1], pool_size: 2}}
"""


def _write(tmp_path, problem: str):
    (tmp_path / "assignment.yaml").write_text("id: t\ntitle: T\nproblems: [cnn.yaml]\n", encoding="utf-8")
    (tmp_path / "cnn.yaml").write_text(textwrap.dedent(problem), encoding="utf-8")
    return load_assignment_dir(folder=tmp_path)


def test_references_from_yaml(tmp_path):
    refs = compute_references(assignment=_write(tmp_path, PROBLEM))
    assert refs["1a"] == 100 + 910 + 753
    assert refs["1b"] == (5, 5)                       # floor((11 - 2)/2) + 1
    assert refs["1c"].tolist() == [[12.0, 16.0], [24.0, 28.0]]  # arrays: normalised by the matrix type  # 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
    assert refs["1d"].tolist() == [0.0, 1.0, 1.0, 0.0]        # windows [1, 3] -> max at index 1, [3, 2] -> at index 2


def test_a_bad_solver_argument_is_reported_at_load_time_with_its_name(tmp_path):
    bad = PROBLEM.replace("args: {input_size: 11, kernel: 2, stride: 2}", "args: {input_size: 11, kernel: 2, stride: 0}")
    with pytest.raises(ProblemFileError, match="stride must be at least 1"):
        _write(tmp_path, bad)
