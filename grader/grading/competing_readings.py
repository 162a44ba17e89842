"""Other readings of a part's text that compete with the answer graded: an ambiguous value, several values of
the type on the answer's line, a value of the right size elsewhere in the part. Each makes a person decide."""

from __future__ import annotations

import re
from typing import Any

from grader.answers import Check, Parsed, ParseFailure
from grader.grading.candidate_reading import MAX_CANDIDATES, as_candidate
from grader.submissions.inputs import Candidate


def right_size_elsewhere(check: Check, used: Candidate, candidates: tuple[Candidate, ...], answer_type: Any,
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
                return as_candidate(text, candidate)
    return None



def ambiguous_reading(parsed: Parsed, check: Check, answer_type: Any, part: Any, reference: Any, seed: int) -> str | None:
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
