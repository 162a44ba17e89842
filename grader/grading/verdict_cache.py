"""The verdict cache: a part's outcome is computed once per run for each distinct way it was answered,
and reused for every other student who answered it the same way.

A part's check depends only on the part and the student's variant (the grading context), on what the
extractor found for the part (its :class:`~grader.submissions.PartInput`: the candidates' text, source,
quoted line and values on the line, the confidence and flags) and on the student's own values of the
parts it uses (error carried forward).  All of it is the key.  Line numbers are the one thing of a
file's layout the check sees, and it only compares them with each other, so the key counts them from
the part's first line, the outcome is stored with those relative lines, and a hit moves them to the
student's own lines: nothing of one student's file reaches another's result unless it is in the key.
With a :class:`~grader.grading.verdict_store.VerdictStore` the outcomes also outlive the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle  # noqa: S403 - pickle.dumps only: the bytes of a value as a cache key, never loaded
import threading
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
from typing import TYPE_CHECKING, Any

from grader.grading.part import PartOutcome
from grader.submissions import PartInput

if TYPE_CHECKING:
    from grader.grading.verdict_store import VerdictStore

#: outcomes kept per run and process, the least recently used going first (a miss asks the store on disk): an
#: entry holds ~3.7 kB; at 5 000 a worker held ~18 MB of them by ~1 100 files, the largest single holder of a
#: worker's memory, while the answers students share are few and used again and again (they stay)
MAX_ENTRIES = 2_000

#: the pickle protocol of the keys' bytes (see _key_bytes)
_KEY_PROTOCOL = 4


def _first_line(part_input: PartInput) -> int:
    lines = [c.line_start for c in part_input.candidates if c.line_start is not None]
    lines += [c.line_end for c in part_input.candidates if c.line_end is not None]
    if part_input.lines is not None:
        lines.append(part_input.lines[0])
    return min(lines, default=0)


def _moved(value: int | None, by: int) -> int | None:
    return None if value is None else value + by


def _moved_outcome(outcome: PartOutcome, by: int) -> PartOutcome:
    evidence = outcome.result.evidence
    if not by or evidence is None:
        return outcome
    evidence = evidence.model_copy(update={"line_start": _moved(evidence.line_start, by),
                                           "line_end": _moved(evidence.line_end, by)})
    return PartOutcome(result=outcome.result.model_copy(update={"evidence": evidence}), value=outcome.value)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("verdict_key", True))
    return names


def _canonical(value: Any) -> Any:
    """``value`` as plain data (None, bool, int, float, str, bytes, and tuples and lists of them) whose repr two
    equal values share whatever objects they are made of (a pickle's is not: it depends on which objects are
    shared), each kept apart from values of other types (repr tells 1 from 1.0 and True, a tuple from a list)."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is tuple or kind is list:
        return kind(_canonical(item) for item in value)
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes())
    if isinstance(value, np.generic):
        return ("npscalar", value.dtype.str, value.tobytes())
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((_canonical(key), _canonical(item)) for key, item in value.items()), key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (kind.__qualname__, tuple(_canonical(getattr(value, name)) for name in _field_names(kind)))
    return ("pickle", kind.__qualname__, pickle.dumps(value, protocol=5))


#: the fields that hold a line number of the student's file, counted in the key from the part's first line
_LINE_FIELDS = frozenset({"line_start", "line_end", "lines"})


def _relative(value: Any, first: int) -> Any:
    """A line field counted from ``first`` (both ends of ``PartInput.lines``)."""
    if value is None:
        return None
    if type(value) is tuple:
        return tuple(_relative(item, first) for item in value)
    return value - first


def _canonical_relative(value: Any, first: int) -> Any:
    """``_canonical`` of a part input or candidate with its lines counted from ``first``: the canonical data of a
    copy with moved lines, without making the copy (a third of the key's cost)."""
    kind = type(value)
    fields = []
    for name in _field_names(kind):
        item = getattr(value, name)
        if name in _LINE_FIELDS:
            fields.append(_relative(item, first))
        elif kind is PartInput and name == "candidates":
            fields.append(tuple(_canonical_relative(candidate, first) for candidate in item))
        else:
            fields.append(_canonical(item))
    return (kind.__qualname__, tuple(fields))


def verdict_key(*, part_id: str, variant: str | None, part_input: PartInput,
                student_values: Mapping[str, Any]) -> tuple[bytes, int]:
    """(the key, the student's first line of the part) of one part's check.

    The key is kept on disk and read by other processes and later runs, so its bytes depend only on the values
    (:func:`_key_bytes`)."""
    first = _first_line(part_input)
    material = (part_id, variant, _canonical_relative(part_input, first), _canonical(dict(student_values)))
    return hashlib.blake2b(_key_bytes(material), digest_size=20).digest(), first


def _key_bytes(material: Any) -> bytes:
    """The bytes of ``material`` (plain data from :func:`_canonical`): pickled without a memo (``fast``), so they
    say nothing of which objects it is made of or share (a memo writes a second equal string as a reference
    when it is the same object), each type with a code of its own; twice as fast as the ``repr`` it replaced.
    Only ever dumped, never loaded."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=_KEY_PROTOCOL)
    pickler.fast = True
    pickler.dump(material)
    return buffer.getvalue()


class VerdictCache:
    """Outcomes by :func:`verdict_key`, kept with relative line numbers (thread-safe); ``store``: the
    cache on disk, asked on a miss and given every new outcome."""

    def __init__(self, *, limit: int = MAX_ENTRIES, store: VerdictStore | None = None) -> None:
        self._entries: OrderedDict[bytes, PartOutcome] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()
        self.store = store
        self.hits = 0
        self.stored_hits = 0
        self.misses = 0

    def get(self, key: bytes, first_line: int) -> PartOutcome | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self.hits += 1
                self._entries.move_to_end(key)
        if found is None and self.store is not None:
            found = self.store.get(key)
            if found is not None:
                with self._lock:
                    self.stored_hits += 1
                self._keep(key, found)
        if found is None:
            with self._lock:
                self.misses += 1
            return None
        return _moved_outcome(found, first_line)

    def put(self, key: bytes, first_line: int, outcome: PartOutcome) -> None:
        stored = _moved_outcome(outcome, -first_line)
        self._keep(key, stored)
        if self.store is not None:
            self.store.put(key, stored)

    def flush(self) -> None:
        """Write the outcomes put since the last flush to the store, where other processes and later runs find
        them (the jobs call it at the end of each file and part: one transaction each)."""
        if self.store is not None:
            self.store.flush()

    def _keep(self, key: bytes, stored: PartOutcome) -> None:
        with self._lock:
            self._entries[key] = stored
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
