"""evaluate_formula: (formula, parameters, expected) table, errors, and properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.mathparse.formula import FormulaError, evaluate_formula, formula_names

CONV = "floor((n + 2*p - d*(k-1) - 1)/s) + 1"

TABLE = [
    # dl-basics conv output sizes
    (CONV, {"n": 224, "k": 7, "p": 3, "s": 2, "d": 1}, 112),
    (CONV, {"n": 56, "k": 3, "p": 1, "s": 2, "d": 3}, 26),
    (r"\left\lfloor \frac{n + 2p - d(k-1) - 1}{s} \right\rfloor + 1", {"n": 56, "k": 3, "p": 1, "s": 2, "d": 3}, 26),
    (r"\lfloor \frac{N-1}{s} \rfloor + 1", {"N": 9, "s": 2}, 5),
    ("⌊(N-1)/s⌋ + 1", {"N": 10, "s": 2}, 5),
    ("ceil(n/s)", {"n": 7, "s": 2}, 4),
    (r"\lceil n/s \rceil", {"n": 8, "s": 2}, 4),
    ("n // s", {"n": 7, "s": 2}, 3),
    ("-n // s", {"n": 7, "s": 2}, -4),          # floor, as in Python
    ("min(a, b)", {"a": 3, "b": 5}, 3),
    ("max(a,b)", {"a": 3, "b": 5}, 5),          # `a,b` is two arguments, never the decimal 3,5
    ("max(3,4)", {}, 4),
    ("k*k*c_in*c_out + c_out", {"k": 3, "c_in": 16, "c_out": 32}, 4640),
    ("input_size - kernel_size + 1", {"input_size": 28, "kernel_size": 5}, 24),
    ("conv1.kernel * conv1.kernel * conv2.c_in", {"conv1": {"kernel": 3}, "conv2": {"c_in": 8}}, 72),
    ("conv1 * 2", {"conv1": 5}, 10),            # digits inside a name
    ("(B, floor((N-1)/s) + 1, C)", {"B": 4, "N": 9, "s": 2, "C": 3}, (4, 5, 3)),
    (r"(B, \lfloor \frac{N-1}{s} \rfloor + 1, C)", {"B": 4, "N": 10, "s": 2, "C": 3}, (4, 5, 3)),
    ("sum(x)", {"x": [1, 2, 3]}, 6),
    ("sum(x)^2", {"x": [1, 2, 3]}, 36),          # the square of the sum, not the sum of squares
    ("prod(x)", {"x": [2, 3, 4]}, 24),
    ("x[0] + x[2]", {"x": [1, 2, 3]}, 4),       # brackets: zero-based, like the YAML list
    ("x_{1}", {"x": [7, 8]}, 7),                # a braced subscript: one-based, as in maths
    (r"\sum_{i=1}^{L} k_{i}", {"L": 2, "k": [3, 5, 7]}, 8),
    (r"\prod_{i=1}^{n} i", {"n": 5}, 120),
    (r"1 + \sum_{l=1}^{L} (k - 1)", {"L": 3, "k": 3}, 7),
    ("2^10", {}, 1024),                          # not 2^1 · 0
    ("2**(k+1)", {"k": 3}, 16),
    ("2^{-1}", {}, 0.5),
    ("n/s", {"n": 224, "s": 2}, 112.0),          # an unfloored division is a float
    ("0.5 n", {"n": 3}, 1.5),
    ("sqrt(n)", {"n": 16}, 4.0),
    ("n + 0.5", {"n": 1}, 1.5),
    ("x", {"x": [1, 2]}, [1, 2]),
    ("floor(n * 1.5)", {"n": 3}, 4),
    ("10^30 + 1", {}, 10**30 + 1),               # exact, no float rounding
    ("abs(a - b)", {"a": 2, "b": 5}, 3),
    ("n!", {"n": 5}, 120),
]


@pytest.mark.parametrize(("text", "parameters", "expected"), TABLE)
def test_formula_table(text: str, parameters: dict, expected) -> None:
    got = evaluate_formula(text=text, parameters=parameters)
    assert got == expected
    assert type(got) is type(expected)
    if isinstance(expected, tuple):
        assert [type(v) for v in got] == [type(v) for v in expected]


ERRORS = [
    ("foo + 1", {"n": 1}, "foo is an unknown name; known parameters: n"),
    ("conv1 + 1", {"conv1": {"k": 1}}, "group of parameters"),
    ("x[5]", {"x": [1]}, "index 5 out of range 0..0"),
    ("x + 1", {"x": [1]}, "not a list"),
    ("n/0", {"n": 1}, "division by zero"),
    ("(n + 1", {"n": 1}, "not closed"),
    ("n + 1)", {"n": 1}, "unbalanced ')' at position 5"),
    ("2^(10^9)", {}, "too large"),
    (r"\sum_{i=1}^{n} i", {"n": 10**9}, "refused"),
    ("n + ", {"n": 1}, "cannot read formula"),
    ("", {}, "empty"),
    ("n", {"n": "three"}, "not a number"),
    ("sqrt(n)", {"n": -1}, "no finite real value"),
    ("x[0.5]", {"x": [1]}, "whole number"),
]


@pytest.mark.parametrize(("text", "parameters", "message"), ERRORS)
def test_formula_errors(text: str, parameters: dict, message: str) -> None:
    with pytest.raises(FormulaError, match=None) as info:
        evaluate_formula(text=text, parameters=parameters)
    assert message in str(info.value)


NAMES = [
    (CONV, {"n", "p", "d", "k", "s"}),
    ("k*k*c_in*c_out + c_out", {"k", "c_in", "c_out"}),
    (r"\sum_{i=1}^{L} k_{i} + conv1.kernel * e", {"L", "k", "conv1.kernel"}),
    ("floor(n / s) + max(a, pi)", {"n", "s", "a"}),
    ("x[0]", {"x"}),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_formula_names(text: str, names: set[str]) -> None:
    assert formula_names(text=text) == names


def test_formula_mode_does_not_change_student_reading() -> None:
    from grader.mathparse import parse_math
    from grader.mathparse.nodes import Index, Mul

    node = parse_math(text="input_size")
    assert isinstance(node, Mul) and isinstance(node.left, Index)  # still input_{s} · ize for students


FORMULA_TOKENS = ["n", "s", "c_in", "x", "x[", "]", "(", ")", "{", "}", "+", "-", "*", "/", "//", "^", "**", ",",
                  "floor", "ceil", "min", "max", "sum", "prod", r"\frac", r"\lfloor", r"\rfloor", r"\sum_{i=1}^{n}",
                  "0", "1", "2", "10", "0.5", ".", "conv.k", "_", "!", "e", "pi", "sqrt", " "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(FORMULA_TOKENS), max_size=30).map("".join)))
def test_formula_only_raises_formula_error(text: str) -> None:
    start = time.process_time()
    try:
        evaluate_formula(text=text, parameters={"n": 7, "s": 2, "c_in": 3, "x": [1, 2, 3], "conv": {"k": 3}})
    except FormulaError:
        pass
    try:
        formula_names(text=text)
    except FormulaError:
        pass
    assert time.process_time() - start < 2.0
