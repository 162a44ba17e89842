"""The benchmark's generator: deterministic for a seed, honours --unique, and the grader agrees with its manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.agreement import compare, verdicts_of_run
from bench.generate import generate, load, main, unique_share
from grader.grading import grade_directory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def context():
    return load(problems=REPO / "problems", assignment="dl-basics")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_and_manifest(context, tmp_path):
    first = generate(context=context, n=12, seed=3, unique=0.2, out=tmp_path / "a")
    second = generate(context=context, n=12, seed=3, unique=0.2, out=tmp_path / "b")
    other = generate(context=context, n=12, seed=4, unique=0.2, out=tmp_path / "c")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert first == second
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")
    assert other["files"] != first["files"]


@pytest.mark.parametrize("knob", [0.0, 0.3, 1.0])
def test_unique_knob_is_the_share_of_unique_answers(context, tmp_path, knob):
    manifest = generate(context=context, n=120, seed=1, unique=knob, out=tmp_path / "set")
    assert abs(unique_share(manifest) - knob) < 0.06


def test_the_manifest_is_written_beside_the_folder_not_in_it(tmp_path):
    main(["--n", "3", "--seed", "2", "--out", str(tmp_path / "set")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set", "set.manifest.json"]
    assert len(list((tmp_path / "set").iterdir())) == 3


def test_the_grader_agrees_with_the_manifest(context, tmp_path):
    manifest = generate(context=context, n=20, seed=5, unique=0.1, out=tmp_path / "set")
    run = grade_directory(context=context, directory=tmp_path / "set", isolate=False)
    agreement = compare(manifest=manifest, verdicts=verdicts_of_run(run))
    assert agreement.files == 20
    assert agreement.parts == sum(len(entry["parts"]) for entry in manifest["files"].values())
    assert agreement.share >= 0.95, agreement.top(10)
    false_credit = {key: n for key, n in agreement.rows.items() if key[4] == "correct"}
    assert not false_credit, false_credit
