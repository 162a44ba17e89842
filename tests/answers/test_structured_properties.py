"""Property tests for the structured answer types: parsing never raises and stays fast on any text,
the reference always reads back as correct, and every type's configuration is validated at load time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.answers import Check, Parsed, ParseFailure, get_answer_type
from grader.problems.errors import ProblemFileError, ProblemFileErrors
from grader.grading.checked import load_assignment_dir

from structured_helpers import make_part

PARTS = {
    "record": (make_part("record", fields=[{"name": "in", "type": "integer", "labels": ["input", "входных"]},
                                           {"name": "out", "type": "integer", "labels": ["output"]},
                                           {"name": "shape", "type": "shape", "labels": ["size"]}]),
               {"in": 10, "out": 20, "shape": [26, 26]}),
    "coordinates": (make_part("coordinates", index_base=1), {"any_of": [[3, 1], [1, 3]]}),
    "range": (make_part("range"), {"min": 0, "max": 1}),
    "range-reals": (make_part("range", domain="reals"), {"low": 0, "high": 2, "high_open": True}),
    "table": (make_part("table", columns=[{"name": "shape", "type": "shape", "labels": ["output"]},
                                          {"name": "params", "type": "integer", "labels": ["#params"]}],
                        rows=["conv1", "pool1"]),
              [{"shape": [26, 26, 10], "params": 100}, {"shape": [13, 13, 10], "params": 0}]),
    "choice": (make_part("choice", choices=[{"id": "a", "text": "sigmoid"}, {"id": "b", "text": "ReLU"},
                                            {"id": "true"}, {"id": "false"}]), "b"),
}

PIECES = list("0123456789.,;:-+*/^()[]{}|&=<>_ \n\tkxXабв") + [
    "≤", "≥", "∈", "×", "∞", "…", "..", "\\le", "\\leq", "\\in", "\\{", "\\}", "\\infty", "\\times", "\\\\", "$",
    "in", "out", "input", "output", "входных", "row", "column", "i=", "j=", "Z[", "k_1", "k₁", "۱۰", "۵", "(b)",
    "Answer:", "true", "false", "неверно", "not ", "|---|", "conv1", "pool1", "#params", "size", "sigmoid", "ReLU",
    "\\begin{tabular}", "\\hline", "or", "and", "to", "{0, 1, ..., 5}",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


def _parse_and_check(name: str, text: str) -> None:
    part, raw = PARTS[name]
    answer_type = get_answer_type(part.type)
    reference = answer_type.reference_value(value=raw, part=part)
    start = time.process_time()
    parsed = answer_type.parse(text=text, part=part, reference=reference)
    assert isinstance(parsed, Parsed | ParseFailure)
    if isinstance(parsed, Parsed):
        for value in (parsed.value, *parsed.alternatives):
            check = answer_type.check(parsed=Parsed(value=value, shown=""), reference=reference, part=part, seed=0)
            assert isinstance(check, Check) and 0.0 <= check.credit <= 1.0
        answer_type.value_of(parsed=parsed)
    assert time.process_time() - start < 1.0, f"{name} took too long on {text[:80]!r}"


@pytest.mark.parametrize("name", sorted(PARTS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_never_raises_on_mathy_text(name, text):
    _parse_and_check(name, text)


@pytest.mark.parametrize("name", sorted(PARTS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_never_raises_on_any_text(name, text):
    _parse_and_check(name, text)


HOSTILE = ["(" * 5000, "0," * 3000, "|" * 5000, "in: " * 1500, "1 " * 3000, "{0, " * 2000, "0 ≤ k < " * 800,
           "| conv1 | 1x1 |\n" * 600, "a" * 10000, "\\le" * 3000, "(1, 2) or " * 800, "[" * 3000 + "]" * 3000,
           "10x" * 3000, "row 1 column " * 800, "true false " * 900, "&" * 5000, "k_{" * 3000]


@pytest.mark.parametrize("name", sorted(PARTS))
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_inputs_are_bounded(name, text):
    _parse_and_check(name, text)


@pytest.mark.parametrize("name", sorted(PARTS))
def test_reference_reads_back_as_correct(name):
    part, raw = PARTS[name]
    answer_type = get_answer_type(part.type)
    reference = answer_type.reference_value(value=raw, part=part)
    parsed = answer_type.parse(text=answer_type.show(value=reference, part=part), part=part, reference=reference)
    assert answer_type.check(parsed=parsed, reference=reference, part=part, seed=0).verdict == "correct"


PROBLEM = """\
id: structured
number: 1
title: Structured answers
parts:
  - id: 1a
    prompt: Channels of the conv layer.
    type: record
    fields:
      - {name: in, type: integer, labels: [input, in_channels]}
      - {name: out, type: integer, labels: [output, out_channels]}
    answer: {in: 10, out: 20}
    misconceptions:
      - {id: channels-swapped, value: {in: 20, out: 10}, feedback: In and out are the other way round.}
  - id: 1b
    prompt: Where is the maximum?
    type: coordinates
    index_base: 1
    answer: {any_of: [[3, 1], [1, 3]]}
  - id: 1c
    prompt: Which offsets k?
    type: range
    answer: '0 \\le k < 2'
  - id: 1d
    prompt: Per-layer table.
    type: table
    columns:
      - {name: output_shape, type: shape, labels: [shape]}
      - {name: params, type: integer, labels: ["#params"]}
    rows: [conv1, pool1]
    answer:
      - {output_shape: [26, 26, 10], params: 100}
      - {output_shape: [13, 13, 10], params: 0}
  - id: 1e
    prompt: Which activation?
    type: choice
    choices:
      - {id: a, text: sigmoid, feedback: It saturates.}
      - {id: b, text: ReLU}
    answer: b
