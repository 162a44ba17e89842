"""A run's report set replaces the previous one as a whole, or not at all (issue 14, item 1).

Every case builds its class in a temporary folder: a run over a larger class, an interrupt in the middle of
report writing (in-process, and with real SIGINT / SIGTERM / SIGKILL sent to a `grade` process), the window
between the two renames of the swap, a second run while one holds the lock, and an output folder that is read
only, full, or holds something that is not a report set."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import grader.reports.streamed as streamed_module
from grader.cli import app
from grader.reports import report_set
from grader.reports.report_set import repair, write_report_set
from grader.grading import build_context, grade_directory
from grader.grading.checked import load_assignment_dir
from tests.core.grading_harness import DL_BASICS, REPO

ANSWERS = ["2b) 1820\n2c) (46, 62, 20)\n", "2b) 1800\n", "2a) 26 x 26\n2b) 1820\n"]


def _class(root: Path, size: int, name: str = "subs") -> Path:
    subs = root / name
    if subs.exists():
        for path in subs.iterdir():
            path.unlink()
    subs.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        (subs / f"student{i:03d}.md").write_text(ANSWERS[i % len(ANSWERS)], encoding="utf-8")
    return subs


def _env() -> dict[str, str]:
    """The environment of a `grade` process that imports this checkout's grader."""
    return dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))


def _grade(subs: Path, out: Path, *extra: str):
    return CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                    "--out", str(out), "-q", *extra])


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".new-" in p.name or ".old-" in p.name)


def _complete(out: Path) -> bool:
    """results.json and every page it implies are there, and nothing else from another run."""
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    stems = {Path(s["file"]).stem for s in data["submissions"]}
    return ({p.stem for p in (out / "feedback").iterdir()} == stems
            and {p.stem for p in (out / "students").iterdir()} == stems)


@pytest.fixture(scope="module")
def three_graded(tmp_path_factory) -> Path:
    """The report set of a class of three, graded once by the command: the earlier set several tests then try
    to replace (each gets its own copy of it, :func:`_earlier_set`)."""
    root = tmp_path_factory.mktemp("three-graded")
    with pytest.MonkeyPatch.context() as patch:  # a verdict cache of its own, as the autouse fixture gives a test
        patch.setenv("GRADER_CACHE_DIR", str(root / "verdict-cache"))
        assert _grade(_class(root, 3), root / "out").exit_code == 0
    return root / "out"


def _earlier_set(three_graded: Path, out: Path) -> None:
    """``out`` becomes a copy of the class of three's report set, as if `grade` had just written it there."""
    shutil.copytree(three_graded, out, symlinks=True)


def test_a_smaller_class_after_a_larger_one_leaves_no_old_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _grade(_class(tmp_path, 5), out).exit_code == 0
    (out / ".gitkeep").write_text("", encoding="utf-8")
    assert _grade(_class(tmp_path, 2), out).exit_code == 0
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["student000.md", "student001.md"]
    assert sorted(p.name for p in (out / "students").iterdir()) == ["student000.html", "student001.html"]
    assert (out / ".gitkeep").is_file()  # hidden files of the folder stay
    assert _leftovers(tmp_path) == []


def test_an_interrupt_while_writing_reports_leaves_the_previous_set(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert _grade(_class(tmp_path, 4), out).exit_code == 0
    before = _tree(out)
    real, calls = streamed_module.RowStore.put, []

    def interrupted(self, **row):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, **row)

    # each file's reports go into the staging folder as its result arrives (its pages written by its worker,
    # its results.json item and slim copy into the run's store): the interrupt comes in the middle of that
    monkeypatch.setattr(streamed_module.RowStore, "put", interrupted)
    result = _grade(_class(tmp_path, 6), out)
    assert result.exit_code != 0 and len(calls) == 3
    assert _tree(out) == before
    assert _leftovers(tmp_path) == []


def test_a_run_killed_between_the_two_renames_is_repaired_by_the_next(tmp_path: Path, three_graded: Path) -> None:
    out = tmp_path / "out"
    _earlier_set(three_graded, out)
    before = _tree(out)
    os.rename(out, tmp_path / ".out.old-99999-dead")
    (tmp_path / ".out.new-99999-dead").mkdir()  # the killed run's staging folder
    repair(target=out)
    assert _tree(out) == before and _leftovers(tmp_path) == []
    (tmp_path / ".out.new-99998-beef" / "feedback").mkdir(parents=True)
    assert _grade(_class(tmp_path, 2), out).exit_code == 0
    assert _leftovers(tmp_path) == [] and _complete(out)


