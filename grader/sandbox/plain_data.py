"""Check that call arguments are plain data, and decode them without classes.

Arguments sent to a worker may be derived from submission text, so the worker
never runs a general unpickler on them: the parent checks that they are plain
values (str/bytes/int/float/bool/None in lists, tuples and str-keyed dicts),
and the worker decodes them with an unpickler that refuses every class lookup.
Plain values pickle to opcodes that need no class lookup at all.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

MAX_DEPTH = 64
_SCALARS = (str, bytes, int, float, bool, type(None))


class NotPlainDataError(TypeError):
    """An argument is not plain data (see module docstring)."""


def check_plain(*, value: Any, where: str = "kwargs", depth: int = 0) -> None:
    """Raise NotPlainDataError unless ``value`` is plain data (bounded depth)."""
    if depth > MAX_DEPTH:
        raise NotPlainDataError(f"{where}: nested deeper than {MAX_DEPTH}")
    if type(value) in _SCALARS:
        return
    if type(value) in (list, tuple):
        for index, item in enumerate(value):
            check_plain(value=item, where=f"{where}[{index}]", depth=depth + 1)
        return
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlainDataError(f"{where}: dict key {key!r} is not a str")
            check_plain(value=item, where=f"{where}[{key!r}]", depth=depth + 1)
        return
    raise NotPlainDataError(
        f"{where}: {type(value).__module__}.{type(value).__qualname__} is not plain data "
        "(allowed: str, bytes, int, float, bool, None, list, tuple, dict with str keys)"
    )


def encode_plain(*, value: Any) -> bytes:
    check_plain(value=value)
    return pickle.dumps(value, protocol=5)


class _NoClassUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:  # noqa: D401 - pickle hook
        raise pickle.UnpicklingError(f"refused class lookup {module}.{name} in plain data")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refused persistent id in plain data")


def decode_plain(*, data: bytes) -> Any:
    """Decode bytes from :func:`encode_plain`; any class lookup is refused."""
    return _NoClassUnpickler(io.BytesIO(data)).load()
