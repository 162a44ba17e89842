"""Issue 13, item 3 (re-runs): a file that is what it was, graded the way it was, is not graded again.

Its share of the report set comes from the file cache (grader/reports/file_cache.py), and the report set is the
same, byte for byte, as a run that grades everything again; a decision about one answer group re-grades the files
of that group alone; a changed, renamed or edited file, a kept page edited in place and a broken cache are all
graded again."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

import grader
import grader.grading.jobs as jobs_module
import grader.grading.run as run_module
from grader.api import RunOptions
from grader.review.overrides import Override, record_override
from grader.review.scope import DecisionScope
from tests.core.grading_harness import REPO, report_bytes

SAMPLES = REPO / "submissions" / "dl-basics"


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    """The shipped dl-basics samples, and two more students who copied boris's page (the same answer groups)."""
    folder = tmp_path / "subs"
    shutil.copytree(SAMPLES, folder)
    for name in ("boris_twin.md", "boris_other.md"):
        shutil.copy(folder / "boris_ivanov.md", folder / name)
    return folder


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run really grades (not reused), in the order it grades them."""
    seen: list[str] = []
    original = run_module.grade_entry

    def spy(**kwargs):
        seen.append(kwargs["entry"].shown)
        return original(**kwargs)

    monkeypatch.setattr(run_module, "grade_entry", spy)
    return seen


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run reads (a file whose decisions changed is not read: its kept result is decided again)."""
    seen: list[str] = []
    original = jobs_module.read_job

    def spy(**kwargs):
        seen.append(Path(kwargs["path"]).name)
        return original(**kwargs)

    monkeypatch.setattr(jobs_module, "read_job", spy)
    return seen


def _grade(subs: Path, out: Path, overrides: Path, *, cache: bool = True) -> grader.GradeOutcome:
    return grader.grade(submissions=subs, problems=REPO / "problems", assignment="dl-basics", out=out,
                        overrides=overrides, options=RunOptions(isolate=False, cache=cache))


def _reused(outcome: grader.GradeOutcome) -> int:
    return outcome.assignments[0].stats.reused


def test_a_rerun_reuses_every_unchanged_file_and_writes_the_same_bytes(tmp_path, subs, graded):
    decisions = tmp_path / "overrides.yaml"
    first = _grade(subs, tmp_path / "first", decisions)
    files = sorted(p.name for p in subs.iterdir())
    assert sorted(graded) == files and _reused(first) == 0
    graded.clear()
    again = _grade(subs, tmp_path / "again", decisions)
    assert graded == [] and _reused(again) == len(files)
    fresh = _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert sorted(graded) == files and _reused(fresh) == 0
    assert report_bytes(tmp_path / "again") == report_bytes(tmp_path / "fresh") == report_bytes(tmp_path / "first")


def test_a_decision_about_one_group_redecides_that_group_alone(tmp_path, subs, graded, read):
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    results = json.loads((tmp_path / "first" / "results.json").read_text(encoding="utf-8"))
    by_student = {s["student"]: s["file"] for s in results["submissions"]}
    # a group of boris's and his two copies, and of no other student
    part, group = next((pid, g) for pid, groups in results["groups"].items() for g in groups
                       if sorted(g["students"]) == ["boris_ivanov", "boris_other", "boris_twin"])
    members = sorted(by_student[s] for s in group["students"])
    for score, comment in ((0.5, "half: see the solution"), (0.75, "three quarters after all")):
        # the first decision finds the results.json item undecided; the second, the result kept before decisions
        record_override(decisions, Override(assignment="dl-basics", part=part, group=group["key"], score=score,
                                            comment=comment, by="ta", at="2026-12-01T10:00:00+00:00"))
        graded.clear(), read.clear()
        decided = _grade(subs, tmp_path / f"decided{score}", decisions)
        assert sorted(graded) == members and read == []  # only the group's files, and none of them read again
        assert _reused(decided) == len(by_student) - 3 and decided.assignments[0].stats.redecided == 3
        _grade(subs, tmp_path / f"fresh{score}", decisions, cache=False)
        assert report_bytes(tmp_path / f"decided{score}") == report_bytes(tmp_path / f"fresh{score}")
        page = (tmp_path / f"decided{score}" / "students" / "boris_twin.html").read_text(encoding="utf-8")
        assert comment in page
    graded.clear()
    _grade(subs, tmp_path / "again", decisions)  # the decision stands: nothing to grade
    assert graded == []


