"""Each student's values: stable across runs and processes, different across students, always within
the declared variants and satisfying the constraints."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings, strategies as st

from grader.grading.checked import load_assignment_dir
from grader.variants import student_variant, variant_key
from grader.variants.derive import first_failure, normalise_student, problem_values
from grader.variants.paths import get_path, set_paths
from tests.core.grading_harness import REPO
from tests.variants.helpers import enabled_copy

IDS = ["alice.chen", "boris.ivanov", "Ωmega", "student-042"]


def test_same_values_in_other_processes_with_other_hash_seeds(tmp_path) -> None:
    folder = enabled_copy(tmp_path)
    here = {student: student_variant(assignment=load_assignment_dir(folder=folder), student=student) for student in IDS}
    script = ("import json, sys; from grader.grading.checked import load_assignment_dir; "
              "from grader.variants import student_variant; "
              "a = load_assignment_dir(folder=sys.argv[1]); "
              "print(json.dumps({s: student_variant(assignment=a, student=s) for s in sys.argv[2:]}))")
    # the two processes run side by side (each spends seconds importing and loading), then each is checked
    processes = [subprocess.Popen([sys.executable, "-c", script, str(folder), *IDS], cwd=REPO,
                                  env={**os.environ, "PYTHONHASHSEED": hash_seed},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for hash_seed in ("1", "4242")]
    try:
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert json.loads(out) == json.loads(json.dumps(here))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_repeated_derivation_is_identical_and_ids_are_normalised(tmp_path) -> None:
    assignment = load_assignment_dir(folder=enabled_copy(tmp_path))
    first = student_variant(assignment=assignment, student="alice.chen")
    assert first == student_variant(assignment=assignment, student="alice.chen")
    assert first == student_variant(assignment=assignment, student="  Alice.Chen ")
    assert normalise_student("  Alice.Chen ") == "alice.chen"


def test_most_students_differ(tmp_path) -> None:
    assignment = load_assignment_dir(folder=enabled_copy(tmp_path))
    keys = [variant_key(student_variant(assignment=assignment, student=f"s{k:03d}")) for k in range(200)]
    pairs = list(itertools.combinations(keys, 2))
    differ = sum(a != b for a, b in pairs) / len(pairs)
    assert differ > 0.99, differ
    for problem in assignment.problems:
        if problem.variants:  # each varied problem on its own gives many different variants too
            seen = {json.dumps(problem_values(assignment=assignment, problem=problem, student=f"s{k:03d}"),
                               sort_keys=True) for k in range(200)}
            assert len(seen) > 20, (problem.id, len(seen))


def test_another_seed_gives_other_values(tmp_path) -> None:
    one = load_assignment_dir(folder=enabled_copy(tmp_path / "a", seed="one"))
    two = load_assignment_dir(folder=enabled_copy(tmp_path / "b", seed="two"))
    same = sum(student_variant(assignment=one, student=f"s{k}") == student_variant(assignment=two, student=f"s{k}")
               for k in range(50))
    assert same <= 2


def test_variants_off_means_default_parameters() -> None:
    from tests.core.grading_harness import DL_BASICS

    assignment = load_assignment_dir(folder=DL_BASICS)
    assert not assignment.variants.enabled
    assert student_variant(assignment=assignment, student="alice.chen") == {}


_ASSIGNMENT = {}


def _enabled(tmp_path_factory):
    if "a" not in _ASSIGNMENT:
        _ASSIGNMENT["a"] = load_assignment_dir(folder=enabled_copy(tmp_path_factory.mktemp("variants")))
    return _ASSIGNMENT["a"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(student=st.text(min_size=1, max_size=40))
def test_constraints_always_hold_and_values_are_declared(tmp_path_factory, student) -> None:
    assignment = _enabled(tmp_path_factory)
    values = student_variant(assignment=assignment, student=student)
    for problem in assignment.problems:
        if not problem.variants:
            assert problem.id not in values
            continue
        chosen = values[problem.id]
        assert set(chosen) == set(problem.variants)
        parameters = set_paths(problem.parameters, chosen)
        assert first_failure(problem=problem, parameters=parameters) is None
        for path, spec in problem.variants.items():
            value = get_path(parameters, path)
            if spec.choices is not None:
                assert value in [list(c) if isinstance(c, tuple) else c for c in spec.choices]
            elif spec.range is not None:
                lo, hi = spec.range
                assert isinstance(value, int) and lo <= value <= hi and (value - lo) % spec.step == 0
            else:
                lo, hi = spec.uniform
                assert lo <= value <= hi and round(value, spec.decimals) == value


def test_the_stream_is_pinned_so_no_library_upgrade_changes_students_numbers() -> None:
    # SHA-256 in counter mode, not a NumPy generator: these numbers must never change
    # (changing the derivation would give every student of a running course new numbers)
    from grader.variants.derive import variant_rng

    stream = variant_rng(seed="s", assignment_id="a", problem_id="p", student=" alice ")
    assert [stream.integers(10) for _ in range(8)] == [1, 3, 0, 8, 6, 6, 3, 8]
    assert round(stream.random(), 12) == 0.87224820371
