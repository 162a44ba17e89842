"""Golden reports: `grade submissions/` on the shipped samples must write exactly the files in
tests/golden/samples/ (one sub-folder per assignment, as `grade` writes them). After an intended change, review the diff and refresh them with
`python -m pytest tests/reports/test_golden.py --update-golden`."""

from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

import pytest

from tests.core.grading_harness import REPO

GOLDEN = REPO / "tests" / "golden" / "samples"
#: the reports people read and other tools parse (the per-student HTML pages are covered by test_html),
#: and the assets the pages load
COMPARED = ("results.json", "grades.csv", "index.html", "feedback", "assets")
#: binary files are compared by hash: the golden copy is ``<file>.sha256``, not the file
HASHED = (".woff2",)


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for name in COMPARED:
            path = folder / name
            if path.is_dir():
                found.update({p.relative_to(root).as_posix(): p for p in sorted(path.rglob("*")) if p.is_file()})
            elif path.exists():
                found[path.relative_to(root).as_posix()] = path
    return found


@pytest.fixture
def written(shipped_samples_reports: Path) -> Path:
    """`grade submissions/` on the shipped samples (tests/conftest.py grades them once for the session)."""
    return shipped_samples_reports


def _snapshot(files: dict[str, Path]) -> dict[str, bytes]:
    """relative path -> content; a binary file becomes ``<path>.sha256`` holding its hash."""
    out = {}
    for rel, path in files.items():
        if path.suffix in HASHED:
            out[rel + ".sha256"] = f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n".encode()
        else:
            out[rel] = path.read_bytes()
    return out


def test_reports_match_golden(written: Path, request) -> None:
    got = _snapshot(_files(written))
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in got.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        pytest.skip(f"golden reports rewritten in {GOLDEN.relative_to(REPO)}")
    want = {rel: path.read_bytes() for rel, path in _files(GOLDEN).items()}
    assert sorted(got) == sorted(want), "a report file was added or removed (refresh with --update-golden)"
    for rel in want:
        expected = want[rel].decode("utf-8")
        actual = got[rel].decode("utf-8")
        if expected != actual:
            diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                     f"golden/{rel}", f"written/{rel}"))[:60])
            pytest.fail(f"{rel} differs from the golden copy (refresh with --update-golden if intended):\n{diff}")
