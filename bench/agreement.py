"""The grader's agreement with a generated corpus's manifest (the verdict each (file, part) must get).

The grader's verdicts are folded into the manifest's classes: ``correct`` and ``ecf`` are credited in full
(``correct``), ``incorrect`` is ``incorrect``, ``no_answer`` is ``no_answer``, ``needs_review`` and
``could_not_evaluate`` go to a person (``review``); ``partial`` stays ``partial`` and never agrees (the
generator writes no partially right answer). Disagreements are grouped by (part, layout, form, expected, got).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

FOLD = {"correct": "correct", "ecf": "correct", "incorrect": "incorrect", "no_answer": "no_answer",
        "needs_review": "review", "could_not_evaluate": "review", "partial": "partial", "overridden": "overridden"}


@dataclass
class Agreement:
    parts: int = 0
    agree: int = 0
    files: int = 0
    missing_files: int = 0
    rows: Counter = field(default_factory=Counter)  # (part, layout, form, expected, got) -> count
    examples: dict = field(default_factory=dict)    # the same key -> (file, answer)

    @property
    def share(self) -> float:
        return self.agree / self.parts if self.parts else 0.0

    def top(self, limit: int = 25) -> list[tuple[tuple[str, ...], int, tuple[str, str]]]:
        return [(key, count, self.examples[key]) for key, count in self.rows.most_common(limit)]


def compare(*, manifest: dict[str, Any], verdicts: Iterable[tuple[str, dict[str, str]]]) -> Agreement:
    """``verdicts``: (file, {part: grader verdict}) per graded file (a subset of the manifest's files is fine)."""
    out = Agreement()
    for file, parts in verdicts:
        entry = manifest["files"].get(file)
        if entry is None:
            continue
        out.files += 1
        for part_id, want in entry["parts"].items():
            got = FOLD.get(parts.get(part_id, "missing"), parts.get(part_id, "missing"))
            out.parts += 1
            if got == want["expected"]:
                out.agree += 1
                continue
            key = (part_id, entry.get("layout", ""), want["form"], want["expected"], got)
            out.rows[key] += 1
            out.examples.setdefault(key, (file, want["answer"]))
    out.missing_files = len(manifest["files"]) - out.files
    return out


def verdicts_of_run(run: Any) -> Iterable[tuple[str, dict[str, str]]]:
    """(file, {part: verdict}) of a ``grader.results.RunResult`` or of a loaded ``results.json``."""
    submissions = run["submissions"] if isinstance(run, dict) else run.submissions
    for s in submissions:
        if isinstance(s, dict):
            yield s["file"], {pid: p["verdict"] for pid, p in (s.get("parts") or {}).items()}
        else:
            yield s.file, {pid: p.verdict for pid, p in s.parts.items()}


def table(agreement: Agreement, limit: int = 25) -> list[str]:
    lines = [f"agreement with the manifest: {agreement.agree}/{agreement.parts} parts "
             f"({100 * agreement.share:.2f} %) over {agreement.files} files"]
    if agreement.rows:
        lines.append(f"  {'count':>6}  {'part':5} {'layout':9} {'expected':9} {'got':9} form — example")
        for (part, layout, form, want, got), count, (file, answer) in agreement.top(limit):
            lines.append(f"  {count:6}  {part:5} {layout:9} {want:9} {got:9} {form} — {file}: {answer[:60]!r}")
    return lines
