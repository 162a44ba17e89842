"""What the exact judge proves, and what it costs.

    python bench/exact_judge.py [--repeat N]

1. The symbolic tables of tests/symbolic/ (every row checked with seed 7): the share of value verdicts proven
   symbolically, numeric only, or in conflict; the time per check with the exact judge and without it
   (``exact: false``), median and p95, over every row (N repeats, the best of them per row).
2. The fixture sets (submissions/ and tests/e2e/freeform_c/, graded in process): the same shares over every
   expression part's verdict, and every conflict with its counter-example.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "symbolic"))

from grader.symbolic import SymbolicSpec, check_symbolic  # noqa: E402

MODULES = ("test_equivalence_table", "test_functions", "test_relu", "test_sums", "test_nabla", "test_tensors",
           "test_floor_and_tuples", "test_truth_registry")


def _spec_of(module, row) -> SymbolicSpec | None:
    head = row[0]
    if isinstance(head, SymbolicSpec):
        return head
    if isinstance(head, str) and hasattr(module, "SPECS") and head in module.SPECS:
        return module.SPECS[head]
    single = getattr(module, "SIGMOID", None) or getattr(module, "SPEC", None)
    if single is not None:
        return single if isinstance(single, SymbolicSpec) else SymbolicSpec.model_validate(single)
    return None


def table_rows() -> list[tuple[str, SymbolicSpec, str]]:
    rows = []
    for name in MODULES:
        module = importlib.import_module(name)
        for row in getattr(module, "TABLE", []):
            spec = _spec_of(module, row)
            if spec is None:
                continue
            answer = row[1] if len(row) == 4 else row[0]
            rows.append((name, spec, answer))
    return rows


def _timed(answer: str, spec: SymbolicSpec, repeat: int):
    best, outcome = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = check_symbolic(answer=answer, spec=spec, seed=7)
        best = min(best, time.perf_counter() - start)
    return best, outcome


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _shares(methods: Counter) -> str:
    total = sum(methods.values())
    return ", ".join(f"{m} {n} ({100 * n / total:.1f} %)" for m, n in sorted(methods.items())) + f" of {total}"


def tables(repeat: int) -> None:
    rows = table_rows()
    with_exact, without, methods, conflicts = [], [], Counter(), []
    for name, spec, answer in rows:
        off = spec.model_copy(update={"exact": False})
        off._compiled = spec._compiled
        t_on, outcome = _timed(answer, spec, repeat)
        t_off, plain = _timed(answer, off, repeat)
        with_exact.append(t_on)
        without.append(t_off)
        if outcome.proof is not None:
            methods[outcome.proof.method] += 1
            if outcome.proof.method == "conflict":
                conflicts.append((name, answer, outcome.proof))
        if plain.verdict != outcome.verdict and outcome.proof is not None and outcome.proof.method != "conflict":
            print(f"  verdict changed without a conflict: {name} {answer!r}")
    print(f"symbolic tables: {len(rows)} rows; value verdicts: {_shares(methods)}")
    for label, times in (("with the exact judge", with_exact), ("without", without)):
        print(f"  time per check {label:22}: median {1000 * statistics.median(times):7.1f} ms, "
              f"p95 {1000 * _p(times, 0.95):7.1f} ms, max {1000 * max(times):7.1f} ms")
    for name, answer, proof in conflicts:
        print(f"  conflict: {name} {answer!r}: {proof}")


def fixture_sets() -> None:
    from grader.grading import build_context, grade_directory
    from grader.grading.checked import load_assignment_dir

    sets = [(REPO / "submissions" / a, REPO / "problems" / a) for a in ("dl-basics", "cnn-basics")]
    freeform = REPO / "tests" / "e2e" / "freeform_c"
    sets += [(d, REPO / "problems" / d.name) for d in sorted(freeform.iterdir()) if d.is_dir()] if freeform.exists() else []
    methods, conflicts, reasons = Counter(), [], Counter()
    for folder, problems in sets:
        if not (folder.exists() and problems.exists()):
            continue
        context = build_context(assignment=load_assignment_dir(folder=problems))
        for submission in grade_directory(context=context, directory=folder, isolate=False).submissions:
            for part in submission.parts.values():
                if part.proof is None:
                    continue
                methods[part.proof.method] += 1
                if part.proof.method == "numeric":
                    reasons[part.proof.reason] += 1
                if part.proof.method == "conflict":
                    conflicts.append((folder.name, submission.file, part.part_id, part.answer, part.proof))
    print(f"fixture sets ({len(sets)}): expression verdicts: {_shares(methods)}")
    for reason, n in reasons.most_common():
        print(f"  numeric only, {n}x: {reason}")
    for conflict in conflicts:
        print("  conflict:", *conflict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tables(args.repeat)
    fixture_sets()


if __name__ == "__main__":
    main()
