"""Answer types: each owns its parser, normalisation, comparison and feedback."""

from grader.answers.base import AnswerType, Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.registry import get_answer_type, known_answer_types, register
from grader.verdicts import Verdict

# Built-in types register themselves on import.
from grader.answers import arrays, expression, integer, number, shape, text  # noqa: F401,E402
from grader.answers import choice, coordinates, ranges, record, table  # noqa: F401,E402

__all__ = [
    "AnswerType",
    "Check",
    "ParseFailure",
    "ReferenceValueError",
    "Parsed",
    "Verdict",
    "get_answer_type",
    "known_answer_types",
    "register",
]
