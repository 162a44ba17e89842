"""Grade every file in a folder, in parallel, with bounded workers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import threading
import time
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.api.options import DEFAULTS, EXECUTORS
from grader.grading.context import GradingContext
from grader.grading.duplicates import flag_duplicate_ids
from grader.grading.entries import unreadable_row, with_shown_names
from grader.grading.jobs import install_context
from grader.grading.submission import SubmissionTiming, grade_submission
from grader.results import RunResult, SubmissionResult
from grader.review.groups import with_groups
from grader.sandbox import Bounds, WorkerPool
from grader.sandbox.pool import PoolOnDemand
from grader.submissions.listing import Entry, ReadableFile, UnreadableEntry, list_submissions, shown_name

if TYPE_CHECKING:
    from grader.reports.streamed import ReportStream

#: the defaults' one home is grader.api.options.RunOptions; these names are kept for callers
DEFAULT_PART_SECONDS = DEFAULTS.part_seconds
DEFAULT_READ_SECONDS = DEFAULTS.read_seconds
DEFAULT_MEMORY_MB = DEFAULTS.memory_mb


def submission_files(*, directory: Path) -> list[Path]:
    """The path of every entry below ``directory`` that gets a row (grader.submissions.listing), sorted."""
    return [entry.path for entry in list_submissions(directory=directory)]


def _store(*, context: GradingContext) -> str | None:
    from grader.grading.verdict_store import store_path

    path = store_path(assignment=context.loaded or context.assignment)
    return None if path is None else str(path)


@dataclass(frozen=True)
class RunStats:
    """Measurements of a run, kept out of the (reproducible) results."""

    seconds: float
    slowest: SubmissionTiming
    peak_worker_mb: float | None
    #: files whose reports were reused from an earlier run, unchanged (grader/reports/file_cache.py)
    reused: int = 0
    #: files graded by an earlier run whose decisions changed: not graded again, their reports made again
    redecided: int = 0


def grade_directory(*, context: GradingContext, directory: Path, **options) -> RunResult:
    """Grade every file below ``directory``; see :func:`grade_directory_with_stats` for the options."""
    return grade_directory_with_stats(context=context, directory=directory, **options)[0]


#: what the run keeps of a graded entry: its row and timing (None: a streamed run keeps nothing)
Kept = tuple[SubmissionResult, SubmissionTiming] | None

#: one graded entry: its row, the timing of its slowest check, and its reports when the grading process made them
Graded = tuple[SubmissionResult, SubmissionTiming, Any]


def grade_directory_with_stats(
    *, context: GradingContext, directory: Path, jobs: int = DEFAULTS.jobs,
    part_seconds: float = DEFAULTS.part_seconds, read_seconds: float = DEFAULTS.read_seconds,
    memory_mb: int = DEFAULTS.memory_mb, isolate: bool = DEFAULTS.isolate,
    on_progress: Callable[[SubmissionResult], None] | None = None, cache: bool = DEFAULTS.cache,
    executor: str = DEFAULTS.executor, scheduler: str | None = DEFAULTS.scheduler, stream: ReportStream | None = None,
    entries: list[Entry] | None = None,
) -> tuple[RunResult, RunStats]:
    """Grade every file (the options are grader.api.RunOptions' fields, unvalidated here; their defaults are its
    own); ``isolate=False`` runs checks in this process, unbounded (tests, debugging);
    ``cache=False`` checks every part again even when another student answered it the same way;
    ``executor="dask"`` grades each file as a task on a Dask cluster (``scheduler``: its address; none: a local
    cluster of ``jobs`` workers), each Dask worker with bounded workers of its own (grader/grading/executors.py).

    ``stream``: the run's report set, written as each file's result arrives (each file's reports are made by the
    process that graded it); the run then holds no submission (the stream keeps them on disk) and is returned
    as its header (``stream.finish`` adds its groups and stale entries and writes the class reports).
    Without it the run holds every submission whole, with its groups and duplicate ids.
    ``entries``: the folder's listing (grader.submissions.listing.list_submissions), when the caller has it."""
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if executor == "dask" and not isolate:
        raise ValueError("the dask executor always grades in bounded workers (isolate=False is local only)")
    directory = Path(directory)
    # every entry: a file to grade, or one with a reason
    files = list_submissions(directory=directory) if entries is None else entries
    part_bounds = Bounds(seconds=part_seconds, memory_mb=memory_mb)
    read_bounds = Bounds(seconds=max(read_seconds, part_seconds), memory_mb=memory_mb)
    start = time.perf_counter()
    timings = _Timings()
    if stream is not None and stream.reused_whole(entries=files, on_progress=on_progress):
        timings.reused = len(files)  # every file unchanged: an earlier run's whole set, nothing graded or made
        return _run_of(context=context, kept=[], start=start, isolate=isolate, whole=False, timings=timings)
    install = _installed(context=context, cache=cache, stream=stream, executor=executor)
    task = {"read_bounds": read_bounds, "part_bounds": part_bounds, "context_id": install["context_id"],
            "cache": cache}

    # a Dask worker grades a file whose decisions changed again (it is not handed the kept result): none is held
    reused = _Reuser(stream=stream, timings=timings, on_progress=on_progress, keep_known=executor != "dask")

    def take(entry: Entry, graded: Graded) -> Kept:
        kept = _kept(entry=entry, graded=graded, context=context, stream=stream)
        if on_progress is not None:
            on_progress(kept)
        timings.add(graded[1])
        # the run keeps the slowest check and the peak, not a timing per file; a streamed run keeps no file
        return (kept, _NO_TIMING) if stream is None else None

    if executor == "dask":  # imported only when chosen: dask is an optional extra
        from grader.grading.executors import grade_on_dask

        todo = [entry for entry in files if not reused(entry)]  # no cluster is started when every file is reused
        kept = grade_on_dask(entries=todo, context=context, directory=directory, jobs=max(1, jobs),
                             scheduler=scheduler, task=task, install=install, take=take) if todo else []
    else:
        kept = _grade_here(entries=files, context=context, directory=directory, jobs=jobs, isolate=isolate,
                           setup=(install_context, install), task=task, take=take, reused=reused,
                           stems=stream.stems if stream is not None else {})
    return _run_of(context=context, kept=kept, start=start, isolate=isolate, whole=stream is None, timings=timings)


