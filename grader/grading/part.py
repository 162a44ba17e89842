"""Grade one part: pick the candidate the answer type can read, compare it with
the reference, then with the student's own earlier values (error carried
forward) and with the catalogue of typical mistakes."""

from __future__ import annotations

from collections.abc import Mapping
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from grader.answers import Check, Parsed, ParseFailure, get_answer_type
from grader.text.characters import fold_digits
from grader.grading.context import GradingContext
from grader.grading.step_check import check_step
from grader.problems.bindings import compute_step, local_solvers_of
from grader.results import EcfDetail, Evidence, PartResult
from grader.submissions.inputs import MAX_CANDIDATES, Candidate, PartInput

REVIEW_BELOW_CONFIDENCE = 0.5


@dataclass(frozen=True)
class PartOutcome:
    result: PartResult
    #: the student's answer as a plain value, for error carried forward in later parts
    value: Any = None


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

    parsed, used, failures = _first_readable(part_input.candidates, answer_type, part, reference)
    low_confidence = part_input.confidence < REVIEW_BELOW_CONFIDENCE
    if parsed is None:
        reason = failures[0] if failures else "no readable answer"
        verdict = "needs_review" if low_confidence else "could_not_evaluate"
        return PartOutcome(PartResult(
            **base, score=0.0, verdict=verdict, answer=part_input.candidates[0].text[:500],
            feedback=f"Could not read {'an' if part.type[0] in 'aeiou' else 'a'} {part.type} answer: {reason}"
                     + ("" if "\n" in reason else "."),
            feedback_id="unreadable-answer", evidence=_evidence(part_input.candidates[0], part_input)))

    check = answer_type.check(parsed=parsed, reference=reference, part=part, seed=context.seed_for(part_id))
    if check.verdict == "correct" and part.check_step_of:
        check = check_step(parsed_value=parsed.value, reference=reference, part=part,
                           old=context.assignment.problem_of(part_id).parameters[part.check_step_of.lstrip("$")]
                           ) or check
    notes = list(parsed.notes) + list(check.notes)
    ambiguous = _ambiguous_reading(parsed, check, answer_type, part, reference, context.seed_for(part_id))
    several = None if ambiguous else several_values_on_line(used, parsed, check, answer_type, part, reference,
                                                            context.seed_for(part_id))
    other_size = _right_size_elsewhere(check, used, part_input.candidates, answer_type, part, reference,
                                       context.seed_for(part_id))
    ecf_detail = None
    if check.verdict in ("incorrect", "partial"):
        ecf_check, ecf_detail = _error_carried_forward(context, part_id, parsed, student_values)
        if ecf_check is not None:
            check = ecf_check
        else:
            check = _known_mistake(context, part_id, parsed, check) or check
    value = answer_type.value_of(parsed=parsed)
    score = round(check.credit * part.points, 4)
    verdict, feedback, suggested = check.verdict, check.feedback, None
    if ambiguous:
        notes.append(ambiguous)
    if several:
        notes.append(several)
    # a stronger candidate (a marked or two-case answer) was unreadable and a weaker one is not right:
    # the student's real answer may be the one we could not read, so a person decides
    passed_over = bool(failures) and check.verdict != "correct"
    if passed_over:
        notes.append(f"Could not read the stronger candidate `{part_input.candidates[0].text[:120]}` "
                     f"({failures[0]}); graded `{used.text[:120]}` instead.")
    # the value graded has another size than the answer while the part's text holds one of the right size:
    # the value graded may belong to another part (a label the extractor missed), so a person decides
    wrong_size = other_size is not None and verdict in ("incorrect", "partial")
    if wrong_size:
        notes.append(f"Graded `{used.text[:120]}`, which has another size than the answer; the part's text also "
                     f"holds `{other_size.text[:120]}`, of the right size.")
    if (low_confidence or ambiguous or several or passed_over or wrong_size) and verdict not in ("needs_review",):
        suggested, score, verdict = score, 0.0, "needs_review"
        why = ("the answer could be read more than one way" if ambiguous else
               "the answer was picked from a line holding several values" if several else
               "the grader could not read the answer it would have preferred" if passed_over else
               "the value graded has the wrong size but the part holds one of the right size" if wrong_size else
               "the grader is not sure it found the answer")
        feedback = f"Flagged for a person: {why}. Suggested: {check.verdict} ({suggested:g}/{part.points:g}). {check.feedback}"
    if verdict == "needs_review" and check.verdict == "needs_review":
        score = 0.0
    return PartOutcome(
        PartResult(**base, score=score, verdict=verdict, answer=used.text[:500], feedback=feedback,
                   feedback_id=check.feedback_id, notes=tuple(notes), canonical=check.canonical or parsed.shown,
                   evidence=_evidence(used, part_input), ecf=ecf_detail, suggested_score=suggested, **_exact(check)),
        value=value,
    )


