"""Issue 13 (re-runs): a run whose every file, grading and decision is what an earlier run's was links that
run's whole report set (grader/reports/set_cache.py): nothing is graded and no class-level report is made, and
the set is the same, byte for byte, as one made from scratch. Anything that could change it (a file, a name, any
overrides entry, a kept file edited in place) makes the set as usual, and a run with a file graded on every run
keeps no set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import grader
import grader.grading.run as run_module
import grader.reports.set_cache as set_cache_module
from grader.api import RunOptions
from grader.reports.streamed import ReportStream
from grader.review.overrides import Override, record_override
from tests.core.grading_harness import REPO, report_bytes

SAMPLES = REPO / "submissions" / "dl-basics"


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    folder = tmp_path / "subs"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """One line per run that made its class-level reports, and one per file graded (or re-decided)."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[str] = []
    write, grade = ReportStream._write_class_reports, run_module.grade_entry

    def class_reports(self, *args, **kwargs):
        seen.append("class reports")
        return write(self, *args, **kwargs)

    def graded(**kwargs):
        seen.append(kwargs["entry"].shown)
        return grade(**kwargs)

    monkeypatch.setattr(ReportStream, "_write_class_reports", class_reports)
    monkeypatch.setattr(run_module, "grade_entry", graded)
    return seen


def _grade(subs: Path, out: Path, overrides: Path, *, cache: bool = True, on_progress=None) -> grader.GradeOutcome:
    return grader.grade(submissions=subs, problems=REPO / "problems", assignment="dl-basics", out=out,
                        overrides=overrides, on_progress=on_progress, options=RunOptions(isolate=False, cache=cache))


def test_an_unchanged_run_links_the_whole_set_and_reports_the_same(tmp_path, subs, made):
    decisions = tmp_path / "overrides.yaml"
    first = _grade(subs, tmp_path / "first", decisions)
    assert made.count("class reports") == 1 and len(made) == 1 + len(list(subs.iterdir()))
    made.clear()
    progress: list[str] = []
    again = _grade(subs, tmp_path / "again", decisions, on_progress=lambda result: progress.append(result.file))
    assert made == []  # nothing graded, no class-level report made
    assert sorted(progress) == sorted(p.name for p in subs.iterdir())
    assert again.assignments[0].stats.reused == len(progress)
    (one,), (two,) = first.assignments, again.assignments
    assert (one.summary, one.duplicates, one.stale_overrides) == (two.summary, two.duplicates, two.stale_overrides)
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "again") == report_bytes(tmp_path / "fresh") == report_bytes(tmp_path / "first")


def test_any_entry_a_file_or_a_name_changed_makes_the_set_again(tmp_path, subs, made):
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    # an entry for a student of no file changes no file's share, but the stale entries the class page lists
    record_override(decisions, Override(assignment="dl-basics", part="1a", student="nobody_here", score=1.0,
                                        comment="no such file", by="ta", at="2026-12-01T10:00:00+00:00"))
    made.clear()
    _grade(subs, tmp_path / "decided", decisions)
    assert made == ["class reports"]  # every file reused, the class-level reports made again
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "decided") == report_bytes(tmp_path / "fresh")
    (subs / "frank_okafor.txt").rename(subs / "frank_okafor_v2.txt")
    made.clear()
    _grade(subs, tmp_path / "renamed", decisions)
    assert made == ["frank_okafor_v2.txt", "class reports"]


def test_a_kept_set_edited_in_place_is_never_reused(tmp_path, subs, made):
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    with open(tmp_path / "first" / "index.html", "ab") as handle:  # a hard link to the kept set's page
        handle.write(b"<!-- edited -->")
    made.clear()
    _grade(subs, tmp_path / "second", decisions)
    assert made == ["class reports"]
    assert b"<!-- edited -->" not in (tmp_path / "second" / "index.html").read_bytes()
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(tmp_path / "second") == report_bytes(tmp_path / "fresh")


def test_a_run_with_a_file_graded_on_every_run_keeps_no_set(tmp_path, subs, made):
    decisions = tmp_path / "overrides.yaml"
    (subs / "scan.md").write_bytes(b"\x00\x01\x02 not text \xff" * 50)
    _grade(subs, tmp_path / "first", decisions)
    made.clear()
    _grade(subs, tmp_path / "second", decisions)
    assert "class reports" in made
    assert not list((tmp_path / "cache").glob("files-*.sets/*"))


def test_only_the_latest_sets_are_kept(tmp_path, subs, made, monkeypatch):
    monkeypatch.setattr(set_cache_module, "KEEP_SETS", 1)
    decisions = tmp_path / "overrides.yaml"
    _grade(subs, tmp_path / "first", decisions)
    (subs / "frank_okafor.txt").unlink()
    _grade(subs, tmp_path / "second", decisions)
    (sets,) = (tmp_path / "cache").glob("files-*.sets")
    assert len(list(sets.iterdir())) == 1
    made.clear()
    _grade(subs, tmp_path / "third", decisions)
    assert made == []


def _inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*")}


def test_an_unchanged_run_into_the_same_folder_leaves_its_set_where_it_is(tmp_path, subs, made):
    decisions, out = tmp_path / "overrides.yaml", tmp_path / "out"
    _grade(subs, out, decisions)
    (out / ".gitkeep").write_text("kept\n")
    before, folder = _inodes(out), out.stat().st_ino
    made.clear()
    again = _grade(subs, out, decisions)
    assert made == []
    assert again.assignments[0].stats.reused == len(list(subs.iterdir()))
    assert out.stat().st_ino == folder and _inodes(out) == before  # not swapped: the very files are there
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".out.")] == [".out.lock"]  # no staging
    assert (out / ".gitkeep").read_text() == "kept\n"
    (out / ".gitkeep").unlink()
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(out) == report_bytes(tmp_path / "fresh")


@pytest.mark.parametrize("change", ["extra file", "extra folder", "page gone", "page replaced", "link"])
def test_a_folder_that_differs_from_the_set_in_any_file_gets_the_set_swapped_in(tmp_path, subs, made, change):
    decisions, out = tmp_path / "overrides.yaml", tmp_path / "out"
    _grade(subs, out, decisions)
    page = next((out / "students").iterdir())
    if change == "extra file":
        (out / "students" / "notes.txt").write_text("mine\n")
    elif change == "extra folder":
        (out / "old-run").mkdir()
    elif change == "page gone":
        page.unlink()
    elif change == "page replaced":  # a copy of the same bytes: another file than the kept one
        data = page.read_bytes()
        page.unlink()
        page.write_bytes(data)
    else:
        page.unlink()
        page.symlink_to(tmp_path / "overrides.yaml")
    folder = out.stat().st_ino
    made.clear()
    _grade(subs, out, decisions)
    assert made == []  # still a whole-set hit: linked in and swapped, not made
    assert out.stat().st_ino != folder
    _grade(subs, tmp_path / "fresh", decisions, cache=False)
    assert report_bytes(out) == report_bytes(tmp_path / "fresh")
    assert not (out / "students" / "notes.txt").exists() and not (out / "old-run").exists()
