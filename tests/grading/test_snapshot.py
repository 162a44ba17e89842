"""Issue 13, item 1: a run builds the grading context once, and a run of the same problem files under the same
grader loads the context the last one checked (grader/grading/snapshot.py) instead of checking it again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import grader.grading.checked as checked
from grader.grading import snapshot
from grader.problems import ProblemFileError
from tests.core.grading_harness import REPO


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    folder = tmp_path / "problems"
    shutil.copytree(REPO / "problems" / "dl-basics", folder / "dl-basics")
    return folder


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    done: list[str] = []
    original = checked.checked_context

    def counted(*, assignment):
        done.append(assignment.id)
        return original(assignment=assignment)

    monkeypatch.setattr(checked, "checked_context", counted)
    return done


def test_the_same_files_are_checked_once(problems, checks):
    first = snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    again = snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    assert checks == ["dl-basics"]
    assert again.assignment == first.assignment and again.order == first.order
    assert sorted(again.references) == sorted(first.references)
    assert repr(again.references) == repr(first.references)


def test_an_edited_problem_file_is_checked_again_and_its_errors_reported(problems, checks):
    snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    manifest = problems / "dl-basics" / "assignment.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("credit: 1.0", "credit: 0.5"), encoding="utf-8")
    edited = snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    assert checks == ["dl-basics", "dl-basics"]
    problem = next(p for p in sorted((problems / "dl-basics").glob("*.yaml")) if p.name != "assignment.yaml")
    problem.write_text(problem.read_text(encoding="utf-8").replace("type:", "tpye:", 1), encoding="utf-8")
    with pytest.raises(ProblemFileError):
        snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    assert edited.assignment.id == "dl-basics"


@pytest.mark.parametrize("spoil", ["garbage", "writable"])
def test_a_snapshot_that_is_not_ours_alone_or_does_not_load_is_checked_again(problems, checks, spoil):
    snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    path = snapshot.snapshot_path(folder=problems / "dl-basics", assignment_id="dl-basics")
    assert path is not None and path.is_file()
    if spoil == "garbage":
        path.write_bytes(b"\x80\x05not a pickle")
    else:
        os.chmod(path, 0o666)  # noqa: S103 - the point: a snapshot others may write is never loaded
    snapshot.load_context_kept(problems_dir=problems, assignment_id="dl-basics")
    assert checks == ["dl-basics", "dl-basics"]
    assert not path.stat().st_mode & 0o022  # written anew, private
