"""Property tests: parse_math only ever raises MathParseError, is fast, and its canonical form re-parses."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from grader.mathparse import MathParseError, parse_math, render_latex

TOKENS = [r"\frac", "{", "}", "(", ")", "[", "]", "^", "_", "'", "!", "+", "-", "*", "/", "=", ",", "&", r"\\",
          r"\hat", r"\bar", r"\sigma", r"\sum", r"\delta", r"\odot", r"\cdot", r"\times", r"\left(", r"\right)",
          r"\begin{cases}", r"\end{cases}", r"\text{if }", r"\text{otherwise}", r"\neq", "≠", r"\operatorname{diag}",
          r"\text{softmax}", r"\exp", r"\log", r"\mathbb{1}", r"\partial", "T", r"\top", "x", "y", "z", "i", "j", "k",
          "A", "W", "w", "m", "p", "L", "C", "e", "0", "1", "2", "10", "0,5", "3.5", "ŷ", "σ", "ᵀ", "−", "$", " ",
          "mask", "y_hat", r"\sqrt", r"\max", "__import__", "eval", "lambda", ".", ";"]

soups = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)


def _parse_or_refuse(text: str):
    try:
        return parse_math(text=text)
    except MathParseError:
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    start = time.process_time()
    _parse_or_refuse(text)
    assert time.process_time() - start < 1.0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soups)
@example("\\partial \\sigma ᵀ")  # found by hypothesis: ∂ of a transpose rendered with a bracket it cannot take
@example("\\sigma \\sigma \\delta ! '")  # found by hypothesis: the quantity σ times a bracket re-read as a call
@example("\\partial \\sigma \\sigma \\delta ! '")
def test_token_soup_never_crashes_and_round_trips(text: str) -> None:
    start = time.process_time()
    node = _parse_or_refuse(text)
    assert time.process_time() - start < 1.0
    if node is not None:
        again = parse_math(text=render_latex(node=node))
        assert again == node


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=61, max_value=3000), st.sampled_from(["{", "(", "[", r"\left(", r"\frac{"]))
def test_deep_nesting_refused(depth: int, opener: str) -> None:
    start = time.process_time()
    assert _parse_or_refuse(opener * depth + "x") is None
    assert time.process_time() - start < 0.5
