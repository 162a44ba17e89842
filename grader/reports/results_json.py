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
    made where the submission was graded, so the run's process only copies it into place.

    Exactly ``json.dumps(data, indent=2, ensure_ascii=False)`` of the submission's data. pydantic's own JSON
    writer gives the same text ~4x faster, but for the floats that Python writes with an exponent (below 1e-4
    or from 1e16, which pydantic writes out), non-finite floats and lone surrogates: those take json.dumps."""
    data = submission.model_dump(mode="json", by_alias=True)
    try:
        text = submission.model_dump_json(indent=2, by_alias=True) if _plain_floats(data) else _dumps(data)
    except ValueError:  # a lone surrogate pydantic will not encode
        text = _dumps(data)
    return _INDENT + text.replace("\n", "\n" + _INDENT)


def _plain_floats(value: object) -> bool:
    """No float in ``value`` (JSON data) that Python and pydantic write differently."""
    if type(value) is float:
        size = abs(value)
        return size == 0.0 or 1e-4 <= size < 1e16
    if type(value) is dict:
        return all(_plain_floats(item) for item in value.values())
    if type(value) is list:
        return all(_plain_floats(item) for item in value)
    return True


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
