"""``results.json``: the machine-readable results other tools read.

Deterministic: same inputs, same bytes (no timestamps, stable ordering). The text is produced in chunks, one
submission at a time (:func:`results_json_chunks`), so writing it never holds the whole document in memory: at
10 000 files it is ~200 MB. The chunks are exactly ``json.dumps(document, indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from grader.results import AnswerGroup, RunResult, SubmissionResult

# stands for the submissions list in the frame (found with its key, which no string of the document can hold)
_HOLE = "\x00submissions\x00"
_INDENT = " " * 4  # a submission sits two levels deep: document → "submissions" → item
# the answer groups stand in for the groups in the frame, written by _groups_chunks: a part's id one level into
# "groups", its groups a level further
_GROUPS_HOLE = "\x00groups\x00"
_GROUP_KEY, _GROUP_INDENT = " " * 4, " " * 6


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
        "groups": _GROUPS_HOLE,
        "stale_overrides": [stale.model_dump(mode="json") for stale in run.stale_overrides],
    }
    # each hole with its key: inside a string of the document (a title, a reason) its quotes would be escaped
    head, tail = _dumps(data).split('"submissions": ' + _dumps(_HOLE))
    before, after = tail.split('"groups": ' + _dumps(_GROUPS_HOLE))
    head, before = head + '"submissions": ', before + '"groups": '
    return head, "".join((before, *_groups_chunks(run.groups), after, "\n"))


def _groups_chunks(groups: Mapping[str, tuple[AnswerGroup, ...]]) -> Iterator[str]:
    """The answer groups as json.dumps(indent=2) writes them one level deep: each group by :func:`_model_text`
    (every member's name on a line: at 10 000 files, tens of thousands of lines that Python's own encoder,
    the one json.dumps takes for indented text, writes several times slower than pydantic's)."""
    if not groups:
        yield "{}"
        return
    for n, (pid, found) in enumerate(groups.items()):
        yield ("{\n" if n == 0 else ",\n") + _GROUP_KEY + json.dumps(pid, ensure_ascii=False) + ": "
        if not found:
            yield "[]"
            continue
        for m, group in enumerate(found):
            yield ("[\n" if m == 0 else ",\n") + _GROUP_INDENT + _model_text(group, by_alias=False).replace("\n", "\n" + _GROUP_INDENT)
        yield "\n" + _GROUP_KEY + "]"
    yield "\n  }"


def results_item(submission: SubmissionResult) -> str:
    """The text of one submission in results.json's list, indented as the list nests it (without the comma):
    made where the submission was graded, so the run's process only copies it into place.

    Exactly ``json.dumps(data, indent=2, ensure_ascii=False)`` of the submission's data. pydantic's own JSON
    writer gives the same text ~4x faster, but for the floats that Python writes with an exponent (below 1e-4
    or from 1e16, which pydantic writes out), non-finite floats and lone surrogates: those take json.dumps.
    The floats are looked for in the submission itself, only in the fields whose type can hold one."""
    return _INDENT + _model_text(submission, by_alias=True).replace("\n", "\n" + _INDENT)


def _model_text(model: BaseModel, *, by_alias: bool) -> str:
    """``json.dumps(model.model_dump(mode="json", by_alias=by_alias), indent=2, ensure_ascii=False)``, by
    pydantic's writer where it writes the same text (see results_item)."""
    try:
        if _plain_model(model):
            return model.model_dump_json(indent=2, by_alias=by_alias)
    except ValueError:  # a lone surrogate pydantic will not encode
        pass
    return _dumps(model.model_dump(mode="json", by_alias=by_alias))


def _plain_float(value: float) -> bool:
    size = abs(value)
    return size == 0.0 or 1e-4 <= size < 1e16


def _plain(value: object) -> bool:
    """No float in ``value`` (a field's value) that Python and pydantic write differently."""
    if isinstance(value, float):
        return _plain_float(value)
    if isinstance(value, BaseModel):
        return _plain_model(value)
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, (list, tuple)):
        return True
    for item in value:
        if not _plain(item):
            return False
    return True


def _plain_model(model: BaseModel) -> bool:
    floats, others = _float_fields(type(model))
    values = model.__dict__
    for name in floats:  # the common case, without a call
        value = values[name]
        if value is not None and not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
            return False
    for name in others:
        value = values[name]
        if value is not None and not _plain(value):
            return False
    return True


@cache
def _float_fields(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of ``cls`` whose type can hold a float (a float, Any, a model with such a field, a container of
    one): the only ones whose values need looking at; those that hold a float or None first, then the others."""
    fields = [(name, field.annotation) for name, field in cls.model_fields.items() if _can_hold_float(field.annotation)]
    floats = tuple(name for name, annotation in fields if _float_or_none(annotation))
    return floats, tuple(name for name, _ in fields if name not in floats)


def _float_or_none(annotation: object) -> bool:
    return annotation is float or (get_origin(annotation) in (Union, UnionType)
                                   and set(get_args(annotation)) <= {float, type(None)})


def _can_hold_float(annotation: object) -> bool:
    if annotation is float or annotation is Any or annotation is object:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(_float_fields(annotation))
    return any(_can_hold_float(arg) for arg in get_args(annotation))


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
