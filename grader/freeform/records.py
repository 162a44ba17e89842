"""Building the frozen records the extractor makes by the tens a file (pieces, segments, part extractions,
moved candidates) without the cost of their generated ``__init__``.

A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__`` (its own ``__setattr__``
refuses): ~0.3 us a field, ~2.5 us for an eight-field record, which added up to a tenth of reading a file.
:func:`record` fills the new instance's ``__dict__`` directly instead: the same instance (same fields, same
``==``, ``hash`` and ``repr``) for a class that is a plain frozen dataclass, which :func:`fits` checks (the
tests check it for every class built this way)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def record(cls: type[T], /, **fields: Any) -> T:
    """``cls(**fields)`` for a frozen dataclass that :func:`fits`, every field given."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


def moved(instance: T, /, **changes: Any) -> T:
    """``dataclasses.replace(instance, **changes)`` for an instance of a class that :func:`fits`: the new instance's
    own dict filled from the instance's, then changed (replacing an instance's ``__dict__`` costs more than both
    updates: ~0.3 us a record)."""
    made = object.__new__(type(instance))
    fields = made.__dict__
    fields.update(instance.__dict__)
    fields.update(changes)
    return made


def fits(cls: type) -> bool:
    """A frozen dataclass whose ``__init__`` only sets its fields: all of them init fields, no ``__post_init__``,
    no ``__slots__`` (its instances keep their fields in a dict)."""
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return False
    return (not hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__
            and all(field.init for field in dataclasses.fields(cls)))
