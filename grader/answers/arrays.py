"""Vectors and matrices: LaTeX ``bmatrix``/``pmatrix``, bracketed lists,
comma decimals; a wrong shape is its own feedback, and entries can earn
credit one by one where the part allows it."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from grader.answers.arith import ArithError, Number
from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.numeric_check import check_entries
from grader.answers.numerals import read_entry, split_entries
from grader.answers.registry import register
from grader.answers.spans import array_spans
from grader.answers.solver_backed import SolverBacked
from grader.number_text import shown_value
from grader.problems.models import Part

_ENV = re.compile(r"\\begin\{([a-zA-Z]*matrix|array)\}(?:\{[^{}]*\})?(.*?)\\end\{\1\}", re.S)
_OPEN, _CLOSE = "([{⟨", ")]}⟩"
MAX_ENTRIES = 400
#: `(4, 0, 6)^T`, `[1, 2, 3]^{T}`, `(1,2,3)ᵀ`, `^\top`: a literal written transposed
_TRANSPOSED = re.compile(r"\s{0,3}(?:\^\s{0,3}(?:\{\s{0,3}(?:T|\\top|\\intercal|⊤)\s{0,3}\}|T|\\top|\\intercal|⊤)|ᵀ|⊤)\s{0,3}$")

Grid = list[list[Number]]


def _strip_outer(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in _OPEN and text[-1] == _CLOSE[_OPEN.index(text[0])]:
        depth, balanced = 0, True
        for k, ch in enumerate(text):
            depth += ch in _OPEN
            depth -= ch in _CLOSE
            if depth == 0 and k < len(text) - 1:
                balanced = False
                break
        if not balanced:
            break
        text = text[1:-1].strip()
    return text


def _rows_from_text(text: str) -> list[str]:
    """Split a matrix written as text into row strings."""
    env = _ENV.search(text)
    if env:
        return [row for row in re.split(r"\\\\", env.group(2)) if row.strip()]
    body = _strip_outer(text)
    inner = re.findall(r"[\[(]([^\[\]()]*)[\])]", body)
    if len(inner) >= 2 and re.fullmatch(r"\s*(?:[\[(][^\[\]()]*[\])]\s*[,;]?\s*)+", body):
        return inner
    if ";" in body or "\\\\" in body:
        return [row for row in re.split(r";|\\\\", body) if row.strip()]
    return [body]


def _untransposed(text: str) -> tuple[str, bool]:
    """``(4, 0, 6)^T`` -> ``(4, 0, 6)``, True: a bracketed literal followed by a transpose mark."""
    tail = text[-24:]
    match = _TRANSPOSED.search(tail)
    if match is None:
        return text, False
    body = text[:len(text) - len(tail) + match.start()].rstrip()
    if body[-1:] not in _CLOSE:
        return text, False
    return body, True


def _column_layout(text: str) -> bool:
    """Rows written as rows: a matrix environment, `\\\\` breaks or nested brackets (`[[1], [2]]`)."""
    return "\\\\" in text or "\\begin" in text or re.search(r"[\[(]\s*[\[(]", text) is not None


def _readings(text: str) -> list[Grid]:
    rows = _rows_from_text(text)
    per_row = [split_entries(row.replace("&", " & ") if "&" in row else row) for row in rows]
    if not per_row or len(rows) > MAX_ENTRIES:
        return []
    grids: list[Grid] = []
    for choice in range(max(len(options) for options in per_row)):
        grid: Grid = []
        try:
            for options in per_row:
                entries = options[min(choice, len(options) - 1)]
                grid.append([read_entry(entry) for entry in entries])
        except ArithError:
            continue
        if sum(len(row) for row in grid) > MAX_ENTRIES:
            continue
        if grid and all(len(row) == len(grid[0]) for row in grid) and grid[0]:
            grids.append(grid)
    return grids


def _shape(grid: Grid) -> tuple[int, int]:
    return (len(grid), len(grid[0]))


class _ArrayType(SolverBacked):
    vector = False

    def _expected(self, reference: Any) -> tuple[int, ...]:
        return tuple(np.shape(reference))

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = self.answer_text(text)
        cleaned, transposed = _untransposed(cleaned)
        grids = _readings(cleaned)
        if not grids:
            return ParseFailure(f"could not read a {self.name} in {cleaned[:80]!r}")
        if transposed:
            grids = [[list(column) for column in zip(*grid)] for grid in grids]
        if self.vector and not transposed and not _column_layout(cleaned):
            # `(0,5; 0,5; 1)`: `;` separates the entries of a list written with decimal commas, not rows
            grids = [[[n for row in grid for n in row]] if len(grid[0]) == 1 else grid for grid in grids]
        expected = self._expected(reference)
        fitting = [g for g in grids if self._fits(g, expected)]
        chosen = fitting or grids
        first, *others = chosen
        notes: tuple[str, ...] = ()
        if self.vector and transposed:
            notes = ("written transposed (^T); read as the same vector",)
        elif self.vector and _shape(first)[0] > 1 and _shape(first)[1] == 1:
            notes = ("written as a column; read as the same vector",)
        elif transposed:
            notes = ("written transposed (^T): the transpose of the written matrix was graded",)
        return Parsed(value=first, shown=self._show_grid(first), notes=notes, alternatives=tuple(others),
                      ambiguity="the number format is ambiguous (comma as decimal or thousands separator)")

    def _fits(self, grid: Grid, expected: tuple[int, ...]) -> bool:
        rows, cols = _shape(grid)
        if self.vector:
            return min(rows, cols) == 1 and rows * cols == expected[0]
        return (rows, cols) == expected

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        grid: Grid = parsed.value
        ref = np.asarray(reference, dtype=float)
        rows, cols = _shape(grid)
        if not self._fits(grid, ref.shape):
            given = f"{rows * cols} entries" if self.vector else f"a {rows}×{cols} matrix"
            wanted = f"{ref.shape[0]} entries" if self.vector else f"a {ref.shape[0]}×{ref.shape[1]} matrix"
            if not self.vector and (cols, rows) == ref.shape:
                return Check(verdict="incorrect", credit=0.0, feedback_id="shape-transposed",
                             feedback=f"Shape mismatch: you gave {given}; the answer is {wanted} (transposed?).")
            return Check(verdict="incorrect", credit=0.0, feedback_id="shape-mismatch",
                         feedback=f"Shape mismatch: you gave {given}; the answer has {wanted}.")
        entries = [number for row in grid for number in row]
        if self.vector:
            labels = [f"entry {k + 1}" for k in range(len(entries))]
        else:
            labels = [f"entry ({r + 1}, {c + 1})" for r in range(rows) for c in range(cols)]
        return check_entries(entries=entries, reference=ref.reshape(-1).tolist(), part=part, labels=labels)

    def _show_grid(self, grid: Grid) -> str:
        rows = [", ".join(shown_value(float(n.value)) for n in row) for row in grid]
        if self.vector:
            return "(" + ", ".join(rows) + ")" if len(grid) == 1 else "(" + ", ".join(rows) + ")ᵀ"
        return "[" + "; ".join(rows) + "]"

    def coerce(self, *, value: Any, part: Part) -> Any:
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ReferenceValueError(f"a {self.name} reference must be numbers in {'a list' if self.vector else 'rows'}, "
                                      f"got {value!r}") from None
        wanted = 1 if self.vector else 2
        if array.ndim != wanted or array.size == 0:
            raise ReferenceValueError(f"a {self.name} reference must have {wanted} dimension(s), got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ReferenceValueError(f"the {self.name} reference has entries that are not finite numbers")
        return array

    def spans(self, *, text: str, standalone: bool = False, stated: bool = False) -> list[str]:
        """Substrings of a line of free text this type could read as one whole value (``standalone``: not
        the operands of a larger expression; ``stated``: nor the result of a derivation, ``= 200``)."""
        return array_spans(text, standalone=standalone, stated=stated)

    def value_of(self, *, parsed: Parsed) -> Any:
        array = np.array([[float(n.value) for n in row] for row in parsed.value])
        return array.reshape(-1) if self.vector else array

    def show(self, *, value: Any, part: Part) -> str:
        array = np.asarray(value, dtype=float)
        if self.vector:
            return "(" + ", ".join(shown_value(x) for x in array.reshape(-1)) + ")"
        return "[" + "; ".join(", ".join(shown_value(x) for x in row) for row in array) + "]"


class VectorType(_ArrayType):
    name = "vector"
    vector = True


class MatrixType(_ArrayType):
    name = "matrix"


register(VectorType())
register(MatrixType())
