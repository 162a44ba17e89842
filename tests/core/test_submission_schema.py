"""The committed JSON Schema of structured submissions is the one the code exports."""

from __future__ import annotations

import json

from grader.submissions.structured import StructuredError, parse_structured, submission_schema
from tests.core.grading_harness import REPO


def test_committed_schema_is_current():
    committed = json.loads((REPO / "docs" / "submission.schema.json").read_text(encoding="utf-8"))
    assert committed == submission_schema(), "run: grade --submission-schema > docs/submission.schema.json"


def test_numbers_and_lists_are_read_as_typed_text():
    data = parse_structured(text='student: 42\nanswers: {2b: 1820, 4a: [0.3275, 0.3475], 6: "text"}', suffix=".yaml")
    assert data.student == "42"
    assert data.answers == {"2b": "1820", "4a": "[0.3275, 0.3475]", "6": "text"}


def test_unknown_fields_and_tags_are_refused():
    for text, words in [("answers: {}\nextra: 1", "Extra inputs"), ("answers: !!python/object:os.system {}", "constructor"),
                        ("a: &x 1\nanswers: {}", "anchors"), ("- 1", "mapping")]:
        try:
            parse_structured(text=text, suffix=".yaml")
        except StructuredError as exc:
            assert words in str(exc), (text, exc)
        else:
            raise AssertionError(f"accepted {text!r}")
