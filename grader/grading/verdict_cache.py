"""The verdict cache: a part's outcome is computed once per run for each distinct way it was answered,
and reused for every other student who answered it the same way.

A part's check depends only on the part and the student's variant (the grading context), on what the
extractor found for the part (its :class:`~grader.submissions.PartInput`: the candidates' text, source,
quoted line and values on the line, the confidence and flags) and on the student's own values of the
parts it uses (error carried forward).  All of it is the key.  Line numbers are the one thing of a
file's layout the check sees, and it only compares them with each other, so the key counts them from
the part's first line, the outcome is kept with the first line it was found at (on disk: with relative
lines), and a hit moves its lines to the student's own: nothing of one student's file reaches another's
result unless it is in the key (tests/grading/test_verdict_cache.py changes each keyed field in turn).
With a :class:`~grader.grading.verdict_store.VerdictStore` the outcomes also outlive the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle  # noqa: S403 - pickle.dumps only: the bytes of a value as a cache key, never loaded
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from operator import attrgetter, itemgetter

import numpy as np
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from grader.grading.part import PartOutcome
from grader.submissions import PartInput
from grader.submissions.inputs import Candidate

if TYPE_CHECKING:
    from grader.grading.verdict_store import VerdictStore

#: outcomes kept per run and process, the least recently used going first (a miss asks the store on disk): an
#: entry holds ~3.7 kB; at 5 000 a worker held ~18 MB of them by ~1 100 files, the largest single holder of a
#: worker's memory, while the answers students share are few and used again and again (they stay)
MAX_ENTRIES = 2_000

_Model = TypeVar("_Model", bound=BaseModel)


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
    evidence = _updated(evidence, {"line_start": _moved(evidence.line_start, by),
                                   "line_end": _moved(evidence.line_end, by)})
    # (made directly: dataclasses.replace was a third of the move)
    return PartOutcome(result=_updated(outcome.result, {"evidence": evidence}), value=outcome.value,
                       agrees=outcome.agrees)


def _updated(model: _Model, update: dict[str, Any]) -> _Model:
    """``model.model_copy(update=update)``, made directly for a model without extra or private attributes (the
    results' models: grader.strict_model): pydantic's own goes through ``copy.copy`` for each of its dicts, and
    was most of a cache hit's cost."""
    if model.__pydantic_extra__ is not None or getattr(model, "__pydantic_private__", None) is not None:
        return model.model_copy(update=update)
    kind = type(model)
    copied = kind.__new__(kind)
    object.__setattr__(copied, "__dict__", {**model.__dict__, **update})
    object.__setattr__(copied, "__pydantic_extra__", None)
    object.__setattr__(copied, "__pydantic_fields_set__", model.__pydantic_fields_set__ | update.keys())
    object.__setattr__(copied, "__pydantic_private__", None)
    return copied


#: the version of the key's material (:func:`verdict_key`): the store's file name holds it, and it personalises the
#: hash, so that keys of another version are never read as this one's (grader/grading/verdict_store.py)
KEY_VERSION = 2
_PERSON = f"verdict-key-{KEY_VERSION}".encode()
#: the pickle protocol of the keys' bytes (see _key_bytes)
_KEY_PROTOCOL = 4
#: values that stand for themselves in the key (exact types: pickle tells each from the others, 1 from 1.0 and True)
_PLAIN = frozenset({type(None), bool, int, float, str, bytes})
#: the fields that hold a line number of the student's file, counted in the key from the part's first line
_LINE_FIELDS = frozenset({"line_start", "line_end", "lines"})


@dataclasses.dataclass(frozen=True)
class _Layout:
    """How the key reads one dataclass: its keyed fields (``verdict_key`` metadata) in order, all at once, and the
    line fields (:data:`_LINE_FIELDS`) and the others each at once, in one call."""

    name: str
    names: tuple[str, ...]
    fields: Callable[[Any], tuple[Any, ...]]
    lines: Callable[[Any], tuple[Any, ...]]
    others: Callable[[Any], tuple[Any, ...]]


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields ``names`` of a value, as a tuple (attrgetter gives one name's value bare)."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda value: tuple(getattr(value, name) for name in names)


_LAYOUTS: dict[type, _Layout] = {}


def _layout(kind: type) -> _Layout:
    layout = _LAYOUTS.get(kind)
    if layout is None:
        names = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("verdict_key", True))
        layout = _LAYOUTS[kind] = _Layout(
            name=f"{kind.__module__}.{kind.__qualname__}", names=names, fields=_getter(names),
            lines=_getter(tuple(n for n in names if n in _LINE_FIELDS)),
            others=_getter(tuple(n for n in names if n not in _LINE_FIELDS and n != "candidates")))
    return layout


def _canonical(value: Any) -> Any:
    """``value`` as plain data (the :data:`_PLAIN` values, and tuples of plain data): every other value becomes a
    tuple whose first item names its type (a tuple, a list, a dict, an array, a dataclass), so no two different
    values, of the same type or not, have the same plain data, and two equal values have it whatever objects they
    are made of (a pickle's bytes are not: they depend on which objects are shared)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        if all(type(item) is str for item in value):  # the common case, the same data without the generator
            return (kind.__name__, tuple(value))
        return (kind.__name__, tuple(_canonical(item) for item in value))
    if kind is np.ndarray and not value.dtype.hasobject:
        return ("ndarray", value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes())
    if isinstance(value, np.generic) and not value.dtype.hasobject:
        return ("npscalar", value.dtype.str, value.tobytes())
    if kind is dict:
        return ("dict", tuple(sorted(((_canonical(key), _canonical(item)) for key, item in value.items()), key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        layout = _layout(kind)
        return (layout.name, tuple(_canonical(item) for item in layout.fields(value)))
    return ("pickle", f"{kind.__module__}.{kind.__qualname__}", pickle.dumps(value, protocol=5))


def _relative(value: Any, first: int) -> Any:
    """A line field counted from ``first`` (both ends of ``PartInput.lines``); a value that is not a line number
    (nor None) is kept as it is, tagged apart from the counted ones."""
    if value is None:
        return None
    if type(value) is int:
        return value - first
    if type(value) is tuple and all(type(item) is int for item in value):
        return ("lines", tuple(item - first for item in value))
    return ("absolute", _canonical(value))


def _canonical_relative(value: Any, first: int) -> Any:
    """``_canonical`` of a part input or candidate with its lines counted from ``first``: the canonical data of a
    copy with moved lines, without making the copy."""
    kind = type(value)
    if not dataclasses.is_dataclass(kind):
        return ("value", _canonical(value))
    layout = _layout(kind)
    fields = []
    for name, item in zip(layout.names, layout.fields(value)):
        if name in _LINE_FIELDS:
            fields.append(_relative(item, first))
        elif kind is PartInput and name == "candidates":
            fields.append((type(item).__name__, tuple(_canonical_relative(c, first) for c in item))
                          if type(item) in (tuple, list) else ("absolute", _canonical(item)))
        else:
            fields.append(_canonical(item))
    return (layout.name, tuple(fields))


_CANDIDATE = _layout(Candidate)
_PART_INPUT = _layout(PartInput)
#: the keyed fields :func:`_plain_relative` reads by name (another layout: it reads none, the canonical data is the key)
PLAIN_LAYOUT = (_CANDIDATE.names == ("text", "source", "line_start", "line_end", "quote", "values_on_line")
                and _PART_INPUT.names == ("candidates", "confidence", "flags", "lines"))


def _strings(value: Any) -> bool:
    return type(value) is tuple and all(type(item) is str for item in value)


def _plain_relative(part_input: PartInput) -> tuple[Any, int] | None:
    """(the part input's keyed fields as they are, but its lines counted from its first line; that line), for the
    usual part input, read field by field (the generic reading was most of the key's cost): Candidates of strings,
    int or None lines, strings of the values on the line and of the flags. None for any other, or when the fields
    are not :data:`PLAIN_LAYOUT`: :func:`_canonical_relative` reads it. Only exact types pass (a subclass, a NumPy
    float, is another value: its canonical data says so)."""
    if not PLAIN_LAYOUT or type(part_input) is not PartInput or type(part_input.candidates) is not tuple:
        return None
    rows = []
    lines: list[Any] = []
    for candidate in part_input.candidates:
        if type(candidate) is not Candidate:
            return None
        text, source, quote, near = candidate.text, candidate.source, candidate.quote, candidate.values_on_line
        if type(text) is not str or type(source) is not str or type(quote) is not str or \
                (near is not None and not _strings(near)):
            return None
        rows.append((text, source, quote, near))
        lines += (candidate.line_start, candidate.line_end)
    own, confidence, flags = part_input.lines, part_input.confidence, part_input.flags
    if own is not None:
        if type(own) is not tuple or len(own) != 2:
            return None
        lines += own
    if type(confidence) not in (float, int) or not _strings(flags):
        return None
    first: int | None = None
    for line in lines:
        if line is not None:
            if type(line) is not int:
                return None
            if first is None or line < first:
                first = line
    if first is None:
        first = 0
    moved = tuple([None if line is None else line - first for line in lines])
    # the candidates' two lines each, then the part's own two when it has them (the number of candidates says which)
    return (tuple(rows), moved, own is None, confidence, flags), first


def verdict_key(*, part_id: str, variant: str | None, part_input: PartInput,
                student_values: Mapping[str, Any]) -> tuple[bytes, int]:
    """(the key, the student's first line of the part) of one part's check.

    The key is kept on disk and read by other processes and later runs, so its bytes depend only on the values:
    the plain data of the part input (:func:`_plain_relative`, else tagged as :func:`_canonical_relative`'s) and
    of the student's values, written by :func:`_key_bytes`, then hashed."""
    values = _values(student_values)
    plain = _plain_relative(part_input) if type(part_id) is str and type(variant) in (str, type(None)) else None
    if plain is not None:
        material: tuple[Any, ...] = ("plain", part_id, variant, plain[0], values)
        first = plain[1]
    else:
        first = _first_line(part_input)
        material = ("canonical", _canonical(part_id), _canonical(variant), _canonical_relative(part_input, first),
                    values)
    digest = _HASH.copy()
    digest.update(_key_bytes(material))
    return digest.digest(), first


def _key_bytes(material: Any) -> bytes:
    """The bytes of ``material`` (plain data): pickled without a memo (``fast``), so they say nothing of which
    objects it is made of or share (a memo writes a second equal string as a reference when it is the same object),
    each type with a code of its own. Only ever dumped, never loaded."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=_KEY_PROTOCOL)
    pickler.fast = True
    pickler.dump(material)
    return buffer.getvalue()


_HASH = hashlib.blake2b(digest_size=20, person=_PERSON)


def _values(student_values: Mapping[str, Any]) -> Any:
    """The canonical data of the student's values of the parts a part uses (by part id: sorted as strings)."""
    if not student_values:
        return ("dict", ())
    if type(student_values) is dict and all(type(key) is str for key in student_values):
        return ("dict", tuple((key, _canonical(value)) for key, value in sorted(student_values.items(),
                                                                               key=itemgetter(0))))
    return _canonical(dict(student_values))


class VerdictCache:
    """Outcomes by :func:`verdict_key` (thread-safe), each kept with the first line it was found at: a hit at
    another line moves the evidence's lines by the difference; ``store``: the cache on disk, asked on a miss and
    given every new outcome (with relative line numbers, first line 0)."""

    def __init__(self, *, limit: int = MAX_ENTRIES, store: VerdictStore | None = None) -> None:
        self._entries: OrderedDict[bytes, tuple[PartOutcome, int]] = OrderedDict()
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
            stored = self.store.get(key)
            if stored is not None:
                with self._lock:
                    self.stored_hits += 1
                found = (stored, 0)
                self._keep(key, found)
        if found is None:
            with self._lock:
                self.misses += 1
            return None
        outcome, at = found
        return _moved_outcome(outcome, first_line - at)

    def put(self, key: bytes, first_line: int, outcome: PartOutcome) -> None:
        self._keep(key, (outcome, first_line))  # as found: the students who wrote it at the same line share it
        if self.store is not None:
            self.store.put(key, _moved_outcome(outcome, -first_line))

    def flush(self) -> None:
        """Write the outcomes put since the last flush to the store, where other processes and later runs find
        them (the jobs call it at the end of each file and part: one transaction each)."""
        if self.store is not None:
            self.store.flush()

    def _keep(self, key: bytes, kept: tuple[PartOutcome, int]) -> None:
        with self._lock:
            self._entries[key] = kept
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
