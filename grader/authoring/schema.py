"""The JSON Schemas of problem and assignment files, published in docs/ for
editor completion (a test keeps the published files current)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.problems.models import Assignment, Problem

PUBLISHED = {"problem.schema.json": "problem", "assignment.schema.json": "assignment"}


def problem_schema() -> dict[str, Any]:
    schema = Problem.model_json_schema()
    schema["$id"] = "https://grader.invalid/schemas/problem.schema.json"
    schema["title"] = "grader problem file"
    return schema


def assignment_schema() -> dict[str, Any]:
    """The assignment manifest: as the model, but ``problems`` lists file names and the loader's own fields are left out."""
    schema = Assignment.model_json_schema()
    properties = {key: value for key, value in schema["properties"].items() if key not in ("source_dir", "problem_files")}
    properties["problems"] = {"type": "array", "items": {"type": "string"}, "minItems": 1,
                              "description": "problem files of this folder, in order"}
    defs = {name: value for name, value in schema.get("$defs", {}).items() if f"#/$defs/{name}" in json.dumps(properties)}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://grader.invalid/schemas/assignment.schema.json", "title": "grader assignment.yaml",
            "type": "object", "properties": properties, "required": ["id", "title", "problems"],
            "additionalProperties": False, **({"$defs": defs} if defs else {})}


def schema_texts() -> dict[str, str]:
    """File name in docs/ -> its current text."""
    schemas = {"problem": problem_schema(), "assignment": assignment_schema()}
    return {name: json.dumps(schemas[kind], indent=2, sort_keys=True) + "\n" for name, kind in PUBLISHED.items()}


def write_schemas(*, docs_dir: Path) -> list[Path]:
    written = []
    for name, text in schema_texts().items():
        path = Path(docs_dir) / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
