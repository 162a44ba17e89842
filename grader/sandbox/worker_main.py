"""The loop that runs inside one worker process (child side of the pool).

Protocol over one duplex ``multiprocessing`` connection:

* worker -> parent, once at start: ``("ready", pid, startup_seconds)`` or
  ``("start_failed", reason)``;
* parent -> worker, per job: bytes from :func:`safe_arguments.encode_arguments`
  of ``(module, qualname, kwargs, memory_mb)``; the worker decodes them with an
  allow-list unpickler and resolves the function by module + qualname;
* worker -> parent, per job: ``("ok", value)``, ``("crashed", reason)`` or
  ``("memory_limit", reason)``.

The parent enforces wall-clock time by killing this process; the worker only
enforces memory (``RLIMIT_AS``, soft limit re-set per job).
"""

from __future__ import annotations

import importlib
import os
import resource
import signal
import sys
import time
from typing import Any

from grader.sandbox.bounds import exception_reason, short_reason
from grader.sandbox.safe_arguments import decode_arguments

_MB = 1024 * 1024
# Keep native libraries single-threaded: fewer threads, less reserved address space.
_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def set_memory_limit(*, memory_mb: int) -> None:
    """Set the soft RLIMIT_AS (hard limit stays as it is; only our code runs here)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = memory_mb * _MB
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _resolve(*, module: str, qualname: str) -> Any:
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _run_job(*, payload: bytes) -> tuple[str, Any]:
    try:
        module, qualname, kwargs, memory_mb = decode_arguments(data=payload)
        set_memory_limit(memory_mb=memory_mb)
        fn = _resolve(module=module, qualname=qualname)
        return ("ok", fn(**kwargs))
    except MemoryError as exc:
        return ("memory_limit", short_reason(prefix="MemoryError", text=f": {exc}" if str(exc) else ""))
    except Exception as exc:  # noqa: BLE001 - every failure of a check becomes an Outcome
        return ("crashed", exception_reason(exc=exc))


def serve(conn: Any, sys_path: list[str], preload: tuple[str, ...], memory_mb: int) -> None:
    """Entry point of a worker process; returns when the parent closes the pipe."""
    started = time.perf_counter()
    # Ctrl-C goes to the whole process group; the parent decides what to kill.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in _THREAD_ENV:
        os.environ.setdefault(name, "1")
    for entry in reversed(sys_path):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    try:
        for module in preload:
            importlib.import_module(module)
        set_memory_limit(memory_mb=memory_mb)
    except BaseException as exc:  # noqa: BLE001 - report, then exit
        conn.send(("start_failed", exception_reason(exc=exc)))
        conn.close()
        return
    conn.send(("ready", os.getpid(), time.perf_counter() - started))
    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        reply = _run_job(payload=payload)
        try:
            conn.send(reply)
        except MemoryError as exc:
            conn.send(("memory_limit", short_reason(prefix="MemoryError while sending the result", text=f": {exc}" if str(exc) else "")))
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable return value
            conn.send(("crashed", short_reason(prefix="crashed: result could not be sent back: ", text=f"{type(exc).__name__}: {exc}")))
