"""Issue 6: the hostile corpus grades to completion, every file accounted for,
nothing executed, no part past its bound, the same output for -j 1 and -j 2."""

from __future__ import annotations

import csv
import json
import time

import pytest
from typer.testing import CliRunner

from grader.cli import app
from tests.core.grading_harness import REPO
from tests.hostile.corpus import build_corpus

PART_TIMEOUT = 3.0
#: stated bound for the whole corpus (~45 files) on the 2-core CI machine, per run
CORPUS_SECONDS = 240


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    marker = root / "PWNED"
    names = build_corpus(root / "subs", marker)
    runs = {}
    for jobs in (1, 2):
        out = root / f"out-j{jobs}"
        start = time.perf_counter()
        # each run with caches of its own: the second must grade every file again, not reuse the first's
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("GRADER_CACHE_DIR", str(root / f"cache-j{jobs}"))
            result = CliRunner().invoke(app, [str(root / "subs"), "--problems", str(REPO / "problems"), "--assignment",
                                              "dl-basics", "--out", str(out), "-j", str(jobs), "--part-timeout",
                                              str(PART_TIMEOUT), "-q"])
        runs[jobs] = (result, out, time.perf_counter() - start)
    return names, marker, runs


def test_runs_complete(corpus):
    _, _, runs = corpus
    for jobs, (result, _, seconds) in runs.items():
        assert result.exit_code == 0, (jobs, result.output, result.exception)
        assert seconds < CORPUS_SECONDS, f"-j {jobs} took {seconds:.1f} s"


def test_nothing_was_executed(corpus):
    _, marker, _ = corpus
    assert not marker.exists()


def test_one_row_per_file(corpus):
    names, _, runs = corpus
    for _, out, _ in runs.values():
        data = json.loads((out / "results.json").read_text(encoding="utf-8"))
        assert sorted(s["file"] for s in data["submissions"]) == names
        rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
        assert sorted(r["file"] for r in rows) == sorted(n if n[0] not in "=+-@" else "'" + n for n in names)
        for submission in data["submissions"]:
            assert submission["status"] in ("graded", "unreadable")
            if submission["status"] == "unreadable":
                assert submission["reason"]


def test_identical_output_for_one_and_two_workers(corpus):
    _, _, runs = corpus
    (_, out1, _), (_, out2, _) = runs[1], runs[2]
    for name in ("results.json", "grades.csv"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name


def test_expected_outcomes(corpus):
    _, _, runs = corpus
    data = json.loads((runs[1][1] / "results.json").read_text(encoding="utf-8"))
    by_file = {s["file"]: s for s in data["submissions"]}
    for name in ("empty.md", "binary.md", "binary.pdf", "yaml_tags.yaml", "yaml_tag_value.yaml",
                 "billion_laughs.yaml", "deep_json.json"):
        assert by_file[name]["status"] == "unreadable", name
    assert by_file["good.json"]["score"] == 28
    assert by_file["cp1251.txt"]["parts"]["2b"]["verdict"] == "correct"
    towers = by_file["towers.yaml"]["parts"]
    for part_id in ("2b", "2d", "2e", "3a", "5a", "1b", "4e", "1a"):
        assert towers[part_id]["verdict"] in ("could_not_evaluate", "incorrect", "needs_review"), part_id
        assert towers[part_id]["score"] == 0
    big = by_file["big_50mb.txt"]
    assert any("size limit" in w for w in big["warnings"])
    # its beginning is still graded: the answer on its own line above 800 000 lines of noise
    assert big["parts"]["2b"]["verdict"] == "correct"
    assert by_file["binary.pdf"]["reason"].startswith("unreadable: PDF could not be read")
    for name, submission in by_file.items():
        if name.startswith("inject_"):
            assert submission["score"] == 0, name
