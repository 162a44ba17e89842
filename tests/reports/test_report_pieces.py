"""The pieces a worker keeps between files (a card, a feedback section, a quote, a slim part) never stand in for
what a file differing in a shown field would get: every file's reports, made after any other files, are the
reports it gets made alone, with every cache empty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.bounded_cache import BoundedCache
from grader.problems.models import Assignment, Part, Problem
from grader.reports import feedback_md, file_report
from grader.reports.html import math_render, student_page
from grader.results import EcfDetail, Evidence, OverrideNote, PartResult, SubmissionResult

ASSIGNMENT = Assignment(id="hw", title="Homework — pieces", problems=(
    Problem(id="p1", number=1, title="One", parts=(
        Part(id="1a", prompt="First <part>", type="expression", reference_latex=r"x^2"),
        Part(id="1b", prompt="Optional", type="integer", optional=True, points=0),
    )),
    Problem(id="p2", number=2, title="Two & more", parts=(Part(id="2a", prompt="Second", type="expression"),)),
))
MODULES = (student_page, feedback_md, file_report)

texts = st.sampled_from(["x^2", "x^2 ", r"\frac{1}{2}", "<b>x</b>", "a\nb", "12", "`y`", "ŷ − y"])
evidence = st.builds(Evidence, line_start=st.sampled_from([None, 0, 1, 2]), line_end=st.sampled_from([None, 1, 3]),
                     quote=st.sampled_from(["", "x^2", "a\nb", "<i>q</i>"]))
#: every field of a part that a report may show, and values for it
FIELDS = dict(
    verdict=st.sampled_from(["correct", "incorrect", "partial", "ecf", "needs_review", "no_answer", "overridden"]),
    score=st.sampled_from([0.0, -0.0, 0.5, 1.0]), max=st.sampled_from([1.0, 2.0]), answer=st.none() | texts,
    canonical=st.none() | texts, canonical_answer=st.none() | texts, feedback=st.sampled_from(["", "Wrong.", "a\nb\n^"]),
    notes=st.sampled_from([(), ("a note",)]), reference=st.none() | texts, evidence=st.none() | evidence,
    candidates=st.sampled_from([(), ("x", "<y>")]), suggested_score=st.sampled_from([None, 0.5]),
    ecf=st.none() | st.builds(EcfDetail, inputs=st.sampled_from([{"1a": "3"}, {"1a": "4"}]), expected=texts),
    auto_verdict=st.sampled_from([None, "incorrect"]), auto_score=st.sampled_from([None, 0.0, 1.0]),
    override=st.none() | st.builds(OverrideNote, by=st.sampled_from(["", "ta"]), at=st.sampled_from(["", "2024-05-01"])))
parts = st.builds(PartResult, part_id=st.just("1a"), **FIELDS)
#: a part with one field changed
edits = st.one_of(*(st.tuples(st.just(name), values) for name, values in FIELDS.items()))


def submission(n: int, first: PartResult, second: PartResult, optional: PartResult) -> SubmissionResult:
    return SubmissionResult(student=f"s{n}", file=f"s{n}.txt", status="graded", score=first.score, max=3.0, parts={
        "1a": first, "1b": optional.model_copy(update={"part_id": "1b"}),
        "2a": second.model_copy(update={"part_id": "2a"})})


@contextmanager
def empty_caches() -> Iterator[None]:
    """Every kept piece forgotten (each module's caches replaced by empty ones), for as long as it lasts."""
    with ExitStack() as stack:
        for module in MODULES:
            for name, value in vars(module).items():
                if isinstance(value, BoundedCache):
                    stack.enter_context(mock.patch.object(module, name, BoundedCache(value.size)))
        math_render._render_latex.cache_clear()
        yield
    math_render._render_latex.cache_clear()


def reports(result: SubmissionResult) -> file_report.FileReport:
    return file_report.file_report(result=result, assignment=ASSIGNMENT, spec=file_report.ReportSpec())


@settings(max_examples=80, deadline=None)
@given(parts, st.lists(edits, min_size=1, max_size=3))
def test_a_file_gets_the_reports_it_gets_alone(part, changes):
    """Files whose parts differ from the first file's in one field (each in turn), made one after the other."""
    variants = [part] + [part.model_copy(update={name: value}) for name, value in changes]
    results = [submission(n, variant, variant, variant) for n, variant in enumerate(variants)]
    with empty_caches():
        after_others = [reports(result) for result in results]
    for result, made in zip(results, after_others):
        with empty_caches():
            assert reports(result) == made


def test_two_answers_at_other_lines_keep_their_own_line_numbers():
    part = PartResult(part_id="1a", verdict="incorrect", score=0.0, max=1.0, answer="x^2")
    lines = [part.model_copy(update={"evidence": Evidence(line_start=start, line_end=start, quote="x^2")})
             for start in (4, 9)]
    with empty_caches():
        pages = [reports(submission(n, at, at, at)).page or "" for n, at in enumerate(lines)]
    assert "found at line 4" in pages[0] and "found at line 9" not in pages[0]
    assert "found at line 9" in pages[1] and "found at line 4" not in pages[1]
