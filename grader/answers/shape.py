"""A tensor shape such as ``26 \\times 26`` or ``(46, 62, 20)``."""

from __future__ import annotations

import re
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure
from grader.answers.registry import register
from grader.answers.spans import shape_spans
from grader.answers.base import ReferenceValueError
from grader.answers.solver_backed import SolverBacked, whole_number
from grader.problems.models import Part

_SEPARATORS = re.compile(r"\s*(?:×|\*|(?<=\d)\s*[xXхХ]\s*(?=\d)|\bby\b|\bна\b|\bmal\b|,|;)\s*")
_BRACKETS = str.maketrans({c: " " for c in "()[]{}⟨⟩"})
MAX_DIMS = 8
#: `Z \in \mathbb{R}^{46 \times 62 \times 20}`: the exponent of the real space is the shape
_REAL_SPACE = re.compile(r"(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s*R|\\R(?![a-zA-Z])|ℝ|(?<![A-Za-z\\])R)\s*\^\s*"
                         r"(\{[^{}]{1,200}\}|\d{1,9})")


class ShapeType(SolverBacked):
    name = "shape"

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = self.answer_text(text)
        space = _REAL_SPACE.search(cleaned)
        if space is not None:
            cleaned = space.group(1)
        body = cleaned.translate(_BRACKETS).strip()
        pieces = [piece for piece in _SEPARATORS.split(body) if piece.strip()]
        if len(pieces) == 1:
            pieces = pieces[0].split()
        if not pieces or len(pieces) > MAX_DIMS or not all(re.fullmatch(r"\d{1,9}(?:\.\d{1,6})?", p.strip()) for p in pieces):
            return ParseFailure(f"could not read a shape in {cleaned[:80]!r}")
        dims = tuple(float(p) if "." in p else int(p) for p in pieces)
        return Parsed(value=dims, shown=self.show(value=dims, part=part))

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        dims, ref = tuple(parsed.value), tuple(int(d) for d in reference)
        if any(isinstance(d, float) for d in dims):
            return Check(verdict="incorrect", credit=0.0, feedback_id="not-integer",
                         feedback="Sizes are whole numbers: an output size is rounded down (floor) in the formula.")
        if dims == ref:
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        if part.square_ok and len(dims) == 1 and len(ref) == 2 and ref[0] == ref[1] and dims[0] == ref[0]:
            return Check(verdict="correct", credit=1.0, feedback="Correct (a square size).")
        if sorted(dims) == sorted(ref) and len(dims) > 1:
            return Check(verdict="incorrect", credit=0.0, feedback_id="shape-order",
                         feedback="The sizes are right but in another order (check the H×W×C layout asked for).")
        if len(dims) != len(ref) and not (part.square_ok and len(dims) == 1):
            return Check(verdict="incorrect", credit=0.0, feedback_id="shape-rank",
                         feedback=f"You gave {len(dims)} dimension(s); the answer has {len(ref)}.")
        return Check(verdict="incorrect", credit=0.0, feedback="Wrong size.", feedback_id="wrong-shape")

    def coerce(self, *, value: Any, part: Part) -> Any:
        dims = (value,) if isinstance(value, (int, float)) else value
        if not isinstance(dims, (list, tuple)) or not dims or len(dims) > MAX_DIMS:
            raise ReferenceValueError(f"a shape is a list of 1 to {MAX_DIMS} sizes, such as [46, 62, 20]; got {value!r}")
        return tuple(whole_number(d, what=f"size {k + 1} of the shape") for k, d in enumerate(dims))

    def spans(self, *, text: str, standalone: bool = False, stated: bool = False) -> list[str]:
        """Substrings of a line of free text this type could read as one whole value (``standalone``: not
        the operands of a larger expression; ``stated``: nor the result of a derivation, ``= 200``)."""
        return shape_spans(text, standalone=standalone, stated=stated)

    def value_of(self, *, parsed: Parsed) -> Any:
        return tuple(parsed.value)

    def show(self, *, value: Any, part: Part) -> str:
        return " × ".join(str(d) for d in value)


register(ShapeType())