"""


def _write(tmp_path: Path, problem: str) -> Path:
    (tmp_path / "assignment.yaml").write_text("id: s\ntitle: S\nproblems: [p.yaml]\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(problem, encoding="utf-8")
    return tmp_path


def test_a_problem_with_every_structured_type_loads_and_self_checks(tmp_path):
    assignment = load_assignment_dir(folder=_write(tmp_path, PROBLEM))
    assert [part.type for part in assignment.parts] == ["record", "coordinates", "range", "table", "choice"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    fields:\n      - {name: in, type: integer, labels: [input, in_channels]}\n"
     "      - {name: out, type: integer, labels: [output, out_channels]}\n", "", "needs 'fields'"),
    ("    columns:\n      - {name: output_shape, type: shape, labels: [shape]}\n"
     "      - {name: params, type: integer, labels: [\"#params\"]}\n", "", "needs 'columns'"),
    ("    choices:\n      - {id: a, text: sigmoid, feedback: It saturates.}\n      - {id: b, text: ReLU}\n", "",
     "at least two"),
    ("    answer: {in: 10, out: 20}\n", "    answer: {in: 10}\n", "no value for out"),
    ("    answer: b\n", "    answer: d\n", "not one of the choices"),
    ("    answer: '0 \\le k < 2'\n", "    answer: '0 < k < 1'\n", "empty"),
    ("    answer: {any_of: [[3, 1], [1, 3]]}\n", "    answer: {any: [[3, 1]]}\n", "any_of"),
    ("      - {id: channels-swapped, value: {in: 20, out: 10}", "      - {id: channels-swapped, value: {in: 10, out: 20}",
     "equals the reference"),
])
def test_broken_configuration_is_reported_clearly(tmp_path, old, new, message):
    assert old in PROBLEM
    with pytest.raises((ProblemFileError, ProblemFileErrors)) as caught:
        load_assignment_dir(folder=_write(tmp_path, PROBLEM.replace(old, new)))
    assert message in str(caught.value)
