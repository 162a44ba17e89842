"""Grading speed, measured in one run and reported as ratios.

    python bench/grading_speed.py [--copies 20] [--repeat 1] [--no-cache]

Grades COPIES copies of the shipped samples (a class of 6 × COPIES files)
three ways: in-process (no isolation), isolated with 1 worker, isolated with
2 workers, and reports seconds per file and the ratios between them (the best of
REPEAT runs of each, the modes taking turns: the machine is shared), the main
process's CPU time per file, its peak resident memory, plus the median and
slowest single part check per answer type (in-process).  ``--no-cache`` grades
without the verdict cache (every copy of an answer is checked again), as before it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader import RunOptions  # noqa: E402
from grader.grading import build_context, grade_directory  # noqa: E402
from grader.grading.part import grade_part  # noqa: E402
from grader.grading.checked import load_assignment_dir  # noqa: E402
from grader.submissions import read_submission  # noqa: E402


def make_class(folder: Path, copies: int) -> None:
    for k in range(copies):
        for sample in sorted((REPO / "submissions" / "dl-basics").iterdir()):
            if sample.is_file():
                shutil.copy(sample, folder / f"{sample.stem}-{k:03d}{sample.suffix}")


WORKER_CPU = [0.0]  # CPU seconds of the workers, read from /proc just before their pool closes


def _count_worker_cpu() -> None:
    import os

    from grader.sandbox.pool import WorkerPool

    original = WorkerPool.close
    ticks = os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                WORKER_CPU[0] += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
            except (OSError, IndexError, ValueError):
                pass
        original(self)

    WorkerPool.close = close


def timed_run(context, folder: Path, *, jobs: int, isolate: bool, cache: bool = True) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, CPU seconds of the workers) of one run."""
    start, cpu, workers = time.perf_counter(), time.process_time(), WORKER_CPU[0]
    options = RunOptions(jobs=jobs, isolate=isolate, cache=cache)  # validated, the rest at their defaults
    grade_directory(context=context, directory=folder, **options.grading_arguments())
    return time.perf_counter() - start, time.process_time() - cpu, WORKER_CPU[0] - workers


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_check_times(context) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    for sample in sorted((REPO / "submissions" / "dl-basics").iterdir()):
        submission = read_submission(path=sample, assignment=context.assignment)
        if not hasattr(submission, "parts"):
            continue
        values = {}
        for part_id in context.order:
            start = time.perf_counter()
            outcome = grade_part(context=context, part_id=part_id, part_input=submission.parts[part_id],
                                 student_values=values)
            times[context.assignment.part(part_id).type].append(time.perf_counter() - start)
            if outcome.value is not None:
                values[part_id] = outcome.value
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="grade without the verdict cache")
    args = parser.parse_args()
    _count_worker_cpu()
    context = build_context(assignment=load_assignment_dir(folder=REPO / "problems" / "dl-basics"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder, args.copies)
        files = len(list(folder.iterdir()))
        timed_run(context, folder, jobs=1, isolate=False)  # warm caches (imports, parser tables)
        rss_before = peak_rss_mb()
        modes = {"in-process": (1, False), "isolated, 1 worker": (1, True), "isolated, 2 workers": (2, True)}
        best: dict[str, tuple[float, float, float]] = {}
        for _ in range(max(1, args.repeat)):
            for name, (jobs, isolate) in modes.items():
                run = timed_run(context, folder, jobs=jobs, isolate=isolate, cache=not args.no_cache)
                if name not in best or run[0] < best[name][0]:
                    best[name] = run
        rss_after = peak_rss_mb()
    in_process, one, two = (best[name][0] for name in modes)
    print(f"files: {files}")
    for name, (wall, cpu, workers) in best.items():
        print(f"{name + ':':21s} {wall:7.2f} s  ({1000 * wall / files:6.1f} ms/file; CPU per file: main process "
              f"{1000 * cpu / files:5.1f} ms, workers {1000 * workers / files:5.1f} ms)")
    print(f"main process peak RSS: {rss_before:.0f} MB after warm-up, {rss_after:.0f} MB after the timed runs")
    print(f"isolation overhead (1 worker / in-process): {one / in_process:5.2f}x")
    print(f"speed-up of 2 workers over 1:               {one / two:5.2f}x")
    print("part checks in-process, by answer type (median / max ms):")
    for name, values in sorted(part_check_times(context).items()):
        print(f"  {name:10s} {1000 * statistics.median(values):7.2f} / {1000 * max(values):7.2f}  (n={len(values)})")


if __name__ == "__main__":
    main()
