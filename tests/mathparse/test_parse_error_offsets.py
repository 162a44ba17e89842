"""MathParseError.offset points into the text the student wrote; the expression answer type shows a caret."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.mathparse import MathParseError, parse_math
from grader.mathparse.errors import caret_excerpt
from grader.mathparse.normalise import normalise, normalise_with_offsets

# (answer, the text the caret must point at: answer[offset:].startswith(it); "" = the end)
CARETS = [
    ("a + ) b", ") b"),
    (r"$\hat y_i (\delta_{ij} - \hat y_j ))$", ")$"),
    (r"\left( ŷ − y \right) + * x", "* x"),
    ("σ(z) ⊙ ) ", ") "),
    (r"\frac{\partial L}{\partial z} = a ) b", ") b"),
    (r"\[ \operatorname{diag}(\hat y) - \hat y \hat y^{\top} ] \]", "] \\]"),
    ("ŷᵢ(1 − ŷᵢ) ⊙ ⊙ x", "⊙ x"),
    ("y\u0302 − y + ]", "]"),                       # a combining hat before the error
    (r"\mathbf{W}^T \boldsymbol{\delta} + ,", ""),  # trailing punctuation is dropped: the end is missing
    (r"\text{softmax}(z)_i + ! ", "! "),
    ("a +", ""),
    (r"\frac{a}{", ""),
    ("$$ x $$ )", ")"),
    (r"\sum_{k=1}^{C} e^{z_k} \cdot \cdot", r"\cdot"),
]


@pytest.mark.parametrize(("answer", "at"), CARETS)
def test_caret_lands_on_the_offending_character(answer: str, at: str) -> None:
    with pytest.raises(MathParseError) as info:
        parse_math(text=answer)
    offset = info.value.offset
    assert offset is not None and 0 <= offset <= len(answer)
    if at:
        assert answer[offset:].startswith(at), (answer, offset, answer[offset:])
    else:
        assert offset == len(answer)


def test_second_cdot_is_the_offender() -> None:
    answer = r"\sum_{k=1}^{C} e^{z_k} \cdot \cdot"
    with pytest.raises(MathParseError) as info:
        parse_math(text=answer)
    assert info.value.offset == answer.rindex(r"\cdot")


def test_whole_text_errors_have_no_offset() -> None:
    with pytest.raises(MathParseError) as info:
        parse_math(text="   ")
    assert info.value.offset is None


def test_caret_excerpt_windows_long_text() -> None:
    text = "x" * 100 + ")" + "y" * 100
    line, caret = caret_excerpt(text=text, offset=100).split("\n")
    assert line[caret.index("^")] == ")"
    assert len(line) <= 62 and line.startswith("…") and line.endswith("…")
    line, caret = caret_excerpt(text="a +", offset=3).split("\n")
    assert (line, caret) == ("a +", "   ^")


def test_expression_type_shows_the_caret() -> None:
    from grader.answers.expression import ExpressionType
    from grader.problems.models import Part

    part = Part(id="1a", prompt="p", type="expression", symbolic={"reference": "a", "symbols": {"a": {"kind": "scalar"}}})
    failure = ExpressionType().parse(text=r"  $\hat y - ) y$ ", part=part, reference=None)
    reason = failure.reason  # type: ignore[union-attr]
    head, line, caret = reason.split("\n")
    assert head.startswith("could not read an expression: unexpected ')'")
    assert line == r"$\hat y - ) y$" and line[caret.index("^")] == ")"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.sampled_from(["a", "+", ")", "(", "σ", "ŷ", "y\u0302", r"\left(", r"\right)", "$", " ",
                                           r"\frac{", "}", "{", "⊙", "−", r"\text{if }", "=", r"\lfloor", "⌋", ",",
                                           "Z[i,j]", "∂", r"\sum_{i,j}", "_", "^", "ᵀ", r"\quad"]),
                          max_size=30).map("".join)))
def test_offset_is_always_within_the_original_text(text: str) -> None:
    try:
        normalised, origin = normalise_with_offsets(text=text)
    except MathParseError:
        return
    assert len(origin) == len(normalised) + 1
    assert all(0 <= o <= len(text) for o in origin)
    assert normalised == normalise(text=text)
    try:
        parse_math(text=text)
    except MathParseError as exc:
        assert exc.offset is None or 0 <= exc.offset <= len(text)
