"""Memory at any class size: grade N small files end to end and report the peak memory of the whole process tree.

    python bench/many_files.py [--n 100000] [--small 10000] [-j 2] [--keep DIR] [--write-results]

Writes N small free-form dl-basics files (a header and two to four short answers each, drawn from a few
hundred forms, some wrong; file names and students all distinct), grades them with the CLI as a course would
(``grade DIR --out OUT -j J --quiet``) while sampling the resident memory of the CLI and every descendant
(its bounded workers, the forkserver), then checks that every file got a row in grades.csv and results.json.
The same is done for the first ``--small`` files, so the table shows whether memory grows with N (issue 14:
under 500 MB, flat in N). Prints one Markdown table; ``--write-results`` also writes it, with the commit, the
command and the machine, as the ``## Memory at any class size`` section of ``bench/RESULTS.md`` (the rest of the
file, bench/run.py's table, is kept as it is).
"""

from __future__ import annotations

import argparse
import csv
import os
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import measure as M  # noqa: E402
from bench.results_file import MEMORY_HEADING, write_memory  # noqa: E402
from bench.run import machine, measured_commit  # noqa: E402

#: part -> answers a student may write (right, wrong, other notations); the answers are short on purpose
FORMS = {
    "1a": ["(0.090, 0.245, 0.665)", "(0,090; 0,245; 0,665)", "(0.1, 0.2, 0.7)", "[0.090, 0.245, 0.665]"],
    "2a": ["(26, 26)", "26 x 26", "(28, 28)", "26"],
    "2b": ["1820", "1 820", "1830", "182"],
    "3a": ["\\frac{m}{1-p}", "m / (1 - p)", "m", "\\frac{m}{p}"],
    "4a": ["0,1984", "0.1984", "0.2", "-0.1984"],
    "5a": ["(A + A^T) w", "2 A w", "A w + A^T w", "A^T w"],
}
NAMES = ["ana", "ben", "chen", "dara", "emre", "fatima", "goran", "hana", "ines", "jonas", "kofi", "leyla"]


def write_corpus(*, folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    parts = sorted(FORMS)
    for index in range(n):
        name = f"s{index:06d}_{NAMES[index % len(NAMES)]}"
        lines = [f"# Homework 1 — {NAMES[index % len(NAMES)].title()} {index}", ""]
        for pid in sorted(rng.sample(parts, rng.randint(2, 4))):
            lines.append(f"{pid}) ${rng.choice(FORMS[pid])}$")
        (folder / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(out: Path) -> tuple[int, int]:
    with open(out / "grades.csv", encoding="utf-8", newline="") as handle:
        csv_rows = sum(1 for _ in csv.reader(handle)) - 1
    with open(out / "results.json", encoding="utf-8") as handle:
        json_rows = len(json.load(handle)["submissions"])
    return csv_rows, json_rows


def measure(*, folder: Path, out: Path, jobs: int, cache: Path) -> dict:
    command = M.grade_command(folder=folder, problems=REPO / "problems", assignment="dl-basics", out=out, jobs=jobs)
    run = M.end_to_end(command, cache_dir=cache)
    rows = _rows(out) if run.returncode == 0 else (0, 0)
    return {"seconds": run.seconds, "peak_mb": run.peak_mb, "returncode": run.returncode, "rows": rows,
            "stderr": run.stderr}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus and reports here (kept)")
    parser.add_argument("--write-results", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    commit, load_before = measured_commit(), os.getloadavg()
    root = args.keep or Path(tempfile.mkdtemp(prefix="grader-many-"))
    try:
        full = root / "subs"
        started = time.perf_counter()
        write_corpus(folder=full, n=args.n, seed=args.seed)
        small = root / "subs-small"
        small.mkdir(exist_ok=True)
        for path in sorted(full.iterdir())[:args.small]:
            shutil.copy(path, small / path.name)
        print(f"wrote {args.n} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        table = []
        for label, folder, count in (("small", small, min(args.small, args.n)), ("full", full, args.n)):
            result = measure(folder=folder, out=root / f"out-{label}", jobs=args.jobs, cache=root / f"cache-{label}")
            table.append((count, result))
            print(f"{count} files: {result}", file=sys.stderr)
        text = render(table=table, jobs=args.jobs)
        print(text)
        if args.write_results:
            command = "python bench/many_files.py " + " ".join(sys.argv[1:] if argv is None else argv)
            write_memory(args.results, section(table=text, commit=commit, command=command,
                                               machine=machine(load_before)))
            print(f"written {args.results}", file=sys.stderr)
        return 0 if all(r["returncode"] == 0 and r["rows"] == (n, n) for n, r in table) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def section(*, table: str, commit: str, command: str, machine: str) -> str:
    """The table as bench/RESULTS.md's memory section."""
    return (f"{MEMORY_HEADING}\n\n- commit: `{commit}`\n- machine: {machine}\n- command: `{command}`\n\n{table}\n")


def render(*, table: list[tuple[int, dict]], jobs: int) -> str:
    lines = ["| files | -j | wall s | files/s | peak MB (process tree) | rows in grades.csv / results.json |",
             "|---:|---:|---:|---:|---:|---|"]
    for n, r in table:
        lines.append(f"| {n:,} | {jobs} | {r['seconds']:.1f} | {n / r['seconds']:,.0f} | {r['peak_mb']:.0f} | "
                     f"{r['rows'][0]:,} / {r['rows'][1]:,}{'' if r['returncode'] == 0 else ' (exit ' + str(r['returncode']) + ')'} |")
    if len(table) == 2 and table[1][0] > table[0][0]:
        (n1, a), (n2, b) = table
        growth = (b["peak_mb"] - a["peak_mb"]) / ((n2 - n1) / 1000)
        lines.append("")
        lines.append(f"Memory growth from {n1:,} to {n2:,} files: {growth:+.2f} MB per 1 000 files.")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