def _right_size_elsewhere(check: Check, used: Candidate, candidates: tuple[Candidate, ...], answer_type: Any,
                          part: Any, reference: Any, seed: int) -> Candidate | None:
    """When the value graded has another size than the answer (`0.1984` for a 2-vector), another candidate of
    the part that reads as a value of the right size (the `pmatrix` above it), if there is one."""
    if check.feedback_id not in _OTHER_SIZE:
        return None
    spans_of = getattr(answer_type, "spans", None)
    for candidate in candidates[:MAX_CANDIDATES]:
        if candidate.text == used.text:
            continue
        # the candidate as a whole, then the whole values of the type written in it (a block's `pmatrix`)
        texts = [candidate.text] + (spans_of(text=candidate.text, standalone=True) if spans_of is not None else [])
        for text in dict.fromkeys(texts[:MAX_VALUES_ON_LINE + 1]):
            other = answer_type.parse(text=text, part=part, reference=reference)
            if isinstance(other, ParseFailure):
                continue
            try:
                other_check = answer_type.check(parsed=other, reference=reference, part=part, seed=seed)
            except Exception:  # noqa: BLE001, S112 - a value that cannot be compared is no competing reading
                continue
            if other_check.feedback_id not in _OTHER_SIZE:
                return _as_candidate(text, candidate)
    return None


def _exact(check: Check) -> dict[str, Any]:
    """An expression check's proof record and readable forms (grader/symbolic/proof.py), when it has them."""
    return {"proof": check.proof, "canonical_reference": check.canonical_reference,
            "canonical_answer": check.canonical_answer}


def _first_readable(candidates: tuple[Candidate, ...], answer_type: Any, part: Any, reference: Any
                    ) -> tuple[Parsed | None, Candidate | None, list[str]]:
    """The first candidate the type can read, strongest first; but a value of the type that the candidate
    was cut out of (``46 mal 62 mal 20`` for ``20``) replaces the fragment, and when no candidate reads, a
    value of the type inside a candidate's own line is taken (``5`` from ``the largest value is 5, at pixel
    (1, 0)`` for a number part)."""
    failed: list[tuple[Candidate, str]] = []
    pool = candidates[:MAX_CANDIDATES]
    chosen: tuple[Parsed, Candidate] | None = None
    for index, candidate in enumerate(pool):
        result = answer_type.parse(text=candidate.text, part=part, reference=reference)
        if isinstance(result, ParseFailure):
            failed.append((candidate, result.reason))
            continue
        chosen = _whole_value(candidate, result, pool[index + 1:], answer_type, part, reference) \
            or _noted(result, candidate, answer_type, part, reference)
        break
    else:
        chosen = _value_on_line(pool, answer_type, part, reference)
    if chosen is None:
        return None, None, [reason for _, reason in failed]
    parsed, used = chosen
    # a sentence that failed to read as a whole but holds exactly the value graded was not passed over
    failures = [reason for candidate, reason in failed if not _holds_only(candidate, parsed, answer_type, part, reference)]
    return parsed, used, failures


