"""Free text always goes to a person, with the key idea shown; never auto-scored as 0."""

from __future__ import annotations

import pytest

from grader.answers import ParseFailure, get_answer_type
from grader.problems.models import Part

PART = Part(id="6", prompt="Why?", type="text", key_idea="ReLU' = 1 for positive inputs; σ' ≤ 1/4.")


@pytest.mark.parametrize("answer", ["ReLU does not saturate.", "I don't know", "42", "σ' ≤ 1/4 so gradients vanish"])
def test_free_text_is_routed_to_review(answer):
    text = get_answer_type("text")
    parsed = text.parse(text=answer, part=PART, reference=None)
    check = text.check(parsed=parsed, reference=None, part=PART, seed=0)
    assert (check.verdict, check.feedback_id) == ("needs_review", "manual-review")
    assert "ReLU' = 1" in check.feedback


def test_empty_text_is_not_an_answer():
    assert isinstance(get_answer_type("text").parse(text="  \n", part=PART, reference=None), ParseFailure)


def test_text_part_needs_a_key_idea():
    part = Part(id="6", prompt="Why?", type="text")
    assert get_answer_type("text").validate_part(part=part)
