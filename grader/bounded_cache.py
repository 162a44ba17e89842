"""A cache of a fixed number of entries, the oldest forgotten first, that several threads may fill.

The reports a worker makes for each file keep what they made for earlier files (a class repeats answers): a
card, a feedback section, a slim part, an answer-group row. Their memory stays flat over any number of files,
and a run grading in process makes reports on several threads: lookups are a plain ``dict.get`` (atomic in
CPython), every change is made under a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a cache keeps at least one entry, not {size}")
        self.size = size
        # an OrderedDict: forgetting the oldest is O(1) (``next(iter(dict))`` walks over every slot deleted
        # since the dict last resized: 10x slower per new entry at 4 096 entries)
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` (forgetting the oldest entry when full); returns ``value``."""
        with self._lock:
            if key not in self._items and len(self._items) >= self.size:
                self._items.popitem(last=False)
            self._items[key] = value
        return value


def made_for(cache: BoundedCache[int, tuple[Any, V]], owner: object, make: Callable[[], V]) -> V:
    """What ``make()`` made for ``owner`` (an assignment, say), kept in ``cache`` by its id with the owner itself:
    the entry holds the owner alive, so while it is kept the id is no other object's (a new object at a reused
    id, after the entry went, is made for again)."""
    known = cache.get(id(owner))
    if known is not None and known[0] is owner:
        return known[1]
    made = make()
    cache.put(id(owner), (owner, made))
    return made
