"""The options of a grading run, validated once, with every default written once (here)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from grader.sandbox.bounds import Bounds

Executor = Literal["local", "dask"]


class RunOptions(BaseModel):
    """How a run grades (not what: the submissions, problems and output folder are :func:`grader.grade`'s own
    arguments). Frozen and strict about names: a misspelt option is an error naming it, never silently ignored.

    The sandbox's :class:`~grader.sandbox.bounds.Bounds` holds the two bounds' defaults (the sandbox is used
    without a run too, by the authoring tools, and stays free of this module); every other default is here,
    and ``grade``, :func:`grader.grading.run.grade_directory_with_stats` and the ``grade`` command take theirs
    from these fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    jobs: int = Field(default=1, ge=1, le=64, description="Worker processes (with dask: of a local cluster).")
    part_seconds: float = Field(default=Bounds.seconds, ge=0.1, description="Seconds one part's check may take.")
    read_seconds: float = Field(default=30.0, gt=0, description="Seconds reading one file may take (at least "
                                                                 "part_seconds).")
    memory_mb: int = Field(default=Bounds.memory_mb, ge=128, description="Memory limit of a worker, MB.")
    cache: bool = Field(default=True, description="Reuse the verdict of an answer another student wrote the same "
                                                  "way (False: check every answer again).")
    executor: Executor = Field(default="local", description="local (this machine's workers) or dask (a Dask "
                                                            "cluster; needs the dask extra).")
    scheduler: str | None = Field(default=None, description="With executor='dask': the scheduler's address "
                                                            "(None: a local cluster of `jobs` workers).")
    isolate: bool = Field(default=True, description="Check in bounded worker processes (False: in this process, "
                                                    "unbounded; tests and debugging, local executor only).")

    @model_validator(mode="after")
    def _executor_fits(self) -> RunOptions:
        if self.scheduler is not None and self.executor != "dask":
            raise ValueError("scheduler is only for executor='dask'")
        if self.executor == "dask" and not self.isolate:
            raise ValueError("isolate=False is for executor='local' only (dask always grades in bounded workers)")
        return self

    def grading_arguments(self) -> dict[str, object]:
        """The keyword arguments of :func:`grader.grading.run.grade_directory_with_stats` these options set."""
        return self.model_dump()


#: the defaults, for signatures that keep keyword arguments (grader.grading.run)
DEFAULTS = RunOptions()
EXECUTORS: tuple[str, ...] = Executor.__args__
