"""(reference, answer, expected) tables for number and integer answers written as closed-form constants:
``\\ln``, ``\\log`` (natural; ``\\log_b`` base b), ``e`` (Euler's number, not e-notation), ``e^{x}``,
``\\exp``, ``\\sqrt``, ``\\pi``, ``\\lfloor…\\rfloor``, ``\\lceil…\\rceil``; and hostile ones."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.answers.arith import ArithError, evaluate
from grader.problems.models import Tolerance
from tests.answers.test_numeric_types import grade

TOL4 = Tolerance(policy="absolute", abs=1e-4)

NUMBER = [
    (0.6931, r"\ln 2", "correct"),
    (0.6931, r"\ln(2)", "correct"),
    (0.6931, "ln 2", "correct"),
    (0.6931, r"\log 2", "correct"),  # natural, as grader.mathparse reads \log
    (0.6931, r"\log_{10} 2", "incorrect"),
    (0.3010, r"\log_{10} 2", "correct"),
    (3.0, r"\log_2 8", "correct"),
    (2.7183, "e", "correct"),
    (2.7183, r"\mathrm{e}", "correct"),
    (2.7183, r"\exp(1)", "correct"),
    (2.7183, "e^1", "correct"),
    (0.3679, "e^{-1}", "correct"),
    (0.7311, r"\frac{1}{1 + e^{-1}}", "correct"),
    (0.7311, r"\frac{1}{1 + \exp(-1)}", "correct"),
    (0.7311, r"1/(1 + e^{-1})", "correct"),
    (0.2689, r"\frac{e^{-1}}{1 + e^{-1}}", "correct"),
    (0.7358, r"2e^{-1}", "correct"),
    (0.7358, r"2 \cdot e^{-1}", "correct"),
    (1.4142, r"\sqrt{2}", "correct"),
    (1.4142, r"\sqrt 2", "correct"),
    (2.0, r"\sqrt{2}^2", "correct"),
    (0.3989, r"\frac{1}{\sqrt{2\pi}}", "correct"),
    (7.3891, r"\exp(1)^2", "correct"),  # the bracket is the argument; the power is the result's
    (2.0794, r"\ln 2^3", "correct"),    # \ln x^2 is \ln(x^2)
    (0.09, "9e-2", "correct"),           # e-notation stays e-notation
    (0.09, "9E-2", "correct"),
    (0.198446, "e = 0.1984", "correct"),  # a label e, not Euler's number
    (112.0, r"\lfloor \frac{224 + 6 - 7}{2} \rfloor + 1", "correct"),
    (4.0, r"\lceil 7/2 \rceil", "correct"),
    (1.0, r"\lceil \ln 2 \rceil", "correct"),
    (2.7183, "2.7183", "correct"),
    (2.7183, "3", "incorrect"),
    (0.6931, r"\ln 3", "incorrect"),
    # hostile or meaningless: never a number
    (1.0, r"e^{e^{e^{99}}}", "unreadable"),
    (1.0, r"e^{1000}", "unreadable"),
    (1.0, r"e^{10^{400}}", "unreadable"),
    (1.0, r"10^{400}", "unreadable"),  # exact, but no float holds it
    (0.0, r"\ln 0", "unreadable"),
    (0.0, r"\ln(-1)", "unreadable"),
    (0.0, r"\log_1 5", "unreadable"),
    (0.0, r"\sqrt{-4}", "unreadable"),
    (0.0, r"(-8)^{1/3}", "unreadable"),
    (3.0, r"\lfloor 3.5", "unreadable"),
    (3.0, r"3.5 \rfloor", "unreadable"),
    (3.0, r"\lfloor 3.5 \rceil", "unreadable"),
    (2.0, r"\lfloor \sqrt{2}^2 \rfloor", "unreadable"),  # inexact and within 1e-9 of a whole number
    (2.0, r"\sqrt[3]{8}", "unreadable"),
    (5.4366, "2e", "unreadable"),   # 2·e or a truncated 2e-…: refused
    (5.4366, "2 e-2", "unreadable"),
    (0.0, r"\ln", "unreadable"),
    (0.0, "E", "unreadable"),
]


@pytest.mark.parametrize(("reference", "text", "verdict"), NUMBER)
def test_number_closed_forms(reference, text, verdict):
    assert grade("number", reference, text, tolerance=TOL4)[0] == verdict


INTEGER = [
    (112, r"\lfloor \frac{224 + 6 - 7}{2} \rfloor + 1", "correct", None),
    (112, r"\left\lfloor \frac{224 + 2 \cdot 3 - 7}{2} \right\rfloor + 1", "correct", None),
    (112, r"⌊(224 + 6 - 7)/2⌋ + 1", "correct", None),
    (113, r"\lfloor \frac{224 + 6 - 7}{2} \rfloor + 1", "incorrect", "wrong-value"),
    (112, r"\lceil \frac{223}{2} \rceil", "correct", None),
    (111, r"\lfloor 223/2 \rfloor", "correct", None),
    (111, r"\lfloor -(-223/2) \rfloor", "correct", None),
    (-112, r"\lfloor -223/2 \rfloor", "correct", None),
    (4, r"\sqrt{16}", "correct", None),
    (10, r"\log_2 1024", "correct", None),
    (3, r"\log_{10} 1000", "correct", None),
    (1, "e^0", "correct", None),
    (0, r"\ln 1", "correct", None),
    (2, r"\lceil \ln 2 \rceil + 1", "correct", None),
    (1, r"\lfloor e \rfloor - 1", "correct", None),
    (5, r"e^{\ln 5}", "incorrect", "not-integer"),  # a float: a count must be exact
    (1, r"\ln e", "incorrect", "not-integer"),
    (1, r"\sqrt{2}", "incorrect", "not-integer"),
    (111, "223/2", "incorrect", "not-integer"),
    (3, r"\lfloor 3.5", "unreadable", None),
    (3, r"\lceil 3.5 \rfloor", "unreadable", None),
]


@pytest.mark.parametrize(("reference", "text", "verdict", "feedback_id"), INTEGER)
def test_integer_closed_forms(reference, text, verdict, feedback_id):
    assert grade("integer", reference, text) == (verdict, feedback_id)


def test_floor_of_exact_rationals_is_exact():
    """Far beyond a float's 53 bits: a float floor would be off by thousands."""
    big = 10**40 + 1
    number = evaluate(rf"\lfloor \frac{{{2 * big + 1}}}{{2}} \rfloor")
    assert number.exact and number.value == big


