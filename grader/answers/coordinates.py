"""``coordinates``: a position such as a pixel of a feature map, e.g. where the maximum is.

YAML::

    - id: 3d
      prompt: At which position (row, column) of Z is the maximum? Count from 1.
      type: coordinates
      index_base: 1                  # how the problem counts positions: 0 (default) or 1
      answer: [3, 1]                 # one point
      # answer: {any_of: [[3, 1], [1, 3]]}   # several acceptable points (ties)
      # answer: [[3, 1], [1, 3]]             # the same, as a list of points (what an argmax-all solver returns)

Reading an answer: ``(3, 1)``, ``[3,1]``, ``Z[3,1]``, ``Z_{3,1}``, ``row 3, column 1``,
``column 1, row 3``, ``i=3, j=1``, ``строка 3, столбец 1``, ``Zeile 3, Spalte 1``, Persian digits.
Commas always separate coordinates (they are whole numbers).  An answer naming several points
(``(3, 1) or (1, 3)``) is read as its first point with the others as alternative readings: when
they would not all get the same verdict, a person decides.

Comparison: right when the point is one of the acceptable points.  Feedback ids:
``wrong-position``; ``coordinates-swapped`` (row and column exchanged, and that is not itself an
acceptable point); ``off-by-one-index`` (the point is right when counted from the other base:
0 credit, with feedback explaining how the problem counts; to give credit for it, catalogue a
misconception with the other-base point and a ``credit``); ``wrong-coordinate-count``.

``show`` writes ``(3, 1)`` (several points: ``(3, 1) or (1, 3)``); ``value_of`` gives ``(3, 1)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.registry import register
from grader.answers.solver_backed import SolverBacked, whole_number
from grader.answers.structured import find_labels, prepare
from grader.problems.models import Part

MAX_DIMS = 6
MAX_POINTS = 64
_GROUP = re.compile(r"[(\[{]([^()\[\]{}]{0,120})[)\]}]")
_INT = re.compile(r"(?<![\w.])[-+]?[0-9]{1,9}(?![\w.])|(?<![\w.])[0-9]{1,9}[.,][0-9]+(?![\w.])")
_AXES = {
    "row": ("row", "r", "i", "y", "строка", "строки", "ряд", "zeile", "reihe", "ligne", "fila", "سطر", "ردیف"),
    "col": ("column", "col", "c", "j", "x", "столбец", "столбца", "колонка", "spalte", "colonne", "columna", "ستون"),
}


def _ints(body: str) -> list[int] | None:
    numbers = [m.group(0) for m in _INT.finditer(body)]
    if not numbers or any(not re.fullmatch(r"[-+]?[0-9]+", n) for n in numbers):
        return None
    return [int(n) for n in numbers]


class CoordinatesType(SolverBacked):
    name = "coordinates"
    #: in free-form files, the whole answer (not only its last value) should be tried first
    reads_whole_answer = True

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = prepare(text)
        if _INT.search(cleaned) and not _ints(cleaned):
            fractional = [m.group(0) for m in _INT.finditer(cleaned) if not re.fullmatch(r"[-+]?[0-9]+", m.group(0))]
            if fractional and not _GROUP.search(cleaned):
                return ParseFailure(f"coordinates are whole numbers, not {fractional[0]!r}")
        points: list[tuple[int, ...]] = []
        notes: list[str] = []
        hits = find_labels(cleaned, {key: words for key, words in _AXES.items()})
        named = self._named(cleaned, hits)
        if named is not None:
            points.append(named)
        else:
            for group in _GROUP.finditer(cleaned):
                numbers = _ints(group.group(1))
                if numbers and len(numbers) <= MAX_DIMS:
                    points.append(tuple(numbers))
                if len(points) >= MAX_POINTS:
                    break
            if not points:
                subscript = re.search(r"_\s*([0-9]{1,9}(?:\s*,\s*[0-9]{1,9}){1,5})", cleaned)
                body = subscript.group(1) if subscript else cleaned
                numbers = _ints(body)
                if numbers and len(numbers) <= MAX_DIMS:
                    points.append(tuple(numbers))
        if not points:
            return ParseFailure(f"could not read a position in {cleaned[:80]!r}")
        distinct = list(dict.fromkeys(points))
        if len(distinct) > 1:
            notes.append(f"the answer names {len(distinct)} positions; the first one was graded")
        return Parsed(value=distinct[0], shown=self.show(value=(distinct[0],), part=part), notes=tuple(notes),
                      alternatives=tuple(distinct[1:]))

    @staticmethod
    def _named(text: str, hits: list[Any]) -> tuple[int, ...] | None:
        """``row 3, column 1`` / ``i=3, j=1``: each axis word followed by its number."""
        found: dict[str, int] = {}
        for k, hit in enumerate(hits):
            stop = hits[k + 1].start if k + 1 < len(hits) else len(text)
            match = re.match(r"\s*(?:[:=]|is|=)?\s*([-+]?[0-9]{1,9})(?![\w.,]?[0-9])", text[hit.end:stop])
            if match and hit.key not in found:
                found[hit.key] = int(match.group(1))
        if set(found) == {"row", "col"}:
            return (found["row"], found["col"])
        return None

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        point = tuple(parsed.value)
        accepted = [tuple(p) for p in reference]
        if point in accepted:
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        shown = self.show(value=(point,), part=part)
        if all(len(point) != len(p) for p in accepted):
            return Check(verdict="incorrect", credit=0.0, feedback_id="wrong-coordinate-count",
                         feedback=f"You gave {len(point)} coordinate(s); a position here has {len(accepted[0])}.")
        if len(point) > 1 and tuple(reversed(point)) in accepted:
            return Check(verdict="incorrect", credit=0.0, feedback_id="coordinates-swapped",
                         feedback=f"{shown} has the row and column exchanged (give the row first).")
        shift = 1 if part.index_base == 0 else -1  # a student counting from the other base writes point + shift
        if tuple(c - shift for c in point) in accepted:
            other = 1 - part.index_base
            return Check(verdict="incorrect", credit=0.0, feedback_id="off-by-one-index",
                         notes=(f"{shown} is right when counted from {other}",),
                         feedback=f"{shown} is the right position counted from {other}, but this problem counts "
                                  f"positions from {part.index_base}.")
        return Check(verdict="incorrect", credit=0.0, feedback_id="wrong-position", feedback="Not the right position.")

    def coerce(self, *, value: Any, part: Part) -> Any:
        if isinstance(value, Mapping):
            if set(value) != {"any_of"}:
                raise ReferenceValueError(f"a coordinates reference mapping has one key, any_of: a list of points; "
                                          f"got keys {', '.join(map(str, value))}")
            value = value["any_of"]
            if not isinstance(value, (list, tuple)) or not value:
                raise ReferenceValueError("any_of needs a non-empty list of points such as [[3, 1], [1, 3]]")
            points = list(value)
        else:
            if isinstance(value, np.ndarray):
                value = value.tolist()
            if not isinstance(value, (list, tuple)) or not value:
                raise ReferenceValueError(f"a coordinates reference is a point such as [3, 1], a list of points or "
                                          f"{{any_of: [[3, 1], [1, 3]]}}; got {value!r}")
            nested = [isinstance(item, (list, tuple, np.ndarray)) for item in value]
            if any(nested) and not all(nested):
                raise ReferenceValueError(f"mixes numbers and points: {value!r}")
            points = list(value) if all(nested) else [value]
        if len(points) > MAX_POINTS:
            raise ReferenceValueError(f"at most {MAX_POINTS} acceptable points, got {len(points)}")
        out = []
        for k, point in enumerate(points):
            point = list(point.tolist() if isinstance(point, np.ndarray) else point)
            if not point or len(point) > MAX_DIMS:
                raise ReferenceValueError(f"point {k + 1} must have 1 to {MAX_DIMS} coordinates, got {point!r}")
            out.append(tuple(whole_number(c, what=f"coordinate {i + 1} of point {k + 1}") for i, c in enumerate(point)))
        if len({len(p) for p in out}) > 1:
            raise ReferenceValueError(f"the acceptable points have different numbers of coordinates: {out}")
        return tuple(dict.fromkeys(out))

    def value_of(self, *, parsed: Parsed) -> Any:
        return tuple(int(c) for c in parsed.value)

    def show(self, *, value: Any, part: Part) -> str:
        return " or ".join("(" + ", ".join(str(int(c)) for c in point) + ")" for point in value)


register(CoordinatesType())
