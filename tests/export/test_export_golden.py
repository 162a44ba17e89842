"""Golden exports: every format on the shipped samples' results (tests/golden/samples/), without a roster, and
each LMS format with the rosters in tests/export/rosters/ (side report included). After an intended change,
review the diff and refresh them with `python -m pytest tests/export --update-golden`."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from grader.export import get_exporter, known_exporters
from grader.export.run import export
from tests.core.grading_harness import REPO

SAMPLES = REPO / "tests" / "golden" / "samples"
GOLDEN = REPO / "tests" / "golden" / "exports"
ROSTERS = Path(__file__).parent / "rosters"
LMS = ("canvas", "moodle", "blackboard", "brightspace")

CASES = [(assignment, exporter.name, None) for assignment in ("dl-basics", "cnn-basics")
         for exporter in known_exporters()] + [("dl-basics", name, name) for name in LMS]


def _compare(got: Path, golden: Path, request) -> None:
    actual = got.read_bytes().decode("utf-8")
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
        return
    assert golden.exists(), f"{golden} is missing (create it with --update-golden)"
    expected = golden.read_bytes().decode("utf-8")
    if expected != actual:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 f"golden/{golden.name}", f"written/{got.name}"))[:60])
        pytest.fail(f"{golden.relative_to(REPO)} differs (refresh with --update-golden if intended):\n{diff!r}")


@pytest.mark.parametrize(("assignment", "fmt", "roster"), CASES,
                         ids=[f"{a}-{f}{'-roster' if r else ''}" for a, f, r in CASES])
def test_export_matches_golden(assignment, fmt, roster, tmp_path, request) -> None:
    exporter = get_exporter(fmt)
    stem = f"{fmt}-roster" if roster else fmt
    out = tmp_path / f"{stem}{exporter.suffix}"
    done = export(exporter=exporter, reports_dir=SAMPLES / assignment, out=out,
                  roster_path=ROSTERS / f"{roster}.csv" if roster else None,
                  assignment_name="Deep learning basics" if roster else None)
    _compare(done.out, GOLDEN / assignment / out.name, request)
    if roster:
        _compare(done.report, GOLDEN / assignment / done.report.name, request)


def test_feedback_files_are_named_for_the_lms(tmp_path) -> None:
    names = {}
    for fmt in LMS:
        done = export(exporter=get_exporter(fmt), reports_dir=SAMPLES / "dl-basics", out=tmp_path / f"{fmt}.csv",
                      roster_path=ROSTERS / f"{fmt}.csv", feedback_dir=tmp_path / fmt,
                      assignment_name="Deep learning basics")
        names[fmt] = sorted(p.name for p in done.feedback_files)
        for path in done.feedback_files:  # copied verbatim from the run's feedback/
            assert path.read_text(encoding="utf-8").startswith("# Feedback: ")
    assert "chenalice_101_feedback.md" in names["canvas"]
    # a grade export has no participant numbers: named for attaching by hand, not for Moodle's zip upload
    assert "Alice Chen_S1001_feedback.md" in names["moodle"]
    assert "Deep_learning_basics_alice.chen_feedback.md" in names["blackboard"]
    assert "S1001_alice.chen_feedback.md" in names["brightspace"]
    assert len(names["canvas"]) == 5  # only matched students get a file


def test_moodle_feedback_files_match_the_zip_upload_with_a_grading_worksheet(tmp_path) -> None:
    """Moodle's "Upload multiple feedback files in a zip" splits a name at underscores and wants the participant
    number second: full names keep their spaces and lose underscores."""
    done = export(exporter=get_exporter("moodle"), reports_dir=SAMPLES / "dl-basics", out=tmp_path / "m.csv",
                  roster_path=ROSTERS / "moodle-worksheet.csv", feedback_dir=tmp_path / "fb",
                  assignment_name="Deep learning basics")
    names = sorted(p.name for p in done.feedback_files)
    assert "Alice Chen_4101_assignsubmission_file_feedback.md" in names
    for name in names:
        fields = name.split("_", 4)
        assert fields[1].isdigit() and fields[2:4] == ["assignsubmission", "file"], name


def test_canvas_feedback_files_keep_the_download_names_canvas_reuploads_match(tmp_path) -> None:
    """Canvas's re-upload attaches a file only when its name carries the user id and a submitted file's id, as
    its "Download submissions" zip names them; a run over such files keeps them."""
    import json
    import shutil

    reports = tmp_path / "reports"
    shutil.copytree(SAMPLES / "dl-basics", reports)
    results = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    renamed = {"alice_chen.yaml": "chenalice_LATE_101_70012_alice_chen.yaml",
               "boris_ivanov.md": "ivanovboris_102_70013_hw.md"}
    for submission in results["submissions"]:
        if submission["file"] in renamed:
            new = renamed[submission["file"]]
            stem, new_stem = Path(submission["file"]).stem, Path(new).stem
            (reports / "feedback" / f"{stem}.md").rename(reports / "feedback" / f"{new_stem}.md")
            submission["file"] = new
    (reports / "results.json").write_text(json.dumps(results), encoding="utf-8")
    done = export(exporter=get_exporter("canvas"), reports_dir=reports, out=tmp_path / "c.csv",
                  roster_path=ROSTERS / "canvas.csv", feedback_dir=tmp_path / "fb",
                  assignment_name="Deep learning basics")
    names = sorted(p.name for p in done.feedback_files)
    assert "chenalice_101_70012_feedback.md" in names
    assert "ivanovboris_102_70013_feedback.md" in names
    assert "rossicarla_103_feedback.md" in names  # no download name: for attaching by hand
