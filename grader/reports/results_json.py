"""``results.json``: the machine-readable results other tools read.

Deterministic: same inputs, same bytes (no timestamps, stable ordering). The text is produced in chunks, one
submission at a time (:func:`results_json_chunks`), so writing it never holds the whole document in memory: at
10 000 files it is ~200 MB. The chunks are exactly ``json.dumps(document, indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from grader.results import RunResult, SubmissionResult

# stands for the submissions list in the frame; a string json.dumps escapes to one that no other value yields
_HOLE = "\x00submissions\x00"
_INDENT = " " * 4  # a submission sits two levels deep: document → "submissions" → item


def _dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _frame(*, run: RunResult) -> tuple[str, str]:
    """The document's text before and after the submissions list."""
    data = {
        "assignment": run.assignment,
        "title": run.title,
        "max": run.max,
        "part_ids": list(run.part_ids),
        "submissions": _HOLE,
        "groups": {pid: [group.model_dump(mode="json") for group in groups] for pid, groups in run.groups.items()},
        "stale_overrides": [stale.model_dump(mode="json") for stale in run.stale_overrides],
    }
    head, tail = _dumps(data).split(_dumps(_HOLE))
    return head, tail + "\n"


def results_item(submission: SubmissionResult) -> str:
    """The text of one submission in results.json's list, indented as the list nests it (without the comma):
    made where the submission was graded, so the run's process only copies it into place."""
    return _INDENT + _dumps(submission.model_dump(mode="json", by_alias=True)).replace("\n", "\n" + _INDENT)


def _list_chunks(items: Iterable[str]) -> Iterator[str]:
    """A list nested two levels deep, as json.dumps(indent=2) writes it, one item (see results_item) at a time."""
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + item
        first = False
    yield "[]" if first else "\n  ]"


def results_json_chunks(*, run: RunResult, items: Iterable[str] | None = None) -> Iterator[str]:
    """``results.json`` of ``run`` in pieces (each submission dumped only when its turn comes); ``items``: the
    submissions' texts (results_item) in the order of ``run.submissions``, when they were made elsewhere."""
    head, tail = _frame(run=run)
    yield head
    yield from _list_chunks(items if items is not None else (results_item(s) for s in run.submissions))
    yield tail


def results_json(*, run: RunResult) -> str:
    return "".join(results_json_chunks(run=run))
