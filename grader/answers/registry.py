"""Registry of answer types by the name problem files use in ``type:``."""

from __future__ import annotations

from grader.answers.base import AnswerType

_TYPES: dict[str, AnswerType] = {}


def register(answer_type: AnswerType) -> AnswerType:
    if answer_type.name in _TYPES:
        raise ValueError(f"answer type {answer_type.name!r} registered twice")
    _TYPES[answer_type.name] = answer_type
    return answer_type


def get_answer_type(name: str) -> AnswerType:
    return _TYPES[name]


def known_answer_types() -> tuple[str, ...]:
    return tuple(sorted(_TYPES))
