"""A part's reference as a literal `answer`, a `formula`, a built-in `solver` or an
assignment-local solver module; each normalised (and refused, with the reason) by its type."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.grading import build_context
from grader.problems import ProblemFileError
from grader.grading.checked import load_assignment_dir


def write_assignment(root: Path, parts: str, *, assignment_id: str = "hw", parameters: str = "{}",
                     solvers: str | None = None) -> Path:
    folder = root / assignment_id
    folder.mkdir(parents=True)
    (folder / "assignment.yaml").write_text(f"id: {assignment_id}\ntitle: T\nproblems: [p.yaml]\n", encoding="utf-8")
    (folder / "p.yaml").write_text(f"id: p\nnumber: 1\ntitle: P\nparameters: {parameters}\nparts:\n"
                                   + textwrap.indent(textwrap.dedent(parts), "  "), encoding="utf-8")
    if solvers is not None:
        (folder / "solvers.py").write_text(textwrap.dedent(solvers), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("part_type", "answer", "expected"), [
    ("integer", "1820", 1820),
    ("integer", "'3 \\cdot 3 \\cdot 10 \\cdot 20 + 20'", 1820),
    ("integer", "1820.0", 1820),
    ("shape", "[46, 62, 20]", (46, 62, 20)),
    ("shape", "'26 \\times 26'", (26, 26)),
    ("number", "0.1984", 0.1984),
    ("number", "'0,1984'", 0.1984),
    ("vector", "[0.5, -1]", [0.5, -1.0]),
    ("matrix", "[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
])
def test_literal_answers_become_typed_references(tmp_path, part_type, answer, expected):
    folder = write_assignment(tmp_path, f"- {{id: 1a, prompt: q, type: {part_type}, answer: {answer}}}\n")
    value = build_context(assignment=load_assignment_dir(folder=folder)).references["1a"]
    if part_type in ("vector", "matrix"):
        assert value.tolist() == expected
    else:
        assert value == expected and type(value) is type(expected)


def test_literal_expression_answer_is_the_symbolic_reference(tmp_path):
    folder = write_assignment(tmp_path, """\
        - id: 1a
          prompt: gradient of w^T A w
          type: expression
          answer: '(A + A^T) w'
          symbolic:
            dims: {n: [3, 4]}
            symbols:
              A: {kind: matrix, dims: [n, n]}
              w: {kind: vector, dim: n}
            misconceptions:
              - {id: symmetric-only, expr: '2 A w', feedback: A is not symmetric.}
        """)
    assignment = load_assignment_dir(folder=folder)
    assert assignment.part("1a").symbolic["reference"] == "(A + A^T) w"


@pytest.mark.parametrize(("part", "words"), [
    ("- {id: 1a, prompt: q, type: shape, answer: [26.5, 26]}", "size 1 of the shape must be a whole number, got 26.5"),
    ("- {id: 1a, prompt: q, type: integer, answer: 2.5}", "must be a whole number, got 2.5"),
    ("- {id: 1a, prompt: q, type: vector, answer: [[1, 2], [3, 4]]}", "must have 1 dimension"),
    ("- {id: 1a, prompt: q, type: integer, answer: 'twelve apples'}", "could not read a whole number"),
    ("- {id: 1a, prompt: q, type: integer}", "needs its reference"),
    ("- {id: 1a, prompt: q, type: integer, answer: 3, solver: conv.parameters}", "one form only"),
])
def test_bad_literal_references_are_refused_with_the_reason(tmp_path, part, words):
    folder = write_assignment(tmp_path, part + "\n")
    with pytest.raises(ProblemFileError) as info:
        load_assignment_dir(folder=folder)
    assert words in str(info.value), str(info.value)


def test_zero_point_parts_are_allowed(tmp_path):
    folder = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, answer: 3, points: 0}\n")
    assert load_assignment_dir(folder=folder).part("1a").points == 0


LOCAL = """\
    from grader.solvers import solver


    @solver("area")
    def area(*, height: int, width: int) -> int:
        return height * width
    """


def test_local_solver_module_computes_a_reference_and_ecf(tmp_path):
    folder = write_assignment(tmp_path, """\
        - {id: 1a, prompt: h, type: integer, answer: 6}
        - {id: 1b, prompt: area, type: integer, solver: area, args: {height: '@1a', width: $w}}
        """, parameters="{w: 7}", solvers=LOCAL)
    context = build_context(assignment=load_assignment_dir(folder=folder))
    assert context.references["1b"] == 42


def test_two_assignments_may_use_the_same_local_name(tmp_path):
    one = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, solver: area, args: {height: 2, width: 3}}\n",
                           assignment_id="one", solvers=LOCAL)
    two = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, solver: area, args: {height: 2, width: 3}}\n",
                           assignment_id="two", solvers=LOCAL.replace("height * width", "height + width"))
    assert build_context(assignment=load_assignment_dir(folder=one)).references["1a"] == 6
    assert build_context(assignment=load_assignment_dir(folder=two)).references["1a"] == 5


def test_local_solver_is_not_visible_to_another_assignment(tmp_path):
    write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, solver: area, args: {height: 2, width: 3}}\n",
                     assignment_id="one", solvers=LOCAL)
    other = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, solver: area, args: {height: 2, width: 3}}\n",
                             assignment_id="other")
    load_assignment_dir(folder=tmp_path / "one")
    with pytest.raises(ProblemFileError, match="unknown solver 'area'"):
        load_assignment_dir(folder=other)


@pytest.mark.parametrize(("module", "words"), [
    ("import nonexistent_module_xyz\n", "ModuleNotFoundError"),
    ("from grader.solvers import solver\n\n@solver('conv.parameters')\ndef p(**kw):\n    return 1\n", "is a built-in solver"),
])
def test_broken_local_module_names_the_file(tmp_path, module, words):
    folder = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, answer: 1}\n", solvers=module)
    with pytest.raises(ProblemFileError) as info:
        load_assignment_dir(folder=folder)
    assert info.value.file.endswith("solvers.py") and words in info.value.problem


def test_local_module_may_register_a_truth_for_an_expression_part(tmp_path):
    folder = write_assignment(tmp_path, """\
        - id: 1a
          prompt: receptive field of L stacked 5x5 convolutions
          type: expression
          answer: '4L + 1'
          symbolic:
            truth: hw_local_receptive_field_5x5
            symbols:
              L: {kind: scalar, sample: {integers: [1, 20]}}
            misconceptions:
              - {id: rf-5l, expr: 5L, feedback: Stacked layers overlap.}
          examples:
            correct: ['4L+1', '1 + 4 L']
            incorrect: [{answer: 5L, feedback_id: rf-5l}, '4L']
        """, solvers="""\
        import numpy as np
        from grader.symbolic import truth


        @truth("hw_local_receptive_field_5x5")
        def field(values):
            # count the pixels one output sees, layer by layer (independent of the formula)
            layers = int(np.asarray(values["L"]).item())
            width = 1
            for _ in range(layers):
                width += 5 - 1
            return np.asarray(float(width))
        """)
    from grader.authoring.check import check_assignment

    checked = check_assignment(folder=folder, assignment_id="hw")
    assert checked.ok, [error.describe() for error in checked.errors]
    assert checked.examples == 4


def test_args_reach_into_mapping_and_list_parameters_with_dotted_paths(tmp_path):
    folder = write_assignment(tmp_path, """\
        - {id: 1a, prompt: q, type: integer, solver: layers.output_size,
           args: {n: $image.height, kernel: $conv.kernel, stride: $strides.1}}
        """, parameters="{image: {height: 28, width: 28}, conv: {kernel: 3}, strides: [1, 2]}")
    assert build_context(assignment=load_assignment_dir(folder=folder)).references["1a"] == 13


def test_an_unknown_dotted_path_says_what_exists(tmp_path):
    folder = write_assignment(tmp_path, "- {id: 1a, prompt: q, type: integer, solver: layers.output_size, "
                                        "args: {n: $image.heigth, kernel: 3}}\n", parameters="{image: {height: 28}}")
    with pytest.raises(ProblemFileError, match="image has no 'heigth' \\(it has: height\\)"):
        load_assignment_dir(folder=folder)
