"""Per-file report speed: the CPU a worker spends in ``file_report`` for each file it graded.

    python bench/file_report_speed.py [--files DIR] [--limit 400] [--n 400] [--seed 1] [--pages]
                                      [--assignment dl-basics] [--problems problems] [--profile FILE]

Takes the first LIMIT files of DIR (copied into a temporary folder), or without ``--files`` generates N files
with ``bench/generate.py`` there; grades them once in this process (``grade_directory``, isolate=False; the
verdict cache goes to a temporary ``$GRADER_CACHE_DIR`` unless one is set), then calls
``grader.reports.file_report.file_report`` for every result, in file order, as a streamed run's worker does
(``report_here`` in grader/grading/jobs.py; no decisions; with ``--pages`` the pages are written into a staging
folder, as when the workers share the run's file system). Only that pass is timed, in CPU time of this process
(the machine may be shared). Before it, one untimed call on the first result imports the report modules and
compiles their templates (once per worker, not per file); the caches otherwise start as a worker's do after
grading: nothing rendered yet.

Prints the CPU ms per file of the whole ``file_report`` and of each piece it calls (timed by wrapping the
module attributes ``file_report`` looks up at call time; ``other`` is the rest of file_report's own work).
``--profile FILE`` writes a cProfile of the pass instead of timing the pieces.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: (module, attribute, label) of the pieces of file_report that are timed
PIECES = (
    ("grader.reports.file_report", "decided", "decided"),
    ("grader.reports.feedback_md", "feedback_markdown", "feedback_markdown"),
    ("grader.reports.html.student_page", "student_page_html", "student_page_html"),
    ("grader.reports.file_report", "write_pages", "write_pages"),
    ("grader.reports.file_report", "slim", "slim"),
    ("grader.reports.results_json", "results_item", "results_item"),
    ("grader.reports.file_report", "group_rows", "group_rows"),
    ("grader.reports.file_report", "class_row_json", "row (ClassRow json)"),
    ("grader.reports.file_report", "waiting_json", "waiting json"),
)


def corpus(*, args: argparse.Namespace, into: Path) -> Path:
    """The folder of files to grade, made inside ``into``."""
    folder = into / "subs"
    if args.files is None:
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--assignment", args.assignment,
                        "--problems", str(args.problems), "--n", str(args.n), "--seed", str(args.seed),
                        "--out", str(folder), "--manifest", str(into / "manifest.json")], check=True,
                       stdout=subprocess.DEVNULL)
        return folder
    folder.mkdir()
    for path in sorted(p for p in Path(args.files).iterdir() if p.is_file())[:args.limit]:
        shutil.copy(path, folder / path.name)
    return folder


class Clock:
    """CPU seconds per piece, gathered by wrappers around the pieces' module attributes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.process_time() - start
        return timed


def patched(stack: ExitStack, clock: Clock) -> None:
    import importlib
    from unittest import mock

    for module_name, attribute, label in PIECES:
        module = importlib.import_module(module_name)
        if hasattr(module, attribute):
            stack.enter_context(mock.patch.object(module, attribute, clock.wrap(label, getattr(module, attribute))))


def timed_pass(*, results: list[Any], assignment: Any, spec: Any, stems: list[str], clock: Clock | None,
               profile: str | None) -> float:
    from grader.reports.file_report import file_report

    file_report(result=results[0], assignment=assignment, spec=spec, stem=stems[0])  # imports, templates
    profiler = cProfile.Profile() if profile else None
    with ExitStack() as stack:
        if clock is not None:
            patched(stack, clock)
        start = time.process_time()
        if profiler is not None:
            profiler.enable()
        for result, stem in zip(results, stems):
            file_report(result=result, assignment=assignment, spec=spec, stem=stem)
        if profiler is not None:
            profiler.disable()
        total = time.process_time() - start
    if profiler is not None and profile:
        profiler.dump_stats(profile)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, default=None, help="folder of submissions (default: generate N)")
    parser.add_argument("--limit", type=int, default=400, help="how many files of --files")
    parser.add_argument("--n", type=int, default=400, help="how many files to generate without --files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assignment", default="dl-basics")
    parser.add_argument("--problems", type=Path, default=REPO / "problems")
    parser.add_argument("--pages", action="store_true", help="write the pages into a staging folder")
    parser.add_argument("--profile", default=None, help="write a cProfile of the timed pass to this file")
    args = parser.parse_args()

    from grader.grading import build_context, grade_directory
    from grader.grading.checked import load_assignment_dir
    from grader.reports.file_report import ReportSpec
    from grader.reports.names import report_stems

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.setdefault("GRADER_CACHE_DIR", str(root / "cache"))
        folder = corpus(args=args, into=root)
        assignment = load_assignment_dir(folder=args.problems / args.assignment)
        started = time.process_time()
        run = grade_directory(context=build_context(assignment=assignment), directory=folder, isolate=False)
        graded = time.process_time() - started
        results = list(run.submissions)
        named = report_stems(result.file for result in results)
        stems = [named[result.file] for result in results]
        out_dir = None
        if args.pages:
            out_dir = root / "staging"
            for name in ("feedback", "students"):
                (out_dir / name).mkdir(parents=True)
        spec = ReportSpec(out_dir=None if out_dir is None else str(out_dir))
        clock = None if args.profile else Clock()
        total = timed_pass(results=results, assignment=assignment, spec=spec, stems=stems, clock=clock,
                           profile=args.profile)
    count = max(1, len(results))
    print(f"{len(results)} files graded in {graded:.1f} s CPU; file_report: {total:.2f} s CPU, "
          f"{total / count * 1000:.3f} ms CPU per file")
    if clock is not None:
        for label, seconds in sorted(clock.seconds.items(), key=lambda item: -item[1]):
            print(f"  {label:<22} {seconds / count * 1000:7.3f} ms/file")
        print(f"  {'other':<22} {(total - sum(clock.seconds.values())) / count * 1000:7.3f} ms/file")


if __name__ == "__main__":
    main()
