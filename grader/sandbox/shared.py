"""A lazily created, process-wide pool with one worker, for simple callers.

Callers that run many checks concurrently should own a :class:`WorkerPool`
with as many workers as threads; ``run_bounded`` serialises on one worker.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import Any

from grader.sandbox.bounds import Bounds, CallOutcome
from grader.sandbox.pool import WorkerPool

_lock = threading.Lock()
_pool: WorkerPool | None = None


def _shared_pool() -> WorkerPool:
    global _pool
    with _lock:
        if _pool is None or _pool.closed:
            _pool = WorkerPool(workers=1)
            atexit.register(_pool.close)
        return _pool


def run_bounded(*, fn: Callable[..., Any], kwargs: dict[str, Any], bounds: Bounds = Bounds()) -> CallOutcome:
    """Run ``fn(**kwargs)`` in the shared one-worker pool under ``bounds``."""
    return _shared_pool().run(fn=fn, kwargs=kwargs, bounds=bounds)


def close_shared_pool() -> None:
    """Kill the shared pool's worker (a later ``run_bounded`` starts a new one)."""
    with _lock:
        if _pool is not None:
            _pool.close()