#: the start of the note on an answer taken from a line that holds several values of the part's type
SEVERAL_VALUES = "picked from a line with several values of this type"
_FRAGMENT_START = re.compile(r"^\s*(?:[×*/·+^]|[xXхХ]\s|\\times|\\cdot)")


def _norm(text: str) -> str:
    return re.sub(r"[\s$]+", "", fold_digits(text=text[:4000]).replace("،", ","))


def _size(value: Any) -> int:
    """How many entries a parsed value has (a shape's dimensions, a grid's numbers; a scalar is 1)."""
    if isinstance(value, (list, tuple)):
        return sum(_size(item) for item in value[:400]) if value else 0
    return 1


def _fragment(text: str) -> bool:
    """A candidate that starts with an operator (``× 10``) or has unbalanced brackets (``300)``)."""
    return bool(_FRAGMENT_START.match(text)) or any(text.count(a) != text.count(b) for a, b in ("()", "[]"))


def _whole_value(candidate: Candidate, parsed: Parsed, later: tuple[Candidate, ...], answer_type: Any, part: Any,
                 reference: Any) -> tuple[Parsed, Candidate] | None:
    """A reading of the whole value the candidate was cut out of, on the candidate's own line."""
    size = _size(parsed.value)
    own = _norm(candidate.text)
    if not own:
        return None
    for other in later:
        if (other.line_start, other.line_end) != (candidate.line_start, candidate.line_end):
            continue
        text = _norm(other.text)
        if own in text and text != own and text.count(own) == 1:
            result = answer_type.parse(text=other.text, part=part, reference=reference)
            if not isinstance(result, ParseFailure) and _size(result.value) > size:
                return _noted(result, other, answer_type, part, reference)
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return None
    spans = spans_of(text=candidate.quote, standalone=True)
    line = _norm(candidate.quote)
    containing = [s for s in spans if own in _norm(s) and _norm(s) != own and _covers(line, _norm(s), own, candidate)]
    if not containing and _fragment(candidate.text) and not any(_norm(s) == own for s in spans):
        containing = spans
    best: tuple[Parsed, str] | None = None
    for span in containing:
        result = answer_type.parse(text=span, part=part, reference=reference)
        if not isinstance(result, ParseFailure) and _size(result.value) > max(size, _size(best[0].value) if best else 0):
            best = (result, span)
    if best is None:
        return None
    return _noted(best[0], _as_candidate(best[1], candidate), answer_type, part, reference)


def _holds_only(candidate: Candidate, parsed: Parsed, answer_type: Any, part: Any, reference: Any) -> bool:
    """The candidate's text holds one value of the type (not an operand), and it is the value graded."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return False
    values = []
    for span in spans_of(text=candidate.text, standalone=True):
        result = answer_type.parse(text=span, part=part, reference=reference)
        if isinstance(result, ParseFailure):
            return False
        if result.value not in values:
            values.append(result.value)
    return values == [parsed.value]


def _covers(line: str, span: str, own: str, candidate: Candidate) -> bool:
    """The span holds the occurrence of the candidate's text the candidate was cut from: every occurrence
    on the line, or the last one for a candidate taken from the end of its line (its last math run)."""
    if line.count(own) == span.count(own):
        return True
    if candidate.source in ("marker", "boxed", "block"):  # a marked answer's value is its first math run
        return False
    at, end = line.rfind(own), line.rfind(span)
    return end >= 0 and end <= at and at + len(own) <= end + len(span)


def _value_on_line(pool: tuple[Candidate, ...], answer_type: Any, part: Any, reference: Any
                   ) -> tuple[Parsed, Candidate] | None:
    """No candidate reads: the one value of the type inside a single-line candidate (``5`` in ``the largest
    value is 5, at pixel (1, 0)`` for a number part). A line with several such values is left to a person."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None:
        return None
    for candidate in pool:
        if candidate.line_start != candidate.line_end or "\n" in candidate.text:
            continue
        readings: list[tuple[Parsed, str]] = []
        for span in spans_of(text=candidate.text, standalone=True):
            result = answer_type.parse(text=span, part=part, reference=reference)
            if not isinstance(result, ParseFailure) and all(result.value != r.value for r, _ in readings):
                readings.append((result, span))
        if len(readings) == 1:
            return readings[0][0], _as_candidate(readings[0][1], candidate)
    return None


