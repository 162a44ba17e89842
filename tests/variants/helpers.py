"""Shared helpers: a copy of dl-basics with variants switched on, and answers computed for a variant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from grader.answers import get_answer_type
from grader.grading import build_context
from grader.grading.checked import load_assignment_dir
from grader.variants import apply_variant, student_variant
from tests.core.grading_harness import DL_BASICS, correct_answers

VARIED_PROBLEMS = ("conv-shapes", "dropout", "backprop")


def enabled_copy(tmp_path: Path, *, seed: str = "test-seed") -> Path:
    """dl-basics copied into ``tmp_path`` with ``variants.enabled: true``; returns the assignment folder."""
    folder = tmp_path / "problems" / "dl-basics"
    shutil.copytree(DL_BASICS, folder)
    manifest = folder / "assignment.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "  enabled: false" in text
    text = text.replace("  enabled: false", "  enabled: true").replace("'dl-basics-2026-fall'", repr(seed))
    manifest.write_text(text, encoding="utf-8")
    return folder


def answers_for(folder: Path, student: str) -> dict[str, str]:
    """A fully correct answer set for ``student``'s own variant (reference values as a student writes them)."""
    assignment = load_assignment_dir(folder=folder)
    context = build_context(assignment=apply_variant(assignment=assignment,
                                                     values=student_variant(assignment=assignment, student=student)))
    answers = dict(correct_answers())
    for problem in context.assignment.problems:
        if problem.id not in VARIED_PROBLEMS:
            continue
        for part in problem.parts:
            if part.type == "expression" or part.id not in context.references:
                continue
            answers[part.id] = get_answer_type(part.type).show(value=context.references[part.id], part=part)
    return answers


def write_submission(folder: Path, *, student: str, answers: dict[str, str], name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or student}.json"
    path.write_text(json.dumps({"student": student, "answers": answers}), encoding="utf-8")
    return path