def test_exactness_is_reported():
    assert evaluate(r"\sqrt{\frac{9}{4}}").exact and evaluate(r"\sqrt{\frac{9}{4}}").value == 1.5
    assert not evaluate(r"\ln 2").exact
    assert not evaluate("e").exact and evaluate("e").decimals is None


@pytest.mark.parametrize("text", [r"e^{e^{e^{99}}}", r"\exp(\exp(\exp(99)))", r"(1+e)^{400}^{400}",
                                  r"\ln" * 200 + " 2", r"\lfloor" * 200 + "2" + r"\rfloor" * 200,
                                  r"\sqrt{" * 300 + "2" + "}" * 300, "e^" * 150 + "2", r"\exp " * 150 + "1"])
def test_hostile_towers_are_refused_quickly(text):
    start = time.process_time()
    with pytest.raises(ArithError):
        evaluate(text)
    assert time.process_time() - start < 0.1


CLOSED = st.lists(st.sampled_from(["e", "e^", "\\ln", "\\log", "\\log_", "\\exp", "\\sqrt", "\\pi", "\\lfloor",
                                   "\\rfloor", "\\lceil", "\\rceil", "⌊", "⌋", "ln", "exp", "floor", "(", ")",
                                   "{", "}", "^", "_", "-", "+", "*", "/", "\\frac", "0", "1", "2", "9", "99", ".5",
                                   "9e-2", "1e300", " "]), max_size=50).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=CLOSED)
def test_closed_form_soup_is_a_finite_number_or_refused(text):
    start = time.process_time()
    try:
        number = evaluate(text)
    except ArithError:
        pass
    else:
        value = float(number.value)
        assert math.isfinite(value) and abs(value) <= 1e300
        assert number.exact or number.decimals is None
    assert time.process_time() - start < 0.2, text
