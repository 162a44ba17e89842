"""bench/labelled_pairs.csv stays a valid hand-labelled table: every row loads, both labels occur per type."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from bench.generate import load
from bench.pairs import LABELS, labelled_pairs

REPO = Path(__file__).resolve().parents[2]


def test_every_row_loads_and_is_labelled_yes_or_no():
    with open(LABELS, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 100
    assert {row["is_equivalent"] for row in rows} == {"yes", "no"}
    pairs = labelled_pairs(context=load(problems=REPO / "problems", assignment="dl-basics"))
    assert len(pairs) == len(rows)
    by_type = Counter((p.part.type, p.equivalent) for p in pairs)
    for type_name in ("number", "integer", "vector", "matrix", "shape", "expression"):
        assert by_type[(type_name, True)] >= 5 and by_type[(type_name, False)] >= 3, by_type
