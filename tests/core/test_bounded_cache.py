"""The reports' caches keep a fixed number of entries, the oldest forgotten first, filled safely from threads."""

from __future__ import annotations

import threading

import pytest

from grader.bounded_cache import BoundedCache


def test_keeps_at_most_its_size_and_forgets_the_oldest_first() -> None:
    cache: BoundedCache[int, str] = BoundedCache(3)
    for key in range(5):
        assert cache.put(key, str(key)) == str(key)
    assert len(cache) == 3
    assert [cache.get(key) for key in range(5)] == [None, None, "2", "3", "4"]
    cache.put(3, "three")  # a key it holds is replaced, nothing forgotten
    assert len(cache) == 3 and cache.get(2) == "2" and cache.get(3) == "three" and 4 in cache


def test_several_threads_fill_it() -> None:
    cache: BoundedCache[tuple[int, int], int] = BoundedCache(64)

    def fill(thread: int) -> None:
        for key in range(5000):
            cache.put((thread, key), key)
            cache.get((thread, key - 1))

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 64


def test_a_cache_keeps_something() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BoundedCache(0)


def test_made_for_an_object_once_and_never_for_another_at_its_id() -> None:
    from grader.bounded_cache import made_for

    class Owner:
        pass

    cache: BoundedCache[int, tuple[object, list[int]]] = BoundedCache(1)
    calls: list[int] = []

    def make() -> list[int]:
        calls.append(1)
        return [len(calls)]

    first = Owner()
    assert made_for(cache, first, make) == [1] and made_for(cache, first, make) == [1] and len(calls) == 1
    second = Owner()  # the only entry goes: the first owner is made for again
    assert made_for(cache, second, make) == [2]
    assert made_for(cache, first, make) == [3]
    cache.put(id(second), (first, [99]))  # an entry under an id whose owner is another object is not its
    assert made_for(cache, second, make) == [4]
