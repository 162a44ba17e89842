"""(reference, answer) pairs judged by the grader's own parse + check and by math-verify's parse + verify.

Two sets of pairs:

- **corpus pairs**: the distinct (part, answer) strings of a generated corpus's common forms where math-verify
  applies (every type but free text), labelled by the generator (``correct`` = equivalent);
- **hand-labelled pairs**: ``bench/labelled_pairs.csv``, written and labelled by hand, independently of the
  grader. Columns: ``answer_type`` (an answer type of the registry), ``reference`` (as an answer key writes it:
  ``\\frac{1}{3}``, ``(46, 62, 20)``, ``(A + A^T) w``), ``answer`` (as a student writes it), ``tolerance`` (absolute,
  empty for exact), ``is_equivalent`` (``yes``/``no``), ``symbols`` (expressions only: the dl-basics part whose
  symbol declarations give the names their meaning, e.g. ``5a`` makes ``A`` a square matrix and ``w`` a vector),
  ``note``.

The grader reads a row's reference with the same answer type (``value_of`` of its parse) and checks the
answer against it on a synthetic part carrying the row's tolerance; an expression row borrows the named
part's ``symbolic`` block with the row's reference as its truth and no misconceptions. A tool's judgement is
right when it calls the pair equivalent exactly when the label does; for the grader, equivalent means the
verdict ``correct``. math-verify gets ``$reference$`` and the answer between ``$…$`` (unless it has its own).
"""

from __future__ import annotations

import csv
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

LABELS = Path(__file__).resolve().parent / "labelled_pairs.csv"


@dataclass(frozen=True)
class Pair:
    part: Any           # a grader Part (the assignment's own, or a synthetic one)
    reference: Any      # the grader's reference value (None for expressions: the part's symbolic block)
    gold_latex: str     # the reference for math-verify
    answer: str
    equivalent: bool
    note: str = ""


