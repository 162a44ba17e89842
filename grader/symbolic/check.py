"""check_symbolic: is a student's expression equivalent to the reference?

parse -> resolve names -> allow-list -> evaluate student and truth at several
random points and sizes -> compare; on a mismatch, name the first matching
misconception.  No exception leaves check_symbolic: every failure is a verdict.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from grader.mathparse import MathParseError, parse_math, render_latex
from grader.mathparse.exact import TIME_BOUND
from grader.mathparse.interpret import EvalError, WorkBudget
from grader.mathparse.nodes import FUNCTIONS, Gradient, Node, Sym, Tuple_, walk
from grader.mathparse.reassociate import left_to_right
from grader.mathparse.validate import validate_tree
from grader.symbolic.canonical import readable_latex
from grader.symbolic.compare import Match, agree as _agree
from grader.symbolic.compile import CompiledSpec, compile_spec, validate_answer
from grader.symbolic.declarations import resolve
from grader.symbolic.memo import answer_outcome, remembered
from grader.symbolic.outcome import SymbolicOutcome
from grader.symbolic.proof import prove, shape_proof, with_proof
from grader.symbolic.sampling import TrialEnv
from grader.symbolic.spec import SymbolicSpec
from grader.symbolic.trials import Checker, evaluate_all, free_indices, misconception_outcome, shape_text
from grader.symbolic.tuples import check_tuple

STUDENT_STEPS = 150_000  # evaluation steps for one answer over all trials, entries and readings

_MODES = (("outer", "an outer product (u v^T)"), ("inner", "an inner product (u^T v)"),
          ("elementwise", "an element-wise product (u \\odot v)"))


def _with_simplified(outcome: SymbolicOutcome, node: Node, spec: SymbolicSpec) -> SymbolicOutcome:
    """Optionally add SymPy's simplified display of the answer (never changes the verdict)."""
    if not spec.simplify_display or outcome.canonical is None:
        return outcome
    from grader.mathparse.to_sympy import SymbolShape, simplified_latex_or_reason

    shapes = {}
    for name, decl in spec.symbols.items():
        if decl.kind == "vector":
            shapes[name] = SymbolShape("vector", decl.dim or 1, 1)
        elif decl.kind == "tensor":
            shapes[name] = SymbolShape("scalar")  # only its entries have a SymPy form (IndexedBase)
        elif decl.kind == "matrix" and decl.dims:
            shapes[name] = SymbolShape("matrix", decl.dims[0], decl.dims[1])
        else:
            shapes[name] = SymbolShape(decl.kind)
    simplified, reason = simplified_latex_or_reason(node=node, shapes=shapes)
    note = f"simplified: {simplified}" if simplified is not None else f"no simplified form: {reason}"
    return replace(outcome, notes=outcome.notes + (note,))


def _check(answer: str, spec: SymbolicSpec, seed: int) -> SymbolicOutcome:
    compiled = compile_spec(spec=spec)
    try:
        raw = parse_math(text=answer)
    except MathParseError as exc:
        return SymbolicOutcome("needs_review", 0.0, f"I could not read this expression: {exc.message}.", "parse-error")
    resolution = resolve(node=raw, table=compiled.table)
    node, notes = resolution.node, resolution.notes
    canonical = render_latex(node=node)
    tuple_reference = isinstance(compiled.reference, Tuple_)
    if any(isinstance(n, Gradient) for n in walk(node)):
        return SymbolicOutcome("needs_review", 0.0, "∇ without a variable does not say what the gradient is taken with "
                               "respect to; write \\nabla_W L or \\frac{\\partial L}{\\partial W}.",
                               "gradient-without-variable", canonical, notes)
    if compiled.table.functions and _primed_bracket(node, compiled.table.functions):
        return SymbolicOutcome("needs_review", 0.0, "A prime after a bracket with a function in it reads as a "
                               "derivative that is not worked out; write the derivative out (f'(x) g(x) + …).",
                               "unsupported-notation", canonical, notes)
    report = (validate_answer(node=node, table=compiled.table) if tuple_reference
              else validate_tree(node=node, allowed_symbols=compiled.table.allowed,
                                 allowed_functions=FUNCTIONS | frozenset(compiled.table.functions)))
    if report.unknown_symbols:
        names = ", ".join(report.unknown_symbols)
        return SymbolicOutcome("needs_review", 0.0, f"Unknown symbol(s): {names}. Use the symbols of the problem "
                               f"({', '.join(sorted(compiled.table.kinds))}).", "unknown-symbol", canonical,
                               notes + (f"unknown: {names}",))
    if report.problems:
        return SymbolicOutcome("needs_review", 0.0, "; ".join(report.problems), "unsupported-notation", canonical, notes)
    free = free_indices(node=node, index_names=compiled.table.index_names)
    extra = free - set(spec.result.indices)
    if extra:
        expected = ", ".join(spec.result.indices) or "none"
        return SymbolicOutcome("needs_review", 0.0, f"The answer depends on index {', '.join(sorted(extra))}; "
                               f"expected indices: {expected}.", "unexpected-index", canonical, notes)
    outcome = answer_outcome(spec, compiled, (seed, canonical, node, _bounds()),
                             lambda: _compared(spec, compiled, seed, node, canonical, free, tuple_reference),
                             _decided_by_tree)
    return replace(outcome, notes=notes + outcome.notes) if notes else outcome