_NO_TIMING = SubmissionTiming()


def _installed(*, context: GradingContext, cache: bool, stream: ReportStream | None, executor: str) -> dict[str, Any]:
    """The run's context installed in this process (which grades too, on re-runs), and the same call's arguments
    for every worker: the context is built once (by the caller) and handed to each as it starts, encoded once."""
    context_id = f"{context.assignment.id}/{uuid.uuid4().hex}"
    store = _store(context=context) if cache else None
    spec = stream.spec if stream is not None else None
    if spec is not None and executor == "dask":  # a cluster's workers need not see this machine's folders
        spec = replace(spec, out_dir=None)
    install: dict[str, Any] = {"context_id": context_id, "context": context, "store": store, "report": spec}
    install_context(**install)
    return install


class _Reuser:
    """What an earlier run kept of each entry (grader/reports/file_cache.py): called with an entry (in the thread
    that dispatches them), whether the stream reused its share of the report set whole (then it needs no
    grading); :meth:`known` gives the result an earlier run graded of an entry whose decisions changed since
    (then only its reports are made again)."""

    def __init__(self, *, stream: ReportStream | None, timings: _Timings,
                 on_progress: Callable[[SubmissionResult], None] | None, keep_known: bool = True) -> None:
        self._stream, self._timings, self._on_progress = stream, timings, on_progress
        self._keep_known = keep_known
        self._known: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __call__(self, entry: Entry) -> bool:
        from grader.reports.file_record import Known

        stream = self._stream
        hit = stream.reused(where=entry.where, shown=entry.shown) \
            if stream is not None and isinstance(entry, ReadableFile) else None
        if isinstance(hit, Known):
            if self._keep_known:
                with self._lock:
                    self._known[entry.shown] = hit.graded
            return False
        if hit is None:
            return False
        self._timings.reused += 1
        if self._on_progress is not None:
            self._on_progress(hit.slim_result())
        return True

    def known(self, entry: Entry) -> bytes | None:
        """The entry's result as an earlier run graded it (packed JSON), when its decisions changed since."""
        with self._lock:
            return self._known.pop(entry.shown, None)


class _Timings:
    """The slowest check and the largest peak memory of a run, kept as the files arrive (from any thread)."""

    def __init__(self) -> None:
        self.slowest, self.peak = SubmissionTiming(), 0.0
        self.reused = self.redecided = 0
        self._lock = threading.Lock()

    def add(self, timing: SubmissionTiming) -> None:
        with self._lock:
            self.redecided += timing.redecided
            if timing.seconds > self.slowest.seconds:
                self.slowest = timing
            self.peak = max(self.peak, timing.peak_mb)


