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
