"""Shared pytest options, and the hypothesis profile CI runs with."""

from __future__ import annotations

import os

import pytest

from hypothesis import settings

# CI (which sets CI=true) explores the same examples on every run, so a red CI is a reproducible failure,
# never a new random draw; local runs keep exploring new random examples (and keep a database of failures).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


#: Under pytest-xdist (README: `-n 2 --dist loadfile --no-loadscope-reorder`) the two workers take test files in
#: collection order. These files take longest (most of their time in processes they start), so they are handed
#: out first, longest first, and the run does not end on one of them while the other worker sits idle; every
#: other file keeps its place. A serial run keeps the plain collection order.
SLOWEST_FILES = (
    "tests/reliability/test_report_sets.py", "tests/grading/test_dask_executor.py",
    "tests/variants/test_derive.py", "tests/grading/test_verdict_cache.py", "tests/core/test_api.py",
    "tests/bench/test_many_files.py", "tests/hostile/test_corpus.py", "tests/review/test_app.py",
    "tests/variants/test_grading.py", "tests/sandbox/test_pool.py", "tests/review/test_override_cli.py",
    "tests/reports/test_golden.py", "tests/review/test_browser.py", "tests/grading/test_one_call.py",
)


def pytest_collection_modifyitems(items) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {path: i for i, path in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: the rest keep order


def pytest_addoption(parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output instead of comparing with it")


@pytest.fixture(autouse=True)
def _verdict_cache_of_its_own(tmp_path_factory, monkeypatch):
    """Each test grades with a verdict cache on disk of its own (never the user's ~/.cache/grader)."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path_factory.mktemp("verdict-cache", numbered=True)))


@pytest.fixture(scope="session")
def shipped_samples_reports(tmp_path_factory):
    """The report tree `grade submissions/ --problems problems -q` writes, graded once for the session: the golden
    test compares it with tests/golden/samples/, the library API test with what ``grader.grade`` writes. It grades
    with a verdict cache of its own (an empty one, as the autouse fixture gives each test)."""
    from typer.testing import CliRunner

    from grader.cli import app
    from tests.core.grading_harness import REPO

    out = tmp_path_factory.mktemp("shipped-samples") / "reports"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADER_CACHE_DIR", str(tmp_path_factory.mktemp("verdict-cache", numbered=True)))
        result = CliRunner().invoke(app, [str(REPO / "submissions"), "--problems", str(REPO / "problems"),
                                          "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out
