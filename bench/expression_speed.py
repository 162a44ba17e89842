"""CPU time of checking a distinct `expression` answer: parse + check, one pair at a time, in this fresh process.

    python bench/expression_speed.py [--manifest /tmp/c2k/manifest.json] [--repeat 1] [--dump FILE] [--profile FILE] [--only 1a]

The pairs: every distinct (part, answer) of a generated corpus's expression parts (its ``manifest.json``, as
``bench/generate.py`` writes it; without ``--manifest`` a 300-file corpus of ``dl-basics`` is generated into a
temporary folder), then the expression rows of ``bench/labelled_pairs.csv`` (on their synthetic parts, as
``bench/pairs.py`` builds them). Each pair is parsed and checked as grading does (``get_answer_type(...).parse``
then ``.check`` with the context's seed of the part); the clock is ``time.process_time()`` around the two
calls. Imports, the grading context and one throw-away check (on a spec no pair uses) come before the clock;
the per-process spec cache is cleared after the context is built, so the first pair of each part pays for
whatever is prepared once per reference, as a grading worker does.

Printed: pairs, CPU ms per pair (median, mean, p95, max, total), per part and per proof method.
``--dump FILE`` writes the repr of every check result (one line per pair) to compare two commits;
``--profile FILE`` writes cProfile stats of the timed loop (pstats format).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def corpus(manifest: Path | None) -> dict[str, Any]:
    import json

    if manifest is None:
        out = Path(tempfile.mkdtemp(prefix="expr-speed-"))
        manifest = out / "manifest.json"
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--n", "300", "--seed", "1",
                        "--out", str(out / "subs"), "--manifest", str(manifest)], check=True, cwd=REPO)
    return json.loads(manifest.read_text(encoding="utf-8"))


def collect(context: Any, manifest: dict[str, Any]) -> list[tuple[str, Any, str, int]]:
    """(label, part, answer, seed) of every distinct expression pair: the corpus's, then the labelled ones."""
    from bench.pairs import labelled_pairs

    pairs, seen = [], set()
    for entry in manifest["files"].values():
        for part_id, given in entry["parts"].items():
            answer = given["answer"]
            if not answer or (part_id, answer) in seen:
                continue
            part = context.assignment.part(part_id)
            if part.type == "expression":
                seen.add((part_id, answer))
                pairs.append((part_id, part, answer, context.seed_for(part_id)))
    for pair in labelled_pairs(context=context):
        if pair.part.type == "expression":
            pairs.append(("csv:" + pair.gold_latex[:24], pair.part, pair.answer, 0))
    return pairs


def check(part: Any, answer: str, seed: int) -> Any:
    from grader.answers import ParseFailure, get_answer_type

    answer_type = get_answer_type(part.type)
    parsed = answer_type.parse(text=answer, part=part, reference=None)
    if isinstance(parsed, ParseFailure):
        return parsed
    return answer_type.check(parsed=parsed, reference=None, part=part, seed=seed)


def _warm_up() -> None:
    """Imports and the parser's own tables, on a spec of its own (no pair's reference is prepared here)."""
    from grader.symbolic import check_symbolic

    spec = {"symbols": {"q": {"kind": "scalar"}}, "reference": "q^2 + 1"}
    check_symbolic(answer="1 + q q", spec=spec, seed=3)
    check_symbolic(answer="q + 1", spec=spec, seed=3)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _line(label: str, times: list[float]) -> str:
    ms = [1000 * t for t in times]
    return (f"  {label:28} {len(ms):5} pairs  median {statistics.median(ms):7.2f}  mean {statistics.mean(ms):7.2f}  "
            f"p95 {_p(ms, 0.95):7.2f}  max {max(ms):7.2f}  total {sum(ms):8.1f} CPU ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="check every pair N times (the first is cold)")
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--only", default=None, help="only the pairs whose label (part id, csv:…) starts with this")
    args = parser.parse_args()

    from grader.answers import expression
    from grader.grading import build_context
    from grader.grading.checked import load_assignment_dir

    manifest = corpus(args.manifest)
    context = build_context(assignment=load_assignment_dir(folder=REPO / "problems" / manifest["assignment"]))
    pairs = [p for p in collect(context, manifest) if args.only is None or p[0].startswith(args.only)]
    _warm_up()
    expression._spec_from_json.cache_clear()

    profiler = None
    if args.profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    times, by_part, by_method, dump = [], defaultdict(list), defaultdict(list), []
    for _ in range(args.repeat):
        for label, part, answer, seed in pairs:
            start = time.process_time()
            result = check(part, answer, seed)
            spent = time.process_time() - start
            times.append(spent)
            by_part[label].append(spent)
            proof = getattr(result, "proof", None)
            by_method[proof.method if proof is not None else "no proof"].append(spent)
            dump.append(f"{label}\t{answer}\t{result!r}")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))

    print(f"{len(pairs)} distinct expression pairs, checked {args.repeat}x; CPU ms per pair (time.process_time):")
    print(_line("all", times))
    for label in sorted(by_part):
        print(_line(label, by_part[label]))
    for method in sorted(by_method):
        print(_line("proof: " + method, by_method[method]))
    if args.dump is not None:
        args.dump.write_text("\n".join(dump) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
