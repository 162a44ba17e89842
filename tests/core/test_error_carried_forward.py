"""Error carried forward, tolerance policies on SGD steps, per-entry feedback (problem 4, 2a)."""

from __future__ import annotations

import shutil

import pytest

from grader.answers.arith import evaluate
from grader.grading.step_check import check_step
from grader.problems.models import Part, Tolerance
from tests.core.grading_harness import DL_BASICS, correct_answers, grade_answers

CREDITED = ("correct", "ecf")


def test_rounding_every_intermediate_to_four_decimals_is_all_correct(tmp_path):
    result = grade_answers(tmp_path, correct_answers())
    for part_id in ("4a", "4b", "4c", "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "4n"):
        assert result.parts[part_id].verdict == "correct", (part_id, result.parts[part_id].feedback)


def test_bias_forgotten_in_z1_is_carried_to_the_end(tmp_path):
    answers = correct_answers() | {
        "4a": "(0.0275, 0.0475)", "4b": "(0.5069, 0.5119)", "4c": "(0.8312, 0.9331)", "4d": "(0.6966, 0.7177)",
        "4e": "0.1946", "4f": "(0.1261, -0.0369)", "4g": "[[0.0639, -0.0187], [0.0646, -0.0189]]",
        "4h": "(0.1261, -0.0369)", "4i": "[[0.0003, 0.0003], [0.0009, 0.0010]]", "4j": "(0.0058, 0.0069)",
        "4k": "[[0.0999, 0.1999], [0.1496, 0.2496]]", "4l": "(0.2977, 0.2972)",
        "4m": "[[0.2744, 0.4075], [0.3242, 0.4576]]", "4n": "(0.4496, 0.5148)",
    }
    result = grade_answers(tmp_path, answers)
    z1 = result.parts["4a"]
    assert (z1.verdict, z1.feedback_id) == ("incorrect", "bias-forgotten")
    for part_id in ("4b", "4c", "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "4n"):
        part = result.parts[part_id]
        assert part.verdict in CREDITED and part.score == part.max, (part_id, part.verdict, part.feedback)
    for part_id in ("4b", "4c", "4d", "4e", "4f", "4g", "4h", "4m", "4n"):
        assert result.parts[part_id].verdict == "ecf", part_id
    assert "Correct given your 4a = (0.0275, 0.0475)" in result.parts["4b"].feedback
    assert "Correct given your 4b = " in result.parts["4c"].feedback


def test_slip_in_4f_only(tmp_path):
    answers = correct_answers() | {
        "4f": "(0.1358, -0.0334)", "4g": "[[0.0789, -0.0194], [0.0796, -0.0196]]", "4h": "(0.1358, -0.0334)",
        "4m": "[[0.2684, 0.4078], [0.3182, 0.4578]]", "4n": "(0.4457, 0.5134)",
    }
    result = grade_answers(tmp_path, answers)
    assert result.parts["4f"].verdict == "incorrect"
    assert "entry 1: 0.1358, expected 0.125753" in result.parts["4f"].feedback
    for part_id in ("4g", "4h", "4m", "4n"):
        assert result.parts[part_id].verdict == "ecf", (part_id, result.parts[part_id].feedback)
    assert "Correct given your 4f = (0.1358, -0.0334)" in result.parts["4g"].feedback
    for part_id in ("4i", "4j", "4k", "4l"):
        assert result.parts[part_id].verdict == "correct"


def test_gradient_ascent_is_wrong_with_its_feedback(tmp_path):
    answers = correct_answers() | {"4n": "(0.5503, 0.4866)", "4k": "[[0.1001, 0.2001], [0.1504, 0.2504]]"}
    result = grade_answers(tmp_path, answers)
    for part_id in ("4k", "4n"):
        assert (result.parts[part_id].verdict, result.parts[part_id].feedback_id) == ("incorrect", "gradient-ascent")


def test_b2_0_4475_is_wrong(tmp_path):
    result = grade_answers(tmp_path, correct_answers() | {"4n": "(0.4475, 0.5134)"})
    assert result.parts["4n"].verdict == "incorrect"
    assert result.parts["4n"].score == 0


def test_step_check_rejects_a_value_within_relative_tolerance():
    """0.4475 is within 1 % of 0.4497, but its step −0.0525 is not the step −0.0503."""
    part = Part(id="4n", prompt="", type="number", solver="x", tolerance=Tolerance(policy="relative", rel=0.01))
    wrong = check_step(parsed_value=evaluate("0.4475"), reference=0.449699, old=0.5, part=part)
    assert wrong is not None and wrong.feedback_id == "wrong-step"
    assert check_step(parsed_value=evaluate("0.4497"), reference=0.449699, old=0.5, part=part) is None
    # rounding to the student's own decimals is not a wrong step
    assert check_step(parsed_value=evaluate("0.0999"), reference=0.099881, old=0.1, part=part) is None


def test_wrong_both_ways_shows_reference_and_ecf_value(tmp_path):
    answers = correct_answers() | {"4f": "(0.1358, -0.0334)", "4h": "(0.9, 0.9)"}
    part = grade_answers(tmp_path, answers).parts["4h"]
    assert part.verdict == "incorrect" and part.score == 0
    assert part.reference == "(0.125753, -0.0334233)"
    assert part.ecf is not None and part.ecf.expected == "(0.1358, -0.0334)"
    assert part.ecf.inputs == {"4f": "(0.1358, -0.0334)"}


def test_one_wrong_vector_entry_is_named(tmp_path):
    part = grade_answers(tmp_path, correct_answers() | {"4c": "(0.8794, 0.9802)"}).parts["4c"]
    assert part.verdict == "incorrect"
    assert "entry 2: 0.9802, expected 0.996165" in part.feedback


def test_ecf_can_be_switched_off_per_assignment(tmp_path):
    problems = tmp_path / "problems"
    shutil.copytree(DL_BASICS, problems)
    manifest = problems / "assignment.yaml"
    manifest.write_text(manifest.read_text().replace("  enabled: true ", "  enabled: false "), encoding="utf-8")
    answers = correct_answers() | {"4f": "(0.1358, -0.0334)", "4h": "(0.1358, -0.0334)"}
    result = grade_answers(tmp_path, answers, problems=problems)
    assert result.parts["4h"].verdict == "incorrect"


@pytest.mark.parametrize(
    ("intermediate", "final", "verdict"),
    [
        ({"2a.1": "112", "2a.2": "112", "2a.3": "56"}, "26", "correct"),
        ({"2a.1": "112", "2a.2": "112", "2a.3": "60"}, r"28 \times 28", "ecf"),
        ({"2a.1": "112", "2a.2": "112", "2a.3": "60"}, "30", "incorrect"),
        ({}, "28", "incorrect"),
    ],
)
def test_conv_chain_intermediate_sizes_carry_errors_forward(tmp_path, intermediate, final, verdict):
    result = grade_answers(tmp_path, correct_answers() | intermediate | {"2a": final})
    assert result.parts["2a"].verdict == verdict
    if "2a.3" in intermediate and intermediate["2a.3"] != "56":
        assert result.parts["2a.3"].verdict == "incorrect"


@pytest.mark.parametrize(("final", "feedback_id"), [("28", "conv-ignores-dilation"), ("24 x 24", "conv-forgets-plus-one")])
def test_conv_chain_misconceptions(tmp_path, final, feedback_id):
    part = grade_answers(tmp_path, correct_answers() | {"2a": final}).parts["2a"]
    assert (part.verdict, part.feedback_id) == ("incorrect", feedback_id)


def test_a_part_credited_by_error_carried_forward_keeps_the_proof_of_its_check(tmp_path, monkeypatch):
    """The ECF verdict comes from checking the answer against the student's own inputs; how that check was
    reached (an expression part's proof record) stays on the part instead of being dropped."""
    import dataclasses

    import grader.grading.part as part_module
    from grader.results import Proof

    marker = Proof(method="numeric", numeric="equal", symbolic="off", points=3)
    real = part_module.get_answer_type

    class WithProof:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def check(self, **kwargs):
            return dataclasses.replace(self.inner.check(**kwargs), proof=marker)

    monkeypatch.setattr(part_module, "get_answer_type", lambda name: WithProof(real(name)))
    answers = correct_answers() | {"4a": "(0.0275, 0.0475)", "4b": "(0.5069, 0.5119)"}
    part = grade_answers(tmp_path, answers).parts["4b"]
    assert part.verdict == "ecf" and part.proof == marker