def test_a_kept_result_that_does_not_decode_is_graded_again(tmp_path, subs, read, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    results = json.loads((tmp_path / "first" / "results.json").read_text(encoding="utf-8"))
    part, group = next((pid, g) for pid, groups in results["groups"].items() for g in groups
                       if sorted(g["students"]) == ["boris_ivanov", "boris_other", "boris_twin"])
    (cache_file,) = (tmp_path / "cache").glob("files-*.sqlite")
    with sqlite3.connect(cache_file) as db:  # the kept results of the group's three files
        for key, meta in db.execute("SELECT key, meta FROM files").fetchall():
            if json.loads(zlib.decompress(meta))["student"] in group["students"]:
                db.execute("UPDATE files SET item = ? WHERE key = ?", (b"not zlib", key))
    record_override(decisions, Override(assignment="dl-basics", part=part, group=group["key"], score=0.5,
                                        comment="half", by="ta", at="2026-12-01T10:00:00+00:00"))
    read.clear()
    decided = _grade(subs, tmp_path / "decided", decisions)
    assert len(read) == 3 and decided.assignments[0].stats.redecided == 0
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "decided") == report_bytes(tmp_path / "fresh")


def test_a_changed_or_renamed_file_is_graded_again(tmp_path, subs, graded):
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    boris = subs / "boris_ivanov.md"
    boris.write_text(boris.read_text(encoding="utf-8") + "\nPS: one more line.\n", encoding="utf-8")
    (subs / "frank_okafor.txt").rename(subs / "frank_okafor_v2.txt")
    graded.clear()
    _grade(subs, tmp_path / "second", decisions)
    assert sorted(graded) == ["boris_ivanov.md", "frank_okafor_v2.txt"]
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "second") == report_bytes(tmp_path / "fresh")


def test_a_kept_page_edited_in_place_or_a_broken_cache_is_never_reused(tmp_path, subs, graded, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    page = tmp_path / "first" / "students" / "emma_schulz.html"  # a hard link to the kept page
    with open(page, "ab") as handle:
        handle.write(b"<!-- edited -->")
    graded.clear()
    _grade(subs, tmp_path / "second", decisions)
    assert graded == ["emma_schulz.md"]
    assert b"<!-- edited -->" not in (tmp_path / "second" / "students" / "emma_schulz.html").read_bytes()
    for store in (tmp_path / "cache").glob("files-*.sqlite"):
        store.write_bytes(b"not a database" * 100)
    graded.clear()
    _grade(subs, tmp_path / "third", decisions)
    assert sorted(graded) == sorted(p.name for p in subs.iterdir())
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "third") == report_bytes(tmp_path / "fresh")


def test_records_unused_by_the_last_runs_go_with_their_pages(tmp_path, subs, monkeypatch):
    from grader.reports import file_cache

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    (subs / "emma_schulz.md").unlink()
    for k in range(file_cache.KEEP_RUNS):
        _grade(subs, tmp_path / f"run{k}", decisions)
    store = next((tmp_path / "cache").glob("files-*.sqlite"))
    with sqlite3.connect(store) as db:
        kept = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    assert kept == len(list(subs.iterdir()))
    pages = list(store.with_suffix(".pages").iterdir())
    assert len(pages) == 2 * kept


def _entry(index: int, **fields) -> tuple[int, Override]:
    return index, Override(assignment="dl-basics", score=1.0, at="2026-12-01T10:00:00+00:00", **fields)


SCOPE = DecisionScope([_entry(0, part="2b", student="alice"), _entry(3, part="2b", group="3 \\cdot 3"),
                       _entry(4, part="2c", group="(46, 62, 20)")])


@pytest.mark.parametrize(("student", "groups", "same_as"), [
    ("bob", [("1a", "x")], None),                       # no entry concerns bob: the empty fingerprint
    ("alice", [], "alice"),                             # her own entry, whatever her answers
    ("alice", [("1a", "x")], "alice"),
    ("bob", [("2b", "3 \\cdot 3")], "group-2b"),        # the group entry of his answer
    ("bob", [("2c", "3 \\cdot 3")], None),              # the same key under another part: not that group
    ("alice", [("2b", "3 \\cdot 3")], "alice+group"),
])
def test_the_fingerprint_names_the_entries_that_concern_a_file(student, groups, same_as):
    named = {"alice": SCOPE.fingerprint(student="alice", groups=[]),
             "group-2b": SCOPE.fingerprint(student="carol", groups=[("2b", "3 \\cdot 3")]),
             "alice+group": SCOPE.fingerprint(student="alice", groups=[("2b", "3 \\cdot 3"), ("9z", "?")])}
    assert len(set(named.values())) == 3 and "" not in named.values()
    assert SCOPE.fingerprint(student=student, groups=groups) == ("" if same_as is None else named[same_as])


def test_an_entry_moved_in_the_file_changes_the_fingerprint():
    moved = DecisionScope([_entry(1, part="2b", student="alice")])
    assert moved.fingerprint(student="alice", groups=[]) != SCOPE.fingerprint(student="alice", groups=[])
