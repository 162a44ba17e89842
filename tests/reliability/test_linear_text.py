"""No pass over a submission's text is worse than linear (issue 14, item 5).

A valid answer followed by ~2 MB of one character sequence (`$`, `{`, `\\left(`, backslashes, spaces: the text
the reader strips, counts brackets in, or skips) must still be found and graded, within the normal time bound,
and twice the text may take at most about twice the time. Measured in-process (no worker start-up), after a
warm-up run, in CPU seconds of this process, so the figures are those of the text handling alone and not of
whatever else the machine runs at the time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.grading import build_context
from grader.grading.submission import grade_submission
from grader.grading.checked import load_assignment_dir
from grader.grading.jobs import install_context
from grader.sandbox import Bounds, WorkerPool
from tests.core.grading_harness import DL_BASICS

PAYLOADS = {"dollars": "$", "braces": "{", "left": "\\left(", "backslashes": "\\", "spaces": " "}
ANSWER = "2b) 1820\n\n"
#: just under the reader's 2 000 000-byte limit, so all of it is read
FULL = 1_990_000
#: the normal bound of reading one file (grader.grading.run.DEFAULT_READ_SECONDS is 30 s; a part's is 10 s)
SECONDS = 10.0


@pytest.fixture(scope="module")
def context():
    context = build_context(assignment=load_assignment_dir(folder=DL_BASICS))
    return context


def _grade(context, folder: Path, text: str) -> tuple[float, object]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.md").write_text(text, encoding="utf-8")
    started = time.process_time()
    install_context(context_id="linear-text", context=context, store=None)
    with WorkerPool(workers=0) as pool:
        result, _, _ = grade_submission(context=context, path=folder / "a.md", root=folder, pool=pool,
                                        read_bounds=Bounds(seconds=30), part_bounds=Bounds(), context_id="linear-text")
    return time.process_time() - started, result


def _payload(unit: str, size: int) -> str:
    return ANSWER + unit * (size // len(unit))


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_answer_above_two_megabytes_of_noise_is_found_in_linear_time(tmp_path: Path, context, name: str) -> None:
    _grade(context, tmp_path / "warm", ANSWER)
    # the best of two runs each: a loaded machine slows one run, not the text handling
    half = min(_grade(context, tmp_path / "half", _payload(PAYLOADS[name], FULL // 2))[0] for _ in range(2))
    runs = [_grade(context, tmp_path / "full", _payload(PAYLOADS[name], FULL)) for _ in range(2)]
    full, result = min(runs, key=lambda run: run[0])
    assert result.status == "graded", result.reason
    assert result.parts["2b"].verdict == "correct" and result.parts["2b"].answer == "1820"
    assert full < SECONDS, f"{name}: {full:.2f} s for 2 MB"
    assert full / max(half, 0.05) < 3, f"{name}: 1 MB {half:.2f} s, 2 MB {full:.2f} s: not linear"


def test_a_file_cut_by_the_size_limit_loses_only_the_cut_line(tmp_path: Path, context) -> None:
    _, result = _grade(context, tmp_path / "cut", _payload("\\left(", 2_100_000))
    assert result.parts["2b"].verdict == "correct"
    assert any("size limit" in warning for warning in result.warnings)
