"""Issue 15, item 1: ``grader.grade`` is the library entry point the ``grade`` command is a thin layer over.

The same inputs through ``grader.grade`` and through the command write the same report tree, byte for byte;
``RunOptions`` refuses what the command refuses, naming the field; and ``grade`` takes keywords only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import grader
from grader.api import GradeOutcome, ProblemFilesError, RunOptions, UsageError
from grader.cli import app
from grader.review.overrides import default_overrides_path
from tests.core.grading_harness import REPO, correct_answers


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_shipped_samples_graded_by_the_api_are_the_commands_reports_byte_for_byte(
        tmp_path: Path, shipped_samples_reports: Path) -> None:
    """``shipped_samples_reports`` is the command's tree: `grade submissions/ --problems problems -q` (graded once
    for the session, tests/conftest.py; the golden test reads it too)."""
    by_api, by_cli = tmp_path / "api" / "reports", shipped_samples_reports
    seen: list[str] = []
    done = grader.grade(submissions=REPO / "submissions", problems=REPO / "problems", out=by_api,
                        on_progress=lambda result: seen.append(result.file))
    api_tree, cli_tree = _tree(by_api), _tree(by_cli)
    assert sorted(api_tree) == sorted(cli_tree)
    assert [name for name in api_tree if api_tree[name] != cli_tree[name]] == []
    assert isinstance(done, GradeOutcome)
    assert [(a.assignment_id, a.out) for a in done.assignments] == [("cnn-basics", by_api / "cnn-basics"),
                                                                     ("dl-basics", by_api / "dl-basics")]
    graded = sum(len(a.run.submissions) for a in done.assignments)
    assert graded == len(seen) > 0
    results = json.loads((by_api / "dl-basics" / "results.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in results["submissions"]] == [s.file for s in done.assignments[1].run.submissions]
    with pytest.raises(ValueError, match="2 assignments"):
        done.run  # noqa: B018 - reading the property is what raises


def _one_student(tmp_path: Path) -> Path:
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "s1.json").write_text(json.dumps({"student": "s1", "answers": correct_answers()}), encoding="utf-8")
    return subs


def test_one_assignment_in_process_and_its_outcome(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = grader.grade(submissions=_one_student(tmp_path), problems=REPO / "problems", assignment="dl-basics",
                        out=out, options=RunOptions(isolate=False, cache=False))
    (row,) = done.run.submissions
    assert row.student == "s1" and row.status == "graded" and done.assignments[0].stats.peak_worker_mb is None
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["submissions"][0]["score"] == row.score
    assert done.warnings == () and done.overrides == default_overrides_path(problems_dir=REPO / "problems")


def test_warnings_go_to_the_callback_and_the_outcome(tmp_path: Path) -> None:
    subs = tmp_path / "empty"
    subs.mkdir()
    said: list[str] = []
    done = grader.grade(submissions=subs, problems=REPO / "problems", assignment="dl-basics", out=tmp_path / "out",
                        options=RunOptions(isolate=False), on_warning=said.append)
    assert said == list(done.warnings) == [f"no files to grade in {subs} (hidden files are skipped)"]


@pytest.mark.parametrize(("call", "error", "words"), [
    ({"problems": "nope"}, UsageError, "no problems folder at"),
    ({"assignment": "nope"}, UsageError, "no assignment 'nope'"),
    ({"submissions": "missing"}, UsageError, "no submissions folder at"),
])
def test_usage_errors_are_typed_and_say_what_the_command_says(tmp_path: Path, call, error, words) -> None:
    arguments = {"submissions": _one_student(tmp_path), "problems": REPO / "problems", "assignment": "dl-basics",
                 "out": tmp_path / "out"}
    arguments.update({key: tmp_path / value if key != "assignment" else value for key, value in call.items()})
    with pytest.raises(error, match=words) as raised:
        grader.grade(**arguments)
    assert raised.value.exit_code == 2 and not (tmp_path / "out").exists()


def test_broken_problem_files_are_a_problem_files_error(tmp_path: Path) -> None:
    problems = tmp_path / "problems"
    (problems / "broken").mkdir(parents=True)
    (problems / "broken" / "assignment.yaml").write_text("id: broken\nproblems: [nope.yaml]\n", encoding="utf-8")
    with pytest.raises(ProblemFilesError, match="problem definitions are broken; nothing was graded") as raised:
        grader.grade(submissions=_one_student(tmp_path), problems=problems, out=tmp_path / "out")
    assert raised.value.exit_code == 3


@pytest.mark.parametrize(("fields", "named"), [
    ({"jobs": 0}, "jobs"),
    ({"jobs": 65}, "jobs"),
    ({"jobs": "many"}, "jobs"),
    ({"part_seconds": 0.05}, "part_seconds"),
    ({"memory_mb": 64}, "memory_mb"),
    ({"executor": "slurm"}, "executor"),
    ({"scheduler": "tcp://127.0.0.1:8786"}, "scheduler"),
    ({"executor": "dask", "isolate": False}, "isolate"),
    ({"part_timeout": 5}, "part_timeout"),
    ({"quiet": True}, "quiet"),
])
def test_run_options_refuse_what_the_command_refuses_naming_the_field(fields, named) -> None:
    with pytest.raises(ValidationError, match=named):
        RunOptions(**fields)


def test_run_options_are_frozen_and_hold_the_defaults_the_grading_uses() -> None:
    import inspect

    from grader.grading.run import grade_directory_with_stats

    options = RunOptions()
    with pytest.raises(ValidationError):
        options.jobs = 2
    assert RunOptions(executor="dask", scheduler="tcp://h:1").scheduler == "tcp://h:1"
    signature = inspect.signature(grade_directory_with_stats).parameters
    assert {name: signature[name].default for name in options.grading_arguments()} == options.grading_arguments()


def test_grade_takes_keywords_only(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        grader.grade(tmp_path, REPO / "problems")  # type: ignore[misc]
    with pytest.raises(TypeError, match="RunOptions"):
        grader.grade(submissions=tmp_path, problems=REPO / "problems", options={"jobs": 2})  # type: ignore[arg-type]


def test_import_grader_stays_light() -> None:
    code = ("import sys, grader; heavy = [m for m in ('pydantic', 'grader.api', 'grader.grading') if m in sys.modules]"
            "\nassert callable(grader.grade) and grader.RunOptions().jobs == 1\nprint(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"


def test_every_default_has_one_home_that_the_command_the_model_and_the_sandbox_read() -> None:
    import typing

    from grader.api import defaults
    from grader.api.options import Executor
    from grader.sandbox import Bounds

    assert typing.get_args(Executor) == defaults.EXECUTORS
    assert RunOptions().model_dump() == {"jobs": defaults.JOBS, "part_seconds": defaults.PART_SECONDS,
                                         "read_seconds": defaults.READ_SECONDS, "memory_mb": defaults.MEMORY_MB,
                                         "cache": defaults.CACHE, "executor": defaults.EXECUTOR,
                                         "scheduler": defaults.SCHEDULER, "isolate": defaults.ISOLATE}
    assert Bounds() == Bounds(seconds=defaults.PART_SECONDS, memory_mb=defaults.MEMORY_MB)
    code = ("import sys, grader.sandbox, grader.cli\n"
            "print([m for m in ('pydantic', 'grader.api.options', 'grader.grading') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("flags", "message"), [
    (["--executor", "slurm"], "error: --executor is local or dask, not 'slurm'"),
    (["--scheduler", "tcp://127.0.0.1:1"], "error: --scheduler is for --executor dask"),
    (["--problems", "nope", "--executor", "slurm"], "error: no problems folder at"),  # named first, as before
])
def test_the_commands_option_mistakes_are_told_in_its_own_words(tmp_path: Path, flags, message) -> None:
    flags = [str(tmp_path / flag) if flag == "nope" else flag for flag in flags]
    result = CliRunner().invoke(app, [str(tmp_path), "--problems", str(REPO / "problems"), "--assignment",
                                      "dl-basics", "--out", str(tmp_path / "out"), "-q", *flags])
    assert result.exit_code == 2 and result.output.startswith(message), result.output
