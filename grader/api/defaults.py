"""Every run option's default and bounds, written once.

Plain values, no imports: the ``grade`` command's options (whose ``--help`` must stay light) and the
sandbox's :class:`~grader.sandbox.bounds.Bounds` read them here, and :class:`grader.api.RunOptions`
(the validated model; see its fields for what each option means) takes its defaults and ranges from them.
"""

from __future__ import annotations

from pathlib import Path

JOBS = 1
JOBS_MIN, JOBS_MAX = 1, 64
PART_SECONDS = 10.0
PART_SECONDS_MIN = 0.1
READ_SECONDS = 30.0
MEMORY_MB = 1536
MEMORY_MB_MIN = 128
CACHE = True
EXECUTOR = "local"
EXECUTORS = ("local", "dask")
SCHEDULER: str | None = None
ISOLATE = True

#: the command's folders when none is given (grader.grade takes ``problems`` always, ``out`` or this)
PROBLEMS = Path("problems")
OUT = Path("reports")
