"""Reports written after a run: results.json, grades.csv, per-student feedback."""

from grader.reports.write import write_reports

__all__ = ["write_reports"]
