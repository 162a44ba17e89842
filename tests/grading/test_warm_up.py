"""A worker checks each symbolic part's reference once in its setup call (grader/grading/warm_up.py), so that a
student's part step, bounded in wall-clock seconds, never pays for the process's first SymPy check; and what the
warm-up leaves behind changes no outcome."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from grader.grading.checked import load_context
from grader.grading.jobs import install_context, install_worker_context
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


@pytest.mark.parametrize(("setup", "warmed"), [(install_worker_context, True), (install_context, False)])
def test_a_worker_is_warmed_by_its_setup_call(setup, warmed: bool) -> None:
    context = _context()
    install = {"context_id": f"warm/{uuid.uuid4().hex}", "context": context, "store": None, "report": None}
    symbolic = sum(1 for p in context.order if context.assignment.part(p).symbolic)
    with WorkerPool(workers=1, setup=(setup, install)) as pool:
        outcome = pool.run(fn=warm_probes.symbolic_state, kwargs={})
    assert outcome.status == "ok", outcome.error
    # the specs whose reference forms the worker remembers: every symbolic part's, before its first file
    assert outcome.value["specs"] == (symbolic if warmed else 0)
    assert outcome.value["sympy"] or not warmed
