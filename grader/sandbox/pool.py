"""A pool of persistent worker processes that run checks under time and memory bounds.

Each worker is started once (``forkserver`` start method, so it never inherits
the parent's threads or locks) and reused for many calls.  A call that exceeds
its wall-clock seconds gets its worker killed (SIGTERM, then SIGKILL) by the
parent thread that waits for it -- no SIGALRM, so this works from any thread --
and the slot starts a replacement worker at once.  Memory is bounded inside the
worker with ``RLIMIT_AS``; a ``MemoryError`` there becomes ``memory_limit``.

A call may announce steps (:func:`grader.sandbox.steps.step`), each with its own
seconds: the parent then kills the worker as soon as the running step overruns,
and ``total_seconds`` caps the whole call.  ``setup`` is a call every worker runs
once before its first job (and every replacement worker too): the way to hand all
workers the same read-only state, encoded once.

``workers=0`` runs calls in-process without isolation (debugging/tests):
exceptions still become CallOutcomes, but time and memory limits are NOT enforced.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from grader.sandbox.bounds import Bounds, CallOutcome, exception_reason, short_reason
from grader.sandbox.safe_arguments import encode_arguments
from grader.sandbox.steps import SLOTS, current_step
from grader.sandbox.worker_main import serve

START_METHOD = "forkserver"
STARTUP_TIMEOUT_SECONDS = 120.0
_TERMINATE_GRACE_SECONDS = 0.2
#: how often the parent looks at the running step of a call that announces steps (a later step may
#: have less time than the one it waited for)
STEP_POLL_SECONDS = 0.1


def _function_address(*, fn: Callable[..., Any]) -> tuple[str, str]:
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", None)
    if not callable(fn) or not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        raise TypeError(f"fn must be a module-level function importable by name, got {fn!r}")
    return module, qualname


def _death_outcome(*, exitcode: int | None, bounds: Bounds, elapsed: float, sent: bool = False) -> CallOutcome:
    """What the death of a worker in the middle of a call says; ``sent``: the grader itself signalled it (its
    pipe broke while it was alive). A time limit never gets here (the caller reports it); a memory limit inside
    the worker is a MemoryError, reported by the worker; a SIGKILL the grader did not send is not assumed to be
    memory: it is said as it is."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if sent:
            return CallOutcome(status="crashed", value=None, elapsed=elapsed,
                           error=f"crashed: the worker stopped answering and the grader stopped it ({name})")
        if -exitcode == signal.SIGKILL:
            return CallOutcome(status="crashed", value=None, elapsed=elapsed,
                           error="crashed: worker killed by SIGKILL, which the grader did not send (the system's "
                                 f"out-of-memory killer or another process; {bounds.memory_reason()} was not reached "
                                 "inside the worker)")
        return CallOutcome(status="crashed", value=None, error=f"crashed: worker died ({name})", elapsed=elapsed)
    return CallOutcome(status="crashed", value=None, error=f"crashed: worker exited (code {exitcode})", elapsed=elapsed)


