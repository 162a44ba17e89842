"""The JSON Schemas published in docs/ are the ones the models export (refresh: `grade schemas`)."""

from __future__ import annotations

from grader.authoring.schema import schema_texts
from tests.core.grading_harness import REPO


def test_published_schemas_are_current() -> None:
    for name, text in schema_texts().items():
        published = (REPO / "docs" / name).read_text(encoding="utf-8")
        assert published == text, f"docs/{name} is stale: run `grade schemas` and commit it"


def test_problem_schema_lists_the_reference_forms_and_new_fields() -> None:
    import json

    schema = json.loads(schema_texts()["problem.schema.json"])
    part = schema["$defs"]["Part"]["properties"]
    for field in ("answer", "formula", "solver", "args", "fields", "columns", "choices", "examples"):
        assert field in part, field
