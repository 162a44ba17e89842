"""Instructors' formulas over a problem's parameters, evaluated exactly (no eval).

    evaluate_formula(*, text, parameters) -> int | float | list | tuple   # raises FormulaError
    formula_names(*, text) -> set[str]                                      # parameter names it uses

A formula is written in the grader's own math language (``floor((n + 2*p - k)/s) + 1``,
``\\lfloor \\frac{N-1}{s} \\rfloor + 1``, ``(B, n // s, C)``, ``\\sum_{i=1}^{L} k_i``).  Formula
mode differs from reading a student answer in one way only: every identifier
(``input_size``, ``c_in``, ``conv1.kernel``, ``kc``) is ONE name, never split into letters or
subscripts.  It is applied here, as one linear pass over the text before the normaliser, by
swapping each identifier for an opaque placeholder word; the normaliser and grammar are unchanged.

Numbers are exact: integers stay ``int``, ``/`` gives a ``Fraction``, ``floor``/``ceil``/``//``
give ``int``.  The result is an ``int`` when it is one, a ``float`` otherwise (a ``/`` that was
not floored, ``sqrt``, ``exp``, ``log``, a float parameter or a non-integer power).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any
from collections.abc import Mapping

from grader.mathparse.errors import FormulaError, MathParseError
from grader.mathparse.formula_words import CONSTANTS, Name, protect_names
from grader.mathparse.interpret import MAX_STEPS, MAX_SUM_TERMS, WorkBudget
from grader.mathparse.nodes import (Add, Call, Div, Factorial, Index, Mul, Neg, Node, Num, Pow, Sub, SumOver, Sym,
                                    Tuple_, walk)
from grader.mathparse.parse import parse_math

__all__ = ["FormulaError", "evaluate_formula", "flatten_parameters", "formula_names", "protect_names"]

MAX_FORMULA_CHARS = 2_000
MAX_POWER_BITS = 100_000
MAX_FACTORIAL = 1_000

Number = int | Fraction | float


def _parse(text: str) -> tuple[Node, Mapping[str, Name]]:
    if not isinstance(text, str):
        raise FormulaError("a formula must be text")
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(f"formula longer than {MAX_FORMULA_CHARS} characters")
    protected = protect_names(text=text)
    try:
        node = parse_math(text=protected.text)
    except MathParseError as exc:
        message = re.sub(r" at position \d+$", "", exc.message)  # a position in the placeholder text would mislead
        raise FormulaError(f"cannot read formula {text!r}: {_unprotect(message, protected.names)}") from None
    return node, protected.names


def _unprotect(message: str, names: Mapping[str, Name]) -> str:
    for holder in sorted(names, key=len, reverse=True):
        message = message.replace(holder, names[holder].name)
    return message


def formula_names(*, text: str) -> set[str]:
    """The parameter names a formula uses (identifiers that are not functions, constants or \\sum variables)."""
    node, names = _parse(text)
    bound = {names[n.var].name for n in walk(node) if isinstance(n, SumOver) and n.var in names}
    used = {names[n.name].name for n in walk(node) if isinstance(n, Sym) and n.name in names}
    return used - bound


def flatten_parameters(parameters: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted names: {'conv1': {'kernel': 3}} -> {'conv1.kernel': 3} (the dict kept too)."""
    flat: dict[str, Any] = {}
    for key, value in parameters.items():
        name = f"{prefix}{key}"
        flat[name] = value
        if isinstance(value, Mapping):
            flat.update(flatten_parameters(value, prefix=name + "."))
    return flat


