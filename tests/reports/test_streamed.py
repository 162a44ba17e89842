"""results.json and grades.csv are written a submission at a time: the bytes are those of the whole document
dumped at once, whatever the run holds (no submissions, hostile text, groups and stale overrides)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.reports.grades_csv import grades_csv
from grader.reports.results_json import results_json
from grader.atomic_files import write_chunks_atomic
from grader.results import AnswerGroup, PartResult, RunResult, StaleOverride, SubmissionResult

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


def _whole(run: RunResult) -> str:
    """results.json as it was written before streaming: one json.dumps of the whole document."""
    data = {
        "assignment": run.assignment, "title": run.title, "max": run.max, "part_ids": list(run.part_ids),
        "submissions": [submission.model_dump(mode="json", by_alias=True) for submission in run.submissions],
        "groups": {pid: [group.model_dump(mode="json") for group in groups] for pid, groups in run.groups.items()},
        "stale_overrides": [stale.model_dump(mode="json") for stale in run.stale_overrides],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _submission(student: str, answer: str, index: int) -> SubmissionResult:
    part = PartResult(part_id="1a", verdict="correct", score=1.0, max=1.0, answer=answer)
    return SubmissionResult(student=student, file=f"{index}-{student}.md", status="graded", score=1.0, max=1.0,
                            parts={"1a": part}, warnings=(answer,) if answer else (),
                            same_student=(f"x{index}.md",) if index % 2 else ())


def _run(names: list[str], answers: list[str], with_extras: bool) -> RunResult:
    submissions = tuple(_submission(name, answer, i) for i, (name, answer) in enumerate(zip(names, answers)))
    groups = {"1a": (AnswerGroup(key="k", answer=answers[0] if answers else "", count=1, verdict="correct",
                                 students=tuple(names[:2])),)} if with_extras else {}
    stale = (StaleOverride(entry=1, assignment="a", part="1a", reason="gone"),) if with_extras else ()
    return RunResult(assignment="a", title="T \"ü\" </script>", max=1.0, part_ids=("1a",),
                     submissions=submissions, groups=groups, stale_overrides=stale)


@settings(max_examples=40, deadline=None)
@given(names=st.lists(TEXT, max_size=4), answers=st.lists(TEXT, min_size=4, max_size=4), extras=st.booleans())
def test_streamed_results_json_is_the_whole_document(names, answers, extras) -> None:
    run = _run(names, answers, extras)
    assert results_json(run=run) == _whole(run)


def test_an_empty_run_streams_the_same_bytes() -> None:
    run = RunResult(assignment="a")
    assert results_json(run=run) == _whole(run)


def test_chunks_land_on_disk_as_one_file(tmp_path) -> None:
    run = _run(["ana", "ben", "çem"], ["x", "y\nz", "w", ""], True)
    path = tmp_path / "results.json"
    write_chunks_atomic(path=path, chunks=iter(results_json(run=run).splitlines(keepends=True)))
    assert path.read_bytes() == _whole(run).encode("utf-8")
    write_chunks_atomic(path=path, chunks=["a,b\r\n", "ç\n"])  # a rewrite replaces it; newlines kept as given
    assert path.read_bytes() == "a,b\r\nç\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_grades_csv_rows_are_one_document() -> None:
    run = _run(["=cmd", "ben"], ["x", "y", "", ""], False)
    assert grades_csv(run=run).splitlines()[0].startswith("student,file,1a,total")
    assert grades_csv(run=run).count("\n") == 3


@settings(max_examples=200, deadline=None)
@given(score=st.floats(allow_nan=True, allow_infinity=True), confidence=st.floats(min_value=0, max_value=1),
       answer=st.text(max_size=8) | st.just("\ud800 lone surrogate"), name=TEXT)
def test_an_item_is_exactly_what_json_dumps_writes(score, confidence, answer, name) -> None:
    """results_item takes pydantic's faster writer only where it writes the same text as json.dumps."""
    from grader.reports.results_json import _INDENT, results_item
    from grader.results import Evidence

    part = PartResult(part_id="1a", verdict="incorrect", score=score, max=2.0, answer=answer, suggested_score=score,
                      evidence=Evidence(quote=answer, confidence=confidence))
    submission = SubmissionResult(student=name, file="a.md", status="graded", score=score, max=2.0,
                                  parts={"1a": part}, variant={"1": {"p": score}})
    data = submission.model_dump(mode="json", by_alias=True)
    expected = _INDENT + json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\n" + _INDENT)
    assert results_item(submission) == expected


GROUP = st.builds(
    AnswerGroup, key=TEXT, answer=TEXT | st.just("\ud800 lone"), count=st.integers(0, 10**6), verdict=TEXT,
    score=st.none() | st.floats(allow_nan=True, allow_infinity=True),
    suggested_score=st.none() | st.floats(min_value=-1e-3, max_value=1e-3),
    verdicts=st.dictionaries(TEXT, st.integers(0, 99), max_size=3), flagged=st.integers(0, 9),
    students=st.lists(TEXT | st.just('"submissions": "\x00submissions\x00"'), max_size=4).map(tuple))


@settings(max_examples=150, deadline=None)
@given(groups=st.dictionaries(TEXT, st.lists(GROUP, max_size=3).map(tuple), max_size=3),
       title=TEXT | st.just('"groups": "\x00groups\x00" "submissions": "\x00submissions\x00"'),
       reason=TEXT | st.just("\x00groups\x00"))
def test_the_answer_groups_are_written_as_json_dumps_writes_them(groups, title, reason) -> None:
    """The groups are written by pydantic's writer where it writes json.dumps's text (members, floats, surrogates,
    a title or a reason that reads like the document's own holes)."""
    run = RunResult(assignment="a", title=title, max=1.0, part_ids=("1a",), groups=groups,
                    submissions=(_submission("ana", "x", 0),),
                    stale_overrides=(StaleOverride(entry=1, assignment="a", part="1a", reason=reason),))
    assert results_json(run=run) == _whole(run)