def _compared(spec: SymbolicSpec, compiled: CompiledSpec, seed: int, node: Node, canonical: str,
              free: frozenset[str], tuple_reference: bool) -> SymbolicOutcome:
    """The verdict of a resolved tree that passed the checks above, with no notes of its reading: a function of
    the spec, the seed and the tree (``canonical`` and ``free`` are the tree's own), remembered per tree
    (grader.symbolic.memo.answer_outcome). Every path below adds notes after the ones it is given, so the notes of
    an answer's reading go in front afterwards."""
    checker = Checker(spec, compiled, seed)
    if tuple_reference:
        return _decide_tuple(spec, checker, node, (), canonical)
    return _with_simplified(_readable(_decide(spec, checker, node, (), canonical, free), node, compiled, spec),
                            node, spec)


def _bounds() -> tuple[float, ...]:
    """The bounds an outcome is reached under, read when it is (a remembered outcome is one of the same bounds)."""
    from grader.symbolic import counterexample, exact_judge

    return (STUDENT_STEPS, exact_judge.EXACT_SECONDS, exact_judge.STEP_COST, exact_judge.MAX_TREE_NODES,
            exact_judge.MAX_EXPANDED_TERMS, counterexample.EXTRA_POINTS)


def _decided_by_tree(outcome: SymbolicOutcome) -> bool:
    """Whether an outcome is the tree's own, to be remembered: not when the exact judge's CPU-time backstop ended
    it (another moment, another load, could end it elsewhere)."""
    return outcome.proof is None or TIME_BOUND not in (outcome.proof.reason or "")


def _readable(outcome: SymbolicOutcome, node: Node, compiled: CompiledSpec, spec: SymbolicSpec) -> SymbolicOutcome:
    """Simplified forms for feedback of the reference and the answer, when the answer was compared by value."""
    if outcome.proof is None:
        return outcome
    shown = remembered(spec, compiled, ("readable",), lambda: readable_latex(node=compiled.reference, spec=spec))
    return replace(outcome, canonical_reference=shown,
                   canonical_answer=readable_latex(node=node, spec=spec))


def _primed_bracket(node: Node, functions) -> bool:
    """`(f(x) g(x))'`: a prime on an expression that applies a declared function (not a transpose)."""
    from grader.mathparse.nodes import Call, Transpose

    for n in walk(node):
        if isinstance(n, Transpose) and n.prime and not (isinstance(n.arg, Sym) and n.arg.name in functions):
            if any(isinstance(m, Call) and m.func in functions for m in walk(n.arg)):
                return True
    return False


