"""Every kind of number the grader writes, each through its one function in grader/number_text.py."""

from __future__ import annotations

from grader.number_text import fixed, lms_number, shown_points, shown_value


def test_points_for_people_have_at_most_two_decimals_and_no_minus_zero() -> None:
    assert [shown_points(v) for v in (2.0, 1.5, 2 / 3, 40 / 3, -0.001)] == ["2", "1.5", "0.67", "13.33", "0"]


def test_an_lms_gets_six_significant_figures() -> None:
    assert [lms_number(v) for v in (29.0, 40 / 3, -1.0)] == ["29", "13.3333", "-1"]


def test_answer_values_are_whole_numbers_or_six_significant_figures() -> None:
    assert [shown_value(v) for v in (3.0, -12.0, 0.1234567, 1e20)] == ["3", "-12", "0.123457", "1e+20"]


def test_fixed_drops_trailing_zeros() -> None:
    assert [fixed(2.50, 1), fixed(3.0, 2), fixed(12.345, 2)] == ["2.5", "3", "12.35"]
