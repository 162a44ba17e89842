"""Bounded execution: run checks in worker processes with time and memory limits.

Public API: :class:`Bounds`, :class:`CallOutcome`, :class:`WorkerPool`,
:func:`run_bounded`.  See ``grader/sandbox/pool.py`` for the design.
"""

from grader.sandbox.bounds import Bounds, CallOutcome
from grader.sandbox.safe_arguments import ArgumentNotAllowedError
from grader.sandbox.pool import WorkerPool
from grader.sandbox.shared import close_shared_pool, run_bounded
from grader.sandbox.steps import step

__all__ = ["Bounds", "CallOutcome", "WorkerPool", "run_bounded", "close_shared_pool", "ArgumentNotAllowedError", "step"]
