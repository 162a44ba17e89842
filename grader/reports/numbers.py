"""Points as people read them in pages and CSV files: rounded to two decimals, no trailing zeros
(2, 1.5, 0.67). results.json keeps the exact values."""

from __future__ import annotations


def shown_points(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:g}"  # + 0.0: no "-0"
