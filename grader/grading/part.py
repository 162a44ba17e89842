"""Grade one part: pick the candidate the answer type can read, compare it with
the reference, then with the student's own earlier values (error carried
forward) and with the catalogue of typical mistakes.

The decisions are small functions composed in one visible order: ``_REGRADES`` re-decide a wrong answer (the
first that credits it wins), and ``REVIEW_RULES`` (grader.grading.review_rules) each may flag the part for a
person. A new rule is a new function in one of those tuples."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from grader.answers import Check, Parsed, get_answer_type
from grader.bounded_cache import BoundedCache, made_for
from grader.grading.candidate_reading import MAX_CANDIDATES, SEVERAL_VALUES, first_readable
from grader.grading.competing_readings import several_values_on_line
from grader.grading.context import GradingContext
from grader.grading.review_rules import REVIEW_BELOW_CONFIDENCE, REVIEW_RULES, Reading, ReviewFlag
from grader.grading.step_check import check_step
from grader.problems.bindings import compute_step, local_solvers_of
from grader.results import EcfDetail, Evidence, PartResult
from grader.submissions.inputs import Candidate, PartInput

__all__ = ["MAX_CANDIDATES", "REVIEW_BELOW_CONFIDENCE", "SEVERAL_VALUES", "PartOutcome", "grade_part",
           "several_values_on_line"]


@dataclass(frozen=True)
class PartOutcome:
    result: PartResult
    #: the student's answer as a plain value, for error carried forward in later parts
    value: Any = None
    #: for a part whose value other parts use: whether the value is the reference within the part's tolerance (a
    #: later part's error carried forward never reads such a value: see carried_values); None: not known
    agrees: bool | None = None


def carries_values(*, context: GradingContext, part_id: str) -> bool:
    """Whether error carried forward may re-decide the part from the student's own values of its inputs (else its
    outcome never depends on them)."""
    assignment = context.assignment
    part = assignment.part(part_id)
    return bool(assignment.ecf.enabled and part.ecf and part.computed and part.inputs)


def carried_values(*, context: GradingContext, part_id: str, values: Mapping[str, Any],
                   agrees: Mapping[str, bool | None]) -> dict[str, Any]:
    """The student's values of the part's inputs its outcome depends on: none when error carried forward does not
    apply to it, else those that are not the reference within their part's tolerance (``agrees``: each input's
    :attr:`PartOutcome.agrees`; an unknown one is kept). Grading with them is grading with all of ``values``, as
    error carried forward reads only these (:func:`_own_values`); so they, not all, are the verdict cache's key."""
    inputs = _plan(context).carried.get(part_id, ())
    if not inputs or not values:
        return {}
    return {ref: values[ref] for ref in inputs if ref in values and agrees.get(ref) is not True}


def _own_values(context: GradingContext, part_id: str, student_values: Mapping[str, Any]) -> dict[str, Any]:
    """The student's values of the part's inputs that are not the reference (the ones error carried forward uses)."""
    assignment = context.assignment
    return {ref: student_values[ref] for ref in assignment.part(part_id).inputs
            if ref in student_values
            and not _agrees(student_values[ref], context.references.get(ref), assignment.part(ref))}


@dataclass(frozen=True)
class _Plan:
    """What of an assignment every student's grading asks again (made once per assignment)."""

    #: the parts whose values other parts use (their outcomes say whether the value agrees with the reference)
    used: frozenset[str]
    #: part id -> its inputs, for the parts error carried forward applies to (carries_values)
    carried: dict[str, tuple[str, ...]]


#: assignment -> its _Plan, for the last 64
_PLANS: BoundedCache[int, tuple[Any, _Plan]] = BoundedCache(64)


def _plan(context: GradingContext) -> _Plan:
    assignment = context.assignment
    parts = assignment.parts
    return made_for(_PLANS, assignment, lambda: _Plan(
        used=frozenset(ref for part in parts for ref in part.inputs),
        carried={part.id: part.inputs for part in parts if carries_values(context=context, part_id=part.id)}))


@dataclass(frozen=True)
class Regrade:
    """What a rule re-deciding a wrong answer found: the check that replaces the first one (None: it does not
    credit the answer) and, for error carried forward, what the student's own inputs gave."""

    check: Check | None
    ecf: EcfDetail | None = None


