"""Derived references in problem files: the schema's errors when the file is read, SymPy's (and the numbers')
when the assignment is checked, and the dl-basics parts that derive theirs grading as before."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.grading.checked import load_assignment, load_assignment_dir
from grader.mathparse import parse_math
from grader.problems import ProblemFileError, read_assignment_dir
from grader.problems.derived import is_derived
from grader.symbolic import SymbolicSpec, check_symbolic
from tests.authoring.test_reference_forms import write_assignment

REPO = Path(__file__).resolve().parents[2]

QUADRATIC = """\
- id: 1a
  prompt: gradient of w^T A w
  type: expression
  symbolic:
    reference: {REFERENCE}
    dims: {n: [3, 4]}
    symbols:
      A: {kind: matrix, dims: [n, n]}
      w: {kind: vector, dim: n}
      x: {kind: scalar}
"""

SOFTMAX = """\
- id: 1b
  prompt: dL/dz
  type: expression
  symbolic:
    reference: {gradient: '-\\sum_i y_i \\log \\hat y_i', wrt: z, assuming: [ASSUMPTION]}
    TRUTH
    dims: {C: [3, 4]}
    symbols:
      z: {kind: vector, dim: C}
      y: {kind: vector, dim: C, sample: onehot}
      y_hat: {kind: vector, dim: C, value: '\\operatorname{softmax}(z)'}
      i: {kind: index, dim: C}
    result: {indices: [i], shape: [C]}
