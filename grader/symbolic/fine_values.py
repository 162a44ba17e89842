"""``entry.evalf(30)`` of an exact value at a counter-example point, computed by mpmath's own arithmetic on the
entry's tree with each shared part (``exp(z_1)``, the softmax's total) evaluated once, instead of SymPy's adaptive
evalf, which evaluates every part again at every precision it tries (most of a counter-example's time).

The value is computed at a fixed working precision of ``PREC + GUARD`` bits while a bound on its accuracy is
carried along (each operation's rounding, the error a sum's cancellation or a function's condition magnifies);
when the bound promises fewer than ``PREC + MARGIN`` correct bits, or a part is anything but a real number of the
kinds below (an exact zero, a complex value, a Float, an unknown function, a case split), None is returned and
the caller asks SymPy's evalf. A value returned is the 103-bit Float of 30 digits that evalf gives, up to its last
bit (both are within a bit of the true value); its users read it as a float and to six digits, where the two
agree unless the true value lies within ~2^-100 of a rounding boundary.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from mpmath.libmp import libelefun, libmpf  # type: ignore[import-untyped]  # (SymPy's own arithmetic)
from mpmath.libmp.libmpf import fzero, round_nearest  # type: ignore[import-untyped]

from grader.mathparse.exact import MAX_NUMBER_BITS

PREC = 103          # bits of evalf(30): dps_to_prec(30)
GUARD = 48          # working bits beyond PREC
MARGIN = 12         # correct bits beyond PREC that the accuracy bound must promise
WORK = PREC + GUARD
MAX_EXPONENT = 64   # integer powers beyond this are left to SymPy

_Value = tuple[tuple[int, int, int, int], float]   # (mpf, accuracy bound in bits)


class _Refused(Exception):
    """A part this evaluator does not take: SymPy's evalf decides."""


def fine_value(expr: Any) -> Any | None:
    """``expr.evalf(30)`` for a real exact value, or None when SymPy's evalf must compute it."""
    try:
        mpf, accuracy = _value(expr, {})
    except (_Refused, RecursionError, ZeroDivisionError, ValueError, OverflowError):
        return None
    if mpf == fzero or accuracy < PREC + MARGIN:
        return None
    return sp.Float._new(mpf, PREC)


def _magnitude(mpf: tuple[int, int, int, int]) -> int:
    """An exponent m with 2^(m-1) <= |x| < 2^m (x nonzero)."""
    return mpf[2] + mpf[3]


def _value(expr: Any, seen: dict[Any, _Value]) -> _Value:
    found = seen.get(expr)
    if found is None:
        found = _computed(expr, seen)
        if found[0] == fzero:
            raise _Refused  # an exact zero (or an underflow): SymPy's evalf says what it is
        seen[expr] = found
    return found


def _computed(expr: Any, seen: dict[Any, _Value]) -> _Value:
    if expr.is_Rational:
        if max(abs(expr.p).bit_length(), expr.q.bit_length()) > MAX_NUMBER_BITS:
            raise _Refused
        exact = abs(expr.p).bit_length() <= WORK and expr.q & (expr.q - 1) == 0  # a binary fraction of WORK bits
        return libmpf.from_rational(expr.p, expr.q, WORK, round_nearest), WORK + (64 if exact else 0)
    if expr is sp.E:
        return libelefun.mpf_e(WORK), WORK - 1
    if expr is sp.pi:
        return libelefun.mpf_pi(WORK), WORK - 1
    if expr.is_Add:
        return _sum([_value(a, seen) for a in expr.args])
    if expr.is_Mul:
        return _product([_value(a, seen) for a in expr.args])
    if expr.is_Pow:
        return _power(expr, seen)
    kind = type(expr)
    if kind in _FUNCTIONS and len(expr.args) == 1:
        out: _Value = _FUNCTIONS[kind](_value(expr.args[0], seen))
        return out
    raise _Refused


def _sum(terms: list[_Value]) -> _Value:
    total = terms[0][0]
    for mpf, _ in terms[1:]:
        total = libmpf.mpf_add(total, mpf, WORK, round_nearest)
    if total == fzero:
        raise _Refused
    largest = max(_magnitude(mpf) for mpf, _ in terms)
    cancelled = max(0, largest - _magnitude(total))
    return total, min(acc for _, acc in terms) - cancelled - len(terms).bit_length() - 2


def _product(factors: list[_Value]) -> _Value:
    out = factors[0][0]
    for mpf, _ in factors[1:]:
        out = libmpf.mpf_mul(out, mpf, WORK, round_nearest)
    return out, min(acc for _, acc in factors) - len(factors).bit_length() - 1


def _power(expr: Any, seen: dict[Any, _Value]) -> _Value:
    base, accuracy = _value(expr.base, seen)
    exponent = expr.exp
    if exponent.is_Integer and abs(int(exponent)) <= MAX_EXPONENT:
        n = int(exponent)
        out = libmpf.mpf_pow_int(base, n, WORK, round_nearest)
        return out, accuracy - abs(n).bit_length() - 2
    if exponent is _HALF and base[0] == 0:
        return libmpf.mpf_sqrt(base, WORK, round_nearest), accuracy - 2
    raise _Refused


def _exp(arg: _Value) -> _Value:
    x, accuracy = arg
    grows = max(0, _magnitude(x))
    if grows > 20:
        raise _Refused
    return libelefun.mpf_exp(x, WORK, round_nearest), accuracy - grows - 2


def _log(arg: _Value) -> _Value:
    x, accuracy = arg
    if x[0] == 1:
        raise _Refused  # the log of a negative number is not real
    out = libelefun.mpf_log(x, WORK, round_nearest)
    if out == fzero:
        raise _Refused
    return out, accuracy + min(0, _magnitude(out)) - 2


def _periodic(function: Any) -> Any:
    def value(arg: _Value) -> _Value:
        x, accuracy = arg
        grows = max(0, _magnitude(x))
        if grows > 20:
            raise _Refused
        out = function(x, WORK, round_nearest)
        if out == fzero:
            raise _Refused
        return out, accuracy - grows + min(0, _magnitude(out)) - 2
    return value


_FUNCTIONS = {sp.exp: _exp, sp.log: _log, sp.sin: _periodic(libelefun.mpf_sin), sp.cos: _periodic(libelefun.mpf_cos)}
_HALF = sp.S.Half
