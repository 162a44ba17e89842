"""How an expression verdict was reached: the random-point verdict, then the exact judge, in one order.

1. the exact judge is off, or the trees are too large for it: ``numeric``;
2. the random points say equal: SymPy proves it (``symbolic``), or finds a counter-example at fresh points
   (``conflict``), or neither (``numeric``, with the reason);
3. the random points say different: an exact counter-example at a point where they differed (``symbolic``),
   or SymPy proves the two equal (``conflict``), or neither (``numeric``).

A conflict never stands as a silent verdict: the part goes to a person with both findings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from grader.mathparse.exact import ExactBudget
from grader.mathparse.nodes import Node
from grader.results import Proof
from grader.symbolic.compare import Match, accepted, agree
from grader.symbolic.counterexample import find_counterexample, fresh_envs
from grader.symbolic.exact_judge import ExactFinding, ExactTask, prove_equal, sizes_text, start_budget, too_large
from grader.symbolic.outcome import SymbolicOutcome

if TYPE_CHECKING:
    from grader.symbolic.sampling import TrialEnv


def _sizes(envs: tuple["TrialEnv", ...]) -> tuple[dict[str, int], ...]:
    seen: list[dict[str, int]] = []
    for env in envs:
        if env.sizes and dict(env.sizes) not in seen:
            seen.append(dict(env.sizes))
    return tuple(seen)


def numeric_proof(task: ExactTask, equal: bool, symbolic: str = "unproven", reason: str = "") -> Proof:
    return Proof(method="numeric", numeric="equal" if equal else "different", symbolic=symbolic,  # type: ignore[arg-type]
                 points=len(task.envs), sizes=_sizes(task.envs), reason=reason)


def _relation(matches: list[Match]):
    return "transposed" if "transposed" in matches else "diagonal" if "diagonal" in matches else "equal"


def _when_equal(node: Node, task: ExactTask, matches: list[Match], budget: ExactBudget) -> Proof:
    found = prove_equal(student=node, relation=_relation(matches), task=task, budget=budget)
    base = numeric_proof(task, True)
    if found.result == "equal":
        return base.model_copy(update={"method": "symbolic", "symbolic": "equal", "scope": found.scope})
    witness = find_counterexample(student=node, task=task, envs=fresh_envs(task), budget=budget)
    if witness.result == "different":
        return base.model_copy(update={"method": "conflict", "symbolic": "different",
                                       "counterexample": witness.counterexample})
    return base.model_copy(update={"reason": found.reason})


def _when_different(node: Node, task: ExactTask, matches: list[Match], budget: ExactBudget) -> Proof:
    ok = accepted(task.spec)
    differing = [env for env, m in zip(task.envs, matches) if m not in ok]
    witness = find_counterexample(student=node, task=task, envs=differing, budget=budget)
    base = numeric_proof(task, False)
    if witness.result == "different":
        return base.model_copy(update={"method": "symbolic", "symbolic": "different",
                                       "counterexample": witness.counterexample})
    found: ExactFinding = prove_equal(student=node, relation="equal", task=task, budget=budget)
    if found.result == "equal":
        return base.model_copy(update={"method": "conflict", "symbolic": "equal", "scope": found.scope})
    return base.model_copy(update={"reason": witness.reason})


def prove(*, node: Node, task: ExactTask, matches: list[Match]) -> Proof:
    """The proof record of a verdict reached by comparing values at the trials (``matches``)."""
    equal = agree(matches, task.spec)
    if not task.spec.exact:
        return numeric_proof(task, equal, "off")
    if too_large(node, task.compiled.reference):
        return numeric_proof(task, equal, reason="too large for the exact judge")
    return (_when_equal if equal else _when_different)(node, task, matches, start_budget())


def shape_proof(task: ExactTask) -> Proof:
    """A shape mismatch is exact at the trial sizes: the shapes are computed, not sampled."""
    sizes = "; ".join(sizes_text(s) for s in _sizes(task.envs))
    return numeric_proof(task, False).model_copy(update={"method": "symbolic", "symbolic": "different",
                                                         "scope": sizes, "reason": "the shapes differ"})


def _conflict_feedback(outcome: SymbolicOutcome, proof: Proof) -> str:
    if proof.numeric == "equal":
        c = proof.counterexample
        where = f" (at {sizes_text(c.sizes)})" if c is not None and c.sizes else ""
        return ("Flagged for a person: the answer agrees with the reference at every random test point, but an exact "
                f"check found a point where it differs{where}. A person decides.")
    return ("Flagged for a person: the answer differs from the reference at the random test points, but SymPy proves "
            f"the two equal ({proof.scope}). A person decides. Random points said: {outcome.feedback}")


def with_proof(outcome: SymbolicOutcome, proof: Proof) -> SymbolicOutcome:
    """The outcome carrying its proof; a conflict becomes needs_review with both findings (never silent)."""
    if proof.method != "conflict":
        return replace(outcome, proof=proof)
    note = f"random points: {outcome.verdict} ({outcome.feedback_id or 'equal'}); exact judge: {proof.symbolic}"
    return replace(outcome, verdict="needs_review", credit=0.0, feedback=_conflict_feedback(outcome, proof),
                   feedback_id="judges-disagree", notes=outcome.notes + (note,), proof=proof)
