"""The review app through Starlette's TestClient: the token, the host and origin checks, the reports folder
served read-only, the queue of a real run, decisions written to overrides.yaml through the library, hostile
answer text escaped, and the page after a re-grade (decisions kept, stale ones listed)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from grader.cli import TOOL_COMMANDS, tools
from grader.review.app import make_app
from grader.review.app.guard import host_name
from grader.review.app.launch import ReviewSetupError, prepare_review, regrade_command
from grader.review.app.report_files import report_file
from grader.review.overrides import load_overrides
from tests.core.grading_harness import shipped_dl_basics
from tests.review.course import GOOD, HOSTILE, grade_course, make_course, write_submission

TOKEN = "t0k3n-for-tests_0123456789abcdef"
BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("course"))
    grade_course(root)
    return root


@pytest.fixture
def course(graded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the graded course (so each test starts without decisions)."""
    import shutil

    shutil.copytree(graded, tmp_path / "c")
    return tmp_path / "c"


def client(course: Path, **headers: str) -> TestClient:
    # the course's assignment, loaded once, not once per client: every course is a copy of DL_BASICS that no
    # test edits, and the app reads only the assignment's parts (never the folder it came from)
    app = make_app(reports_dir=course / "reports", overrides_path=course / "overrides.yaml", by="ta.lee",
                   token=TOKEN, assignment=shipped_dl_basics())
    return TestClient(app, base_url=BASE, headers=headers)


def page(course: Path) -> str:
    response = client(course).get(f"/{TOKEN}/")
    assert response.status_code == 200
    return response.text


def key_of(html: str, answer_start: str) -> str:
    """The hidden group key of the form whose group answer starts with ``answer_start`` (as the browser sends it)."""
    import html as html_lib

    for value in re.findall(r'name="key" value="([^"]*)"', html):
        key = html_lib.unescape(value)
        if key.startswith(answer_start):
            return key
    raise AssertionError(f"no group {answer_start!r}")


@pytest.mark.parametrize(("path", "status"), [
    ("/", 404), ("/wrong-token/", 404), (f"/{TOKEN}x/", 404), (f"/{TOKEN[:-1]}/", 404), (f"/{TOKEN}/", 200),
    (f"/{TOKEN}/reports/index.html", 200), (f"/{TOKEN}/reports/students/bob.html", 200),
    (f"/{TOKEN}/reports/grades.csv", 200), (f"/{TOKEN}/nothing", 404),
])
def test_every_route_needs_the_token(graded: Path, path: str, status: int) -> None:
    response = client(graded).get(path, follow_redirects=False)
    assert response.status_code == status, path
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["referrer-policy"] == "same-origin"  # the token never leaves the app
    if status == 404:
        assert "ReLU" not in response.text


def test_post_needs_the_token_too(course: Path) -> None:
    response = client(course).post("/wrong/decide", data={"part": "6", "file": "bob.json", "score": "1"})
    assert response.status_code == 404
    assert not (course / "overrides.yaml").exists()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "192.168.1.5:8765", "localhost.evil"])
