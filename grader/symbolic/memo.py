"""Work on a part's own side (the reference, its trial points) done once per spec instead of once per answer.

Every answer of a part is checked against the same spec, seed and trial points, so the reference's exact
values at each size, its values at each counter-example point and its SymPy matrix form are the same for
every answer.  They are kept here, per spec object (held, so its id stays its own), in bounded tables.

The exact judge's step budget must bind exactly as before: an exact value is computed once on a scratch
budget and remembered with the steps it took (or the error it ended with); each use charges those steps to
the answer's budget, in the same order as the computation did, so the answer's budget runs out at the same
place with the same error.  A computation that ended with a bound (out of steps, time or depth: a matter of
the budget, not of the spec) or with anything but an ExactError is not kept: it is done again on the
answer's own budget, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from grader.mathparse.exact import MAX_STEPS, ExactBudget, ExactError

MAX_SPECS = 32           # specs remembered (a run checks a few parts at a time)
MAX_ENTRIES = 256        # entries per spec (sizes, trial points, a few trees)
MAX_ANSWERS = 512        # answers' outcomes remembered, over every spec (see answer_outcome)

T = TypeVar("T")
_LOCK = threading.Lock()
_SPECS: OrderedDict[int, tuple[Any, Any, dict[Hashable, Any]]] = OrderedDict()


def table(spec: Any, compiled: Any) -> dict[Hashable, Any]:
    """The memo of ``spec`` compiled as ``compiled`` (a copy of the spec, or another compilation, has its own)."""
    key = id(spec)
    with _LOCK:
        hit = _SPECS.get(key)
        if hit is not None and hit[0] is spec and hit[1] is compiled:
            _SPECS.move_to_end(key)
            return hit[2]
        entries: dict[Hashable, Any] = {}
        _SPECS[key] = (spec, compiled, entries)
        while len(_SPECS) > MAX_SPECS:
            _SPECS.popitem(last=False)
        return entries


def _keep(entries: dict[Hashable, Any], key: Hashable, value: Any) -> None:
    with _LOCK:
        if len(entries) >= MAX_ENTRIES:
            entries.pop(next(iter(entries)))
        entries[key] = value


@dataclass(frozen=True)
class _Done:
    value: Any = None
    error: BaseException | None = None

    def get(self) -> Any:
        if self.error is not None:
            raise self.error.with_traceback(None)
        return self.value


def remembered(spec: Any, compiled: Any, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per (spec, key): its value, or the same exception again (a pure computation)."""
    entries = table(spec, compiled)
    done = entries.get(key)
    if done is None:
        try:
            done = _Done(value=make())
        except (RecursionError, MemoryError):
            raise  # a property of the moment (stack depth, memory), not of the spec: not kept
        except Exception as exc:  # replayed as it was raised: the caller sees what make() did
            done = _Done(error=exc.with_traceback(None))
        _keep(entries, key, done)
    out: T = done.get()
    return out


@dataclass(frozen=True)
class _Charged:
    steps: int
    done: _Done


def charged(spec: Any, compiled: Any, key: Hashable, budget: ExactBudget,
            make: Callable[[ExactBudget], T]) -> T:
    """``make(budget)`` once per (spec, key), charging its steps to ``budget`` on every use (see the module)."""
    entries = table(spec, compiled)
    found = entries.get(key)
    if found is None:
        scratch = ExactBudget(steps=MAX_STEPS, deadline=budget.deadline)
        try:
            found = _Charged(0, _Done(value=make(scratch)))
        except Exception as exc:
            if not isinstance(exc, ExactError) or exc.kind == "bound":
                return make(budget)  # out of steps, time or depth, or a failure of another kind: done as before
            found = _Charged(0, _Done(error=exc.with_traceback(None)))
        found = _Charged(MAX_STEPS - scratch.steps, found.done)
        _keep(entries, key, found)
    if found.steps:
        budget.spend(found.steps)
    out: T = found.done.get()
    return out


def answer_outcome(spec: Any, compiled: Any, key: Hashable, make: Callable[[], T],
                   keep: Callable[[T], bool]) -> T:
    """``make()`` once per (spec, compiled, key) while remembered: ``key`` holds what the outcome is a function of
    (an answer's resolved tree and the seed: a value, never the answer's text or an object of it), so two answers
    written differently that read as the same tree (``\\hat{y}`` and ``\\hat y``, an alias for a name) are
    checked once.  A least-recently-used table of MAX_ANSWERS entries over every spec; an exception is never kept
    (raised again by the next ``make()``), nor an outcome ``keep`` refuses (one the clock, not the tree, decided)."""
    slot = (id(spec), id(compiled), key)
    hit = _ANSWERS.find(slot)
    if hit is not _MISSING and hit[0] is spec and hit[1] is compiled:
        out: T = hit[2]
        return out
    made = make()
    if keep(made):
        _ANSWERS.keep(slot, (spec, compiled, made))
    return made


_MISSING = object()


class ValueMemo:
    """A least-recently-used table of at most ``size`` results of a pure function of one value, keyed by that value
    (hashable, compared by ``==``: a SymPy expression, a tree), shared by every check of the process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._table: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or what it gave for an equal ``key`` before; an exception is raised again by ``make()``."""
        found = self.find(key)
        if found is not _MISSING:
            out: T = found
            return out
        made = make()
        self.keep(key, made)
        return made

    def find(self, key: Hashable) -> Any:
        """What is kept for ``key``, else ``_MISSING``."""
        with _LOCK:
            if key not in self._table:
                return _MISSING
            self._table.move_to_end(key)
            return self._table[key]

    def keep(self, key: Hashable, value: Any) -> None:
        with _LOCK:
            self._table[key] = value
            self._table.move_to_end(key)
            while len(self._table) > self.size:
                self._table.popitem(last=False)

    def __len__(self) -> int:
        return len(self._table)

    def clear(self) -> None:
        with _LOCK:
            self._table.clear()


def charged_by_value(table: ValueMemo, key: Hashable, budget: ExactBudget, make: Callable[[ExactBudget], T]) -> T:
    """``make(budget)`` once per value ``key`` in ``table``, charging the steps it took to ``budget`` on every use,
    as :func:`charged` does; a computation that raised anything (out of steps or time among others) is not kept:
    it is done again on ``budget`` itself, and raises or returns as it does."""
    found = table.find(key)
    if found is _MISSING:
        scratch = ExactBudget(steps=MAX_STEPS, deadline=budget.deadline)
        try:
            value = make(scratch)
        except Exception:
            return make(budget)
        found = _Charged(MAX_STEPS - scratch.steps, _Done(value=value))
        table.keep(key, found)
    if found.steps:
        budget.spend(found.steps)
    out: T = found.done.value
    return out


def by_value(*values: Any) -> bool:
    """Whether SymPy values can key a memo: hashable, and without a Float (two precisions of one Float compare
    equal, and SymPy's results on them need not)."""
    import sympy as sp

    try:
        hash(values)
        return not any(v.has(sp.Float) for v in values)
    except Exception:  # not a SymPy value after all: computed each time, as before
        return False


#: answers' outcomes by (spec, compiled spec, key): see answer_outcome
_ANSWERS = ValueMemo(MAX_ANSWERS)
