"""Free text: always goes to a person, never scored automatically."""

from __future__ import annotations

from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure
from grader.answers.registry import register
from grader.problems.models import Part

MAX_CHARS = 4000


class TextType:
    name = "text"
    needs_reference = False

    def reference_value(self, *, value: Any, part: Part) -> Any:
        return value

    def validate_part(self, *, part: Part) -> list[str]:
        return [] if part.key_idea else ["a 'text' part needs a 'key_idea' to show the reviewer"]

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        stripped = text.strip()
        if not stripped:
            return ParseFailure("empty answer")
        return Parsed(value=stripped[:MAX_CHARS], shown=stripped[:MAX_CHARS])

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        return Check(verdict="needs_review", credit=0.0, feedback_id="manual-review",
                     feedback=f"Read by a person. Key idea: {part.key_idea}")

    def value_of(self, *, parsed: Parsed) -> Any:
        return parsed.value

    def show(self, *, value: Any, part: Part) -> str:
        return part.key_idea or ""


register(TextType())