@dataclass(frozen=True)
class Score:
    pairs: int
    right: int
    seconds: float
    wrong: tuple[Pair, ...]

    @property
    def per_second(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0


# ------------------------------------------------------------------ the two tools
def grader_judge(pair: Pair, seed: int = 0) -> bool:
    from grader.answers import ParseFailure, get_answer_type

    answer_type = get_answer_type(pair.part.type)
    parsed = answer_type.parse(text=pair.answer, part=pair.part, reference=pair.reference)
    if isinstance(parsed, ParseFailure):
        return False
    return answer_type.check(parsed=parsed, reference=pair.reference, part=pair.part, seed=seed).verdict == "correct"


def _dollars(text: str) -> str:
    return text if "$" in text else f"${text}$"


def math_verify_judge(pair: Pair) -> bool:
    from math_verify import parse, verify

    try:
        return bool(verify(parse(_dollars(pair.gold_latex)), parse(_dollars(pair.answer))))
    except Exception:  # a crash of the peer on a pair is a wrong judgement, never a crash of the benchmark
        return False


def math_verify_available() -> str | None:
    """None when math-verify can be used, else why not."""
    try:
        import math_verify  # noqa: F401
    except ImportError as exc:
        return f"math-verify is not installed ({exc}); pip install -e '.[bench]'"
    return None


def score(judge: Callable[[Pair], bool], pairs: list[Pair]) -> Score:
    for pair in pairs[:3]:  # imports, parser tables and compiled specs are built before the clock starts
        judge(pair)
    wrong, start = [], time.process_time()  # CPU seconds: both tools run in this process, one after the other
    for pair in pairs:
        if judge(pair) != pair.equivalent:
            wrong.append(pair)
    return Score(pairs=len(pairs), right=len(pairs) - len(wrong), seconds=time.process_time() - start,
                 wrong=tuple(wrong))


# ------------------------------------------------------------------ corpus pairs
def corpus_pairs(*, context: Any, manifest: dict[str, Any], limit: int, seed: int = 0) -> list[Pair]:
    """The distinct (part, answer) pairs of a manifest's common forms where math-verify applies, at most
    ``limit`` of them (a seeded sample, so both tools see the same ones). The unique forms are left out: they
    are the common ones made unique to defeat caching (``\\frac{k(…)}{k}``), not notations of their own."""
    seen: dict[tuple[str, str], str] = {}
    for entry in manifest["files"].values():
        for part_id, part in entry["parts"].items():
            if part["expected"] in ("correct", "incorrect") and not part["form"].startswith("unique:"):
                seen.setdefault((part_id, part["answer"]), part["expected"])
    keys = sorted(seen)
    if len(keys) > limit:
        keys = sorted(random.Random(seed).sample(keys, limit))
    out = []
    for part_id, answer in keys:
        part = context.assignment.part(part_id)
        reference = context.references.get(part_id)
        out.append(Pair(part=part, reference=reference, gold_latex=gold_latex(part, reference), answer=answer,
                        equivalent=seen[(part_id, answer)] == "correct"))
    return out


def gold_latex(part: Any, reference: Any) -> str:
    """The reference as an answer key prints it: rounded to the decimals the task asks for."""
    import numpy as np

    from bench.forms import decimals_for, num

    if part.type == "expression":
        return part.reference_latex or (part.symbolic or {}).get("reference", "")
    if part.type in ("integer",):
        return str(int(reference))
    if part.type == "shape":
        return "(" + ", ".join(str(int(v)) for v in reference) + ")"
    d = decimals_for(part, reference)
    array = np.asarray(reference, dtype=float)
    if part.type == "number":
        return num(float(array), d)
    if part.type == "vector":
        return "(" + ", ".join(num(v, d) for v in array.ravel()) + ")"
    rows = [" & ".join(num(v, d) for v in row) for row in array.tolist()]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


# ------------------------------------------------------------------ hand-labelled pairs
def labelled_pairs(*, context: Any, path: Path = LABELS) -> list[Pair]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [labelled_pair(row=row, context=context, line=index + 2) for index, row in enumerate(rows)]


def labelled_pair(*, row: dict[str, str], context: Any, line: int) -> Pair:
    from grader.answers import get_answer_type
    from grader.problems.models import Part, Tolerance

    type_name, tol = row["answer_type"].strip(), row["tolerance"].strip()
    equivalent = row["is_equivalent"].strip().lower() in ("yes", "true", "1")
    if type_name == "expression":
        borrowed = context.assignment.part(row["symbols"].strip())
        symbolic = {**borrowed.symbolic, "reference": row["reference"], "misconceptions": []}
        symbolic.pop("truth", None)
        part = Part(id="9z", prompt="", type="expression", symbolic=symbolic, reference_latex=row["reference"])
        return Pair(part=part, reference=None, gold_latex=row["reference"], answer=row["answer"],
                    equivalent=equivalent, note=row.get("note", ""))
    tolerance = Tolerance(policy="absolute", abs=float(tol)) if tol else None
    part = Part(id="9z", prompt="", type=type_name, solver="bench.labelled", tolerance=tolerance,
                square_ok=type_name == "shape")
    value = key_value(type_name, row["reference"])
    reference = get_answer_type(type_name).reference_value(value=value, part=part)
    return Pair(part=part, reference=reference, gold_latex=row["reference"], answer=row["answer"],
                equivalent=equivalent, note=row.get("note", ""))


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_FRACTION = re.compile(r"\\frac\{(-?[\d.]+)\}\{(-?[\d.]+)\}")


def key_value(type_name: str, text: str) -> Any:
    """A key's reference as a value, read here (not by the grader): plain decimals, ``\\frac{a}{b}``,
    tuples ``(a, b)`` and ``bmatrix``/``pmatrix`` rows."""
    import numpy as np

    if type_name == "number":
        fraction = _FRACTION.fullmatch(text.strip())
        return float(fraction[1]) / float(fraction[2]) if fraction else float(text)
    if type_name == "integer":
        return int(text)
    if type_name == "shape":
        return tuple(int(v) for v in _NUMBER.findall(text))
    if type_name == "vector":
        return np.array([float(v) for v in _NUMBER.findall(text)])
    body = re.sub(r"\\(?:begin|end)\{[pb]matrix\}", "", text)
    return np.array([[float(v) for v in _NUMBER.findall(row)] for row in body.split(r"\\") if row.strip()])
