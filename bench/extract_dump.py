"""Dump what reading and segmenting make of a set of files, to check an optimisation changes nothing.

    python bench/extract_dump.py --out FILE [--assignment dl-basics] PATH...

For every file (PATH is a file or a folder, read recursively for .md/.txt/.tex/.ipynb/.pdf) and the
assignment: the ``repr`` of ``extract_answers(read_document(file), layout)`` (every part's candidates,
lines, flags, context, the unassigned ranges and warnings) and of ``read_submission`` (identity, unclaimed
text, the SubmissionInput). Compare two dumps with ``cmp``: they must be byte-identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SUFFIXES = {".md", ".markdown", ".txt", ".tex", ".ipynb", ".pdf"}


def files_of(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        out += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES) if path.is_dir() else [path]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--assignment", action="append", default=None)
    parser.add_argument("--problems", default=str(REPO / "problems"))
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    from bench.measure import _layout
    from grader.freeform import UnreadableFile, extract_answers, read_document
    from grader.freeform.layout import layout_from_part_ids
    from grader.grading.checked import load_context
    from grader.submissions import read_submission

    with open(args.out, "w", encoding="utf-8") as out:
        for assignment_id in args.assignment or ["dl-basics"]:
            context = load_context(problems_dir=Path(args.problems), assignment_id=assignment_id)
            layout = _layout(context, layout_from_part_ids)
            for path in files_of(args.paths):
                out.write(f"=== {assignment_id} {path}\n")
                try:
                    out.write(repr(extract_answers(document=read_document(path=path), layout=layout)) + "\n")
                except UnreadableFile as exc:
                    out.write(f"unreadable {exc}\n")
                out.write(repr(read_submission(path=path, assignment=context.assignment)) + "\n")


if __name__ == "__main__":
    main()
