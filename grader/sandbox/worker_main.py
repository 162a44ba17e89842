"""The loop that runs inside one worker process (child side of the pool).

Protocol over one duplex ``multiprocessing`` connection:

* worker -> parent, once at start: ``("ready", pid, startup_seconds)`` or
  ``("start_failed", reason)``;
* parent -> worker, per job: bytes from :func:`safe_arguments.encode_arguments`
  of ``(module, qualname, kwargs, memory_mb)``; the worker decodes them with an
  allow-list unpickler and resolves the function by module + qualname;
* worker -> parent, per job: ``("ok", value)``, ``("crashed", reason)`` or
  ``("memory_limit", reason)``.

The parent enforces wall-clock time by killing this process (per step when the job
announces steps, see ``grader.sandbox.steps``); the worker only enforces memory
(``RLIMIT_AS``, soft limit re-set per job).  A worker never outlives its parent: it
asks the kernel for SIGKILL when its parent process (the forkserver, which exits with
the main process) dies, so a runaway check cannot keep running after the run is gone.
"""

from __future__ import annotations

import gc
import importlib
import os
import resource
import signal
import sys
import time
from typing import Any

from grader.sandbox import steps
from grader.sandbox.bounds import exception_reason, short_reason
from grader.sandbox.safe_arguments import decode_arguments

_MB = 1024 * 1024
#: the seconds a call that announced steps may take, after its last one, to send its reply (the first call
#: also settles the collector then): a step of its own, grader.sandbox.steps.replying
REPLY_SECONDS = 10.0
# Keep native libraries single-threaded: fewer threads, less reserved address space.
_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def set_memory_limit(*, memory_mb: int) -> None:
    """Set the soft RLIMIT_AS (hard limit stays as it is; only our code runs here)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = memory_mb * _MB
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (Linux ``prctl``; a no-op where it is missing).

    The parent is the forkserver, which exits once every holder of its "alive" pipe is gone: the main
    process and every process it started, this worker included (multiprocessing hands each one the
    pipe's write end). A worker starts no process, so it lets go of that end: then the forkserver exits
    with the main process, and the kernel kills this worker even in the middle of a runaway check."""
    _release_forkserver_alive_fd()
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _release_forkserver_alive_fd() -> None:
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        try:
            os.close(alive)
        except OSError:
            pass
        server._forkserver_alive_fd = None


#: allocations between young collections (CPython's default is 700): a worker makes and drops many small objects
#: per check, and at the default about 6 % of its time went to the collector (measured with gc.callbacks over
#: 2 000 files), against about 1 % with this and the freezing below
_YOUNG_COLLECTION_EVERY = 20_000


def _settle_collector() -> None:
    """Move what is alive now (the imported modules; after the first call, the run's context that the pool's
    setup installed) out of the collector's view: it lives as long as the worker, and every full collection
    walked it again. (No collection first: it costs ~0.1 s per worker start, and what little garbage the
    imports left is frozen with them.)"""
    gc.freeze()
    gc.set_threshold(_YOUNG_COLLECTION_EVERY, 20, 20)


def _resolve(*, module: str, qualname: str) -> Any:
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _run_job(*, payload: bytes) -> tuple[str, Any]:
    steps.reset()
    try:
        module, qualname, kwargs, memory_mb = decode_arguments(data=payload)
        set_memory_limit(memory_mb=memory_mb)
        fn = _resolve(module=module, qualname=qualname)
        return ("ok", fn(**kwargs))
    except MemoryError as exc:
        return ("memory_limit", short_reason(prefix="MemoryError", text=f": {exc}" if str(exc) else ""))
    except Exception as exc:  # noqa: BLE001 - every failure of a check becomes a CallOutcome
        return ("crashed", exception_reason(exc=exc))


def serve(conn: Any, sys_path: list[str], preload: tuple[str, ...], memory_mb: int, clock: Any = None) -> None:
    """Entry point of a worker process; returns when the parent closes the pipe."""
    started = time.perf_counter()
    die_with_parent()
    steps.attach(clock=clock)
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
    _settle_collector()
    conn.send(("ready", os.getpid(), time.perf_counter() - started))
    first = True
    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        reply = _run_job(payload=payload)
        steps.replying(seconds=REPLY_SECONDS)
        if first:
            first = False
            _settle_collector()
        try:
            conn.send(reply)
        except MemoryError as exc:
            conn.send(("memory_limit", short_reason(prefix="MemoryError while sending the result", text=f": {exc}" if str(exc) else "")))
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable return value
            conn.send(("crashed", short_reason(prefix="crashed: result could not be sent back: ", text=f"{type(exc).__name__}: {exc}")))
        # sent: nothing runs until the next call (the parent must not read the reply's step as the next call's)
        steps.reset()
