"""Issue 13, items 2 and 5: one worker call per submission, each part a step bounded by its own seconds;
a submission whose call is killed is graded again one bounded call at a time, so the runaway part alone
becomes could_not_evaluate; parts without an answer never take a worker call."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pytest

from grader.grading.checked import load_context
from grader.grading.run import grade_directory
from grader.sandbox import WorkerPool

SOLVERS = """\
import os
import signal
import time

from grader.solvers import solver


@solver("hostile.plus_one")
def plus_one(*, x):
    if x == 999:      # the student's own (wrong) 1a, carried forward, makes this step run away
        time.sleep(60)
    if x == 777:      # or get the worker killed, as the kernel's out-of-memory killer would
        os.kill(os.getpid(), signal.SIGKILL)
    return x + 1
"""

PROBLEM = """\
id: p
number: 1
title: P
parameters: {x: 3}
parts:
  - {id: 1a, prompt: 'twice x', type: integer, formula: '2 * x'}
  - {id: 1b, prompt: '1a plus one', type: integer, solver: hostile.plus_one, args: {x: '@1a'}}
  - {id: 1c, prompt: 'x plus one', type: integer, formula: 'x + 1'}
  - {id: 1d, prompt: 'x plus two', type: integer, formula: 'x + 2'}
"""


def write_assignment(root: Path) -> Path:
    """The assignment above in ``root/problems/hw`` (with its hostile solver module); returns its folder."""
    folder = root / "problems" / "hw"
    folder.mkdir(parents=True)
    (folder / "assignment.yaml").write_text("id: hw\ntitle: T\necf: {enabled: true}\nproblems: [p.yaml]\n",
                                            encoding="utf-8")
    (folder / "p.yaml").write_text(PROBLEM, encoding="utf-8")
    (folder / "solvers.py").write_text(SOLVERS, encoding="utf-8")
    return folder


@pytest.fixture()
def assignment(tmp_path) -> Path:
    return write_assignment(tmp_path)


def write(folder: Path, name: str, answers: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps({"student": name, "answers": answers}), encoding="utf-8")


@pytest.fixture()
def calls(monkeypatch) -> Counter:
    """Worker calls made by the run, by job name."""
    counted: Counter = Counter()
    lock = threading.Lock()
    original = WorkerPool.run

    def run(self, *, fn, **kwargs):
        with lock:
            counted[fn.__name__] += 1
        return original(self, fn=fn, **kwargs)

    monkeypatch.setattr(WorkerPool, "run", run)
    return counted


def test_one_call_per_submission(assignment, tmp_path, calls):
    subs = tmp_path / "subs"
    for k in range(4):
        write(subs, f"s{k}", {"1a": "6", "1b": "7", "1c": "4"})  # 1d unanswered
    run = grade_directory(context=load_context(problems_dir=assignment.parent), directory=subs, jobs=2)
    assert dict(calls) == {"submission_job": 4}
    for submission in run.submissions:
        assert {pid: r.verdict for pid, r in submission.parts.items()} == \
            {"1a": "correct", "1b": "correct", "1c": "correct", "1d": "no_answer"}


@pytest.mark.parametrize(("wrong", "reason"), [
    ("999", "time limit (1 s)"),
    ("777", "crashed: worker killed by SIGKILL, which the grader did not send"),
])
def test_a_killed_call_is_graded_again_part_by_part(assignment, tmp_path, calls, wrong, reason):
    subs = tmp_path / "subs"
    write(subs, "good", {"1a": "6", "1b": "7", "1c": "4"})
    write(subs, "hostile", {"1a": wrong, "1b": "5", "1c": "4"})  # 1b wrong: error carried forward from 1a
    run = grade_directory(context=load_context(problems_dir=assignment.parent), directory=subs, jobs=1,
                          part_seconds=1.0, memory_mb=512)
    by_student = {s.student: s for s in run.submissions}
    hostile = by_student["hostile"].parts
    assert hostile["1b"].verdict == "could_not_evaluate"
    assert hostile["1b"].feedback.startswith(f"Could not evaluate this answer ({reason}")
    assert (hostile["1a"].verdict, hostile["1c"].verdict, hostile["1d"].verdict) == \
        ("incorrect", "correct", "no_answer")
    assert {r.verdict for r in by_student["good"].parts.values()} == {"correct", "no_answer"}
    # two one-call submissions; the killed one again: its reading and its three answered parts, not 1d
    assert dict(calls) == {"submission_job": 2, "read_job": 1, "part_job": 3}


def test_in_process_and_isolated_runs_agree(assignment, tmp_path):
    subs = tmp_path / "subs"
    write(subs, "a", {"1a": "6", "1b": "7", "1c": "4"})
    write(subs, "b", {"1a": "5", "1b": "6", "1c": "x +"})
    write(subs, "c", {})
    context = load_context(problems_dir=assignment.parent)
    isolated = grade_directory(context=context, directory=subs, jobs=2)
    inline = grade_directory(context=context, directory=subs, isolate=False)
    assert isolated.model_dump_json() == inline.model_dump_json()
    assert isolated.submissions[1].parts["1b"].verdict == "ecf"


def test_the_peak_memory_read_for_the_thread_is_the_process_peak():
    """peak_memory_mb reads RUSAGE_THREAD (RUSAGE_SELF made the scheduler switch away inside the call on a busy
    machine): its ru_maxrss is the whole process's, also when another thread made the peak."""
    import resource

    from grader.grading.jobs import peak_memory_mb

    held = []

    def grow() -> None:  # in another thread: 64 MB made resident
        block = bytearray(64 * 1024 * 1024)
        block[::4096] = b"\1" * len(range(0, len(block), 4096))
        held.append(block)

    worker = threading.Thread(target=grow)
    worker.start()
    worker.join()
    process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert process >= 64 and abs(peak_memory_mb() - process) < 1