def _as_candidate(text: str, source: Candidate) -> Candidate:
    return Candidate(text=text, source=source.source, line_start=source.line_start, line_end=source.line_end,
                     quote=source.quote)


def _noted(parsed: Parsed, candidate: Candidate, answer_type: Any, part: Any, reference: Any
           ) -> tuple[Parsed, Candidate]:
    """Say so when the one line the value was taken from holds other values of the type (not operands of
    a derivation: ``(0.3, 0.3) - 0.4 (…) = (0.2976, 0.2972)`` holds one)."""
    spans_of = getattr(answer_type, "spans", None)
    if spans_of is None or not candidate.quote or "\n" in candidate.quote.strip():
        return parsed, candidate
    others: list[str] = []
    for span in spans_of(text=candidate.quote, standalone=True, stated=True):
        if _norm(span) == _norm(candidate.text) or span in others:
            continue
        result = answer_type.parse(text=span, part=part, reference=reference)
        if not isinstance(result, ParseFailure) and result.value != parsed.value:
            others.append(span)
    if not others:
        return parsed, candidate
    note = f"{SEVERAL_VALUES} ({', '.join(others[:4])}); graded {candidate.text[:60]}"
    return replace(parsed, notes=(*parsed.notes, note), line_values=tuple(others[:8])), candidate


def _ambiguous_reading(parsed: Parsed, check: Check, answer_type: Any, part: Any, reference: Any, seed: int) -> str | None:
    for alternative in parsed.alternatives:
        other = answer_type.check(parsed=Parsed(value=alternative, shown=""), reference=reference, part=part, seed=seed)
        if other.verdict != check.verdict:
            return f"{parsed.ambiguity or 'the answer can be read more than one way'} and the readings disagree"
    return None


#: answer types whose values a line of prose can hold several of ("5, at pixel (1, 0)")
SEVERAL_VALUE_TYPES = ("number", "integer", "shape", "vector", "coordinates")
MAX_VALUES_ON_LINE = 6
#: feedback of a value that has another size than the answer: it cannot be a competing reading of it
_OTHER_SIZE = frozenset({"shape-mismatch", "shape-rank", "wrong-coordinate-count", "tuple-length"})
_PROSE_WORD = re.compile(r"(?<![\\\w])[^\W\d_]{2,}(?!\w)")
_RESULT_OF = re.compile(r"(?:=|:=|→|->|⇒|=>)")


def several_values_on_line(used: Candidate, parsed: Parsed, check: Check, answer_type: Any, part: Any,
                           reference: Any, seed: int) -> str | None:
    """The answer was picked from a line holding several values of the part's type, and another of them
    would get another verdict: a person decides which one the student meant.

    The other values come from the answer type itself where it can find whole values in a line (its
    ``spans``, which know that ``46 mal 62 mal 20`` is one shape: ``Parsed.line_values``), else from the
    extractor (``Candidate.values_on_line``), else from ``_values_on_line``: the line cut at prose words, each
    piece's result (after its last ``=`` / ``→``) being a value. A value that is only a step of the same
    derivation (``3·3·10·20 = 1800``) is one value, not several."""
    if used.line_start is None or part.type not in SEVERAL_VALUE_TYPES:  # a typed (structured) file: as typed
        return None
    if used.source == "boxed":  # the student boxed exactly this value: the others on the line are the derivation
        return None
    if getattr(answer_type, "spans", None) is not None:
        values = parsed.line_values
    else:
        values = used.values_on_line if used.values_on_line is not None else _values_on_line(used)
    if not values:
        return None
    shown = parsed.shown
    first = check.verdict  # the verdict against the reference, before error carried forward or a known mistake
    for text in values[:MAX_VALUES_ON_LINE]:
        other = answer_type.parse(text=text, part=part, reference=reference)
        if isinstance(other, ParseFailure):
            continue
        try:
            other_check = answer_type.check(parsed=other, reference=reference, part=part, seed=seed)
        except Exception:  # noqa: BLE001, S112 - a value that cannot be compared is not a competing reading
            continue
        if other_check.feedback_id in _OTHER_SIZE:  # a pair of window indices is no answer to a 4-vector part
            continue
        if other.shown != shown and other_check.verdict != first:
            return (f"the answer's line holds several values of this part's type (`{used.text[:60]}` and "
                    f"`{text[:60]}`) and they disagree")
    return None


