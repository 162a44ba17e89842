"""Per-part agreement of the grader with the TA tables of the free-form fixture sets.

    python bench/fixture_agreement.py

For each set: parts counted (every part a TA says was answered, plus any part the grader did not call
no_answer), parts graded as the TA would, parts sent to a person, silent zeros (a right answer scored below
its credit without a flag) and false credit (a wrong or missing answer given points). Reads the TA tables of
tests/e2e/test_cnn_basics.py and tests/e2e/test_freeform_c.py; grades in process.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.grading import build_context, grade_directory  # noqa: E402
from grader.grading.checked import load_assignment_dir  # noqa: E402

REVIEW = ("needs_review", "could_not_evaluate")
CREDITED = ("correct", "ecf", "partial")


@dataclass
class Figures:
    parts: int = 0
    agree: int = 0
    review: int = 0
    silent_zero: int = 0
    false_credit: int = 0

    def row(self, name: str) -> str:
        share = 100 * self.agree / self.parts if self.parts else 0.0
        return (f"{name:28} {self.parts:5} {self.agree:5} ({share:5.1f} %) {self.review:6} "
                f"{self.silent_zero:11} {self.false_credit:12}")


def figures(*, ta: dict[str, dict[str, str]], folder: Path, problems: Path) -> Figures:
    context = build_context(assignment=load_assignment_dir(folder=problems))
    rows = {s.file: s for s in grade_directory(context=context, directory=folder, isolate=False).submissions}
    out = Figures()
    for file, parts in ta.items():
        for part in context.assignment.graded_parts:
            want, got = parts.get(part.id, "no_answer"), rows[file].parts[part.id]
            if want == got.verdict == "no_answer":
                continue
            out.parts += 1
            if got.verdict == want:
                out.agree += 1
            elif got.verdict in REVIEW:
                out.review += 1
            elif want in CREDITED and got.score < (got.max if want != "partial" else 1e-9):
                out.silent_zero += 1
            elif want not in CREDITED and got.score > 0:
                out.false_credit += 1
            else:
                out.silent_zero += 1
    return out


def main() -> None:
    print(f"{'fixture set':28} {'parts':>5} {'agree':>5} {'':9} {'review':>6} {'silent zero':>11} {'false credit':>12}")
    cnn = importlib.import_module("tests.e2e.test_cnn_basics")
    print(figures(ta=cnn.TA, folder=REPO / "submissions" / "cnn-basics",
                  problems=REPO / "problems" / "cnn-basics").row("submissions/cnn-basics"))
    new = importlib.import_module("tests.e2e.test_freeform_c")
    for assignment in new.ASSIGNMENTS:
        ta = {file: parts for (name, file), parts in new.TA.items() if name == assignment}
        print(figures(ta=ta, folder=REPO / "tests" / "e2e" / "freeform_c" / assignment,
                      problems=REPO / "problems" / assignment).row(f"freeform_c/{assignment}"))


if __name__ == "__main__":
    main()
