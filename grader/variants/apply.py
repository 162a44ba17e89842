"""An assignment as one student sees it: their parameter values, and every ``{{name}}`` in the
statements, prompts and mistake feedback filled in with them."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from grader.problems.models import Assignment, Problem
from grader.variants.paths import render_text, set_paths

_CACHE_SIZE = 256
_cache: dict[tuple[int, str], tuple[Assignment, Assignment]] = {}
_lock = threading.Lock()


def has_placeholders(assignment: Assignment) -> bool:
    """Whether a statement, prompt or mistake feedback has a ``{{name}}``: found once per ``problems`` (every
    report of every file asks) and kept with the tuple it was found in, so a copy with other problems looks again."""
    known = assignment.__dict__.get("_has_placeholders_of")
    if known is None or known[0] is not assignment.problems:
        known = (assignment.problems,
                 any("{{" in text for problem in assignment.problems for text in _texts(problem)))
        assignment.__dict__["_has_placeholders_of"] = known  # not a field: the frozen model's data is unchanged
    return known[1]


def _texts(problem: Problem) -> list[str]:
    texts = [problem.statement]
    for part in problem.parts:
        texts.append(part.prompt)
        texts.extend(mistake.feedback for mistake in part.misconceptions)
    return texts


def _apply_problem(problem: Problem, values: Mapping[str, Any]) -> Problem:
    parameters = set_paths(problem.parameters, values) if values else problem.parameters
    parts = tuple(
        part.model_copy(update={
            "prompt": render_text(text=part.prompt, parameters=parameters),
            "misconceptions": tuple(m.model_copy(update={"feedback": render_text(text=m.feedback, parameters=parameters)})
                                    for m in part.misconceptions),
        })
        for part in problem.parts
    )
    return problem.model_copy(update={"parameters": parameters, "parts": parts,
                                      "statement": render_text(text=problem.statement, parameters=parameters)})


def apply_variant(*, assignment: Assignment, values: Mapping[str, Mapping[str, Any]] | None = None) -> Assignment:
    """The assignment with each problem's parameters set to ``values`` (problem id -> path -> value;
    None or {} is the default parameters) and its placeholders filled.  Cached per variant."""
    values = {pid: vals for pid, vals in (values or {}).items() if vals}
    if not values and not has_placeholders(assignment):
        return assignment
    key = (id(assignment), json.dumps(values, sort_keys=True, ensure_ascii=False))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is assignment:
            return hit[1]
    applied = assignment.model_copy(update={
        "problems": tuple(_apply_problem(problem, values.get(problem.id, {})) for problem in assignment.problems)})
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = (assignment, applied)
    return applied


def shown_prompt(*, assignment: Assignment, part_id: str, variant: Mapping[str, Mapping[str, Any]] | None) -> str:
    """A part's prompt with the numbers of the submission's variant (``variant`` as results.json
    records it: problem number -> path -> value; None for the default parameters)."""
    from grader.variants.derive import values_of_shown

    values = values_of_shown(assignment=assignment, shown=variant)
    return apply_variant(assignment=assignment, values=values).part(part_id).prompt


def student_view(*, assignment: Assignment, submission: Any) -> Assignment:
    """The assignment with the numbers of a graded submission's variant (its ``variant`` field)."""
    from grader.variants.derive import values_of_shown

    return apply_variant(assignment=assignment,
                         values=values_of_shown(assignment=assignment, shown=getattr(submission, "variant", None)))