def _values_on_line(used: Candidate) -> tuple[str, ...]:
    from grader.freeform.extract import strip_noise

    value = used.text.strip()
    lines = [line for line in (used.quote or used.text).split("\n") if value and value in line]
    if not lines or "\n" in value:
        return ()
    line = strip_noise(text=lines[-1][:600]).replace("$", " ")
    steps = _RESULT_OF.split(line)
    if len(steps) > 1 and value in steps[-1]:  # the line is a derivation that ends in the answer
        return ()
    values = []
    for piece in _PROSE_WORD.split(line):
        result = _RESULT_OF.split(piece)[-1].strip(" \t,.;:")
        if any(ch.isdigit() for ch in result) and result != value and result not in values:
            values.append(result)
    return tuple(values)


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


def _error_carried_forward(context: GradingContext, part_id: str, parsed: Parsed, student_values: Mapping[str, Any]
                           ) -> tuple[Check | None, EcfDetail | None]:
    assignment = context.assignment
    part = assignment.part(part_id)
    if not (assignment.ecf.enabled and part.ecf and part.computed and part.inputs):
        return None, None
    own = {ref: student_values[ref] for ref in part.inputs
           if ref in student_values
           and not _agrees(student_values[ref], context.references.get(ref), assignment.part(ref))}
    if not own:
        return None, None
    try:
        expected = compute_step(part=part, problem=assignment.problem_of(part_id), values={**context.references, **own},
                                local=local_solvers_of(assignment))
    except Exception:  # the student's own values may not fit the solver (wrong shapes): no ECF then
        return None, None
    answer_type = get_answer_type(part.type)
    shown_inputs = {ref: get_answer_type(assignment.part(ref).type).show(value=value, part=assignment.part(ref))
                    for ref, value in own.items()}
    detail = EcfDetail(inputs=shown_inputs, expected=answer_type.show(value=expected, part=part))
    check = answer_type.check(parsed=parsed, reference=expected, part=part, seed=context.seed_for(part_id))
    if check.verdict != "correct":
        return None, detail
    given = ", ".join(f"{ref} = {text}" for ref, text in shown_inputs.items())
    credit = assignment.ecf.credit
    # the proof record (expression parts) is the one of the check against the student's own inputs
    return Check(verdict="ecf", credit=credit, feedback_id="ecf",
                 feedback=f"Correct given your {given} (error carried forward"
                          f"{'' if credit == 1 else f', {credit:g} of the credit'}).", **_exact(check)), detail


def _known_mistake(context: GradingContext, part_id: str, parsed: Parsed, check: Check) -> Check | None:
    part = context.assignment.part(part_id)
    answer_type = get_answer_type(part.type)
    for mistake, value in context.misconceptions.get(part_id, ()):
        try:
            matched = answer_type.check(parsed=parsed, reference=value, part=part, seed=context.seed_for(part_id))
        except Exception:  # noqa: S112 - a reading that cannot be compared does not compete
            continue
        if matched.verdict == "correct":
            return Check(verdict="partial" if mistake.credit > 0 else "incorrect", credit=mistake.credit,
                         feedback=mistake.feedback, feedback_id=mistake.id)
    return None


def _evidence(candidate: Candidate, part_input: PartInput) -> Evidence:
    return Evidence(line_start=candidate.line_start, line_end=candidate.line_end, quote=candidate.quote[:500],
                    source=candidate.source, confidence=round(part_input.confidence, 3), flags=part_input.flags)
