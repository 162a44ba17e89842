"""Issue 13, item 1: the grading context is built once per run and handed to the workers; reading an
assignment calls nothing of grading; each reference is computed once per run and variant."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.grading.checked import load_context
from grader.grading.run import grade_directory

REPO = Path(__file__).resolve().parents[2]

SOLVERS = """\
    from pathlib import Path

    from grader.solvers import solver


    @solver("counted.double")
    def double(*, x):
        with open(Path(__file__).with_name("calls.log"), "a", encoding="utf-8") as log:
            log.write(f"{x}\\n")
        return 2 * x
"""


def write_assignment(root: Path, *, variants: bool) -> Path:
    folder = root / "problems" / "hw"
    folder.mkdir(parents=True)
    policy = "variants: {enabled: true, seed: s, check_sample: 2}\n" if variants else ""
    (folder / "assignment.yaml").write_text(f"id: hw\ntitle: T\n{policy}problems: [p.yaml]\n", encoding="utf-8")
    varied = "variants: {x: {range: [1, 500]}}\n" if variants else ""
    (folder / "p.yaml").write_text(
        "id: p\nnumber: 1\ntitle: P\nparameters: {x: 3}\n" + varied + "parts:\n"
        "  - {id: 1a, prompt: 'twice x', type: integer, solver: counted.double, args: {x: $x}}\n"
        "  - {id: 1b, prompt: 'x plus one', type: integer, formula: 'x + 1'}\n", encoding="utf-8")
    (folder / "solvers.py").write_text(textwrap.dedent(SOLVERS), encoding="utf-8")
    return folder


def write_submissions(folder: Path, students: list[str]) -> None:
    folder.mkdir(parents=True)
    for student in students:
        (folder / f"{student}.json").write_text(json.dumps({"student": student, "answers": {"1a": "6", "1b": "4"}}),
                                                encoding="utf-8")


def calls(folder: Path) -> list[str]:
    log = folder / "calls.log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


@pytest.mark.parametrize("isolate", [False, True])
def test_references_are_computed_once_per_run(tmp_path, isolate):
    folder = write_assignment(tmp_path, variants=False)
    write_submissions(tmp_path / "subs", [f"s{k}" for k in range(6)])
    context = load_context(problems_dir=folder.parent)  # the check computes them, the context keeps them
    run = grade_directory(context=context, directory=tmp_path / "subs", isolate=isolate, jobs=2)
    assert calls(folder) == ["3"]  # the default x, once: never again in a worker
    assert {s.parts["1a"].verdict for s in run.submissions} == {"correct"}


@pytest.mark.parametrize("isolate", [False, True])
def test_references_are_computed_once_per_variant(tmp_path, isolate):
    folder = write_assignment(tmp_path, variants=True)
    students = [f"s{k}" for k in range(6)]
    write_submissions(tmp_path / "subs", students + ["again"])
    (tmp_path / "subs" / "again.json").write_text(json.dumps({"student": "s0", "answers": {}}), encoding="utf-8")
    context = load_context(problems_dir=folder.parent)
    at_load = calls(folder)
    assert len(at_load) == 1 + 2  # the defaults and the two sample variants of the load check
    run = grade_directory(context=context, directory=tmp_path / "subs", isolate=isolate, jobs=1)
    during = calls(folder)[len(at_load):]
    shown = {s.file: s.variant for s in run.submissions}
    assert len(during) == len(students)  # one per student's variant, though s0 handed in two files
    assert sorted(during) == sorted(str(shown[f"{s}.json"]["1"]["x"]) for s in students)


def test_reading_an_assignment_calls_nothing_of_grading():
    script = ("import sys; from pathlib import Path; from grader.problems import read_assignment_dir; "
              f"read_assignment_dir(folder=Path({str(REPO / 'problems' / 'dl-basics')!r})); "
              "print(sorted(m for m in sys.modules if m.startswith(('grader.grading', 'grader.answers', "
              "'grader.solvers', 'grader.symbolic'))))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO)}).stdout
    assert out.strip() == "[]"
