"""HTML reports: structure, escaping of hostile text, math rendering, determinism, empty runs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.problems.models import Assignment, Part, Problem
from grader.reports.html import write_html_reports
from grader.reports.html.assets import MATH_FONT, math_font_bytes
from grader.reports.html.charts import histogram_bins, score_histogram_svg, verdict_bars_svg
from grader.reports.html.class_page import class_page_html
from grader.reports.html.math_render import MAX_LATEX_CHARS, looks_like_latex, render_answer, render_latex
from grader.reports.html.student_page import student_page_html
from grader.reports.names import report_stems
from grader.results import EcfDetail, Evidence, PartResult, RunResult, SubmissionResult

HOSTILE = ("<script>alert(1)</script>", "</textarea><img src=x onerror=alert(2)>", '"><svg onload=alert(3)>',
           "\\text{<script>alert(4)</script>}", "javascript:alert(5)")
PERSIAN = "پاسخ من: اندازه خروجی ۱۱۲ است"


def build_assignment(*, show_reference: bool = True) -> Assignment:
    return Assignment(
        id="dl-basics", title="Deep learning basics — softmax & convolutions", show_reference=show_reference,
        problems=(
            Problem(id="softmax", number=1, title="Softmax gradient", parts=(
                Part(id="1a", prompt="∂ŷ_i/∂z_j of the softmax", type="expression",
                     reference_latex=r"\hat y_i(\delta_{ij} - \hat y_j)"),
                Part(id="1b", prompt="Gradient of cross-entropy after softmax", type="expression",
                     reference_latex=r"\hat y - y"),
            )),
            Problem(id="conv-shapes", number=2, title="Convolution shapes", parts=(
                Part(id="2a.1", prompt="Size after conv 7×7 (p=3, s=2).", type="integer", optional=True, points=0),
                Part(id="2a", prompt="Output size of the whole chain", type="integer", points=2),
                Part(id="2b", prompt="Receptive field of L layers", type="expression", reference_latex="2L + 1"),
            )),
            Problem(id="dropout", number=3, title="Dropout", parts=(
                Part(id="3a", prompt="Inverted dropout output", type="expression",
                     reference_latex=r"\frac{m_i}{1 - p}"),
                Part(id="3b", prompt="Weight matrix after one step", type="matrix", points=1.5),
            )),
        ),
    )


PART_IDS = ("1a", "1b", "2a.1", "2a", "2b", "3a", "3b")
GRADED_PART_IDS = tuple(pid for pid in PART_IDS if pid != "2a.1")  # a run's part_ids leave optional parts out


def _part(pid: str, verdict: str, score: float, mx: float, **extra) -> PartResult:
    return PartResult(part_id=pid, verdict=verdict, score=score, max=mx, **extra)


def build_run() -> RunResult:
    ev = Evidence(line_start=12, line_end=14, quote="2) n = 112\n3) n = 56\n4) n = 26", source="ocr", confidence=0.62)
    alice = SubmissionResult(student="alice", file="alice.txt", status="graded", score=6.5, max=7.5, parts={
        "1a": _part("1a", "correct", 1, 1, answer=r"$\hat{y}_i(\delta_{ij}-\hat{y}_j)$",
                    canonical=r"\hat{y}_i (\delta_{ij} - \hat{y}_j)", feedback="Correct.",
                    evidence=Evidence(line_start=3, line_end=3, quote=r"$\hat{y}_i(\delta_{ij}-\hat{y}_j)$")),
        "1b": _part("1b", "partial", 0.5, 1, answer=r"\hat y - y + \frac{1}{2}", reference="ŷ - y",
                    feedback="Half: an extra constant term."),
        "2a.1": _part("2a.1", "no_answer", 0, 0, feedback="No answer found."),
        "2a": _part("2a", "ecf", 2, 2, answer="25", reference="26", feedback="Follows from your own 2a.3.",
                    ecf=EcfDetail(inputs={"2a.3": "55"}, expected="25"), evidence=ev),
        "2b": _part("2b", "correct", 1, 1, answer="2L+1", reference="2*L + 1"),
        "3a": _part("3a", "correct", 1, 1, answer=r"\frac{m_i}{1-p}"),
        "3b": _part("3b", "correct", 1.5, 1.5, answer="[[0.1, 0.2], [0.3, 0.4]]"),
    })
    long_latex = r"\begin{bmatrix}" + r" \\ ".join(" & ".join(f"{i * 7 + j}.25" for j in range(6)) for i in range(5)) \
        + r"\end{bmatrix}"
    reza = SubmissionResult(student="رضا احمدی", file="reza_ahmadi.txt", status="graded", score=1.0, max=7.5,
                            warnings=("متن با OCR خوانده شد", "Some lines were unreadable."), parts={
        "1a": _part("1a", "incorrect", 0, 1, answer=PERSIAN, reference="ŷ_i(δ_ij − ŷ_j)",
                    feedback="پاسخ شما با مرجع یکسان نیست.", evidence=Evidence(line_start=7, line_end=7, quote=PERSIAN)),
        "1b": _part("1b", "needs_review", 0, 1, answer="y hat minus y", suggested_score=1.0,
                    candidates=("y hat minus y", "ŷ − y", "<b>bold</b>"), notes=("low OCR confidence",),
                    feedback="Flagged for a person: the grader is not sure it found the answer.", evidence=ev),
        "2a.1": _part("2a.1", "correct", 0, 0, answer="112"),
        "2a": _part("2a", "could_not_evaluate", 0, 2, answer=r"\frac{1}{", feedback="Could not read an integer answer.",
                    candidates=(r"\frac{1}{", "۲۶")),
        "2b": _part("2b", "incorrect", 0, 1, answer=long_latex, reference="2*L + 1", feedback="Not a formula in L."),
        "3a": _part("3a", "no_answer", 0, 1, feedback="No answer found."),
        "3b": _part("3b", "partial", 1, 1.5, answer="[[0.1, 0.2], [0.3, 0.5]]", reference="[[0.1, 0.2], [0.3, 0.4]]",
                    feedback="3 of 4 entries are right."),
    })
    hostile_parts = {pid: _part(pid, "incorrect", 0, mx, answer=HOSTILE[i % len(HOSTILE)], feedback=HOSTILE[(i + 1) % 5],
                                notes=(HOSTILE[(i + 2) % 5],), candidates=(HOSTILE[(i + 3) % 5],),
                                evidence=Evidence(line_start=1, line_end=2, quote=HOSTILE[(i + 4) % 5]))
                     for i, (pid, mx) in enumerate(zip(PART_IDS, (1, 1, 0, 2, 1, 1, 1.5)))}
    hostile_parts["1b"] = hostile_parts["1b"].model_copy(update={"verdict": "needs_review"})
    mallory = SubmissionResult(student="<script>alert('id')</script>", file="</textarea>mallory.txt", status="graded",
                               score=0, max=7.5, parts=hostile_parts, warnings=(HOSTILE[1],))
    broken = SubmissionResult(student="bob", file="bob.pdf", status="unreadable", reason="PDF has no text layer (scanned?)")
    evil_broken = SubmissionResult(student="eve", file="<script>x</script>.txt", status="unreadable",
                                   reason="<script>alert('reason')</script>")
    return RunResult(assignment="dl-basics", title="Deep learning basics", max=7.5, part_ids=GRADED_PART_IDS,
                     submissions=(alice, reza, mallory, broken, evil_broken))


def html_pages(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.suffix == ".html"]


def stems_of(run: RunResult) -> dict[str, str]:
    return report_stems(s.file for s in run.submissions)


class _Tree(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "line", "rect"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> but open: {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(text: str) -> _Tree:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    assert tree.errors == []
    assert tree.stack == []
    return tree


def names(tree: _Tree, tag: str) -> list[dict]:
    return [attrs for name, attrs in tree.tags if name == tag]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "textarea", "b", "link", "base", "form", "input"}


def assert_no_injection(text: str) -> None:
    tree = parse(text)
    found = {name for name, _ in tree.tags} & FORBIDDEN_TAGS
    assert found == set()
    for name, attrs in tree.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), (name, key)
            if key in URL_ATTRIBUTES:
                assert not (value or "").strip().lower().startswith("javascript:"), (name, key, value)
        assert not (name in ("mrow", "math") and ("href" in attrs or "style" in attrs))
    assert "<script" not in text.lower()
    assert "</textarea" not in text.lower()


# --- math ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("latex", "is_math"), [
    (r"\frac{a}{b}", True),
    (r"\hat y_i(\delta_{ij} - \hat y_j)", True),
    (r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}", True),
    (r"\sqrt{x^2 + 1}", True),
    (r"\frac{1}{", False),
    ("", False),
    ("x" * (MAX_LATEX_CHARS + 1), False),
])
def test_latex_becomes_math_or_escaped_code(latex, is_math):
    rendered = render_latex(latex=latex)
    assert rendered.is_math is is_math
    assert rendered.html.startswith("<math") if is_math else rendered.html.startswith("<code")
    parse(rendered.html)


@pytest.mark.parametrize("latex", [
    r"\text{<script>alert(1)</script>}",
    r"\mathrm{</math><img src=x onerror=alert(1)>}",
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(javascript:alert(1))}{y}",
    r'\style{"><script>alert(1)</script>}{y}',
    r"\text{&lt;script&gt;}",
    r"\operatorname{</math><script>}",
    "</textarea><script>alert(1)</script>",
])
def test_hostile_latex_cannot_inject_tags_or_attributes(latex):
    rendered = render_latex(latex=latex)
    assert_no_injection(rendered.html)
    tree = parse(rendered.html)
    assert all("href" not in attrs and "style" not in attrs for _, attrs in tree.tags)


@pytest.mark.parametrize(("latex", "numbers"), [
    ("0,5", ["0,5"]),
    ("0{,}5", ["0,5"]),
    ("-0{,}082", ["0,082"]),
    ("5{,}133{,}600", ["5,133,600"]),
    (r"\begin{pmatrix} 0,082 & -0,022 \\ 1 & 2 \end{pmatrix}", ["0,082", "0,022", "1", "2"]),
    ("(46, 62, 20)", ["46", "62", "20"]),  # a comma and a space: the separator of a list
    ("0, 5", ["0", "5"]),
    (r"\text{1,5 m} + 2", ["2"]),  # text is left as written
    (r"1\,000", ["1", "000"]),  # LaTeX's thin space is not a comma
])
def test_comma_decimals_stay_one_number(latex, numbers):
    rendered = render_latex(latex=latex)
    assert rendered.is_math
    assert re.findall(r"<mn>([^<]*)</mn>", rendered.html) == numbers
    assert f'aria-label="{latex}"'.replace("&", "&amp;") in rendered.html  # the label is what the student wrote


def test_text_comma_is_kept_verbatim():
    html = render_latex(latex=r"\text{1,5 m}").html
    assert "<mtext>1,5" in html and "{" not in html.split(">", 1)[1]


def test_text_in_math_is_escaped_not_dropped():
    rendered = render_latex(latex=r"\text{<script>}")
    assert rendered.is_math
    assert "&lt;script&gt;" in rendered.html


@pytest.mark.parametrize(("text", "expected"), [
    (r"$\frac{1}{2}$", True),
    (r"\hat y - y", True),
    ("x^2 + 1", True),
    ("112", False),
    ("ReLU avoids vanishing gradients", False),
    (PERSIAN, False),
    ("[[0.1, 0.2], [0.3, 0.4]]", False),
    ("my_answer is 5", True),
])
def test_which_answers_are_read_as_latex(text, expected):
    assert looks_like_latex(text=text) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("\\{}<>&\"'$^_ab1/ ") + ["\\text", "\\frac", "\\href", "\\style",
                                                                "</math>", "<script>", "\\begin{matrix}"]),
                max_size=40).map("".join))
def test_any_answer_renders_to_safe_well_formed_html(text):
    rendered = render_answer(text=text)
    assert_no_injection(rendered.html)


# --- charts -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("scores", "expected"), [
    ([], (0,) * 10),
    ([0, 10], (1,) + (0,) * 8 + (1,)),
    ([5, 5.5, 9.99], (0, 0, 0, 0, 0, 2, 0, 0, 0, 1)),
    ([-1, 12], (1,) + (0,) * 8 + (1,)),
])
def test_histogram_bins(scores, expected):
    assert histogram_bins(scores=scores, max_points=10) == expected


def test_charts_are_accessible_svg():
    for svg in (score_histogram_svg(scores=[1, 2, 3], max_points=7.5),
                verdict_bars_svg(counts={"<1a>": {"correct": 2, "incorrect": 1}}, part_ids=["<1a>"])):
        tree = parse(svg)
        (root,) = names(tree, "svg")
        assert root["role"] == "img" and root["aria-labelledby"]
        assert names(tree, "title") and names(tree, "desc")
        assert "<1a>" not in svg


# --- pages --------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run() -> RunResult:
    return build_run()


@pytest.fixture(scope="module")
def assignment() -> Assignment:
    return build_assignment()


def test_class_page_structure(run, assignment):
    text = class_page_html(run=run, assignment=assignment, stems=stems_of(run))
    tree = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert names(tree, "html")[0]["lang"] == "en"
    assert len(names(tree, "h1")) == 1
    body_text = "".join(tree.text)
    for section in ("Summary", "Charts", "Students", "Needs review", "Unreadable files"):
        assert section in body_text, section
    assert len(names(tree, "svg")) == 2
    assert names(tree, "th") and all("scope" in th for th in names(tree, "th"))
    for submission in run.submissions:
        assert submission.student in body_text
    for pid in GRADED_PART_IDS:
        assert pid in body_text
    links = {a["href"] for a in names(tree, "a") if a["href"].startswith("students/")}
    assert links == {f"students/{stem}.html" for stem in stems_of(run).values()}
    assert "PDF has no text layer (scanned?)" in body_text


def _queue(text: str) -> str:
    return text.split('id="review-h"', 1)[1].split('id="unreadable-h"', 1)[0]


def test_review_queue_lists_each_flagged_part_once_by_part_and_answer(run, assignment):
    queue = _queue(class_page_html(run=run, assignment=assignment, stems=stems_of(run)))
    flagged = [(s.student, pid) for s in run.submissions if s.status == "graded" for pid in s.flagged]
    assert len(flagged) == 3
    assert queue.count('aria-label="feedback page of') == len(flagged)
    assert "Part 1b, 2 students in 2 answer groups" in queue and "Part 2a, 1 student in 1 answer group" in queue
    assert "lines 12–14" in queue and "ŷ − y" in queue  # where it was found; a candidate other than the answer
    assert "3 parts wait for a person, in 3 answer groups" in queue


def test_review_queue_shows_a_shared_answer_once(run, assignment):
    reza = run.submissions[1]
    copies = tuple(reza.model_copy(update={"student": f"student-{i}", "file": f"student-{i}.txt"}) for i in range(3))
    crowd = run.model_copy(update={"submissions": copies})
    queue = _queue(class_page_html(run=crowd, assignment=assignment, stems=stems_of(crowd)))
    assert "Part 1b, 3 students in 1 answer group" in queue
    assert queue.count("y hat minus y") == 1  # the answer once, not once per student (nor again as a candidate)
    assert queue.count("Flagged for a person: the grader is not sure it found the answer.") == 1  # the reason once
    assert queue.count('aria-label="feedback page of') == 6  # 1b and 2a of each student


def test_summary_numbers(run, assignment):
    text = class_page_html(run=run, assignment=assignment, stems=stems_of(run))
    cards = dict(re.findall(r'<span class="label">([^<]+)</span><span class="value">([^<]+)', text))
    assert cards == {"Files": "5", "Graded": "3", "Mean score": "2.5 ", "Median score": "1 ",
                     "Parts to review": "3", "Unreadable files": "2"}


def test_pages_escape_hostile_strings(run, assignment, tmp_path):
    paths = write_html_reports(run=run, assignment=assignment, out_dir=tmp_path, stems=stems_of(run))
    for path in html_pages(paths):
        text = path.read_text(encoding="utf-8")
        assert_no_injection(text)
        assert "http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text
    mallory = tmp_path / "students" / f"{stems_of(run)['</textarea>mallory.txt']}.html"
    assert "&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;" in mallory.read_text(encoding="utf-8")


def test_write_html_reports_writes_one_page_per_submission(run, assignment, tmp_path):
    stems = stems_of(run)
    paths = write_html_reports(run=run, assignment=assignment, out_dir=tmp_path, stems=stems)
    assert paths[:2] == [tmp_path / "assets" / MATH_FONT, tmp_path / "index.html"]  # the font before the pages
    assert sorted(p.name for p in paths[2:]) == sorted(f"{s}.html" for s in stems.values())
    assert all(p.parent == tmp_path / "students" for p in paths[2:])
    assert paths[0].read_bytes() == math_font_bytes()


def test_student_page_shows_every_part_with_math_evidence_and_rtl(run, assignment):
    reza = run.submissions[1]
    text = student_page_html(submission=reza, assignment=assignment)
    tree = parse(text)
    body_text = "".join(tree.text)
    for pid in PART_IDS:
        assert f'id="part-{pid}"' in text, pid
    assert PERSIAN in body_text
    assert any(attrs.get("dir") == "auto" and "tx" in attrs.get("class", "") for _, attrs in tree.tags)
    assert "Found at line 7" in body_text
    assert "<math" in text  # the long bmatrix answer and references render as MathML
    assert r"<code dir=\"auto\">\frac{1}{</code>".replace('\\"', '"') in text  # invalid LaTeX stays code
    assert "Possible answers" in body_text and "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "Reference answer" in body_text


def test_reference_shown_only_when_allowed_and_not_correct(run):
    alice = run.submissions[0]
    shown = student_page_html(submission=alice, assignment=build_assignment(show_reference=True))
    hidden = student_page_html(submission=alice, assignment=build_assignment(show_reference=False))
    assert "Reference answer" not in hidden
    card_1a = shown.split('id="part-1a"', 1)[1].split("</article>", 1)[0]
    card_1b = shown.split('id="part-1b"', 1)[1].split("</article>", 1)[0]
    assert "Reference answer" not in card_1a and "Reference answer" in card_1b
    assert 'id="part-2a.1"' not in shown  # optional sub-answer not given
    card_2a = shown.split('id="part-2a"', 1)[1].split("</article>", 1)[0]
    assert "found at lines 12–14" in card_2a and "Carried forward" in card_2a


def test_unreadable_student_page(run, assignment):
    text = student_page_html(submission=run.submissions[4], assignment=assignment)
    parse(text)
    assert "could not be graded" in text and "&lt;script&gt;alert(&#39;reason&#39;)" in text


def test_output_is_deterministic(run, assignment, tmp_path):
    first = write_html_reports(run=run, assignment=assignment, out_dir=tmp_path / "a", stems=stems_of(run))
    second = write_html_reports(run=build_run(), assignment=build_assignment(), out_dir=tmp_path / "b",
                                stems=stems_of(build_run()))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize("submissions", [
    (),
    (SubmissionResult(student="bob", file="bob.pdf", status="unreadable", reason="empty file"),
     SubmissionResult(student="bob", file="bob2.pdf", status="unreadable", reason=None)),
])
def test_runs_without_graded_submissions_render(submissions, assignment, tmp_path):
    run = RunResult(assignment="dl-basics", title="", max=7.5, part_ids=GRADED_PART_IDS, submissions=submissions)
    paths = html_pages(write_html_reports(run=run, assignment=assignment, out_dir=tmp_path, stems=stems_of(run)))
    assert len(paths) == 1 + len(submissions)
    for path in paths:
        parse(path.read_text(encoding="utf-8"))
    index = paths[0].read_text(encoding="utf-8")
    assert "nothing to plot" in index
    if submissions:
        assert "empty file" in index and "no reason recorded" in index
