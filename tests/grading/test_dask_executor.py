"""Issue 13, item 7: the optional Dask executor grades each file as a task on a Dask worker, through the same
bounded workers, so its reports are the same bytes as the local executor's and a runaway part still costs only
that part. Runs on a LocalCluster of two worker processes (CI installs the dask extra and must not skip)."""

from __future__ import annotations

import os
import sys

import pytest
from typer.testing import CliRunner

import grader
from grader.cli import app
from grader.grading.checked import load_context
from grader.grading.run import grade_directory
from tests.core.grading_harness import REPO, report_bytes
from tests.grading.test_one_call import write, write_assignment

SAMPLES = REPO / "submissions" / "dl-basics"


def _grader_file() -> str:
    import grader as imported

    return imported.__file__


def _dask():
    """The dask module; skips without it, except in CI, which must test the executor."""
    try:
        import dask
        import dask.distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must test the dask executor: install the extra (pip install -e '.[dev,dask]')")
        pytest.skip("dask[distributed] is not installed (pip install -e '.[dask]')")
    return dask


@pytest.fixture(scope="module")
def scheduler() -> str:
    """The address of a LocalCluster of two one-thread worker processes, shared by this module's tests."""
    dask = _dask()
    from dask.distributed import Client, LocalCluster

    from grader.grading.executors import NOT_DAEMON

    with dask.config.set(NOT_DAEMON), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        # the Dask workers grade with this checkout's code, not another installed copy
        assert set(client.run(_grader_file).values()) == {grader.__file__}
        yield cluster.scheduler_address


def test_the_reports_are_the_same_bytes_as_the_local_executors(tmp_path, scheduler):
    trees = {}
    for name, flags in (("local", []), ("dask", ["--executor", "dask", "--scheduler", scheduler])):
        out = tmp_path / name
        result = CliRunner().invoke(app, [str(SAMPLES), "--problems", str(REPO / "problems"), "--assignment",
                                          "dl-basics", "--out", str(out), "-j", "1", "-q", "--no-cache", *flags])
        assert result.exit_code == 0, result.output
        trees[name] = report_bytes(out)
    assert sorted(trees["dask"]) == sorted(trees["local"])
    for rel, data in trees["local"].items():
        assert trees["dask"][rel] == data, rel


def test_a_runaway_part_alone_could_not_be_evaluated(tmp_path, scheduler):
    folder = write_assignment(tmp_path)
    subs = tmp_path / "subs"
    write(subs, "good", {"1a": "6", "1b": "7", "1c": "4"})
    write(subs, "hostile", {"1a": "999", "1b": "5", "1c": "4"})  # 1a's wrong value makes 1b's solver sleep
    context = load_context(problems_dir=folder.parent)
    bounds = {"jobs": 1, "part_seconds": 1.0, "memory_mb": 512}
    on_dask = grade_directory(context=context, directory=subs, executor="dask", scheduler=scheduler, **bounds)
    local = grade_directory(context=context, directory=subs, **bounds)
    assert on_dask.model_dump_json() == local.model_dump_json()
    hostile = {s.student: s for s in on_dask.submissions}["hostile"].parts
    assert {pid: r.verdict for pid, r in hostile.items()} == \
        {"1a": "incorrect", "1b": "could_not_evaluate", "1c": "correct", "1d": "no_answer"}
    assert hostile["1b"].feedback.startswith("Could not evaluate this answer (time limit (1 s)")


def test_without_dask_the_command_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import dask.distributed now raises ImportError
    result = CliRunner().invoke(app, [str(SAMPLES), "--problems", str(REPO / "problems"), "--assignment",
                                      "dl-basics", "--out", str(tmp_path / "out"), "-q", "--executor", "dask"])
    assert result.exit_code == 2
    assert "pip install -e '.[dask]'" in result.output
    assert not (tmp_path / "out").exists()


def test_a_scheduler_that_cannot_be_reached_is_a_usage_error(tmp_path):
    with _dask().config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(app, [str(SAMPLES), "--problems", str(REPO / "problems"), "--assignment",
                                          "dl-basics", "--out", str(tmp_path / "out"), "-q", "--executor", "dask",
                                          "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert not (tmp_path / "out").exists()
