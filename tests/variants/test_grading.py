"""Grading picks each student's own variant from their id."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from grader.grading import build_context, grade_directory
from grader.grading.jobs import OTHER_VARIANT_NOTE
from grader.grading.checked import load_assignment_dir
from grader.problems.models import Assignment
from grader.reports import write_reports
from grader.variants import apply_variant, student_variant
from tests.core.grading_harness import DL_BASICS, correct_answers
from tests.variants.helpers import answers_for, enabled_copy, write_submission

VARIED_PARTS = ("2a", "2b", "2c", "2d", "3b", "3c", "4a", "4e", "4g", "4n")


def _wrong(submission) -> dict[str, str]:
    """Parts not graded correct, with their feedback (part 6 is free text: always read by a person)."""
    return {pid: r.feedback for pid, r in submission.parts.items()
            if r.verdict != "correct" and pid != "6" and not (r.max == 0 and r.verdict == "no_answer")}


@pytest.fixture(scope="module")
def enabled(tmp_path_factory) -> Path:
    """One copy of dl-basics with variants on for the module's tests (none of them edits it)."""
    return enabled_copy(tmp_path_factory.mktemp("variants"))


@functools.cache
def _loaded(folder: Path) -> Assignment:
    """The assignment in ``folder``, loaded and self-checked once (a frozen model, shared by the tests)."""
    return load_assignment_dir(folder=folder)


@functools.cache
def _computed_answers(folder: Path, student: str) -> tuple[tuple[str, str], ...]:
    return tuple(answers_for(folder, student).items())


def _answers_for(folder: Path, student: str) -> dict[str, str]:
    """helpers.answers_for, computed once per student (it loads the assignment and builds the variant's context)."""
    return dict(_computed_answers(folder, student))


def _grade(folder, subs, *, isolate=False, jobs=1):
    context = build_context(assignment=_loaded(folder))
    return grade_directory(context=context, directory=subs, isolate=isolate, jobs=jobs)


def test_own_variant_is_correct_and_another_students_answers_are_not(tmp_path, enabled) -> None:
    folder = enabled
    assignment = _loaded(folder)
    assert student_variant(assignment=assignment, student="alice.chen") != \
        student_variant(assignment=assignment, student="boris.ivanov")
    alice = _answers_for(folder, "alice.chen")
    subs = tmp_path / "subs"
    write_submission(subs, student="alice.chen", answers=alice)
    write_submission(subs, student="boris.ivanov", answers=alice)   # Alice's numbers under Boris's id
    run = _grade(folder, subs)
    by_student = {s.student: s for s in run.submissions}
    own, copied = by_student["alice.chen"], by_student["boris.ivanov"]
    assert own.status == "graded" and not _wrong(own), _wrong(own)
    # every part whose reference differs between the two variants is not correct for Boris (a part
    # computed from his own (copied) earlier values may still earn error carried forward)
    refs = {student: build_context(assignment=apply_variant(
        assignment=assignment, values=student_variant(assignment=assignment, student=student))).references
        for student in ("alice.chen", "boris.ivanov")}
    differ = [pid for pid in VARIED_PARTS if str(refs["alice.chen"][pid]) != str(refs["boris.ivanov"][pid])]
    assert len(differ) >= 6, differ
    assert all(copied.parts[pid].verdict != "correct" for pid in differ), {pid: copied.parts[pid].verdict for pid in differ}
    assert sum(copied.parts[pid].verdict == "incorrect" for pid in differ) >= 4
    assert copied.parts["1c"].verdict == "correct"      # problem 1 has no variants
    assert copied.score < own.score
    # results.json records each student's own numbers
    assert own.variant == {str(p.number): v for p in assignment.problems
                           for pid, v in student_variant(assignment=assignment, student="alice.chen").items()
                           if pid == p.id}
    out = tmp_path / "reports"
    write_reports(run=run, assignment=assignment, out_dir=out)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    recorded = {s["student"]: s["variant"] for s in data["submissions"]}
    assert recorded["alice.chen"]["2"]["input_size"] == own.variant["2"]["input_size"]
    # the student's feedback shows their own numbers in the prompts
    view = apply_variant(assignment=assignment, values=student_variant(assignment=assignment, student="boris.ivanov"))
    feedback = (out / "feedback" / "boris.ivanov.md").read_text(encoding="utf-8")
    assert view.part("2a").prompt.strip() in feedback
    assert "{{" not in feedback


def test_default_numbers_under_a_variant_get_graded_wrong_with_a_note(tmp_path, enabled) -> None:
    folder = enabled
    subs = tmp_path / "subs"
    write_submission(subs, student="carla.rossi", answers=correct_answers())   # the shipped numbers
    (result,) = _grade(folder, subs).submissions
    part = result.parts["2b"]
    assert part.verdict == "incorrect"
    assert OTHER_VARIANT_NOTE in part.notes


def test_isolated_workers_rebuild_the_variant_context(tmp_path, enabled) -> None:
    folder = enabled
    subs = tmp_path / "subs"
    for student in ("alice.chen", "boris.ivanov", "emma.schulz"):
        write_submission(subs, student=student, answers=_answers_for(folder, student))
    run = _grade(folder, subs, isolate=True, jobs=2)
    for submission in run.submissions:
        assert submission.status == "graded" and not _wrong(submission), \
            (submission.student, submission.reason, _wrong(submission))


def test_student_id_from_the_file_name(tmp_path, enabled) -> None:
    folder = enabled
    subs = tmp_path / "subs"
    subs.mkdir()
    answers = _answers_for(folder, "frank_okafor")
    (subs / "frank_okafor.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")
    (result,) = _grade(folder, subs).submissions
    assert result.student == "frank_okafor" and not _wrong(result), _wrong(result)


def test_variants_off_records_nothing_and_keeps_the_shipped_prompts(tmp_path) -> None:
    subs = tmp_path / "subs"
    write_submission(subs, student="alice.chen", answers=correct_answers())
    run = _grade(DL_BASICS, subs)
    (result,) = run.submissions
    assert result.variant is None and not _wrong(result)
    assignment = _loaded(DL_BASICS)
    out = tmp_path / "reports"
    write_reports(run=run, assignment=assignment, out_dir=out)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert "variant" not in data["submissions"][0]
    shown = apply_variant(assignment=assignment)
    assert shown.part("2a").prompt.startswith("A 224×224 input passes through conv 7×7 (p=3, s=2)")
    assert shown.part("3b").prompt == "Compute f(a) for p = 0.5, a = (2, \u22121, 3), m = (1, 0, 1)."
