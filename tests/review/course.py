"""A small course for the review app's tests: dl-basics, five structured submissions whose part 6 (read by a
person) falls into answer groups, graded in-process by ``grader.grade`` (what `grade` runs: grade, apply
overrides.yaml, write the reports)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import grader
from tests.core.grading_harness import DL_BASICS, correct_answers

GOOD = "ReLU passes the gradient unchanged for positive inputs; the sigmoid's derivative is at most 1/4."
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> ReLU is faster'
#: student -> their answer to part 6
PART6 = {"ann": GOOD, "bob": GOOD, "cyd": "  ReLU passes the gradient unchanged for positive inputs;\n"
         "the sigmoid's derivative is at most 1/4.", "dee": "ReLU is faster to compute.", "eve": HOSTILE}


def write_submission(subs: Path, student: str, **answers: str) -> None:
    (subs / f"{student}.json").write_text(json.dumps({"student": student, "answers": correct_answers() | answers}),
                                          encoding="utf-8")


def make_course(root: Path) -> Path:
    shutil.copytree(DL_BASICS, root / "problems" / "dl-basics")
    subs = root / "subs"
    subs.mkdir()
    for student, answer in PART6.items():
        write_submission(subs, student, **{"6": answer})
    return root


def grade_course(root: Path) -> Path:
    """Grade ``root/subs`` into ``root/reports`` with ``root/overrides.yaml`` applied; return the reports folder."""
    grader.grade(submissions=root / "subs", problems=root / "problems", out=root / "reports",
                 options=grader.RunOptions(isolate=False))
    return root / "reports"
