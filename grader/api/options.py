"""The options of a grading run as one frozen, validated model (their defaults: grader.api.defaults)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from grader.api import defaults as D
from grader.strict_model import StrictModel

Executor = Literal["local", "dask"]  # grader.api.defaults.EXECUTORS (a test keeps them the same)


class RunOptions(StrictModel):
    """How a run grades (not what: the submissions, problems and output folder are :func:`grader.grade`'s own
    arguments). Frozen and strict about names: a misspelt option is an error naming it, never silently ignored.

    The defaults and ranges are :mod:`grader.api.defaults`' values (plain, so that ``grade --help`` and the
    sandbox read them without this module); :func:`grader.grading.run.grade_directory_with_stats` takes its
    keyword defaults from :data:`DEFAULTS`."""

    jobs: int = Field(default=D.JOBS, ge=D.JOBS_MIN, le=D.JOBS_MAX,
                      description="Worker processes (with dask and no scheduler: the local cluster's).")
    part_seconds: float = Field(default=D.PART_SECONDS, ge=D.PART_SECONDS_MIN,
                                description="Seconds one part's check may take.")
    read_seconds: float = Field(default=D.READ_SECONDS, gt=0,
                                description="Seconds reading one file may take (never less than part_seconds).")
    memory_mb: int = Field(default=D.MEMORY_MB, ge=D.MEMORY_MB_MIN, description="Memory limit of a worker, MB.")
    cache: bool = Field(default=D.CACHE, description="Reuse the verdict of an answer another student wrote the "
                                                     "same way (False: check every answer again).")
    executor: Executor = Field(default=D.EXECUTOR, description="local (this machine's workers) or dask (a Dask "
                                                               "cluster; needs the dask extra).")
    scheduler: str | None = Field(default=D.SCHEDULER, description="With executor='dask': the scheduler's "
                                                                   "address (None: a local cluster).")
    isolate: bool = Field(default=D.ISOLATE, description="Check in bounded worker processes (False: in this "
                                                         "process, unbounded; tests and debugging, local only).")

    @model_validator(mode="after")
    def _executor_fits(self) -> RunOptions:
        if self.scheduler is not None and self.executor != "dask":
            raise ValueError("scheduler is only for executor='dask'")
        if self.executor == "dask" and not self.isolate:
            raise ValueError("isolate=False is for executor='local' only (dask always grades in bounded workers)")
        return self

    def grading_arguments(self) -> dict[str, Any]:
        """The keyword arguments of :func:`grader.grading.run.grade_directory_with_stats` these options set."""
        return self.model_dump()


#: the defaults, for signatures that keep keyword arguments (grader.grading.run)
DEFAULTS = RunOptions()
EXECUTORS = D.EXECUTORS
