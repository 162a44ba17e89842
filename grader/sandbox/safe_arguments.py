"""Encode call arguments for a worker, and decode them there with a class allow-list.

Arguments sent to a worker can be derived from submission text, so the worker
never runs an unrestricted unpickler on them.  Its unpickler refuses every
global lookup except:

* classes (never functions) defined in our own package ``grader.*`` -- e.g.
  ``PartInput`` or frozen result dataclasses, whose fields are plain values;
* a short list of value types from the standard library and NumPy
  (:data:`ALLOWED_GLOBALS`): ``Fraction``, ``Decimal``, ``PosixPath``,
  ``set``/``frozenset``/``complex``, NumPy arrays, dtypes and scalars.

Plain data (str, bytes, int, float, bool, None in lists, tuples and dicts)
needs no global lookup at all.  The parent decodes each payload once with the
same unpickler before sending it, so a disallowed argument raises
:class:`ArgumentNotAllowedError` in the caller with a clear message instead of
failing inside the worker.
"""

from __future__ import annotations

import importlib
import io
import pickle  # noqa: S403 - between our own processes, loaded by the allow-list unpickler below
import sys
from typing import Any

OUR_PACKAGE = "grader"

ALLOWED_GLOBALS: frozenset[tuple[str, str]] = frozenset(
    {
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "complex"),
        ("builtins", "bytearray"),
        ("builtins", "slice"),
        ("collections", "OrderedDict"),
        ("fractions", "Fraction"),
        ("decimal", "Decimal"),
        ("pathlib", "PosixPath"),
        ("pathlib", "PurePosixPath"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy._core.numeric", "_frombuffer"),
    }
)


class ArgumentNotAllowedError(TypeError):
    """An argument would need a global lookup outside the allow-list (see module docstring)."""


#: the globals this process's unpicklers were allowed to load, by (module, name): every payload names the same few
#: classes again, and resolving each one (import_module, the checks) was half of decoding a job's arguments
_allowed: dict[tuple[str, str], Any] = {}


class _AllowListUnpickler(pickle.Unpickler):  # noqa: S301 - the allow-list unpickler: find_class refuses every global not listed
    def find_class(self, module: str, name: str) -> Any:
        found = _allowed.get((module, name))
        if found is None:
            found = _allowed[(module, name)] = self._allowed_class(module, name)
        return found

    def _allowed_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if (module == OUR_PACKAGE or module.startswith(OUR_PACKAGE + ".")) and "." not in name:
            # Only modules that are already importable by name, only classes.
            target = getattr(importlib.import_module(module), name, None)
            if isinstance(target, type):
                return target
        raise ArgumentNotAllowedError(
            f"argument needs {module}.{name}, which workers refuse to unpickle "
            f"(allowed: plain data, classes from {OUR_PACKAGE}.*, and sandbox.safe_arguments.ALLOWED_GLOBALS)"
        )

    def persistent_load(self, pid: Any) -> Any:
        raise ArgumentNotAllowedError("persistent ids are not allowed in arguments")


def decode_arguments(*, data: bytes) -> Any:
    """Decode bytes from :func:`encode_arguments`; refuses globals outside the allow-list."""
    return _AllowListUnpickler(io.BytesIO(data)).load()


def encode_arguments(*, value: Any) -> bytes:
    """Pickle ``value`` and check, by decoding it the worker's way, that a worker will accept it."""
    try:
        data = pickle.dumps(value, protocol=5)
    except RecursionError:
        raise ArgumentNotAllowedError(
            f"argument is nested too deeply (recursion limit {sys.getrecursionlimit()})"
        ) from None
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        raise ArgumentNotAllowedError(f"argument cannot be pickled: {type(exc).__name__}: {exc}") from None
    decode_arguments(data=data)
    return data