"""


def quadratic(tmp_path: Path, reference: str) -> Path:
    return write_assignment(tmp_path, QUADRATIC.replace("{REFERENCE}", reference))


def softmax(tmp_path: Path, *, assumption: str, truth: bool) -> Path:
    text = SOFTMAX.replace("ASSUMPTION", assumption).replace("TRUTH", "truth: cross_entropy_grad" if truth else "")
    return write_assignment(tmp_path, text)


def test_a_derived_reference_loads_as_its_text(tmp_path) -> None:
    folder = quadratic(tmp_path, "{gradient: 'w^T A w', wrt: w}")
    assert is_derived(read_assignment_dir(folder=folder).part("1a"))
    part = load_assignment_dir(folder=folder).part("1a")
    assert part.symbolic["reference"] == r"\left(A + A^{T}\right) w"


#: (reference, field, words, when): ``read`` errors are the schema's (reading the folder), ``load`` errors what
#: SymPy cannot derive (checked loading)
AUTHORING_ERRORS = [
    ("{gradient: 'w^T A w', wrtt: w}", "symbolic.reference.wrtt", "did you mean 'wrt'", "read"),
    ("{gradient: 'w^T A w'}", "symbolic.reference.wrt", "missing", "read"),
    ("{gradient: 'w^T A w', wrt: v}", "symbolic.reference.wrt", "not a symbol of the part", "read"),
    ("{gradient: 'w^T A w', wrt: x}", "symbolic.reference.wrt", "does not use 'x'", "read"),
    ("{gradient: 'w^T A w', derivative: 'w', wrt: w}", "symbolic.reference", "exactly one of", "read"),
    ("{gradient: 'w^T A (', wrt: w}", "symbolic.reference.gradient", "cannot parse", "read"),
    ("{gradient: 'w^T A w', wrt: w, assuming: ['w']}", "symbolic.reference.assuming[0]", "not one equation", "read"),
    ("{gradient: 'A w', wrt: w}", "symbolic.reference.gradient", "not a scalar", "load"),
    ("{derivative: '\\operatorname{ReLU}(x) + w^T w', wrt: x}", "symbolic.reference.derivative", "not differentiable",
     "load"),
]


@pytest.mark.parametrize(("reference", "field", "words", "when"), AUTHORING_ERRORS)
def test_authoring_errors_name_the_file_the_field_and_the_fix(tmp_path, reference, field, words, when) -> None:
    folder = quadratic(tmp_path, reference)
    with pytest.raises(ProblemFileError) as info:
        (read_assignment_dir if when == "read" else load_assignment_dir)(folder=folder)
    error = info.value
    assert error.file.endswith("p.yaml") and error.field == f"parts[0] (1a).{field}", error.describe()
    assert words in error.problem + " " + error.fix and error.fix, error.describe()
    assert error.line is not None
    if when == "load":
        assert words in error.problem, error.describe()


def test_every_error_is_reported_at_once(tmp_path) -> None:
    folder = write_assignment(tmp_path, QUADRATIC.replace("{REFERENCE}", "{gradient: 'w^T A w', wrtt: w}")
                              + QUADRATIC.replace("1a", "1b").replace("{REFERENCE}", "{gradient: 'w^T A w', wrt: x}"))
    with pytest.raises(ProblemFileError) as info:
        read_assignment_dir(folder=folder)
    fields = [e.field for e in info.value.errors]  # type: ignore[attr-defined]
    assert "parts[0] (1a).symbolic.reference.wrtt" in fields and "parts[1] (1b).symbolic.reference.wrt" in fields


def test_softmax_cross_entropy_with_the_assumption_loads(tmp_path) -> None:
    for truth in (True, False):  # against the truth, and against central differences of the definition
        folder = softmax(tmp_path / str(truth), assumption="'\\sum_i y_i = 1'", truth=truth)
        assert load_assignment_dir(folder=folder).part("1b").symbolic["reference"] == r"\hat{y} - y"


@pytest.mark.parametrize("truth", [True, False])
def test_a_wrong_assumption_is_caught_by_the_numbers(tmp_path, truth) -> None:
    folder = softmax(tmp_path, assumption="'\\sum_i y_i = 2'", truth=truth)
    with pytest.raises(ProblemFileError) as info:
        load_assignment_dir(folder=folder)
    assert info.value.field == "parts[0] (1b).symbolic.reference", info.value.describe()
    assert ("truth" if truth else "central differences") in info.value.problem
    assert "assuming" in info.value.fix


DL_BASICS = {"1b": r"\hat y - y", "3a": r"\frac{m_i}{1 - p}", "5a": "(A + A^T) w"}


@pytest.fixture(scope="module")
def dl_basics():
    return read_assignment_dir(folder=REPO / "problems" / "dl-basics"), load_assignment(
        problems_dir=REPO / "problems", assignment_id="dl-basics")


def test_dl_basics_parts_derive_their_references(dl_basics) -> None:
    read, loaded = dl_basics
    for part_id, before in DL_BASICS.items():
        assert is_derived(read.part(part_id)), part_id
        part = loaded.part(part_id)
        assert parse_math(text=part.symbolic["reference"]) == parse_math(text=before), part_id
        assert part.reference_latex == before  # what the reports show is unchanged


@pytest.mark.parametrize("part_id", sorted(DL_BASICS))
def test_dl_basics_derived_parts_grade_the_same(dl_basics, part_id) -> None:
    _, loaded = dl_basics
    part = loaded.part(part_id)
    derived = SymbolicSpec.model_validate(part.symbolic)
    literal = SymbolicSpec.model_validate({**part.symbolic, "reference": DL_BASICS[part_id]})
    answers = list(part.examples.correct) + [e.answer for e in part.examples.incorrect] + \
        [m.expr for m in derived.misconceptions] + ["0", "y", "m_i", "A w"]
    for answer in answers:
        assert check_symbolic(answer=answer, spec=derived, seed=3) == check_symbolic(answer=answer, spec=literal,
                                                                                     seed=3), answer


def test_the_readme_example_derives(tmp_path) -> None:
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Derived references"):]
    body = next(b for b in re.findall(r"```yaml\n(.*?)```", section, re.S) if "gradient:" in b)
    folder = write_assignment(tmp_path, textwrap.dedent(body))
    part = load_assignment_dir(folder=folder).part("1b")
    assert part.symbolic["reference"] == r"\hat{y} - y"


def test_a_derived_reference_is_shown_as_its_canonical_text(tmp_path) -> None:
    from grader.answers import get_answer_type

    folder = quadratic(tmp_path, "{gradient: 'w^T A w', wrt: w}")
    for assignment in (read_assignment_dir(folder=folder), load_assignment_dir(folder=folder)):
        shown = get_answer_type("expression").show(value=None, part=assignment.part("1a"))
        assert shown == r"\left(A + A^{T}\right) w"
