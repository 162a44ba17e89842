"""Grade a run's files as tasks on a Dask cluster (the optional ``dask`` extra).

One task grades one file, exactly as the local executor does (:func:`grader.grading.run.grade_entry`): on the
Dask worker, through a pool of the grader's own bounded workers (forkserver processes with ``RLIMIT_AS`` and
kill-on-timeout, each part a bounded step, a killed call graded again part by part), so bounds and results are
the same. The context is sent to every Dask worker once (scattered, broadcast), not with every task; each Dask
worker starts its bounded pool on its first task of the run and closes it at the end of the run.

The task carries the file's path, not its bytes: the Dask workers read the submissions (and import the
assignment's solvers) from the same paths as this process -- on a real cluster, a shared file system.

Nothing here is imported unless the dask executor is chosen.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext
from grader.grading.jobs import install_context
from grader.grading.submission import SubmissionTiming
from grader.results import SubmissionResult
from grader.sandbox import Bounds, WorkerPool
from grader.submissions.listing import Entry

INSTALL_HINT = "pip install -e '.[dask]'"
#: a Dask worker process started by a nanny is a daemon by default, and a daemon may not start the grader's
#: bounded workers; this setting (``DASK_DISTRIBUTED__WORKER__DAEMON=False`` for ``dask worker``) lifts that
NOT_DAEMON = {"distributed.worker.daemon": False}


class DaskMissing(RuntimeError):
    """The dask executor was chosen but dask[distributed] is not installed."""


class DaskUnavailable(RuntimeError):
    """The Dask scheduler given cannot be reached."""


def require_dask() -> None:
    """Raise :class:`DaskMissing` (with the command that installs it) unless dask.distributed imports."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        raise DaskMissing(f"the dask executor needs dask[distributed]: {INSTALL_HINT} ({exc})") from None


# --- on the Dask worker ---------------------------------------------------------------------------------------

_pools: dict[str, WorkerPool] = {}
_pools_lock = threading.Lock()


def _pool_for(*, install: dict[str, Any], part_bounds: Bounds, pool_size: int) -> WorkerPool:
    """This Dask worker's bounded pool for the run (started on its first task), with the run's context
    (``install``: install_context's arguments)."""
    context_id = install["context_id"]
    with _pools_lock:
        pool = _pools.get(context_id)
        if pool is None:
            if multiprocessing.current_process().daemon:
                raise RuntimeError("this Dask worker is a daemon process and cannot start bounded workers: "
                                   "start it with DASK_DISTRIBUTED__WORKER__DAEMON=False")
            install_context(**install)  # re-runs grade in this process
            pool = _pools[context_id] = WorkerPool(workers=pool_size, bounds=part_bounds,
                                                   setup=(install_context, install))
        return pool


def grade_task(entry: Entry, *, context: GradingContext, directory: Path, install: dict[str, Any],
               read_bounds: Bounds, part_bounds: Bounds, context_id: str, cache: bool) -> Any:
    """One file's row (and its reports, when the run streams them), graded on this Dask worker the way the
    local executor grades it: one bounded worker per thread of the Dask worker (tasks running at once)."""
    from distributed import get_worker

    from grader.grading.run import grade_entry

    pool_size = max(1, get_worker().state.nthreads)
    pool = _pool_for(install={**install, "context": context}, part_bounds=part_bounds, pool_size=pool_size)
    return grade_entry(entry=entry, context=context, directory=directory, pool=pool, read_bounds=read_bounds,
                       part_bounds=part_bounds, context_id=context_id, cache=cache)


def close_pool(*, context_id: str) -> bool:
    """End the run on this Dask worker: stop its bounded pool, if it started one."""
    with _pools_lock:
        pool = _pools.pop(context_id, None)
    if pool is not None:
        pool.close()
    return pool is not None


# --- in the main process --------------------------------------------------------------------------------------

@contextlib.contextmanager
def dask_client(*, scheduler: str | None, jobs: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``jobs`` one-thread worker processes
    started here (and closed at the end)."""
    require_dask()
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler)
        except OSError as exc:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    with dask.config.set(NOT_DAEMON):  # also for a worker the nanny restarts during the run
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client


def grade_on_dask(*, entries: list[Entry], context: GradingContext, directory: Path, jobs: int,
                  scheduler: str | None, task: dict, install: dict[str, Any],
                  take: Callable[[Entry, Any], tuple[SubmissionResult, SubmissionTiming] | None]
                  ) -> list[tuple[SubmissionResult, SubmissionTiming] | None]:
    """Every entry graded as a task on the cluster; ``take`` receives each graded entry as it arrives and
    returns what the run keeps of it."""
    from dask.distributed import as_completed

    shipped = {key: value for key, value in install.items() if key != "context"}  # the context goes scattered
    with dask_client(scheduler=scheduler, jobs=jobs) as client:
        shared = client.scatter(context, broadcast=True, hash=False)
        futures = client.map(grade_task, entries, context=shared, directory=directory, install=shipped,
                             pure=False, **task)
        by_future = dict(zip(futures, entries))
        kept = []
        try:
            for future in as_completed(futures):
                entry = by_future[future]
                kept.append(take(entry, _collect(future=future, entry=entry, context=context)))
                future.release()
        finally:
            client.run(close_pool, context_id=task["context_id"])
        return kept


def _collect(*, future: Any, entry: Entry, context: GradingContext) -> Any:
    """The task's row; a task that failed (its Dask worker lost, say) still gets a row with the reason."""
    from grader.grading.run import internal_error_row

    try:
        return future.result()
    except Exception as exc:
        return internal_error_row(entry=entry, context=context, exc=exc), SubmissionTiming(), None
