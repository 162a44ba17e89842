"""The benchmark's table, as Markdown (printed, and written to bench/RESULTS.md with --write-results)."""

from __future__ import annotations

from typing import Any

from bench.agreement import table as agreement_table
from bench.measure import STAGES


def render(*, results: Any, commit: str, command: str, machine: str) -> str:
    lines = ["# Grading benchmark", "", f"- commit: `{commit}`", f"- machine: {machine}", f"- command: `{command}`",
             f"- corpus: {results.files} generated free-form files of `{results.args.assignment}` "
             f"(seed {results.args.seed}, unique-answer knob {results.args.unique}); measured share of answered "
             f"(part, answer) strings that are unique: {100 * results.unique:.1f} %", ""]
    lines += speed_table(results) + [""] + stage_table(results) + [""] + pairs_tables(results) + [""]
    lines += targets(results) + [""]
    if results.agreement is not None:
        lines += ["## Agreement with the manifest", "", "```", *agreement_table(results.agreement, 30), "```", ""]
    lines += HOW + [""]
    if results.notes or results.peer_note or results.warm_note:
        lines += ["## Notes", ""] + [f"- {n}" for n in (results.warm_note, results.peer_note, *results.notes) if n]
    return "\n".join(lines) + "\n"


HOW = [
    "## How it was measured", "",
    "- floor: `read_document` + `extract_answers` (the grader's own reading and segmentation) of every file, "
    "one process; raw reading is `read_text().splitlines()`;",
    "- end to end: `python -m grader.cli DIR --problems … --assignment … --out … -j J --quiet` as a subprocess; "
    "peak memory is the largest sum of the resident set sizes of the CLI and all its descendants, sampled every "
    "20 ms; CPU s are the user + system seconds of that process tree; part checks = files × parts in step order;",
    "- stage split: in this process over a seeded subset: reading = `read_document`, extraction = the rest of "
    "`read_submission`, parsing = the answer type's `parse` of each part's first candidate, checking = "
    "`grade_part` less that parse, writing = `write_reports` of the subset's run;",
    "- pairs: the grader's `parse` + `check` of the part's answer type (equivalent = verdict `correct`) against "
    "math-verify's `verify(parse('$reference$'), parse('$answer$'))` (an answer with its own `$` as it is; "
    "wrapping both is math-verify's best of the three ways tried on the hand-labelled pairs); the reference "
    "math-verify gets is the key rounded to the decimals the task asks for; pairs/s in CPU seconds of this process;",
    "- agreement: the CLI run's results.json against the manifest (correct/ecf → correct, needs_review and "
    "could_not_evaluate → review, free text is always review).",
]


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "–"


def speed_table(r: Any) -> list[str]:
    f = r.floor
    rows = ["## Speed", "",
            "| what | wall s | submissions/s | part checks/s | × floor | CPU s | CPU ms/file | CPU × floor "
            "| peak MB (process tree) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| raw read + split lines (for scale) | {f.raw_seconds:.2f} | {_rate(f.files, f.raw_seconds)} | | | | | | |",
            f"| floor: read + segment (grader's own, 1 process; median {f.median_ms:.2f} ms/file, "
            f"{f.cpu_median_ms:.2f} CPU ms) | {f.seconds:.2f} | "
            f"{_rate(f.files, f.seconds)} | | 1.00 | {f.cpu_seconds:.2f} | {1000 * f.cpu_seconds / max(1, f.files):.1f} "
            "| 1.00 | |"]
    part, size = getattr(r, "decided_group", ("", 0))
    for name, run in (("`grade` end to end, cold", r.cold), ("`grade` re-run, warm cache", r.warm),
                      (f"`grade` re-run after one review decision (group of {size} files, part {part})",
                       getattr(r, "decided", None))):
        if run is None:
            continue
        ratio = run.seconds / f.seconds if f.seconds else 0.0
        cpu_ratio = run.cpu_seconds / f.cpu_seconds if f.cpu_seconds else 0.0
        rows.append(f"| {name} (-j {r.args.jobs}) | {run.seconds:.2f} | {_rate(r.files, run.seconds)} | "
                    f"{_rate(r.part_checks, run.seconds)} | {ratio:.2f} | {run.cpu_seconds:.2f} | "
                    f"{1000 * run.cpu_seconds / max(1, r.files):.1f} | {cpu_ratio:.2f} | {run.peak_mb:.0f} |")
    run = getattr(r, "unique_run", None)
    if run is not None:
        n = r.unique_files
        rows.append(f"| `grade` end to end, all answers unique ({n} other files, measured unique share "
                    f"{r.unique_share:.2f}) (-j {r.args.jobs}) | {run.seconds:.2f} | {_rate(n, run.seconds)} | | | "
                    f"{run.cpu_seconds:.2f} | {1000 * run.cpu_seconds / max(1, n):.1f} | | {run.peak_mb:.0f} |")
    if r.small is not None and r.cold is not None and r.files > r.small_files:
        slope = (r.cold.peak_mb - r.small.peak_mb) / (r.files - r.small_files) * 1000
        rows += ["", f"Peak memory: {r.small.peak_mb:.0f} MB for the first {r.small_files} files "
                     f"({r.small.seconds:.1f} s), {r.cold.peak_mb:.0f} MB for {r.files}: "
                     f"{slope:+.1f} MB per 1 000 more files."]
    if r.identical_warm is not None:
        rows += ["", f"Warm re-run's results.json byte-identical to the cold run's: {'yes' if r.identical_warm else 'NO'}"]
    return rows


