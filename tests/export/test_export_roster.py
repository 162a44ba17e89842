"""Roster matching: ids, e-mails, logins, header names in any order and script; missing students, unknown
submissions, duplicates; formula-like and awkward names come out safe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from grader.export import ExportError, get_exporter
from grader.export.roster import RosterError, match_roster, name_key, read_roster
from grader.export.run import export
from grader.results import RunResult, SubmissionResult


def _sub(student: str, name: str | None = None, number: str | None = None, score: float = 5.0,
         status: str = "graded") -> SubmissionResult:
    return SubmissionResult(student=student, file=f"{student}.md", status=status, student_name=name,
                            student_number=number, score=score, max=10.0,
                            reason=None if status == "graded" else "not text")


def _roster(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _reports(tmp_path: Path, *subs: SubmissionResult) -> Path:
    folder = tmp_path / "reports"
    (folder / "feedback").mkdir(parents=True)
    run = RunResult(assignment="hw", title="Homework 1", max=10.0, submissions=subs)
    from grader.reports.results_json import results_json

    (folder / "results.json").write_text(results_json(run=run), encoding="utf-8")
    for sub in subs:
        (folder / "feedback" / f"{sub.student}.md").write_text(f"# Feedback: {sub.student}\n", encoding="utf-8")
    return folder


CANVAS = ("Student,ID,SIS User ID,SIS Login ID,Section\n"
          "    Points Possible,,,,\n"
          '"Chen, Alice",1,S1,achen,A\n'
          '"Müller, Zoë",2,S2,zmueller,A\n'
          '"Иванов, Борис",3,S3,bivanov,B\n'
          '"O\'Neil ""Sean"", Jr",4,S4,soneil,B\n'
          '"=HYPERLINK(""http://x"",""y"")",5,S5,hyper,B\n')


def test_name_key_ignores_case_diacritics_spaces_and_order() -> None:
    assert name_key("Müller, Zoë") == name_key("  zoe   MULLER ") == name_key("Zoë Müller")
    assert name_key("Иванов Борис") == name_key("Борис  Иванов")
    assert name_key("داریوش كريمي") == name_key("داریوش کریمی")  # Arabic kaf/yeh = Persian
    assert name_key("") == ()


def test_matching_by_number_login_and_header_name(tmp_path) -> None:
    roster = read_roster(path=_roster(tmp_path, CANVAS), skip=get_exporter("canvas").roster_skip)
    assert len(roster.rows) == 5  # the Points Possible row is not a student
    subs = (_sub("x1", number="s1"), _sub("zmueller"), _sub("boris", name="Борис Иванов"),
            _sub("zz", name="zoe muller"))
    with pytest.raises(RosterError, match="two submissions match one roster row") as caught:
        match_roster(submissions=subs, roster=roster)
    assert "zmueller.md" in str(caught.value) and "zz.md" in str(caught.value) and "line 4" in str(caught.value)
    matching = match_roster(submissions=subs[:3], roster=roster)
    assert [(m.submission.student, m.row.ids["lms_id"], m.how) for m in matching.matches] == [
        ("x1", "1", "student number"), ("zmueller", "2", "id = login"), ("boris", "3", "name")]
    assert [row.ids["lms_id"] for row in matching.missing] == ["4", "5"]


def test_canvas_rows_without_a_name_are_kept_rows_without_ids_skipped(tmp_path) -> None:
    path = _roster(tmp_path, "Student,ID,SIS User ID,SIS Login ID,Section,HW (1)\n"
                             "    Points Possible,,,,,10\n,,,,,Manual Posting\n,9,S9,,,\n")
    roster = read_roster(path=path, skip=get_exporter("canvas").roster_skip)
    assert [row.ids["lms_id"] for row in roster.rows] == ["9"]
    assert roster.rows[0].describe() == "line 4 (?; number=S9, lms_id=9)"


def test_duplicate_ids_in_the_roster_name_the_rows(tmp_path) -> None:
    path = _roster(tmp_path, "Student,ID,SIS User ID,SIS Login ID,Section\n"
                             '"A, B",1,S1,ab,\n"C, D",2,S1,cd,\n')
    with pytest.raises(RosterError) as caught:
        read_roster(path=path)
    assert "'SIS User ID' 's1'" in str(caught.value) and "line 2" in str(caught.value) and "line 3" in str(caught.value)


def test_ambiguous_name_is_unmatched_not_guessed(tmp_path) -> None:
    path = _roster(tmp_path, "Student,ID\n\"Kim, Min\",1\n\"Kim, Min\",2\n")
    matching = match_roster(submissions=(_sub("mk", name="Min Kim"),), roster=read_roster(path=path))
    assert not matching.matches
    assert "ambiguous by name" in matching.unmatched[0].reason and "line 2" in matching.unmatched[0].reason


def test_export_lists_unmatched_and_gives_missing_the_formats_value(tmp_path) -> None:
    reports = _reports(tmp_path, _sub("achen", score=7.5), _sub("stranger", name="Nobody Known"),
                       _sub("bivanov", status="unreadable", score=0))
    roster = _roster(tmp_path, CANVAS)
    done = export(exporter=get_exporter("canvas"), reports_dir=reports, roster_path=roster, out=tmp_path / "c.csv",
                  assignment_name="HW1", column_id="77")
    rows = list(csv.reader(io.StringIO(done.out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW1 (77)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "10"]
    assert rows[2] == ["Chen, Alice", "1", "S1", "achen", "A", "7.5"]
    assert rows[3][-1] == "0"  # missing: explicit 0
    assert rows[4][-1] == ""  # unreadable: nothing was graded
    assert rows[5] == ['O\'Neil "Sean", Jr', "4", "S4", "soneil", "B", "0"]
    assert rows[6][0] == "'=HYPERLINK(\"http://x\",\"y\")"
    report = json.loads(done.report.read_text(encoding="utf-8"))
    assert [u["student"] for u in report["unmatched"]] == ["stranger"]
    assert [u["student"] for u in report["unreadable"]] == ["bivanov"]
    assert len(report["missing"]) == 3
    blank = export(exporter=get_exporter("canvas"), reports_dir=reports, roster_path=roster, out=tmp_path / "b.csv",
                   missing="blank", points_possible=False)
    rows = list(csv.reader(io.StringIO(blank.out.read_text(encoding="utf-8"), newline="")))
    assert rows[0][-1] == "Homework 1" and rows[1][0] == "Chen, Alice" and rows[2][-1] == ""


def test_moodle_identifier_choice_and_feedback_with_grade(tmp_path) -> None:
    reports = _reports(tmp_path, _sub("alice", name="Alice Chen"))
    roster = _roster(tmp_path, '"First name","Last name","ID number","Email address"\n'
                               "Alice,Chen,S1,a@x.example\nBob,Li,S2,b@x.example\n")
    done = export(exporter=get_exporter("moodle"), reports_dir=reports, roster_path=roster, out=tmp_path / "m.csv")
    rows = list(csv.reader(io.StringIO(done.out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["Email address", "Homework 1", "Homework 1 (feedback)"]  # the first the roster has
    assert rows[1][:2] == ["a@x.example", "5"] and rows[1][2].startswith("5/10 points.")
    assert rows[2] == ["b@x.example", "0", "No submission received."]
    by_number = export(exporter=get_exporter("moodle"), reports_dir=reports, roster_path=roster,
                       out=tmp_path / "e.csv", moodle_id="idnumber")
    assert by_number.out.read_text(encoding="utf-8").splitlines()[:2] == ["ID number,Homework 1,Homework 1 (feedback)",
                                                                          'S1,5,"5/10 points.']
    unreadable = _reports(tmp_path / "u", _sub("alice", name="Alice Chen", status="unreadable", score=0))
    done = export(exporter=get_exporter("moodle"), reports_dir=unreadable, roster_path=roster, out=tmp_path / "n.csv",
                  missing="blank")
    assert done.out.read_text(encoding="utf-8").splitlines()[1:] == ["a@x.example,,", "b@x.example,,"]
    with pytest.raises(ExportError, match="no such column"):
        export(exporter=get_exporter("moodle"), reports_dir=reports, roster_path=roster, out=tmp_path / "u.csv",
               moodle_id="username")


def test_brightspace_usernames_with_hash_and_blackboard_quoting(tmp_path) -> None:
    reports = _reports(tmp_path, _sub("jdoe", name="Doe, Jane"))
    bright = _roster(tmp_path, "OrgDefinedId,Username,Last Name,First Name,End-of-Line Indicator\n"
                               "900,#jdoe,Doe,Jane,#\n", "b.csv")
    done = export(exporter=get_exporter("brightspace"), reports_dir=reports, roster_path=bright, out=tmp_path / "x.csv",
                  feedback_dir=tmp_path / "fb")
    assert done.out.read_text(encoding="utf-8").splitlines() == [
        "OrgDefinedId,Username,Homework 1 Points Grade,End-of-Line Indicator", "900,#jdoe,5,#"]
    assert [p.name for p in done.feedback_files] == ["900_jdoe_feedback.md"]
    board = _roster(tmp_path, '"Last Name","First Name","Username","Student ID","Last Access","Availability",'
                              '"Homework 1 [Total Pts: 10 Score] |123"\n"Doe","Jane","jdoe","","","Yes",""\n', "bb.csv")
    done = export(exporter=get_exporter("blackboard"), reports_dir=reports, roster_path=board, out=tmp_path / "y.csv")
    assert done.out.read_text(encoding="utf-8").splitlines()[1] == '"Doe","Jane","jdoe","","","Yes","5"'
    assert done.out.read_text(encoding="utf-8").splitlines()[0].endswith('"Homework 1 [Total Pts: 10 Score] |123"')


def test_generic_formats_take_no_roster(tmp_path) -> None:
    reports = _reports(tmp_path, _sub("alice"))
    with pytest.raises(ExportError, match="takes no --roster"):
        export(exporter=get_exporter("csv"), reports_dir=reports, roster_path=_roster(tmp_path, CANVAS))


def test_broken_results_json_is_an_error(tmp_path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "results.json").write_text('{"assignment": "a", "submissions": [{"student": 1}]}', encoding="utf-8")
    with pytest.raises(ExportError, match="not a valid results.json"):
        export(exporter=get_exporter("json"), reports_dir=folder)
