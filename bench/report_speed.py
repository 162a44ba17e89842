"""Report-writing speed: how long ``write_reports`` takes for a large class.

    python bench/report_speed.py [--copies 100] [--repeat 3]

Grades each shipped sample assignment once (in-process), then makes a class of
COPIES copies of its submissions (distinct files, so every copy gets its own
pages) and times ``write_reports`` into a fresh folder, REPEAT times; prints the
best CPU time (the machine may be shared: CPU time of this process is steadier
than wall time), its wall time, and the time per file. Grading is not timed. Each
timed run starts with an empty MathML cache, as a `grade` process does (the copies
still repeat each answer COPIES times, more than a real class does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.grading import build_context, grade_directory  # noqa: E402
from grader.grading.checked import load_assignment_dir  # noqa: E402
from grader.reports import write_reports  # noqa: E402
from grader.reports.html import math_render  # noqa: E402


def big_run(run, copies: int):
    """The run with every submission repeated ``copies`` times under distinct file names."""
    submissions = []
    for k in range(copies):
        for s in run.submissions:
            stem, dot, suffix = s.file.rpartition(".")
            name = f"{stem}-{k:04d}.{suffix}" if dot else f"{s.file}-{k:04d}"
            submissions.append(s.model_copy(update={"file": name, "student": f"{s.student}-{k:04d}"}))
    return run.model_copy(update={"submissions": tuple(submissions)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    total_best, total_files = 0.0, 0
    for folder in sorted((REPO / "submissions").iterdir()):
        assignment = load_assignment_dir(folder=REPO / "problems" / folder.name)
        run = grade_directory(context=build_context(assignment=assignment), directory=folder, isolate=False)
        run = big_run(run, args.copies)
        times = []
        for _ in range(args.repeat):
            cached = getattr(math_render, "_render_latex", None)
            if cached is not None:
                cached.cache_clear()
            with tempfile.TemporaryDirectory() as tmp:
                start, wall = time.process_time(), time.perf_counter()
                write_reports(run=run, assignment=assignment, out_dir=Path(tmp) / "out")
                times.append((time.process_time() - start, time.perf_counter() - wall))
        best, wall = min(times)
        total_best += best
        total_files += len(run.submissions)
        print(f"{folder.name}: {len(run.submissions)} files, best of {args.repeat}: {best:.2f} s CPU "
              f"({wall:.2f} s wall, {best / len(run.submissions) * 1000:.2f} ms CPU per file)")
    print(f"total: {total_files} files in {total_best:.2f} s CPU ({total_best / total_files * 1000:.2f} ms CPU per file)")


if __name__ == "__main__":
    main()