def stage_table(r: Any) -> list[str]:
    s = r.stages
    if s is None:
        return []
    total, cpu = sum(s.seconds.values()) or 1.0, sum(s.cpu.values()) or 1.0
    per = 1000 / max(1, s.files)
    rows = [f"## Where the time goes (in process, {s.files} files, {s.part_checks} part checks)", "",
            "| stage | wall ms/file | CPU ms/file | CPU share |", "|---|---:|---:|---:|"]
    for stage in STAGES:
        rows.append(f"| {stage} | {per * s.seconds[stage]:.2f} | {per * s.cpu[stage]:.2f} | "
                    f"{100 * s.cpu[stage] / cpu:.1f} % |")
    rows.append(f"| total | {per * total:.2f} | {per * cpu:.2f} | |")
    return rows + ([""] + [f"- {e}" for e in s.errors] if s.errors else [])


def pairs_tables(r: Any) -> list[str]:
    rows = ["## The peer: (reference, answer) pairs", "",
            "| pairs | tool | pairs | pairs per CPU s | right | accuracy |", "|---|---|---:|---:|---:|---:|"]
    for name, scores in (("corpus (generator's labels)", r.corpus), ("hand-labelled (bench/labelled_pairs.csv)", r.labelled)):
        for tool, score in scores.items():
            rows.append(f"| {name} | {tool} | {score.pairs} | {score.per_second:,.0f} | {score.right} | "
                        f"{100 * score.right / max(1, score.pairs):.1f} % |")
    for name, scores in (("corpus", r.corpus), ("hand-labelled", r.labelled)):
        if "math-verify" in scores and scores["math-verify"].per_second:
            rows.append(f"\n{name}: the grader checks {scores['grader'].per_second / scores['math-verify'].per_second:.0f}× "
                        "the pairs/s of math-verify.")
        rows += _wrong_rows(name, scores)
    return rows


def _wrong_rows(name: str, scores: dict[str, Any], limit: int = 12) -> list[str]:
    rows = []
    for tool, score in scores.items():
        if score.wrong:
            rows += ["", f"{name}, judged wrongly by {tool} ({len(score.wrong)}):", ""]
            rows += [f"- `{p.part.type}` `{p.gold_latex[:50]}` vs `{p.answer[:60]}`: labelled "
                     f"{'equivalent' if p.equivalent else 'not equivalent'}{' (' + p.note + ')' if p.note else ''}"
                     for p in score.wrong[:limit]]
            rows += [f"- … and {len(score.wrong) - limit} more"] if len(score.wrong) > limit else []
    return rows


def targets(r: Any) -> list[str]:
    """The targets of issue 13, as measured in this run (meaningful at 10 000 files, -j 2)."""
    rows = ["## Targets (issue 13)", "", "| target | measured | met |", "|---|---:|:---:|"]

    def add(what: str, value: float | None, ok: bool | None, fmt: str) -> None:
        rows.append(f"| {what} | {'–' if value is None else format(value, fmt)} | "
                    f"{'–' if ok is None else ('yes' if ok else 'no')} |")

    cold, warm, f = r.cold, r.warm, r.floor
    rate = r.files / cold.seconds if cold and cold.seconds else None
    add("≥ 1 000 submissions/s end to end", rate, None if rate is None else rate >= 1000, ",.0f")
    ratio = cold.seconds / f.seconds if cold and f.seconds else None
    add("≤ 3× the floor", ratio, None if ratio is None else ratio <= 3, ".2f")
    add("segmentation ≤ 1 ms/file (median, wall)", f.median_ms, f.median_ms <= 1, ".2f")
    add("segmentation ≤ 1 ms/file (median, CPU)", f.cpu_median_ms, f.cpu_median_ms <= 1, ".2f")
    unique = getattr(r, "unique_run", None)
    unique_rate = r.unique_files / unique.seconds if unique is not None and unique.seconds else None
    add("all-unique answers ≥ 50 submissions/s", unique_rate, None if unique_rate is None else unique_rate >= 50,
        ",.0f")
    warm_rate = r.files / warm.seconds if warm and warm.seconds else None
    add("warm re-run ≥ 3 000 submissions/s", warm_rate, None if warm_rate is None else warm_rate >= 3000, ",.0f")
    add("peak memory < 500 MB", cold.peak_mb if cold else None, None if cold is None else cold.peak_mb < 500, ".0f")
    for name, scores in (("corpus", r.corpus), ("hand-labelled", r.labelled)):
        if "math-verify" in scores:
            g, m = scores["grader"], scores["math-verify"]
            speed = g.per_second / m.per_second if m.per_second else None
            add(f"{name} pairs: ≥ 20× math-verify's pairs/s", speed, None if speed is None else speed >= 20, ".0f")
            add(f"{name} pairs: accuracy ≥ math-verify's (grader − peer, points)",
                100 * (g.right - m.right) / max(1, g.pairs), g.right >= m.right, "+.1f")
    return rows
