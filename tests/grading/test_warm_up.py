"""A worker checks each symbolic part's reference once before its first check of a run, as a step of its own
(grader/grading/warm_up.py, grader.grading.jobs.warmed), so that a student's part step, bounded in wall-clock seconds, never pays for the process's first SymPy check; and what the
warm-up leaves behind changes no outcome."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from grader.grading.checked import load_context
from grader.grading.jobs import install_context, part_job
from grader.grading.part import grade_part
from grader.grading.warm_up import warm_up
from grader.sandbox.pool import WorkerPool
from grader.submissions import Candidate, PartInput

REPO = Path(__file__).resolve().parents[2]

warm_probes = pytest.importorskip("warm_probes")


def _context():
    return load_context(problems_dir=REPO / "problems", assignment_id="dl-basics")


def test_the_warm_up_checks_every_symbolic_part() -> None:
    context = _context()
    symbolic = [p for p in context.order if context.assignment.part(p).symbolic]
    assert len(symbolic) >= 4
    assert warm_up(context) == len(symbolic)


@pytest.mark.parametrize(("part_id", "answer"), [
    ("1a", r"\hat y_i(\delta_{ij} - \hat y_j)"), ("1a", r"\hat y_i(1 - \hat y_j)"), ("1b", r"y - \hat y"),
    ("3a", r"\frac{m_i}{1-p}"), ("5a", "2Aw"), ("5a", "A w + A^T w"),
])
def test_an_answer_is_graded_the_same_with_and_without_the_warm_up(part_id: str, answer: str) -> None:
    cold, warmed = _context(), _context()  # two loads: the symbolic memos are kept per spec object
    warm_up(warmed)
    given = PartInput(candidates=(Candidate(text=answer, source="labelled", line_start=3, line_end=3, quote=answer),),
                      confidence=0.9, lines=(3, 3))
    assert (grade_part(context=warmed, part_id=part_id, part_input=given, student_values={})
            == grade_part(context=cold, part_id=part_id, part_input=given, student_values={}))


def test_a_worker_warms_up_before_its_first_check_and_not_before() -> None:
    context = _context()
    install = {"context_id": f"warm/{uuid.uuid4().hex}", "context": context, "store": None, "report": None}
    symbolic = sum(1 for p in context.order if context.assignment.part(p).symbolic)
    shape = PartInput(candidates=(Candidate(text="(26, 26)", source="labelled", line_start=2, line_end=2),),
                      confidence=0.9, lines=(2, 2))
    with WorkerPool(workers=1, setup=(install_context, install)) as pool:
        before = pool.run(fn=warm_probes.symbolic_state, kwargs={})
        checked = pool.run(fn=part_job, kwargs={"context_id": install["context_id"], "part_id": "2a",
                                                "part_input": shape, "student_values": {}, "seconds": 10.0})
        after = pool.run(fn=warm_probes.symbolic_state, kwargs={})
    assert before.status == checked.status == after.status == "ok", (before.error, checked.error, after.error)
    assert before.value["specs"] == 0  # set up, nothing checked yet: a worker that only makes reports never warms up
    assert checked.value[0].result.verdict == "correct"
    # a shape part was checked, yet the worker remembers the reference forms of every symbolic part: its warm-up
    assert after.value["specs"] == symbolic and after.value["sympy"]
