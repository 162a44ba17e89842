"""Shared pytest options, and the hypothesis profile CI runs with."""

from __future__ import annotations

import os

from hypothesis import settings

# CI (which sets CI=true) explores the same examples on every run, so a red CI is a reproducible failure,
# never a new random draw; local runs keep exploring new random examples (and keep a database of failures).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output instead of comparing with it")