def grade_part(*, context: GradingContext, part_id: str, part_input: PartInput,
               student_values: Mapping[str, Any]) -> PartOutcome:
    part = context.assignment.part(part_id)
    answer_type = get_answer_type(part.type)
    reference = context.references.get(part_id)
    shown_reference = answer_type.show(value=reference, part=part) if (reference is not None or not answer_type.needs_reference) else None
    base: dict[str, Any] = {"part_id": part_id, "max": part.points, "reference": shown_reference,
                              "candidates": tuple(c.text[:300] for c in part_input.candidates[:MAX_CANDIDATES])}

    if not part_input.candidates:
        return PartOutcome(PartResult(**base, score=0.0, verdict="no_answer", feedback="No answer found."))

    parsed, used, failures = first_readable(part_input.candidates, answer_type, part, reference)
    if parsed is None or used is None:
        return _unreadable(base=base, part_type=part.type, part_input=part_input, failures=failures)

    seed = context.seed_for(part_id)
    check = answer_type.check(parsed=parsed, reference=reference, part=part, seed=seed)
    if check.verdict == "correct" and part.check_step_of:
        check = check_step(parsed_value=parsed.value, reference=reference, part=part,
                           old=context.assignment.problem_of(part_id).parameters[part.check_step_of.lstrip("$")]
                           ) or check
    reading = Reading(part=part, answer_type=answer_type, reference=reference, seed=seed, part_input=part_input,
                      parsed=parsed, used=used, failures=tuple(failures), first=check)
    final, ecf_detail = _regraded(reading=reading, context=context, part_id=part_id, student_values=student_values)
    flags = [flag for flag in (rule(reading, final) for rule in REVIEW_RULES) if flag is not None]
    outcome = _outcome(base=base, reading=reading, check=final, ecf=ecf_detail, flags=flags)
    if outcome.value is not None and part_id in _plan(context).used:
        outcome = replace(outcome, agrees=_agrees(outcome.value, reference, part))
    return outcome


def _unreadable(*, base: dict[str, Any], part_type: str, part_input: PartInput, failures: list[str]) -> PartOutcome:
    """No candidate reads as a value of the part's type: nothing to grade (a person looks when the extractor
    was not sure it found the answer)."""
    reason = failures[0] if failures else "no readable answer"
    verdict = "needs_review" if part_input.confidence < REVIEW_BELOW_CONFIDENCE else "could_not_evaluate"
    return PartOutcome(PartResult(
        **base, score=0.0, verdict=verdict, answer=part_input.candidates[0].text[:500],
        feedback=f"Could not read {'an' if part_type[0] in 'aeiou' else 'a'} {part_type} answer: {reason}"
                 + ("" if "\n" in reason else "."),
        feedback_id="unreadable-answer", evidence=_evidence(part_input.candidates[0], part_input)))


def _regraded(*, reading: Reading, context: GradingContext, part_id: str, student_values: Mapping[str, Any]
              ) -> tuple[Check, EcfDetail | None]:
    """A wrong or partly right answer, re-decided by ``_REGRADES`` in order: the first that credits it gives
    the check; error carried forward's detail is kept even when it does not."""
    check, detail = reading.first, None
    if check.verdict not in ("incorrect", "partial"):
        return check, None
    for regrade in _REGRADES:
        found = regrade(context, part_id, reading.parsed, student_values, check)
        if found is None:
            continue
        if found.ecf is not None:
            detail = found.ecf
        if found.check is not None:
            return found.check, detail
    return check, detail


def _outcome(*, base: dict[str, Any], reading: Reading, check: Check, ecf: EcfDetail | None,
             flags: list[ReviewFlag]) -> PartOutcome:
    """The part's result from the final check; any review flag turns it into a suggestion for a person (the
    first flag's reason is the one shown)."""
    parsed, used, points = reading.parsed, reading.used, reading.part.points
    notes = [*parsed.notes, *reading.first.notes, *(flag.note for flag in flags if flag.note)]
    score = round(check.credit * points, 4)
    verdict, feedback, suggested = check.verdict, check.feedback, None
    if flags and verdict not in ("needs_review",):
        suggested, score, verdict = score, 0.0, "needs_review"
        feedback = (f"Flagged for a person: {flags[0].why}. Suggested: {check.verdict} "
                    f"({suggested:g}/{points:g}). {check.feedback}")
    if verdict == "needs_review" and check.verdict == "needs_review":
        score = 0.0
    return PartOutcome(
        PartResult(**base, score=score, verdict=verdict, answer=used.text[:500], feedback=feedback,
                   feedback_id=check.feedback_id, notes=tuple(notes), canonical=check.canonical or parsed.shown,
                   evidence=_evidence(used, reading.part_input), ecf=ecf, suggested_score=suggested,
                   **_exact(check)),
        value=reading.answer_type.value_of(parsed=parsed),
    )


