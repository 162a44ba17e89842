"""The grading benchmark, in one run, reported as ratios: the grader against the floor and against its peer.

    python bench/run.py [--n 10000] [--unique 0.05] [-j 2] [--seed 1] [--quick] [--write-results]
                        [--dir DIR --manifest FILE] [--stage-files 200] [--pairs 300]

1. generates N free-form submissions (``bench/generate.py``; or grades ``--dir`` with its ``--manifest``);
2. the floor: reading + segmenting every file with the grader's own functions (median ms per file);
3. ``grade`` end to end as the CLI runs it, with the peak memory of its whole process tree; and, when
   ``grade --help`` offers a persistent cache, a warm re-run of the same command;
4. the grader's agreement with the manifest on every file (from the run's ``results.json``), with the
   disagreeing (part, layout, form) rows: forms the grader cannot read yet are findings;
5. the stage split (reading, extraction, parsing, checking, writing) in process over ``--stage-files`` files;
6. the peer: math-verify's ``parse`` + ``verify`` against the grader's parse + check on the same pairs: up
   to ``--pairs`` distinct (reference, answer) pairs of the corpus, and the hand-labelled
   ``bench/labelled_pairs.csv`` (see ``bench/pairs.py``), pairs/s and accuracy of each.

Prints one table; ``--write-results`` also writes it to ``bench/RESULTS.md`` with the date, the machine,
the command and the measured commit (keeping the section bench/many_files.py wrote there). ``--quick`` is a smoke run (200 files, small subsets).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import agreement as A  # noqa: E402
from bench import measure as M  # noqa: E402
from bench import pairs as P  # noqa: E402
from bench.generate import generate, load, unique_share  # noqa: E402
from bench.report import render  # noqa: E402
from bench.results_file import write_benchmark  # noqa: E402


@dataclass
class Results:
    """Everything one benchmark run measured (rendered by ``bench.report``)."""

    args: Any
    files: int = 0
    part_checks: int = 0
    unique: float = 0.0
    generate_s: float = 0.0
    floor: Any = None
    cold: Any = None
    warm: Any = None
    warm_note: str = ""
    identical_warm: bool | None = None
    decided: Any = None  # a re-run after one review decision about an answer group
    decided_group: tuple[str, int] = ("", 0)  # (part, files in the group)
    small: Any = None  # the end-to-end run of the first --memory-n files
    small_files: int = 0
    unique_run: Any = None  # the end-to-end run of --unique-n files whose every answer is its own
    unique_files: int = 0
    unique_share: float = 0.0
    agreement: Any = None
    stages: Any = None
    corpus: dict[str, Any] = field(default_factory=dict)
    labelled: dict[str, Any] = field(default_factory=dict)
    peer_note: str = ""
    notes: list[str] = field(default_factory=list)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--unique", type=float, default=0.05)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assignment", default="dl-basics")
    parser.add_argument("--problems", type=Path, default=REPO / "problems")
    parser.add_argument("--dir", type=Path, default=None, help="grade this corpus instead of generating one")
    parser.add_argument("--manifest", type=Path, default=None, help="the manifest of --dir")
    parser.add_argument("--stage-files", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=300, help="at most this many distinct corpus pairs")
    parser.add_argument("--memory-n", type=int, default=0,
                        help="also grade the first M files end to end: peak memory at M and at N shows its growth")
    parser.add_argument("--unique-n", type=int, default=500,
                        help="also grade this many files whose answers are all unique (issue 13: >= 50/s); 0: skip")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 200 files, small subsets")
    parser.add_argument("--write-results", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.stage_files, args.pairs = min(args.n, 200), min(args.stage_files, 40), min(args.pairs, 60)
        args.unique_n = min(args.unique_n, 40)
    if args.dir is not None and args.manifest is None:
        parser.error("--dir needs --manifest (bench/generate.py writes DIR.manifest.json)")
    return args


def corpus(args: argparse.Namespace, context: Any, work: Path, results: Results) -> tuple[Path, dict[str, Any]]:
    if args.dir is not None:
        return args.dir, json.loads(args.manifest.read_text(encoding="utf-8"))
    folder = work / "submissions"
    start = time.perf_counter()
    manifest = generate(context=context, n=args.n, seed=args.seed, unique=args.unique, out=folder)
    results.generate_s = time.perf_counter() - start
    return folder, manifest


def cache_options(help_text: str, work: Path) -> tuple[tuple[str, ...] | None, str]:
    """Extra options for a cold run with a fresh persistent cache, or None when ``grade`` has no cache."""
    if "--cache-dir" in help_text:
        return ("--cache-dir", str(work / "cache")), "fresh --cache-dir for the cold run, the same for the warm one"
    if "--no-cache" in help_text:  # the cache folder is $GRADER_CACHE_DIR (grader/grading/verdict_store.py)
        return (), "a fresh $GRADER_CACHE_DIR for the cold run, the same for the warm one"
    return None, "grade --help offers no persistent cache: warm re-run skipped"


def grade_runs(args: argparse.Namespace, folder: Path, work: Path, results: Results) -> Path:
    extra, results.warm_note = cache_options(M.help_text(), work)
    out = work / "reports"
    command = M.grade_command(folder=folder, problems=args.problems, assignment=args.assignment, out=out,
                              jobs=args.jobs, extra=extra or ())
    results.cold = M.end_to_end(command, cache_dir=work / "cache")
    if results.cold.returncode != 0:
        results.notes.append(f"grade exited {results.cold.returncode}: {results.cold.stderr[-500:]}")
    if args.memory_n:
        grade_first(args, folder, work, extra, results)
    if extra is not None and results.cold.returncode == 0:
        first = (out / "results.json").read_bytes()
        results.warm = M.end_to_end(command, cache_dir=work / "cache")
        results.identical_warm = (out / "results.json").read_bytes() == first
        guarded(results, "re-run after a decision", lambda: decided_run(command, out, work, results))
    return out


def decided_run(command: list[str], out: Path, work: Path, results: Results) -> None:
    """A TA's decision about the largest answer group waiting for review (its auto score given), then the same
    command again: what a re-grade after one review decision costs."""
    import yaml

    groups = json.loads((out / "results.json").read_text(encoding="utf-8"))["groups"]
    waiting = [(pid, g) for pid, found in groups.items() for g in found if g["flagged"]]
    if not waiting:
        results.notes.append("no answer group waits for review: no re-run after a decision")
        return
    part, group = max(waiting, key=lambda item: item[1]["count"])  # the queue's largest group, decided first
    entry = {"assignment": results.args.assignment, "part": part, "group": group["key"],
             "score": next((v for v in (group["suggested_score"], group["score"]) if v is not None), 0.0),
             "comment": "bench: one group decided", "by": "bench", "at": "2026-12-01T00:00:00+00:00"}
    decisions = work / "overrides.yaml"
    decisions.write_text(yaml.safe_dump({"overrides": [entry]}, sort_keys=False), encoding="utf-8")
    # into a folder of its own: the agreement with the manifest is the grader's, not this decision's
    again = [str(work / "reports-decided") if word == str(out) else word for word in command]
    decided = M.end_to_end([*again, "--overrides", str(decisions)], cache_dir=work / "cache")
    if decided.returncode != 0:
        results.notes.append(f"the re-run after a decision exited {decided.returncode}: {decided.stderr[-300:]}")
        return
    results.decided, results.decided_group = decided, (part, group["count"])


def grade_first(args: argparse.Namespace, folder: Path, work: Path, extra: Any, results: Results) -> None:
    """Grade the first --memory-n files alone (fresh cache, if any), for the growth of peak memory with N."""
    first = work / "first"
    first.mkdir()
    for path in sorted(folder.iterdir())[:args.memory_n]:
        shutil.copy(path, first / path.name)
    if extra:
        extra = ("--cache-dir", str(work / "cache-first"))
    command = M.grade_command(folder=first, problems=args.problems, assignment=args.assignment,
                              out=work / "reports-first", jobs=args.jobs, extra=extra or ())
    results.small, results.small_files = M.end_to_end(command, cache_dir=work / "cache-first"), len(list(first.iterdir()))


def all_unique(args: argparse.Namespace, context: Any, work: Path, results: Results) -> None:
    """Grade --unique-n files whose every answered part is written as no other student writes it (the
    generator's unique-answer knob at 1, its own seed): what the grader costs when nothing repeats."""
    folder = work / "unique"
    manifest = generate(context=context, n=args.unique_n, seed=args.seed + 1, unique=1.0, out=folder)
    command = M.grade_command(folder=folder, problems=args.problems, assignment=args.assignment,
                              out=work / "reports-unique", jobs=args.jobs)
    results.unique_run = M.end_to_end(command, cache_dir=work / "cache-unique")
    results.unique_files, results.unique_share = args.unique_n, unique_share(manifest)
    if results.unique_run.returncode != 0:
        results.notes.append(f"the all-unique run exited {results.unique_run.returncode}: "
                             f"{results.unique_run.stderr[-300:]}")


def run_agreement(out: Path, manifest: dict[str, Any], results: Results) -> None:
    path = out / "results.json"
    if not path.exists():
        results.notes.append("no results.json: agreement over the whole corpus not measured")
        return
    run = json.loads(path.read_text(encoding="utf-8"))
    results.agreement = A.compare(manifest=manifest, verdicts=A.verdicts_of_run(run))


def run_stages(args: argparse.Namespace, context: Any, files: list[Path], work: Path, results: Results) -> None:
    subset = sorted(random.Random(args.seed).sample(files, min(args.stage_files, len(files))))
    folder = work / "stage-subset"
    folder.mkdir()
    for path in subset:
        shutil.copy(path, folder / path.name)
    results.stages = M.stages(context=context, folder=folder, files=sorted(folder.iterdir()))


def run_pairs(args: argparse.Namespace, context: Any, manifest: dict[str, Any], results: Results) -> None:
    sets = {"corpus": P.corpus_pairs(context=context, manifest=manifest, limit=args.pairs, seed=args.seed),
            "labelled": P.labelled_pairs(context=context)}
    results.peer_note = P.math_verify_available() or ""
    for name, pairs in sets.items():
        scores = {"grader": P.score(P.grader_judge, pairs)}
        if not results.peer_note:
            scores["math-verify"] = P.score(P.math_verify_judge, pairs)
        setattr(results, name, scores)


def guarded(results: Results, what: str, step: Any) -> None:
    """Run one in-process measurement; when the grader's functions changed under it, say so and go on."""
    try:
        step()
    except Exception as exc:
        results.notes.append(f"{what} not measured: {type(exc).__name__}: {exc}")


def measured_commit() -> str:
    def git(*argv: str) -> str:
        return subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        import psutil  # noqa: F401
    except ImportError:
        sys.exit("bench/run.py needs psutil (and math-verify for the peer): pip install -e '.[bench]'")
    load_before = os.getloadavg()
    results = Results(args=args)
    commit = measured_commit()
    context = load(problems=args.problems, assignment=args.assignment)
    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        work = Path(tmp)
        folder, manifest = corpus(args, context, work, results)
        files = sorted(p for p in folder.iterdir() if p.is_file())
        results.files, results.unique = len(files), unique_share(manifest)
        results.part_checks = len(files) * len(context.order)
        print(f"{len(files)} files; floor …", file=sys.stderr, flush=True)
        results.floor = M.floor(context=context, files=files)
        print("grade end to end …", file=sys.stderr, flush=True)
        out = grade_runs(args, folder, work, results)
        run_agreement(out, manifest, results)
        if args.unique_n:
            print(f"all-unique answers ({args.unique_n} files) …", file=sys.stderr, flush=True)
            guarded(results, "all-unique run", lambda: all_unique(args, context, work, results))
        print("stage split and pairs …", file=sys.stderr, flush=True)
        guarded(results, "stage split", lambda: run_stages(args, context, files, work, results))
        guarded(results, "pairs", lambda: run_pairs(args, context, manifest, results))
    text = render(results=results, commit=commit, command=_command(argv), machine=machine(load_before))
    print(text)
    if args.write_results:
        write_benchmark(args.results, text)
        print(f"written {args.results}", file=sys.stderr)


def _command(argv: list[str] | None) -> str:
    return "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)


def machine(load_before: tuple[float, ...]) -> str:
    """Cores, system, time, and the load average before and after the run: on a shared machine the
    wall-clock figures only mean something next to it (the CPU seconds less so)."""
    after = os.getloadavg()
    return (f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; load average (1 min) "
            f"{load_before[0]:.1f} before, {after[0]:.1f} after")


if __name__ == "__main__":
    main()
