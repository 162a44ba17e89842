"""Reading and segmenting speed: ms per file of ``read_document`` + ``extract_answers`` (the benchmark's floor).

    python bench/segment_speed.py [--assignment dl-basics] [--n 1000] [--seed 1] [--unique 0.05]
                                  [--files DIR] [--runs 3] [--profile]

Generates a corpus with ``bench/generate.py`` (in a temporary folder) unless ``--files`` names one, then
times every file once in each of ``--runs`` fresh processes, with the layout ``read_submission`` builds
(``bench/measure.py`` ``_layout``), and prints the median, p95 and mean ms/file, wall clock and CPU time.
Each file counts with its fastest run: a machine shared with other work only ever adds time, so the
minimum over fresh processes is the steady figure (``--runs 1``: one pass, as it comes). Every run meets
the corpus with empty caches, after a warm-up (imports, compiled patterns) on its first 20 files: the
grader's per-line and per-part caches fill as they would over a real folder, never from an earlier pass.
``--profile``: a cProfile of one pass, top 25 by cumulative time. Issue 13's target: a median of at most
1 ms/file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

WARM_UP = 20


def _corpus(args: argparse.Namespace, folder: Path) -> Path:
    if args.files:
        return Path(args.files)
    out = folder / "subs"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--assignment", args.assignment,
                    "--n", str(args.n), "--seed", str(args.seed), "--unique", str(args.unique), "--out", str(out),
                    "--manifest", str(folder / "manifest.json"), "--problems", str(args.problems)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def _one_pass(*, args: argparse.Namespace, corpus: Path) -> dict[str, list[float]]:
    """{"wall": [...], "cpu": [...]}: ms per file, in file order, one pass in this process."""
    from bench.measure import _layout
    from grader.freeform import extract_answers, read_document
    from grader.freeform.layout import layout_from_part_ids
    from grader.grading.checked import load_context

    context = load_context(problems_dir=Path(args.problems), assignment_id=args.assignment)
    layout = _layout(context, layout_from_part_ids)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    for path in files[:WARM_UP]:
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
    for path in files:
        t0, c0 = time.perf_counter(), time.process_time()
        extract_answers(document=read_document(path=path), layout=layout)
        wall.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
    return {"wall": wall, "cpu": cpu}


def _fresh_runs(*, args: argparse.Namespace, corpus: Path) -> dict[str, list[float]]:
    """Each file's fastest time over ``args.runs`` fresh processes."""
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, __file__, "--files", str(corpus), "--assignment", args.assignment,
                               "--problems", str(args.problems), "--json"],
                              check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout))
    return {clock: [min(times) for times in zip(*(run[clock] for run in runs))] for clock in ("wall", "cpu")}


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
    parser.add_argument("--runs", type=int, default=3, help="fresh processes; each file counts its fastest")
    parser.add_argument("--profile", action="store_true", help="one pass in this process, under cProfile")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run's times, for _fresh_runs
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = _corpus(args, Path(folder))
        if args.json:
            print(json.dumps(_one_pass(args=args, corpus=corpus)))
            return
        times = (_one_pass(args=args, corpus=corpus) if args.runs <= 1 or args.profile
                 else _fresh_runs(args=args, corpus=corpus))
    runs = 1 if args.runs <= 1 or args.profile else args.runs
    print(f"{len(times['cpu'])} files, fastest of {runs} fresh run(s) each: read_document + extract_answers, ms/file")
    for clock in ("wall", "cpu"):
        values = times[clock]
        print(f"  {clock}: median {statistics.median(values):.3f}  p95 {_percentile(values, 0.95):.3f}  "
              f"mean {statistics.fmean(values):.3f}")


if __name__ == "__main__":
    main()