def _exact(check: Check) -> dict[str, Any]:
    """An expression check's proof record and readable forms (grader/symbolic/proof.py), when it has them."""
    return {"proof": check.proof, "canonical_reference": check.canonical_reference,
            "canonical_answer": check.canonical_answer}


def _agrees(value: Any, reference: Any, part: Any) -> bool:
    """Whether a student's input value is the reference within that part's tolerance."""
    tol = part.tolerance
    atol = 1e-12
    if tol is not None:
        atol = max(tol.abs or 0.0, 0.5 * 10.0 ** -(tol.decimals if tol.decimals is not None else 12))
    rtol = tol.rel if tol is not None and tol.rel is not None else 1e-9
    try:
        return np.shape(value) == np.shape(reference) and bool(
            np.allclose(np.asarray(value, dtype=float), np.asarray(reference, dtype=float), rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return value == reference


def _error_carried_forward(context: GradingContext, part_id: str, parsed: Parsed, student_values: Mapping[str, Any],
                           check: Check) -> Regrade | None:
    """The answer is right for the student's own (wrong) values of the part's inputs."""
    assignment = context.assignment
    part = assignment.part(part_id)
    if not carries_values(context=context, part_id=part_id):
        return None
    own = _own_values(context, part_id, student_values)
    if not own:
        return None
    try:
        expected = compute_step(part=part, problem=assignment.problem_of(part_id), values={**context.references, **own},
                                local=local_solvers_of(assignment))
    except Exception:  # the student's own values may not fit the solver (wrong shapes): no ECF then
        return None
    answer_type = get_answer_type(part.type)
    shown_inputs = {ref: get_answer_type(assignment.part(ref).type).show(value=value, part=assignment.part(ref))
                    for ref, value in own.items()}
    detail = EcfDetail(inputs=shown_inputs, expected=answer_type.show(value=expected, part=part))
    check = answer_type.check(parsed=parsed, reference=expected, part=part, seed=context.seed_for(part_id))
    if check.verdict != "correct":
        return Regrade(check=None, ecf=detail)
    given = ", ".join(f"{ref} = {text}" for ref, text in shown_inputs.items())
    credit = assignment.ecf.credit
    # the proof record (expression parts) is the one of the check against the student's own inputs
    return Regrade(check=Check(verdict="ecf", credit=credit, feedback_id="ecf",
                               feedback=f"Correct given your {given} (error carried forward"
                                        f"{'' if credit == 1 else f', {credit:g} of the credit'}).", **_exact(check)),
                   ecf=detail)


def _known_mistake(context: GradingContext, part_id: str, parsed: Parsed, student_values: Mapping[str, Any],
                   check: Check) -> Regrade | None:
    """The answer is one of the part's catalogued typical mistakes."""
    part = context.assignment.part(part_id)
    answer_type = get_answer_type(part.type)
    for mistake, value in context.misconceptions.get(part_id, ()):
        try:
            matched = answer_type.check(parsed=parsed, reference=value, part=part, seed=context.seed_for(part_id))
        except Exception:  # noqa: S112 - a reading that cannot be compared does not compete
            continue
        if matched.verdict == "correct":
            return Regrade(check=Check(verdict="partial" if mistake.credit > 0 else "incorrect",
                                       credit=mistake.credit, feedback=mistake.feedback, feedback_id=mistake.id))
    return None


def _evidence(candidate: Candidate, part_input: PartInput) -> Evidence:
    return Evidence(line_start=candidate.line_start, line_end=candidate.line_end, quote=candidate.quote[:500],
                    source=candidate.source, confidence=round(part_input.confidence, 3), flags=part_input.flags)


#: rules that re-decide a wrong or partly right answer, in order (grade_part's _regraded: the first that credits
#: the answer gives its check)
_REGRADES: tuple[Callable[[GradingContext, str, Parsed, Mapping[str, Any], Check], Regrade | None], ...] = (
    _error_carried_forward, _known_mistake)
