"""Reading and segmenting speed: ms per file of ``read_document`` + ``extract_answers`` (the benchmark's floor).

    python bench/segment_speed.py [--assignment dl-basics] [--n 1000] [--seed 1] [--unique 0.05]
                                  [--files DIR] [--repeat 3] [--profile]

Generates a corpus with ``bench/generate.py`` (in a temporary folder) unless ``--files`` names one, then
times every file once per ``--repeat`` pass, with the layout ``read_submission`` builds (``bench/measure.py``
``_layout``), and prints the median, p95 and mean ms/file over all timings (wall clock and this process's
CPU time). Warm-up (imports, compiled patterns): the first 20 files, once. Only the first pass meets the
files fresh: later passes see lines the grader's per-line caches already hold, so the default is one pass. ``--profile``: a cProfile of one
pass, top 25 by cumulative time. Issue 13's target: a median of at most 1 ms/file.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _corpus(args: argparse.Namespace, folder: Path) -> list[Path]:
    if args.files:
        return sorted(p for p in Path(args.files).iterdir() if p.is_file())
    out = folder / "subs"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--assignment", args.assignment,
                    "--n", str(args.n), "--seed", str(args.seed), "--unique", str(args.unique), "--out", str(out),
                    "--manifest", str(folder / "manifest.json"), "--problems", str(args.problems)],
                   check=True, stdout=subprocess.DEVNULL)
    return sorted(out.iterdir())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="dl-basics")
    parser.add_argument("--problems", default=str(REPO / "problems"))
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique", type=float, default=0.05)
    parser.add_argument("--files", help="a folder of submissions to time instead of a generated corpus")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from bench.measure import _layout
    from grader.freeform import extract_answers, read_document
    from grader.freeform.layout import layout_from_part_ids
    from grader.grading.checked import load_context

    context = load_context(problems_dir=Path(args.problems), assignment_id=args.assignment)
    layout = _layout(context, layout_from_part_ids)
    with tempfile.TemporaryDirectory() as folder:
        files = _corpus(args, Path(folder))
        for path in files[:20]:  # warm-up: imports, compiled patterns
            extract_answers(document=read_document(path=path), layout=layout)
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for path in files:
                extract_answers(document=read_document(path=path), layout=layout)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        wall, cpu = [], []
        for _ in range(args.repeat):
            for path in files:
                t0, c0 = time.perf_counter(), time.process_time()
                extract_answers(document=read_document(path=path), layout=layout)
                wall.append(1000 * (time.perf_counter() - t0))
                cpu.append(1000 * (time.process_time() - c0))
    print(f"{len(files)} files × {args.repeat}: read_document + extract_answers, ms/file")
    for name, values in (("wall", wall), ("cpu", cpu)):
        print(f"  {name}: median {statistics.median(values):.3f}  p95 {_percentile(values, 0.95):.3f}  "
              f"mean {statistics.fmean(values):.3f}")


if __name__ == "__main__":
    main()
