"""Grading speed, measured in one run and reported as ratios.

    python bench/grading_speed.py [--copies 20]

Grades COPIES copies of the shipped samples (a class of 6 × COPIES files)
three ways: in-process (no isolation), isolated with 1 worker, isolated with
2 workers, and reports seconds per file and the ratios between them, plus the
median and slowest single part check per answer type (in-process).
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

from grader.grading import build_context, grade_directory  # noqa: E402
from grader.grading.part import grade_part  # noqa: E402
from grader.problems.loader import load_assignment_dir  # noqa: E402
from grader.submissions import read_submission  # noqa: E402


def make_class(folder: Path, copies: int) -> None:
    for k in range(copies):
        for sample in sorted((REPO / "submissions" / "dl-basics").iterdir()):
            if sample.is_file():
                shutil.copy(sample, folder / f"{sample.stem}-{k:03d}{sample.suffix}")


def timed_run(context, folder: Path, *, jobs: int, isolate: bool) -> float:
    start = time.perf_counter()
    grade_directory(context=context, directory=folder, jobs=jobs, isolate=isolate)
    return time.perf_counter() - start


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
    args = parser.parse_args()
    context = build_context(assignment=load_assignment_dir(folder=REPO / "problems" / "dl-basics"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder, args.copies)
        files = len(list(folder.iterdir()))
        timed_run(context, folder, jobs=1, isolate=False)  # warm caches (imports, parser tables)
        in_process = timed_run(context, folder, jobs=1, isolate=False)
        one = timed_run(context, folder, jobs=1, isolate=True)
        two = timed_run(context, folder, jobs=2, isolate=True)
    print(f"files: {files}")
    print(f"in-process:           {in_process:7.2f} s  ({1000 * in_process / files:6.1f} ms/file)")
    print(f"isolated, 1 worker:   {one:7.2f} s  ({1000 * one / files:6.1f} ms/file)")
    print(f"isolated, 2 workers:  {two:7.2f} s  ({1000 * two / files:6.1f} ms/file)")
    print(f"isolation overhead (1 worker / in-process): {one / in_process:5.2f}x")
    print(f"speed-up of 2 workers over 1:               {one / two:5.2f}x")
    print("part checks in-process, by answer type (median / max ms):")
    for name, values in sorted(part_check_times(context).items()):
        print(f"  {name:10s} {1000 * statistics.median(values):7.2f} / {1000 * max(values):7.2f}  (n={len(values)})")


if __name__ == "__main__":
    main()