def _number(value: Any, where: str) -> Number | list | tuple:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, Fraction)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormulaError(f"{where} is not a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_number(v, where) for v in value)
    raise FormulaError(f"{where} is not a number or a list of numbers (got {type(value).__name__})")


class _Evaluator:
    def __init__(self, text: str, names: Mapping[str, Name], parameters: Mapping[str, Any]) -> None:
        self.text = text
        self.names = names
        self.params = flatten_parameters(parameters)
        self.budget = WorkBudget(MAX_STEPS)

    def fail(self, message: str) -> FormulaError:
        return FormulaError(f"formula {self.text!r}: {message}")

    def run(self, node: Node, bound: Mapping[str, int]) -> Any:
        self.budget.remaining -= 1
        if self.budget.remaining < 0:
            raise self.fail("needs too much work to evaluate")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(f"{type(node).__name__} is not supported in a formula")
        return method(node, bound)

    def num(self, node: Node, bound: Mapping[str, int], what: str) -> Number:
        value = self.run(node, bound)
        if isinstance(value, (list, tuple)):
            raise self.fail(f"{what} must be a number, not a list")
        return value

    def integer(self, node: Node, bound: Mapping[str, int], what: str) -> int:
        value = self.num(node, bound, what)
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if isinstance(value, Fraction) and value.denominator == 1:
            value = value.numerator
        if not isinstance(value, int):
            raise self.fail(f"{what} must be a whole number, got {value}")
        return value

    def _Num(self, node: Num, b):
        text = node.text or repr(node.value)
        return int(text) if text.isdigit() else Fraction(text)

    def _Sym(self, node: Sym, b):
        entry = self.names.get(node.name)
        name = entry.name if entry is not None else node.name
        if name in b:
            return b[name]
        if name in self.params and not isinstance(self.params[name], Mapping):
            return _number(self.params[name], f"parameter {name}")
        if name in CONSTANTS:
            return CONSTANTS[name]
        known = ", ".join(sorted(k for k, v in self.params.items() if not isinstance(v, Mapping))) or "none"
        what = "a group of parameters (use a dotted name)" if name in self.params else "an unknown name"
        raise self.fail(f"{name} is {what}; known parameters: {known}")

    def _Index(self, node: Index, b):
        value = self.run(node.base, b)
        entry = self.names.get(node.base.name) if isinstance(node.base, Sym) else None
        offset = 0 if entry is not None and entry.zero_based else 1
        for item in node.idx:
            k = self.integer(item, b, "an index")
            if not isinstance(value, (list, tuple)):
                raise self.fail("only a list parameter can be indexed")
            if not 0 <= k - offset < len(value):
                first = "0" if offset == 0 else "1"
                raise self.fail(f"index {k} out of range {first}..{len(value) - 1 + offset}")
            value = value[k - offset]
        return value

    def _Tuple_(self, node: Tuple_, b):
        return tuple(self.run(item, b) for item in node.items)

    def _Neg(self, node: Neg, b):
        return -self.num(node.arg, b, "the operand of -")

    def _Add(self, node: Add, b):
        return self.num(node.left, b, "a term") + self.num(node.right, b, "a term")

    def _Sub(self, node: Sub, b):
        return self.num(node.left, b, "a term") - self.num(node.right, b, "a term")

    def _Mul(self, node: Mul, b):
        return self.num(node.left, b, "a factor") * self.num(node.right, b, "a factor")

    def _Div(self, node: Div, b):
        top, bottom = self.num(node.left, b, "a numerator"), self.num(node.right, b, "a denominator")
        if bottom == 0:
            raise self.fail("division by zero")
        if isinstance(top, float) or isinstance(bottom, float):
            return top / bottom
        return Fraction(top) / Fraction(bottom)

    def _Pow(self, node: Pow, b):
        base, exp = self.num(node.base, b, "a base"), self.num(node.exp, b, "an exponent")
        exact_exp = exp if isinstance(exp, int) else (exp.numerator if isinstance(exp, Fraction)
                                                      and exp.denominator == 1 else None)
        if exact_exp is not None and not isinstance(base, float):
            size = abs(exact_exp) * max(1, abs(Fraction(base).numerator).bit_length(),
                                        Fraction(base).denominator.bit_length())
            if size > MAX_POWER_BITS:
                raise self.fail("a power too large to compute")
            if base == 0 and exact_exp < 0:
                raise self.fail("division by zero (0 to a negative power)")
            return base ** exact_exp if exact_exp >= 0 else Fraction(base) ** exact_exp
        try:
            result = float(base) ** float(exp)
        except (OverflowError, ZeroDivisionError):
            raise self.fail("a power out of range") from None
        if isinstance(result, complex) or not math.isfinite(result):
            raise self.fail("a power with no real value")
        return result

    def _Factorial(self, node: Factorial, b):
        k = self.integer(node.arg, b, "the argument of !")
        if not 0 <= k <= MAX_FACTORIAL:
            raise self.fail(f"factorial of {k} refused (0..{MAX_FACTORIAL})")
        return math.factorial(k)

    def _Call(self, node: Call, b):
        f = node.func
        if node.derivative:
            raise self.fail(f"a derivative of {f} in a formula")
        args = [self.run(a, b) for a in node.args]
        if f in ("min", "max"):
            items = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
            if not items or any(isinstance(x, (list, tuple)) for x in items):
                raise self.fail(f"{f} needs numbers or one list")
            return min(items) if f == "min" else max(items)
        if len(args) != 1 or isinstance(args[0], (list, tuple)):
            raise self.fail(f"{f} takes one number")
        x = args[0]
        if f in ("floor", "ceil"):
            return math.floor(x) if f == "floor" else math.ceil(x)
        if f == "abs":
            return abs(x)
        return self._real(f, float(x))

    def _real(self, f: str, x: float) -> float:
        if f == "sqrt" and x >= 0:
            return math.sqrt(x)
        if f == "log" and x > 0:
            return math.log(x)
        if f == "exp" and x < 700:
            return math.exp(x)
        if f in ("sqrt", "log", "exp"):
            raise self.fail(f"{f}({x:g}) has no finite real value")
        raise self.fail(f"the function {f} is not available in a formula")

    def _SumOver(self, node: SumOver, b):
        product = node.op == "prod"
        if not node.var:
            items = self.run(node.body, b)
            if not isinstance(items, (list, tuple)) or any(isinstance(x, (list, tuple)) for x in items):
                raise self.fail(f"a bare {node.op} needs a list of numbers (write \\{node.op}_{{i=1}}^{{n}} ...)")
            return math.prod(items) if product else sum(items, 0)
        if node.lo is None or node.hi is None:
            raise self.fail(f"\\{node.op} needs both limits in a formula (\\{node.op}_{{i=1}}^{{n}})")
        var = self.names[node.var].name if node.var in self.names else node.var
        lo, hi = self.integer(node.lo, b, "a lower limit"), self.integer(node.hi, b, "an upper limit")
        if hi - lo + 1 > MAX_SUM_TERMS:
            raise self.fail(f"\\{node.op} over {hi - lo + 1} terms refused (limit {MAX_SUM_TERMS})")
        skipped = {self.integer(x, b, "an excluded index") for x in node.exclude}
        total: Number = 1 if product else 0
        inner = dict(b)
        for k in range(lo, hi + 1):
            if k in skipped:
                continue
            inner[var] = k
            term = self.num(node.body, inner, "a term")
            total = total * term if product else total + term
        return total


def _result(value: Any) -> Any:
    """int stays int, Fraction (an unfloored `/`) becomes float, lists and tuples keep their type."""
    if isinstance(value, tuple):
        return tuple(_result(v) for v in value)
    if isinstance(value, list):
        return [_result(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    return value


def evaluate_formula(*, text: str, parameters: Mapping[str, Any]) -> int | float | list | tuple:
    """Value of an instructor's formula over ``parameters``; raises FormulaError (never anything else)."""
    node, names = _parse(text)
    evaluator = _Evaluator(text, names, parameters)
    try:
        value = evaluator.run(node, {})
    except FormulaError:
        raise
    except (OverflowError, ValueError, ZeroDivisionError, TypeError, RecursionError) as exc:
        raise FormulaError(f"formula {text!r}: cannot evaluate ({type(exc).__name__}: {exc})") from None
    return _result(value)