def _decide(spec: SymbolicSpec, checker: "Checker", node: Node, notes: tuple[str, ...], canonical: str,
            free: frozenset[str]) -> SymbolicOutcome:
    truth = checker.truth()
    budget = WorkBudget(STUDENT_STEPS)
    student = evaluate_all(node, checker.envs, spec, bool(free), "strict", budget)

    if student.error is not None:
        err, env = student.error, student.error_env
        if err.kind in ("bound", "nonfinite"):
            return SymbolicOutcome("could_not_evaluate", 0.0, f"The expression could not be evaluated: {err.message}.",
                                   "could-not-evaluate", canonical, notes)
        if err.kind == "ambiguous":
            for mode, description in _MODES:
                alt = evaluate_all(node, checker.envs, spec, bool(free), mode, budget)
                if alt.values is not None and _agree(checker.matches(alt.values, truth), spec):
                    return SymbolicOutcome(
                        "needs_review", 0.0,
                        f"A product of two vectors is ambiguous here; read as {description} your answer is "
                        "correct. Write it explicitly (u v^T, u^T v or u \\odot v).", "ambiguous-product",
                        canonical, notes + (f"correct when read as {mode}",))
        if err.kind in ("ambiguous", "shape"):
            return _shape_outcome(spec, checker, node, notes, canonical, free, budget, truth, err, env)
        return SymbolicOutcome("needs_review", 0.0, f"The expression could not be evaluated: {err.message}.",
                               "unsupported-notation", canonical, notes)

    values = student.values
    assert values is not None  # noqa: S101 - narrows the type; evaluate() set values when it returned no error
    results = checker.matches(values, truth)
    outcome = _value_verdict(spec, checker, node, notes, canonical, values, results, truth)
    task = checker.task()
    if outcome.feedback_id == "shape-mismatch":
        return replace(outcome, proof=shape_proof(task))
    return with_proof(outcome, prove(node=node, task=task, matches=results))


def _shape_outcome(spec: SymbolicSpec, checker: "Checker", node: Node, notes: tuple[str, ...], canonical: str,
                   free: frozenset[str], budget: WorkBudget, truth: tuple[np.ndarray, ...], err: EvalError,
                   env: TrialEnv | None) -> SymbolicOutcome:
    """The shapes do not fit as written: a known mistake, a regrouping a person must see, or a shape mismatch.
    An incorrect verdict here is exact at the trial sizes (shapes are computed, not sampled)."""
    m = checker.misconception(node, None)
    outcome = (misconception_outcome(m, canonical, notes) if m is not None else
               _other_grouping(spec, checker, node, notes, canonical, free, budget, truth) or SymbolicOutcome(
                   "incorrect", 0.0, _shape_message(err, env), "shape-mismatch", canonical, notes))
    if (err.kind == "shape" or outcome.feedback_id == "shape-mismatch") and outcome.verdict in ("incorrect", "partial"):
        return replace(outcome, proof=shape_proof(checker.task()))
    return outcome


def _value_verdict(spec: SymbolicSpec, checker: "Checker", node: Node, notes: tuple[str, ...], canonical: str,
                   values: tuple[np.ndarray, ...], results: list[Match], truth: tuple[np.ndarray, ...]
                   ) -> SymbolicOutcome:
    if _agree(results, spec):
        if "transposed" in results:
            return SymbolicOutcome("correct", 1.0, "Correct (given in transposed layout).", "layout-transposed",
                                   canonical, notes + ("accepted in transposed layout",))
        if "diagonal" in results:
            return SymbolicOutcome("correct", 1.0, "Correct (given as the diagonal matrix).", None, canonical,
                                   notes + ("accepted as a diagonal matrix",))
        return SymbolicOutcome("correct", 1.0, "Correct.", None, canonical, notes)
    m = checker.misconception(node, values)
    if m is not None:
        return misconception_outcome(m, canonical, notes)
    if all(r in ("equal", "transposed", "diagonal") for r in results) and "transposed" in results:
        return SymbolicOutcome("partial", 0.5, "The values are right but the layout is transposed.",
                               "layout-transposed", canonical, notes)
    if "shape" in results:
        k = results.index("shape")
        env = checker.envs[k]
        return SymbolicOutcome("incorrect", 0.0,
                               f"Your answer has shape {shape_text(values[k].shape, env)} but the expected result "
                               f"has shape {shape_text(truth[k].shape, env)}.", "shape-mismatch", canonical, notes)
    k = next(i for i, r in enumerate(results) if r != "equal")
    sizes = ", ".join(f"{n}={s}" for n, s in checker.envs[k].sizes.items())
    return SymbolicOutcome("incorrect", 0.0, "Not equivalent to the expected answer: it differs at random test "
                           f"values{' (' + sizes + ')' if sizes else ''}.", "not-equivalent", canonical, notes)


