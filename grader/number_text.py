"""How the grader writes a number, in one place: each kind of number has its own precision, and every page,
file and message writes that kind through the same function.

- :func:`shown_points`: points for people (pages, Markdown, grades.csv, the review page, problem sheets):
  two decimals, no trailing zeros (2, 1.5, 0.67). results.json keeps the exact values.
- :func:`lms_number`: a score an LMS imports: six significant figures (29, 13.3333, -1).
- :func:`shown_value`: a value of an answer (a student's number, a reference, an entry of a vector): a whole
  number as itself, anything else to six significant figures.
- :func:`fixed`: at most ``places`` decimals, no trailing zeros (the charts' coordinates, the class mean).
"""

from __future__ import annotations


def shown_points(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:g}"  # + 0.0: no "-0"


def lms_number(value: float) -> str:
    return f"{value:g}"


def shown_value(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def fixed(value: float, places: int) -> str:
    return f"{value:.{places}f}".rstrip("0").rstrip(".")