def test_other_host_names_are_refused(graded: Path, host: str) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing."""
    response = client(graded).get(f"/{TOKEN}/", headers={"host": host})
    assert response.status_code == 421
    assert "ReLU" not in response.text


@pytest.mark.parametrize(("host", "name"), [("127.0.0.1:80", "127.0.0.1"), ("localhost", "localhost"),
                                            ("[::1]:8000", "::1"), ("a:b:c", "a:b:c")])
def test_host_name(host: str, name: str) -> None:
    assert host_name(host) == name


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"}, {"origin": "null"}, {"origin": "http://127.0.0.1:9999"},
    {"origin": "https://127.0.0.1:8765"}, {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"},
])
def test_cross_site_posts_are_refused(course: Path, headers: dict[str, str]) -> None:
    response = client(course).post(f"/{TOKEN}/decide", headers=headers, follow_redirects=False,
                                   data={"part": "6", "file": "dee.json", "score": "1"})
    assert response.status_code == 403
    assert not (course / "overrides.yaml").exists()


def test_same_origin_post_is_accepted(course: Path) -> None:
    response = client(course).post(f"/{TOKEN}/decide", follow_redirects=False,
                                   headers={"origin": BASE, "sec-fetch-site": "same-origin"},
                                   data={"part": "6", "file": "dee.json", "score": "0"})
    assert response.status_code == 303


@pytest.mark.parametrize("relative", [
    "../overrides.yaml", "students/../../overrides.yaml", "/etc/passwd", "..", ".", "", "students/", "students",
    ".hidden.html", "students/.x.html", "problems/../x.html", "C:/x.html", "students\\..\\..\\x.html",
    "results.json\0.html", "outside.html", "students/link.html", "feedback/../../subs/bob.json",
])
def test_report_files_outside_the_folder_are_refused(course: Path, relative: str) -> None:
    reports = course / "reports"
    (course / "outside.html").write_text("secret", encoding="utf-8")
    (reports / "students" / "link.html").symlink_to(course / "outside.html")
    (reports / "outside.html").symlink_to(course / "outside.html")
    (reports / ".hidden.html").write_text("hidden", encoding="utf-8")
    assert report_file(reports_dir=reports, relative=relative) is None


@pytest.mark.parametrize("relative", ["index.html", "students/bob.html", "grades.csv", "results.json",
                                      "feedback/bob.md"])
def test_report_files_inside_are_served(graded: Path, relative: str) -> None:
    assert report_file(reports_dir=graded / "reports", relative=relative) == (graded / "reports" / relative).resolve()


@pytest.mark.parametrize("path", ["reports/..%2F..%2Foverrides.yaml", "reports/%2e%2e/%2e%2e/subs/bob.json",
                                  "reports/students/%2e%2e%2f%2e%2e%2f..%2fproblems/dl-basics/assignment.yaml"])
def test_traversal_over_http_is_refused(course: Path, path: str) -> None:
    (course / "overrides.yaml").write_text("overrides: []\n", encoding="utf-8")
    response = client(course).get(f"/{TOKEN}/{path}")
    assert response.status_code == 404
    assert "overrides" not in response.text.split("<footer")[0] and "answers" not in response.text


def test_queue_shows_the_groups_of_the_run(graded: Path) -> None:
    html = page(graded)
    assert "Part 6 — 5 students in 3 answer groups" in html
    assert "0 of 3 groups decided" in html and "0 of 5 student-parts" in html
    assert "gradients pass through active units unchanged" in html  # the key idea from the problem file
    assert "Why do deep networks with ReLU" in html  # the question
    assert html.count('name="key"') == 3 and html.count('name="file"') == 3  # one form per group, per student
    group = html.split(key_of(html, "ReLU passes")[:20], 1)[1].split("</article>", 1)[0]
    assert "3 students" in group and "Save for all 3 students" in group
    for student in ("ann", "bob", "cyd"):
        assert f'href="/{TOKEN}/reports/students/{student}.html#part-6"' in group
    assert "none: the grader cannot score this answer" in html


def test_hostile_answer_text_is_escaped(graded: Path) -> None:
    html = page(graded)
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html


def test_deciding_a_group_writes_one_entry_and_shows_it(course: Path) -> None:
    browser = client(course)
    html = page(course)
    key = key_of(html, "ReLU passes")
    response = browser.post(f"/{TOKEN}/decide", follow_redirects=False,
                            data={"part": "6", "key": key, "score": "0,5", "comment": "Right idea, <b>no</b> proof."})
    assert response.status_code == 303
    anchor = re.search(r"#(g-[0-9a-f]{12})$", response.headers["location"]).group(1)
    assert response.headers["location"] == f"/{TOKEN}/?saved={anchor}#{anchor}"
    (entry,) = load_overrides(course / "overrides.yaml")
    assert (entry.assignment, entry.part, entry.group, entry.student) == ("dl-basics", "6", key, None)
    assert (entry.answer, entry.score, entry.comment, entry.by) == (GOOD, 0.5, "Right idea, <b>no</b> proof.", "ta.lee")

    html = browser.get(response.headers["location"]).text
    assert "1 of 3 groups decided" in html and "3 of 5 student-parts" in html
    assert "Right idea, &lt;b&gt;no&lt;/b&gt; proof." in html and "<b>no</b>" not in html
    assert f'id="{anchor}"' in html and "✓ Saved to overrides.yaml" in html
    assert "3 parts decided here are not in" in html  # until the next `grade` run

    # changing the decision replaces the entry
    browser.post(f"/{TOKEN}/decide", data={"part": "6", "key": key, "score": "1", "comment": ""})
    (entry,) = load_overrides(course / "overrides.yaml")
    assert (entry.score, entry.comment) == (1.0, "")


def test_waiting_only_view_hides_decided_groups(course: Path) -> None:
    browser = client(course)
    browser.post(f"/{TOKEN}/decide", data={"part": "6", "key": key_of(page(course), "ReLU passes"), "score": "1"})
    html = browser.get(f"/{TOKEN}/?show=waiting").text
    assert html.count('name="key"') == 2 and "Show every group" in html and "answer 2 of 3" in html
    assert browser.get(f"/{TOKEN}/").text.count('name="key"') == 3


def test_deciding_one_student(course: Path) -> None:
    browser = client(course)
    response = browser.post(f"/{TOKEN}/decide", follow_redirects=False,
                            data={"part": "6", "file": "eve.json", "score": "0", "comment": "Not the reason."})
    assert response.status_code == 303 and "#s-" in response.headers["location"]
    (entry,) = load_overrides(course / "overrides.yaml")
    assert (entry.student, entry.group, entry.answer, entry.score) == ("eve", None, HOSTILE, 0.0)
    html = browser.get(f"/{TOKEN}/").text
    assert "1 of 3 groups decided" in html and "own decision" in html


@pytest.mark.parametrize(("form", "message"), [
    ({"part": "6", "file": "eve.json", "score": "2"}, "outside 0 to 1 points"),
    ({"part": "6", "file": "eve.json", "score": "-1"}, "outside 0 to 1 points"),
    ({"part": "6", "file": "eve.json", "score": "nan"}, "outside 0 to 1 points"),
    ({"part": "6", "file": "eve.json", "score": "half"}, "is not a number"),
    ({"part": "6", "file": "eve.json", "score": ""}, "is not a number"),
    ({"part": "6", "file": "nobody.json", "score": "1"}, "no longer in the review queue"),
    ({"part": "2b", "file": "eve.json", "score": "1"}, "no longer in the review queue"),
    ({"part": "6", "key": "an answer nobody gave", "score": "1"}, "no longer in the review queue"),
    ({"part": "6", "file": "eve.json", "score": "1", "comment": "x" * 2001}, "keep it under 2000"),
])
def test_bad_forms_save_nothing(course: Path, form: dict[str, str], message: str) -> None:
    response = client(course).post(f"/{TOKEN}/decide", data=form, follow_redirects=False)
    assert response.status_code == 400
    assert message in response.text and "Not saved" in response.text
    assert not (course / "overrides.yaml").exists()


def test_regrading_applies_the_decisions_and_the_page_keeps_them(course: Path) -> None:
    browser = client(course)
    key = key_of(page(course), "ReLU passes")
    browser.post(f"/{TOKEN}/decide", data={"part": "6", "key": key, "score": "1", "comment": "Good."})
    browser.post(f"/{TOKEN}/decide", data={"part": "6", "file": "dee.json", "score": "0"})
    grade_course(course)
    html = browser.get(f"/{TOKEN}/").text  # results.json changed: re-read
    assert "2 of 3 groups decided" in html and "4 of 5 student-parts" in html
    assert "not in <code>grades.csv</code> yet" not in html
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(
        (course / "reports" / "grades.csv").read_text(encoding="utf-8")))}
    assert [rows[s]["6"] for s in ("ann", "bob", "cyd", "dee", "eve")] == ["1", "1", "1", "0", "0"]
    assert "6" not in rows["bob"]["needs_review"].split() and "6" in rows["eve"]["needs_review"].split()
    assert [rows[s]["overridden"] for s in ("ann", "dee", "eve")] == ["6", "6", ""]

    write_submission(course / "subs", "dee", **{"6": "ReLU is cheaper."})  # dee's answer changed
    grade_course(course)
    html = browser.get(f"/{TOKEN}/").text
    assert "Stale decisions" in html and "the answer changed since the decision" in html
    assert "1 of 3 groups decided" in html


def test_a_broken_overrides_file_is_shown_not_overwritten(course: Path) -> None:
    (course / "overrides.yaml").write_text("overrides: [1, 2\n", encoding="utf-8")
    browser = client(course)
    response = browser.get(f"/{TOKEN}/")
    assert response.status_code == 500 and "overrides.yaml" in response.text
    response = browser.post(f"/{TOKEN}/decide", data={"part": "6", "file": "eve.json", "score": "1"})
    assert response.status_code == 500
    assert (course / "overrides.yaml").read_text(encoding="utf-8") == "overrides: [1, 2\n"


def test_prepare_review_finds_the_run_and_checks_the_overrides(graded: Path, tmp_path: Path) -> None:
    setup = prepare_review(reports_dir=graded / "reports", problems=graded / "problems", assignment_id=None,
                           overrides=None)
    assert (setup.assignment.id, setup.overrides_path) == ("dl-basics", graded / "overrides.yaml")
    with pytest.raises(ReviewSetupError, match="run `grade SUBMISSIONS_DIR` first"):
        prepare_review(reports_dir=tmp_path, problems=graded / "problems", assignment_id=None, overrides=None)
    with pytest.raises(ReviewSetupError, match="no problems folder"):
        prepare_review(reports_dir=graded / "reports", problems=tmp_path / "nope", assignment_id=None, overrides=None)
    bad = tmp_path / "o.yaml"
    bad.write_text("overrides:\n- {assignment: dl-basics, part: 6, student: bob, score: 9, at: '2026-12-01'}\n",
                   encoding="utf-8")
    with pytest.raises(ReviewSetupError, match="above the part's 1 points"):
        prepare_review(reports_dir=graded / "reports", problems=graded / "problems", assignment_id=None, overrides=bad)


@pytest.mark.parametrize(("folder", "problems", "overrides", "command"), [
    ("reports/dl-basics", "problems", None, "grade SUBMISSIONS_DIR --out reports"),
    ("out", "problems", None, "grade SUBMISSIONS_DIR --out out"),
    ("my reports", "course/problems", "o.yaml",
     "grade SUBMISSIONS_DIR --out 'my reports' --problems course/problems --overrides o.yaml"),
])
def test_regrade_command(folder: str, problems: str, overrides: str | None, command: str) -> None:
    assert regrade_command(folder=Path(folder), assignment_id="dl-basics", problems=Path(problems),
                           overrides=Path(overrides) if overrides else None) == command


def test_cli_review_usage_errors(tmp_path: Path) -> None:
    assert "review" in TOOL_COMMANDS
    result = CliRunner().invoke(tools, ["review", str(tmp_path), "--problems", str(tmp_path)])
    assert result.exit_code == 2 and "no results.json" in result.output


def test_grade_help_does_not_import_the_web_stack() -> None:
    code = ("import sys; from grader.cli import run\ntry: run(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip().endswith("[]")


def test_grade_review_serves_on_127_0_0_1_and_prints_the_url(graded: Path) -> None:
    """The command itself: it prints a tokened URL on 127.0.0.1 that answers, and stops on Ctrl-C."""
    import signal
    import urllib.request

    process = subprocess.Popen([sys.executable, "-m", "grader.cli", "review", str(graded / "reports"),
                                "--problems", str(graded / "problems"), "--by", "ta.kim"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parents[2])
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        url = re.search(r"open (http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{32}/) ", lines[1]).group(1)
        assert "decisions go to " + str(graded / "overrides.yaml") in lines[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and "Part 6 — 5 students in 3 answer groups" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.rsplit("/", 2)[0] + "/not-the-token/", timeout=10)
        assert refused.value.code == 404
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0, process.stderr.read()


def test_the_queue_page_loads_the_report_sets_math_font(course: Path) -> None:
    """Stretchy brackets need the shipped math font; the queue page points at the report set's copy."""
    import urllib.parse

    url = re.search(r'@font-face \{ font-family: "Latin Modern Math"; src: url\("([^"]+)"\)', page(course)).group(1)
    response = client(course).get(urllib.parse.urljoin(f"/{TOKEN}/", url))
    assert response.status_code == 200 and response.headers["content-type"] == "font/woff2"
    assert response.content[:4] == b"wOF2"
