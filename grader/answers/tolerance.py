"""Tolerance policies for numeric answers (as STACK's NumAbsolute, NumRelative,
NumDecPlaces, NumSigFigs, plus a rounding-aware mode)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from grader.problems.models import Tolerance

EXACT = Tolerance(policy="relative", rel=1e-9, abs=1e-12)
_EPS = 1e-12


@dataclass(frozen=True)
class ToleranceResult:
    ok: bool
    #: set when the student gave fewer decimals than the part requires
    too_few_decimals: bool = False


def round_sig(x: float, sig: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, sig - 1 - int(math.floor(math.log10(abs(x)))))


def _abs_rel(value: float, reference: float, tol: Tolerance) -> bool:
    diff = abs(value - reference)
    bounds = []
    if tol.abs is not None:
        bounds.append(tol.abs)
    if tol.rel is not None:
        bounds.append(tol.rel * abs(reference))
    return bool(bounds) and diff <= max(bounds) + _EPS


def within(*, value: float, reference: float, tolerance: Tolerance | None, decimals: int | None = None) -> ToleranceResult:
    """Whether ``value`` (with ``decimals`` written digits, when known) is close enough."""
    tol = tolerance or EXACT
    if not (math.isfinite(value) and math.isfinite(reference)):
        return ToleranceResult(ok=value == reference)
    if tol.policy in ("absolute", "relative"):
        return ToleranceResult(ok=_abs_rel(value, reference, tol))
    if tol.policy == "decimals":
        return ToleranceResult(ok=abs(round(value, tol.decimals) - round(reference, tol.decimals)) <= _EPS)
    if tol.policy == "sigfigs":
        return ToleranceResult(ok=abs(round_sig(value, tol.sigfigs) - round_sig(reference, tol.sigfigs))
                               <= _EPS * max(1.0, abs(reference)))
    # rounding-aware: the reference rounded to the student's own decimals
    if decimals is not None and decimals < (tol.min_decimals or 0):
        return ToleranceResult(ok=False, too_few_decimals=True)
    if decimals is not None and abs(value - reference) <= 0.5 * 10.0 ** (-decimals) + _EPS:
        return ToleranceResult(ok=True)
    return ToleranceResult(ok=_abs_rel(value, reference, tol))


def describe(tolerance: Tolerance | None) -> str:
    tol = tolerance or EXACT
    if tol is EXACT:
        return "exact"
    if tol.policy == "absolute":
        return f"±{tol.abs:g}"
    if tol.policy == "relative":
        return f"±{tol.rel * 100:g} %"
    if tol.policy == "decimals":
        return f"to {tol.decimals} decimal places"
    if tol.policy == "sigfigs":
        return f"to {tol.sigfigs} significant figures"
    return f"rounded to your own decimals (at least {tol.min_decimals})"
