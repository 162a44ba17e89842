"""`grade sheets` writes each roster row's sheet with that student's numbers."""

from __future__ import annotations

from typer.testing import CliRunner

from grader.cli import run, tools
from grader.grading.checked import load_assignment_dir
from grader.sheets import read_roster
from grader.variants import apply_variant, student_variant
from tests.variants.helpers import enabled_copy

ROSTER = 'SIS User ID,Student,Section\nalice.chen,"Chen, Alice",A\nPoints Possible,,\nboris.ivanov,Boris Ivanov,A\nemma.schulz,,B\n'


def _sheets(args):
    return CliRunner().invoke(tools, ["sheets", *args])


def test_one_markdown_and_one_html_per_student_with_their_numbers(tmp_path) -> None:
    folder = enabled_copy(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "sheets"
    result = _sheets(["--roster", str(roster), "--problems", str(folder.parent), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [".grader-sheets", "alice.chen.html", "alice.chen.md", "boris.ivanov.html", "boris.ivanov.md",
                     "emma.schulz.html", "emma.schulz.md", "index.html", "index.md"]
    assignment = load_assignment_dir(folder=folder)
    for student in ("alice.chen", "boris.ivanov", "emma.schulz"):
        view = apply_variant(assignment=assignment, values=student_variant(assignment=assignment, student=student))
        markdown = (out / f"{student}.md").read_text(encoding="utf-8")
        page = (out / f"{student}.html").read_text(encoding="utf-8")
        for pid in ("2a", "2b", "2c", "3b", "3c"):
            assert " ".join(view.part(pid).prompt.split()) in markdown
        size = view.problem_of("2a").parameters["input_size"]
        assert f"A {size}×{size} input" in markdown and f"A {size}×{size} input" in page
        assert "{{" not in markdown and "{{" not in page
        assert f"student: {student}" in markdown
        assert "<math" in page and "http://" not in page.replace("http://www.w3.org/1998/Math/MathML", "")
        assert "<script" not in page
    assert "Chen, Alice" in (out / "alice.chen.md").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{s}.html"' in index for s in ("alice.chen", "boris.ivanov", "emma.schulz"))
    # a second run replaces the sheets in its own folder
    roster.write_text("student\nalice.chen\n", encoding="utf-8")
    assert _sheets(["--roster", str(roster), "--problems", str(folder.parent), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.glob("*.md")) == ["alice.chen.md", "index.md"]


def test_plain_roster_and_variants_off(tmp_path) -> None:
    roster = tmp_path / "ids.txt"
    roster.write_text("# class\nalice.chen\n\nboris.ivanov\n", encoding="utf-8")
    assert [e.student for e in read_roster(path=roster)] == ["alice.chen", "boris.ivanov"]
    out = tmp_path / "sheets"
    from tests.core.grading_harness import REPO

    result = _sheets(["--roster", str(roster), "--problems", str(REPO / "problems"), "--assignment", "dl-basics", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "variants are off" in result.output
    assert "A 224×224 input" in (out / "boris.ivanov.md").read_text(encoding="utf-8")


def test_csv_roster_columns(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("username;name\nx1;Xavier\nx2;Yara\n", encoding="utf-8")
    assert [(e.student, e.name) for e in read_roster(path=path)] == [("x1", "Xavier"), ("x2", "Yara")]
    path.write_text("login,whatever\nq1,a\n", encoding="utf-8")
    assert [e.student for e in read_roster(path=path)] == ["q1"]     # no known column: the first


def test_refuses_a_folder_it_did_not_write(tmp_path) -> None:
    from tests.core.grading_harness import REPO

    subs = tmp_path / "submissions"
    subs.mkdir()
    (subs / "alice.md").write_text("2a) 26\n", encoding="utf-8")
    roster = tmp_path / "ids.txt"
    roster.write_text("alice\n", encoding="utf-8")
    result = _sheets(["--roster", str(roster), "--problems", str(REPO / "problems"), "--assignment", "dl-basics", "--out", str(subs)])
    assert result.exit_code == 2
    assert sorted(p.name for p in subs.iterdir()) == ["alice.md"]


def test_sheets_is_a_tool_command(tmp_path, monkeypatch) -> None:
    from grader.cli import TOOL_COMMANDS

    assert "sheets" in TOOL_COMMANDS
    assert callable(run)