def _decide_tuple(spec: SymbolicSpec, checker: "Checker", node: Node, notes: tuple[str, ...],
                  canonical: str) -> SymbolicOutcome:
    """A tuple reference (a shape): entry by entry; evaluation failures become verdicts as for one expression."""
    try:
        return check_tuple(node=node, reference=checker.compiled.reference, spec=spec, envs=checker.envs,
                           misconceptions=checker.compiled.misconceptions, canonical=canonical, notes=notes,
                           misconception_outcome=misconception_outcome, budget=WorkBudget(STUDENT_STEPS))
    except EvalError as err:
        if err.kind in ("bound", "nonfinite"):
            return SymbolicOutcome("could_not_evaluate", 0.0, f"The expression could not be evaluated: {err.message}.",
                                   "could-not-evaluate", canonical, notes)
        if err.kind == "shape":
            return SymbolicOutcome("incorrect", 0.0, err.message, "shape-mismatch", canonical, notes)
        return SymbolicOutcome("needs_review", 0.0, f"The expression could not be evaluated: {err.message}.",
                               "unsupported-notation", canonical, notes)


def _other_grouping(spec: SymbolicSpec, checker: "Checker", node: Node, notes: tuple[str, ...], canonical: str,
                    free: frozenset[str], budget: WorkBudget, truth: tuple[np.ndarray, ...]) -> SymbolicOutcome | None:
    """Shapes do not fit as parsed; if the products read left to right give the right answer, a person decides."""
    regrouped = left_to_right(node=node)
    if regrouped == node:
        return None
    strict_values = None
    for mode, description in (("strict", ""),) + _MODES:
        alt = evaluate_all(regrouped, checker.envs, spec, bool(free), mode, budget)
        if mode == "strict":
            strict_values = alt.values
        if alt.values is not None and _agree(checker.matches(alt.values, truth), spec):
            how = f", with vector products as {description}" if description else ""
            shown = render_latex(node=regrouped)
            return SymbolicOutcome(
                "needs_review", 0.0,
                f"As written the shapes do not match, but read left to right ({shown}){how} your answer is correct. "
                "Use brackets to show what multiplies first.", "ambiguous-grouping", canonical,
                notes + (f"correct when grouped as {shown}",))
    m = checker.misconception(regrouped, strict_values) if strict_values is not None else None
    if m is None:
        return None
    note = f"read left to right as {render_latex(node=regrouped)}"
    if m.credit > 0:  # credit for an answer whose shapes only fit when regrouped: a person decides
        return SymbolicOutcome("needs_review", 0.0, f"{m.feedback} (when {note}; as written the shapes do not "
                               "match)", m.id, canonical, notes + (note,))
    return misconception_outcome(m, canonical, notes + (note,))


def _shape_message(err: EvalError, env: TrialEnv | None) -> str:
    if err.shapes and env is not None and len(err.shapes) == 2:
        a, b = (shape_text(s, env) for s in err.shapes)
        return f"shapes do not match: {a}{err.op}{b}"
    return err.message


def check_symbolic(*, answer: str, spec: SymbolicSpec, seed: int = 0) -> SymbolicOutcome:
    """Verdict for ``answer`` against ``spec``; never raises."""
    try:
        if not isinstance(spec, SymbolicSpec):
            spec = SymbolicSpec.model_validate(spec)
        if not isinstance(answer, str):
            return SymbolicOutcome("needs_review", 0.0, "The answer is not text.", "parse-error")
        return _check(answer, spec, int(seed))
    except RecursionError:
        return SymbolicOutcome("could_not_evaluate", 0.0, "The expression is nested too deeply.", "could-not-evaluate")
    except Exception as exc:  # the public contract: every failure is a verdict
        return SymbolicOutcome("needs_review", 0.0, f"The checker failed on this answer ({type(exc).__name__}).",
                               "internal-error", None, (f"{type(exc).__name__}: {exc}",))
