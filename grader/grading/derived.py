"""Checked loading of derived references (``reference: {gradient: 'w^T A w', wrt: w}``, grader.problems.derived).

SymPy derives each one when the assignment loads (grader.symbolic.derive); the result is checked at random
points against the part's NumPy truth, or, for a part without one, against central differences of the
definition; then it becomes the part's reference text, so grading (and every worker) reads a plain reference.
What SymPy cannot derive, and a result the numbers contradict, are authoring errors naming file, part, field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from grader.problems.derived import is_derived
from grader.problems.models import Assignment, Part

Report = Callable[..., None]


def derive_references(*, assignment: Assignment, report: Report, failed: set[str]) -> Assignment:
    """``assignment`` with each derived reference replaced by the text SymPy derived; each failure reported
    (and its part added to ``failed``)."""
    problems = []
    for problem in assignment.problems:
        parts = []
        for index, part in enumerate(problem.parts):
            if is_derived(part):
                derived = _derived(part=part, report=partial(report, problem, index))
                if derived is None:
                    failed.add(part.id)
                part = derived or part
            parts.append(part)
        problems.append(problem.model_copy(update={"parts": tuple(parts)}) if parts != list(problem.parts)
                        else problem)
    return assignment.model_copy(update={"problems": tuple(problems)})


def _derived(*, part: Part, report: Callable[..., None]) -> Part | None:
    from grader.symbolic.derive import DerivationError, derive_from_block
    from grader.symbolic.derive_check import derived_disagreement

    symbolic = dict(part.symbolic or {})
    request = symbolic["reference"]
    try:
        text = derive_from_block(block=symbolic)
    except DerivationError as exc:
        report(f"symbolic.reference.{exc.field}", exc.problem, exc.fix,
               key=("symbolic", "reference", exc.field.split("[")[0]))
        return None
    derived = {**symbolic, "reference": text}
    problem = derived_disagreement(block=derived, request=request)
    if problem is not None:
        report("symbolic.reference", f"the derived reference {text!r} {problem}",
               "check the definition, wrt and assuming (the sampled values must meet every assumption) "
               "and the truth", key=("symbolic", "reference"))
        return None
    return part.model_copy(update={"symbolic": derived})
