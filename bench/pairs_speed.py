"""Only the peer step of ``bench/run.py``: both pair sets, both tools, scored as ``run_pairs`` scores them.

    python bench/pairs_speed.py [--manifest FILE] [--pairs 300] [--seed 1] [--labels CSV] [--no-peer] [--wrong]
                                [--profile FILE]

The corpus pairs come from ``--manifest`` (``bench/generate.py`` writes one; without it a 10 000-file corpus of
``dl-basics``, seed 1, unique share 0.05, is generated into a temporary folder, as ``bench/run.py`` defaults
measure it in ``bench/RESULTS.md``). Each (tool, set) is timed by ``bench.pairs.score``: three throw-away pairs,
then one pass over every pair on ``time.process_time()``. Printed per set: pairs, pairs per CPU s and accuracy of
each tool and the grader's ratio. ``--wrong`` lists the grader's wrong pairs; ``--profile FILE`` writes cProfile
stats of the grader's timed passes (pstats format).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import pairs as P  # noqa: E402
from bench.generate import load  # noqa: E402


def manifest_of(path: Path | None) -> dict:
    if path is None:
        out = Path(tempfile.mkdtemp(prefix="pairs-speed-"))
        path = out / "manifest.json"
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--n", "10000", "--seed", "1",
                        "--unique", "0.05", "--out", str(out / "subs"), "--manifest", str(path)], check=True, cwd=REPO)
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=None)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--labels", type=Path, default=P.LABELS, help="the hand-labelled pairs (default: bench's own)")
    parser.add_argument("--no-peer", action="store_true", help="time the grader only")
    parser.add_argument("--wrong", action="store_true", help="list the grader's wrong pairs")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args(argv)
    context = load(problems=REPO / "problems", assignment="dl-basics")
    manifest = manifest_of(args.manifest)
    sets = {"corpus": P.corpus_pairs(context=context, manifest=manifest, limit=args.pairs, seed=args.seed),
            "labelled": P.labelled_pairs(context=context, path=args.labels)}
    profiler = None
    if args.profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    for name, pairs in sets.items():
        if profiler is not None:
            profiler.enable()
        mine = P.score(P.grader_judge, pairs)
        if profiler is not None:
            profiler.disable()
        line = f"{name:9} {mine.pairs:4} pairs  grader {mine.per_second:7.0f}/s {100 * mine.right / mine.pairs:5.1f} %"
        if not args.no_peer and P.math_verify_available() is None:
            peer = P.score(P.math_verify_judge, pairs)
            line += (f"  math-verify {peer.per_second:5.0f}/s {100 * peer.right / peer.pairs:5.1f} %"
                     f"  ratio {mine.per_second / peer.per_second:5.1f}x")
        print(line, flush=True)
        if args.wrong:
            for pair in mine.wrong:
                print(f"    wrong: {pair.part.type} {pair.gold_latex[:40]!r} vs {pair.answer[:60]!r}")
    if profiler is not None:
        profiler.dump_stats(str(args.profile))


if __name__ == "__main__":
    main()
