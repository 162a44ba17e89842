"""A worker's first check of an expression part, done before its first check of a run, as a step of its own
(:func:`~grader.grading.jobs.warmed`): each symbolic part's own reference checked against itself.

The first such check in a process imports SymPy and works out the part's reference at its trial points and sizes
(about 1.5 CPU s for dl-basics' 1a, where a later answer costs tens of milliseconds). Left to the first student's
file, that cost fell inside the student's part step, whose seconds are wall-clock: on a loaded machine a worker's
first file then overran them and its expression parts ended as "could not evaluate", on the first attempt and again
in the isolated re-run, which starts a fresh worker that pays the same cost. The warm-up step has a bound of its
own, and a worker that checks nothing (one making reports again after a decision) never pays it.

The check's outcome is dropped: what it leaves behind (SymPy's import, the specs' remembered reference forms) is
what every later check of the part would compute first, and a remembered form is charged to each check's budget as
computing it would be (grader.symbolic.memo), so no student's outcome depends on it. A part whose warm-up fails
is left to its first student, as before.
"""

from __future__ import annotations

from grader.grading.context import GradingContext


def warm_up(context: GradingContext) -> int:
    """Check each symbolic part's reference LaTeX against the part (nothing is kept of the outcomes); the number of
    parts checked."""
    from grader.answers import ParseFailure, get_answer_type

    checked = 0
    for part_id in context.order:
        part = context.assignment.part(part_id)
        written = part.reference_latex or (part.symbolic or {}).get("reference")
        if not part.symbolic or not isinstance(written, str):
            continue
        answer_type = get_answer_type(part.type)
        reference = context.references.get(part_id)
        try:
            parsed = answer_type.parse(text=written, part=part, reference=reference)
            if not isinstance(parsed, ParseFailure):
                answer_type.check(parsed=parsed, reference=reference, part=part, seed=context.seed_for(part_id))
                checked += 1
        except Exception:  # noqa: BLE001, S112 - a warm-up never stops a worker: its part is warmed by its first answer
            continue
    return checked