def test_a_second_run_on_the_same_out_refuses_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from grader.reports.report_set import "
         "out_lock\nwith out_lock(out=Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE, text=True, env=_env())
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = _grade(_class(tmp_path, 2), out)
        assert result.exit_code == 2, result.output
        assert f"pid {holder.pid}" in result.output and "another grade run" in result.output
        assert not out.exists() and _leftovers(tmp_path) == []
    finally:
        holder.kill()
        holder.wait()
    assert _grade(_class(tmp_path, 2), out).exit_code == 0


def _no_grading(monkeypatch) -> None:
    def fail(**kwargs):
        raise AssertionError("graded although the output folder cannot take the reports")

    monkeypatch.setattr("grader.grading.run.grade_directory_with_stats", fail)


def test_an_output_folder_that_cannot_be_written_is_refused_before_grading(tmp_path: Path, monkeypatch) -> None:
    _no_grading(monkeypatch)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    result = _grade(_class(tmp_path, 2), tmp_path / "not-a-folder" / "out")
    assert result.exit_code == 2 and "cannot write reports" in result.output

    def read_only(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    subs = _class(tmp_path, 2)
    monkeypatch.setattr(Path, "mkdir", read_only)
    result = _grade(subs, tmp_path / "out")
    assert result.exit_code == 2 and "Permission denied" in result.output


def test_a_full_disk_is_refused_before_grading(tmp_path: Path, monkeypatch) -> None:
    _no_grading(monkeypatch)
    monkeypatch.setattr(report_set.shutil, "disk_usage", lambda path: type("U", (), {"free": 1_000_000})())
    result = _grade(_class(tmp_path, 2), tmp_path / "out")
    assert result.exit_code == 2 and "MB free" in result.output
    assert _leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


def test_a_folder_that_is_not_a_report_set_is_never_replaced(tmp_path: Path, monkeypatch) -> None:
    _no_grading(monkeypatch)
    course = tmp_path / "course"
    (course / "problems").mkdir(parents=True)
    (course / "notes.txt").write_text("mine", encoding="utf-8")
    result = _grade(_class(tmp_path, 2), course)
    assert result.exit_code == 2 and "not the reports of an earlier run" in result.output
    assert sorted(p.name for p in course.iterdir()) == ["notes.txt", "problems"]


def test_write_report_set_replaces_the_folder(tmp_path: Path) -> None:
    context = build_context(assignment=load_assignment_dir(folder=DL_BASICS))
    out = tmp_path / "out"
    for size in (3, 1):
        run = grade_directory(context=context, directory=_class(tmp_path, size), isolate=False)
        written = write_report_set(run=run, assignment=context.assignment, out_dir=out)
    assert all(path.is_file() and path.is_relative_to(out) for path in written)
    assert [p.name for p in (out / "feedback").iterdir()] == ["student000.md"] and _leftovers(tmp_path) == []


# ------------------------------------------------------------------ real signals to a real run
def _start(subs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "grader.cli", str(subs), "--problems", str(REPO / "problems"),
                             "--assignment", "dl-basics", "--out", str(out), "-q"], env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False


def _writing(parent: Path) -> bool:
    return any(p.name.startswith(".out.new-") and any(p.glob("feedback/*.md")) for p in parent.iterdir())


def _staged(parent: Path) -> bool:
    return any(p.name.startswith(".out.new-") for p in parent.iterdir())


@pytest.mark.parametrize(("signum", "when"), [(signal.SIGINT, _writing), (signal.SIGTERM, _writing),
                                              (signal.SIGTERM, _staged)])
def test_a_signal_at_any_moment_leaves_the_old_set_or_the_new_one(tmp_path: Path, three_graded: Path, signum,
                                                                   when) -> None:
    out = tmp_path / "out"
    _earlier_set(three_graded, out)
    before = _tree(out)
    process = _start(_class(tmp_path, 20), out)
    try:
        assert _wait_for(lambda: when(tmp_path) or process.poll() is not None)
        process.send_signal(signum)
        process.wait(timeout=60)
    finally:
        process.kill()
    assert _leftovers(tmp_path) == [], (process.returncode, process.stderr.read())
    assert _tree(out) == before or (_complete(out) and len(_tree(out)) > len(before))


def test_a_killed_run_leaves_the_old_set_and_the_next_run_cleans_up(tmp_path: Path, three_graded: Path) -> None:
    out = tmp_path / "out"
    _earlier_set(three_graded, out)
    before = _tree(out)
    process = _start(_class(tmp_path, 20), out)
    assert _wait_for(lambda: _writing(tmp_path) or process.poll() is not None)
    finished = process.poll() is not None  # (a machine so fast it finished before the kill)
    process.kill()
    process.wait()
    assert _tree(out) == before or (finished and _complete(out))
    assert finished or _leftovers(tmp_path)  # the killed run's staging folder, for the next run to remove
    assert _grade(_class(tmp_path, 2), out).exit_code == 0
    assert _leftovers(tmp_path) == [] and _complete(out)
