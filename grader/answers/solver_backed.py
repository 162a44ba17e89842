"""What the answer types whose reference a solver computes have in common."""

from __future__ import annotations

from grader.answers.mathtext import clean_math_text, strip_lhs, strip_trailing_punctuation
from grader.problems.models import Part


class SolverBacked:
    name = ""
    needs_solver = True

    def validate_part(self, *, part: Part) -> list[str]:
        return [] if part.solver else [f"a '{self.name}' part needs a 'solver' that computes its reference"]

    @staticmethod
    def answer_text(text: str) -> str:
        """The answer without OCR/LaTeX noise, a left-hand side or trailing punctuation."""
        return strip_trailing_punctuation(strip_lhs(clean_math_text(text)))
