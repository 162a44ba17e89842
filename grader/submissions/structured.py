"""Structured submissions: a YAML or JSON file mapping part ids to answers.

    student: s1234567          # optional; the file name is used otherwise
    answers:
      1a: '\\hat y_i(\\delta_{ij} - \\hat y_j)'
      2b: 1820
      4a: [0.3275, 0.3475]

The JSON Schema is ``grade schema`` (and docs/submission.schema.json).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field, ValidationError, field_validator

from grader.strict_model import StrictModel
from grader.yamlio import YamlError, load_yaml_text

MAX_ANSWER_CHARS = 20_000


class StructuredSubmission(StrictModel):
    student: str | None = Field(default=None, max_length=200, description="Student id; defaults to the file name.")
    name: str | None = Field(default=None, max_length=200, description="Student's name (shown in reports).")
    answers: dict[str, str] = Field(description="Part id (1a, 4n, 6, ...) -> the answer as typed (LaTeX or plain).")

    @field_validator("answers", mode="before")
    @classmethod
    def _answers_as_text(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {str(key): _as_text(item) for key, item in value.items()}

    @field_validator("student", mode="before")
    @classmethod
    def _student_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


def _as_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple):
        return json.dumps(value)[:MAX_ANSWER_CHARS]
    if isinstance(value, str):
        return value[:MAX_ANSWER_CHARS]
    return value


class StructuredError(ValueError):
    pass


def parse_structured(*, text: str, suffix: str) -> StructuredSubmission:
    try:
        if suffix == ".json":
            data = json.loads(text)
        else:
            data = load_yaml_text(text=text)
    except (json.JSONDecodeError, YamlError) as exc:
        raise StructuredError(f"not valid {'JSON' if suffix == '.json' else 'YAML'}: {exc}") from None
    except RecursionError:
        raise StructuredError("nested too deeply") from None
    if not isinstance(data, dict):
        raise StructuredError("expected a mapping with an 'answers' field")
    try:
        return StructuredSubmission.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(item) for item in first["loc"])
        raise StructuredError(f"{where}: {first['msg']}") from None


def submission_schema() -> dict[str, Any]:
    schema = StructuredSubmission.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "grader structured submission"
    return schema