def _run_of(*, context: GradingContext, kept: list[Kept], start: float,
            isolate: bool, whole: bool, timings: _Timings) -> tuple[RunResult, RunStats]:
    stats = RunStats(seconds=time.perf_counter() - start, slowest=timings.slowest,
                     peak_worker_mb=timings.peak if isolate else None, reused=timings.reused,
                     redecided=timings.redecided)
    run = RunResult.of(assignment=context.assignment,
                       submissions=sorted((entry[0] for entry in kept if entry is not None), key=lambda r: r.file))
    return (with_groups(flag_duplicate_ids(run)) if whole else run), stats


def _kept(*, entry: Entry, graded: Graded, context: GradingContext, stream: ReportStream | None) -> SubmissionResult:
    """What the run keeps of a graded entry: the result, or, when it streams its reports, the slim copy the
    stream returns once it has written the file's reports (a file whose reports cannot be made gets a row
    saying why; a file-system error stops the run)."""
    result, timing, report = graded
    if stream is None:
        return result
    try:
        return stream.add(result, report, whole=not timing.isolated)
    except OSError:
        raise
    except Exception as exc:
        return stream.add(internal_error_row(entry=entry, context=context, exc=exc))


def grade_entry(*, entry: Entry, context: GradingContext, directory: Path, pool: WorkerPool | PoolOnDemand, read_bounds: Bounds,
                part_bounds: Bounds, context_id: str, cache: bool, stem: str | None = None,
                known: bytes | None = None) -> Graded:
    """The row of one entry: graded through ``pool``; one bad file never stops the run, it gets a row with the
    reason. The same in this process and on a Dask worker. ``known``: its result as an earlier run graded it
    (packed JSON), to make its reports from (grader/grading/submission.py)."""
    path = entry.path
    try:
        if isinstance(entry, UnreadableEntry):
            return unreadable_row(entry=entry, max_points=context.assignment.max_points), SubmissionTiming(), None
        result, timing, report = grade_submission(context=context, path=path, root=directory, pool=pool,
                                                  read_bounds=read_bounds, part_bounds=part_bounds,
                                                  context_id=context_id, cache=cache, entry=entry, stem=stem,
                                                  known=known)
        return with_shown_names(result=result, entry=entry), timing, report
    except Exception as exc:
        return internal_error_row(entry=entry, context=context, exc=exc), SubmissionTiming(), None


def internal_error_row(*, entry: Entry, context: GradingContext, exc: BaseException) -> SubmissionResult:
    return SubmissionResult(student=shown_name(entry.path.stem), file=entry.shown, status="unreadable",
                            reason=f"internal error: {type(exc).__name__}: {exc}", max=context.assignment.max_points)


def _grade_here(*, entries: list[Entry], context: GradingContext, directory: Path, jobs: int, isolate: bool,
                setup: tuple, task: dict, take: Callable[[Entry, Graded], Kept], reused: _Reuser,
                stems: Mapping[str, str]) -> list[Kept]:
    """Every entry graded by a pool of bounded workers of this machine (or in this process: ``isolate=False``),
    but those ``reused`` takes from an earlier run; ``stems``: each file's report name, for the workers to write
    its pages (a streamed run)."""
    workers = max(1, jobs) if isolate else 0
    with PoolOnDemand(workers=workers, bounds=task["part_bounds"], setup=setup if workers else None) as pool:
        def one(entry: Entry) -> Kept:
            return take(entry, grade_entry(entry=entry, context=context, directory=directory, pool=pool,
                                           stem=stems.get(entry.shown), known=reused.known(entry), **task))

        # two submissions per worker in flight: the next one is dispatched while a result is being collected
        size = 2 * max(1, jobs) if isolate else max(1, jobs)
        with ThreadPoolExecutor(max_workers=size) as threads:
            # the files reused from an earlier run are taken here, in this thread, as the others are dispatched
            return _in_order(threads=threads, fn=one, items=(entry for entry in entries if not reused(entry)),
                             window=2 * size)


def _in_order(*, threads: ThreadPoolExecutor, fn: Callable[[Entry], Any], items: Iterable[Entry],
              window: int) -> list[Any]:
    """``fn`` over ``items`` on ``threads``, results in order, at most ``window`` items submitted ahead
    (Executor.map submits every item at once: a future per file, held from the start of the run)."""
    pending: deque[Future[Any]] = deque()
    out = []
    try:
        for item in items:
            pending.append(threads.submit(fn, item))
            if len(pending) >= window:
                out.append(pending.popleft().result())
        while pending:
            out.append(pending.popleft().result())
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return out