class _Slot:
    """One worker process and its pipe; replaced whenever the worker is killed."""

    def __init__(self, *, context: Any, preload: tuple[str, ...], memory_mb: int, setup: bytes | None = None) -> None:
        self._context = context
        self._preload = preload
        self._memory_mb = memory_mb
        self._setup = setup
        self.process: Any = None
        self.conn: Any = None
        self.clock: Any = None
        self.ready = False
        self.startup_seconds: float | None = None
        self.start_error: str | None = None
        self.signalled = False

    def start(self) -> None:
        parent_conn, child_conn = self._context.Pipe(duplex=True)
        self.clock = self._context.RawArray("d", SLOTS)
        process = self._context.Process(
            target=serve,
            args=(child_conn, list(sys.path), self._preload, self._memory_mb, self.clock),
            daemon=True,
            name="grader-sandbox-worker",
        )
        process.start()
        child_conn.close()
        self.process, self.conn, self.ready, self.start_error = process, parent_conn, False, None

    def wait_ready(self) -> bool:
        """Block until the worker reported ready; False (and start_error) if it failed."""
        if self.ready:
            return True
        if self.process is None:
            self.start()
        try:
            if not self.conn.poll(STARTUP_TIMEOUT_SECONDS):
                self.start_error = f"crashed: worker did not start within {STARTUP_TIMEOUT_SECONDS:g} s"
            else:
                message = self.conn.recv()
                if message[0] == "ready":
                    self.start_error = self._run_setup()
                    if self.start_error is None:
                        self.ready, self.startup_seconds = True, message[2]
                        return True
                else:
                    self.start_error = f"crashed: worker failed to start ({message[1]})"
        except (EOFError, OSError):
            self.start_error = "crashed: worker died while starting"
        self.kill()
        return False

    def _run_setup(self) -> str | None:
        """Run the pool's setup call in the fresh worker; the reason it failed, or None."""
        if self._setup is None:
            return None
        self.conn.send_bytes(self._setup)
        if not self.conn.poll(STARTUP_TIMEOUT_SECONDS):
            return f"crashed: worker setup did not finish within {STARTUP_TIMEOUT_SECONDS:g} s"
        status, detail = self.conn.recv()
        return None if status == "ok" else f"crashed: worker setup failed ({detail})"

    def kill(self) -> int | None:
        """Stop the worker (SIGTERM, then SIGKILL), reap it and close the pipe."""
        process, conn = self.process, self.conn
        self.process, self.conn, self.ready = None, None, False
        exitcode = None
        self.signalled = False  # whether this kill sent a signal (the worker was still alive)
        if process is not None:
            if process.is_alive():
                self.signalled = True
                process.terminate()
                process.join(_TERMINATE_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
            process.join()
            exitcode = process.exitcode
            process.close()
        if conn is not None:
            conn.close()
        return exitcode

    def wait_exit(self, *, seconds: float) -> None:
        process = self.process
        if process is not None:
            process.join(seconds)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


class WorkerPool:
    """Persistent worker processes running ``fn(**kwargs)`` under :class:`Bounds`.

    Thread-safe: ``run`` blocks until a worker is free.  Use as a context
    manager (or call :meth:`close`); closing kills and reaps every worker.
    ``workers=0`` runs in-process without isolation: time and memory limits
    are then NOT enforced (exceptions are still caught into CallOutcomes).
    """

    def __init__(self, *, workers: int = 1, bounds: Bounds = Bounds(), preload: Iterable[str] = (),
                 setup: tuple[Callable[..., Any], dict[str, Any]] | None = None) -> None:
        if workers < 0:
            raise ValueError(f"workers must be >= 0, got {workers}")
        self.workers = workers
        self.bounds = bounds
        self.preload = tuple(preload)
        self._closed = False
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self._idle: queue.Queue[_Slot] = queue.Queue()
        setup_payload = None
        if setup is not None:
            fn, kwargs = setup
            module, qualname = _function_address(fn=fn)
            setup_payload = encode_arguments(value=(module, qualname, kwargs, bounds.memory_mb))
            if not workers:
                fn(**kwargs)
        if workers:
            context = multiprocessing.get_context(START_METHOD)
            for _ in range(workers):
                slot = _Slot(context=context, preload=self.preload, memory_mb=bounds.memory_mb, setup=setup_payload)
                slot.start()
                self._slots.append(slot)
                self._idle.put(slot)

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill and reap all workers (idempotent). Calls in flight return 'crashed'."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for slot in self._slots:
                slot.kill()

    def _replace(self, slot: _Slot) -> int | None:
        """Kill the slot's worker and start a new one unless the pool is closing; returns the old exit code."""
        with self._lock:
            exitcode = slot.kill()
            if not self._closed:
                slot.start()
            return exitcode

    @property
    def closed(self) -> bool:
        return self._closed

    def worker_pids(self) -> list[int]:
        """PIDs of the currently started workers (for tests and diagnostics)."""
        return [pid for pid in (slot.pid for slot in self._slots) if pid is not None]

    def wait_ready(self) -> list[float]:
        """Block until every idle worker is ready; returns their start-up seconds."""
        slots = []
        while True:
            try:
                slots.append(self._idle.get_nowait())
            except queue.Empty:
                break
        try:
            for slot in slots:
                slot.wait_ready()
            return [slot.startup_seconds for slot in slots if slot.startup_seconds is not None]
        finally:
            for slot in slots:
                self._idle.put(slot)

    # -- running -----------------------------------------------------------
    def run(self, *, fn: Callable[..., Any], kwargs: dict[str, Any], bounds: Bounds | None = None,
            total_seconds: float | None = None) -> CallOutcome:
        """Run ``fn(**kwargs)`` in a worker; never raises for failures of ``fn`` itself.

        ``bounds.seconds`` bounds the whole call, or each step the call announces
        (``grader.sandbox.steps.step(seconds=...)`` bounds a step by its own seconds);
        ``total_seconds`` (default: no cap beyond the steps') caps the whole call.

        Raises TypeError if ``fn`` is not a module-level function,
        ArgumentNotAllowedError (a TypeError) if ``kwargs`` holds values a worker
        refuses to unpickle (see ``safe_arguments``), RuntimeError if closed.
        """
        bounds = bounds or self.bounds
        module, qualname = _function_address(fn=fn)
        if type(kwargs) is not dict:
            raise TypeError(f"kwargs must be a dict, got {type(kwargs).__name__}")
        if self._closed:
            raise RuntimeError("WorkerPool is closed")
        payload = encode_arguments(value=(module, qualname, kwargs, bounds.memory_mb))
        if self.workers == 0:
            return _run_in_process(fn=fn, kwargs=kwargs, bounds=bounds)
        slot = self._idle.get()
        try:
            return self._run_on(slot=slot, payload=payload, bounds=bounds, total_seconds=total_seconds)
        finally:
            self._idle.put(slot)

    def _run_on(self, *, slot: _Slot, payload: bytes, bounds: Bounds, total_seconds: float | None) -> CallOutcome:
        if self._closed:
            raise RuntimeError("WorkerPool is closed")
        if not slot.wait_ready():
            error = slot.start_error
            self._replace(slot)
            return CallOutcome(status="crashed", value=None, error=error, elapsed=0.0)
        conn, clock = slot.conn, slot.clock  # local: close() from another thread may clear slot.conn
        started = time.perf_counter()
        try:
            conn.send_bytes(payload)
            overrun = _wait_for_reply(conn=conn, clock=clock, bounds=bounds, total_seconds=total_seconds)
            if overrun is None:
                message = conn.recv()
            else:
                elapsed = time.perf_counter() - started
                self._replace(slot)
                return CallOutcome(status="time_limit", value=None, error=overrun, elapsed=elapsed)
        except (EOFError, OSError):
            elapsed = time.perf_counter() - started
            if self._closed:
                return CallOutcome(status="crashed", value=None, error="crashed: pool closed", elapsed=elapsed)
            slot.wait_exit(seconds=_TERMINATE_GRACE_SECONDS)  # a dying worker closes its pipe before it exits
            exitcode = self._replace(slot)
            return _death_outcome(exitcode=exitcode, bounds=bounds, elapsed=elapsed, sent=slot.signalled)
        except BaseException:
            # KeyboardInterrupt (or similar) while a job runs: the worker's state
            # is unknown, so kill it; replace it only if the pool stays open.
            self._replace(slot)
            raise
        elapsed = time.perf_counter() - started
        status, detail = message
        if status == "ok":
            return CallOutcome(status="ok", value=detail, error=None, elapsed=elapsed)
        if status == "memory_limit":
            return CallOutcome(status="memory_limit", value=None, error=f"{bounds.memory_reason()}: {detail}", elapsed=elapsed)
        return CallOutcome(status="crashed", value=None, error=detail, elapsed=elapsed)


def _wait_for_reply(*, conn: Any, clock: Any, bounds: Bounds, total_seconds: float | None) -> str | None:
    """Wait until the worker replies (None) or a limit passes (its reason): the running step's own
    seconds when the call announces steps, else ``bounds.seconds``; and ``total_seconds`` for the call."""
    started = time.monotonic()
    cap = started + total_seconds if total_seconds is not None else float("inf")
    while True:
        running = current_step(clock=clock)
        if running is None:
            limit, reason = min(cap, started + bounds.seconds), bounds.time_reason()
        else:
            step_started, step_seconds, number = running
            limit, reason = step_started + step_seconds, _step_reason(seconds=step_seconds, number=number)
            if cap < limit:
                limit, reason = cap, f"time limit of the whole call ({total_seconds:g} s)"
        left = limit - time.monotonic()
        if left <= 0:
            # a reply that came as the limit passed is the call's (this thread may have woken late)
            return None if conn.poll(0) else reason
        if conn.poll(left if total_seconds is None else min(left, STEP_POLL_SECONDS)):
            return None


def _step_reason(*, seconds: float, number: int) -> str:
    if number < 0:
        return f"time limit ({seconds:g} s) of sending the reply after step {-number}"
    return f"time limit ({seconds:g} s) of step {number}"


def _run_in_process(*, fn: Callable[..., Any], kwargs: dict[str, Any], bounds: Bounds) -> CallOutcome:
    started = time.perf_counter()
    try:
        value = fn(**kwargs)
    except MemoryError as exc:
        reason = short_reason(prefix=f"{bounds.memory_reason()}: MemoryError", text=f": {exc}" if str(exc) else "")
        return CallOutcome(status="memory_limit", value=None, error=reason, elapsed=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - every failure of a check becomes a CallOutcome
        return CallOutcome(status="crashed", value=None, error=exception_reason(exc=exc), elapsed=time.perf_counter() - started)
    return CallOutcome(status="ok", value=value, error=None, elapsed=time.perf_counter() - started)


class PoolOnDemand:
    """A :class:`WorkerPool` started on its first call (``WorkerPool``'s arguments): a run whose every file is
    reused from an earlier one (grader/reports/file_cache.py) starts no worker at all."""

    def __init__(self, **arguments: Any) -> None:
        self._arguments = arguments
        self._pool: WorkerPool | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> PoolOnDemand:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _started(self) -> WorkerPool:
        with self._lock:
            if self._closed:
                raise RuntimeError("WorkerPool is closed")
            if self._pool is None:
                self._pool = WorkerPool(**self._arguments)
            return self._pool

    def run(self, **kwargs: Any) -> CallOutcome:
        return self._started().run(**kwargs)

    def close(self) -> None:
        with self._lock:
            self._closed, pool = True, self._pool
        if pool is not None:
            pool.close()
