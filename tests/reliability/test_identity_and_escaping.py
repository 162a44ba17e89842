"""Identity and escaping (issue 14, item 7): two files claiming one student id are both graded and flagged;
a structured file's ``name:`` is in the reports; student-written text is escaped in the Markdown feedback as in
the HTML pages; every CSV cell with a CR, LF, quote or comma is quoted and formula-like cells neutralised; a
killed part's reason says what happened."""

from __future__ import annotations

import csv
import io
import json
import signal

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from grader.cli import app
from grader.export.cells import csv_text
from grader.reports.markdown_text import code_block, code_span, inline_text, prose
from grader.sandbox import Bounds, WorkerPool
from tests.core.grading_harness import REPO
from tests.reliability import kill_probes

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "link": "[click](javascript:alert(1))",
    "image": "![x](http://evil.example/x.png)",
    "autolink": "<http://evil.example>",
    "fence": "``` <script>alert(2)</script>",
    "entity": "&lt;script&gt;",
}
RENDERED_BAD = ("<script", "<img", "href=\"javascript", "<a ", "src=\"http://evil")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("identity")
    subs = root / "subs"
    subs.mkdir()
    (subs / "first.yaml").write_text("student: alice\nname: Alice Chen\nanswers:\n  2b: '1820'\n", encoding="utf-8")
    (subs / "second.yaml").write_text("student: Alice\nanswers:\n  2b: '1800'\n", encoding="utf-8")
    answers = "".join(f"{part}) {text}\n" for part, text in zip(("2a", "2b", "2c", "2d", "2e", "3a", "3b"),
                                                               HOSTILE.values()))
    (subs / "hostile.md").write_text(f"Name: <b onmouseover=x>Eve</b>\n\n{answers}", encoding="utf-8")
    (subs / "=cmd.yaml").write_text("student: \"=HYPERLINK(\\\"http://x\\\")\\r\\n,\\\"evil\\\"\"\nanswers: {}\n",
                                    encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return result, out, json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_two_files_claiming_one_id_are_both_graded_and_flagged(graded) -> None:
    result, _, data = graded
    rows = {s["file"]: s for s in data["submissions"]}
    assert rows["first.yaml"]["status"] == rows["second.yaml"]["status"] == "graded"
    assert rows["first.yaml"]["same_student"] == ["second.yaml"]
    assert rows["second.yaml"]["same_student"] == ["first.yaml"]
    assert "same_student" not in rows["hostile.md"]
    assert "claim the student id 'alice'" in result.output and "first.yaml, second.yaml" in result.output


def test_the_class_page_flags_files_claiming_one_id(graded) -> None:
    _, out, _ = graded
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('<span class="tag warn"') == 2
    assert "same id as second.yaml" in page and "same id as first.yaml" in page


def test_the_structured_name_is_in_the_reports(graded) -> None:
    _, out, data = graded
    assert {s["file"]: s["name"] for s in data["submissions"]}["first.yaml"] == "Alice Chen"
    assert "**Name:** Alice Chen" in (out / "feedback" / "first.md").read_text(encoding="utf-8")


def test_student_text_in_markdown_feedback_never_renders_as_html_or_links(graded) -> None:
    _, out, _ = graded
    text = (out / "feedback" / "hostile.md").read_text(encoding="utf-8")
    assert "alert(1)" in text  # the answers are shown ...
    html = MarkdownIt("commonmark").render(text)  # ... as text, by a renderer that passes raw HTML through
    for bad in RENDERED_BAD:
        assert bad not in html, (bad, html)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_markdown_shape_escapes(name: str) -> None:
    renderer = MarkdownIt("commonmark")
    payload = HOSTILE[name] + "\n# heading\n[r]: javascript:alert(3)\n[r]"
    for markdown in (f"**Student:** {inline_text(payload)}", f"x {prose(f'could not read {payload!r}')}",
                     f"Your answer: {code_span(payload)}", "Found:\n\n" + "\n".join(code_block(payload))):
        html = renderer.render(markdown + "\n")
        assert not any(bad in html for bad in RENDERED_BAD), (markdown, html)
    assert "<h1>" not in renderer.render(f"x {inline_text(payload)}")


def test_grades_csv_quotes_every_cell_with_cr_lf_quote_or_comma(graded) -> None:
    _, out, _ = graded
    raw = (out / "grades.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(rows) == 1 + 4  # the header and one row per file: the CR/LF inside the id split nothing
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    # the CR/LF of the id is shown escaped (grader.submissions.listing.shown_name), the formula neutralised
    assert evil[0] == "'=HYPERLINK(\"http://x\")\\x0d\\x0a,\"evil\""
    assert next(row for row in rows if row[1] == "'=cmd.yaml")


@pytest.mark.parametrize("terminator", ["\n", "\r\n"])
def test_csv_cells_are_quoted_whatever_the_line_terminator(terminator: str) -> None:
    cells = ["a\rb", "c\nd", 'e"f', "g,h", "=1+1", "+1", "-x", "@x", "\tx", "\rx", "-3", "0.5", "ok"]
    text = csv_text([cells], lineterminator=terminator)
    assert text.endswith(terminator) and not text.endswith("\r\r\n")
    (row,) = csv.reader(io.StringIO(text, newline=""))
    assert row == ["a\rb", "c\nd", 'e"f', "g,h", "'=1+1", "'+1", "'-x", "'@x", "'\tx", "'\rx", "-3", "0.5", "ok"]


def test_a_killed_part_says_what_killed_it() -> None:
    with WorkerPool(workers=1, bounds=Bounds(seconds=5, memory_mb=256)) as pool:
        killed = pool.run(fn=kill_probes.die_by, kwargs={"signum": int(signal.SIGKILL)})
        segv = pool.run(fn=kill_probes.die_by, kwargs={"signum": int(signal.SIGSEGV)})
        slow = pool.run(fn=kill_probes.sleep_for, kwargs={"seconds": 5}, bounds=Bounds(seconds=0.5, memory_mb=256))
        big = pool.run(fn=kill_probes.allocate, kwargs={"megabytes": 1024})
    assert killed.status == "crashed" and "SIGKILL" in killed.error and "did not send" in killed.error
    assert "probably out of memory" not in killed.error
    assert segv.status == "crashed" and "SIGSEGV" in segv.error
    assert slow.status == "time_limit" and slow.error.startswith("time limit (0.5 s)")
    assert big.status == "memory_limit" and big.error.startswith("memory limit (256 MB)")
