"""``range``: an index range or an inequality, e.g. which kernel offsets k₁ touch an output pixel.

YAML::

    - id: 3e
      prompt: For which k₁ does the kernel overlap the input?
      type: range
      domain: integers          # integers (default): compared as sets of whole numbers; reals: intervals
      answer: '0 \\le k < 2'    # text, read like a student's answer
      # answer: {min: 0, max: 1}                      # both ends included
      # answer: {low: 0, high: 2, high_open: true}    # low_open / high_open default to false
      # answer: [0, 1]                                # a list (or a solver's range/set): exactly these values

Reading an answer: ``0 ≤ k₁ < 2``, ``0 \\le k_1 \\leq 1``, ``2 > k ≥ 0``, ``k ≥ 0, k < 2``,
``k ∈ {0, 1}``, ``k \\in \\{0, 1, \\ldots, 3\\}``, ``[0, 2)``, ``[0; 2)``, ``[0, ∞)`` (reals),
``0..1``, ``0 to 1``, ``k = 0, 1``, ``k = 0 or 1``.  Two different ranges in one answer
(``0 ≤ k₁ < 2, 0 ≤ k₂ < 3``) are not a range: the answer is unreadable for this type (the same
range written twice is fine).  With ``domain: integers`` an interval with two open round brackets,
``(0, 2)``, may be a pair rather than an open interval: the set {0, 1, 2} is kept as an alternative
reading, so a person decides when the two readings disagree.

Comparison: ``domain: integers`` compares the sets of whole numbers (``0 ≤ k < 2`` = ``0 ≤ k ≤ 1``
= ``{0, 1}`` = ``0..1``); ``domain: reals`` compares the ends (with the part's tolerance) and
whether each end is included.  Feedback ids: ``range-off-by-one`` (one end off by one, e.g.
``0 ≤ k < 3`` for ``0 ≤ k < 2``), ``range-open-closed`` (reals: an end included that should not be,
or the reverse), ``wrong-range``.

``show`` writes ``0 ≤ k ≤ 1`` (integers), ``k ∈ {0, 2, 5}`` (a set that is not consecutive),
``0 ≤ x < 2`` or ``[0, ∞)`` (reals).  ``value_of`` gives ``{"min": 0, "max": 1}`` for a run of
integers, a list of integers for other sets, and ``{"low", "high", "low_open", "high_open"}`` for a
real interval: the same forms a reference may take.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.range_tokens import INF, PATTERN, number, read_tokens, side
from grader.number_text import shown_value as fmt
from grader.answers.registry import register
from grader.answers.solver_backed import SolverBacked, whole_number
from grader.answers.structured import prepare
from grader.answers.tolerance import within
from grader.problems.models import Part

MAX_SET = 200


@dataclass(frozen=True)
class RangeValue:
    """Integers: ``runs`` of consecutive whole numbers (lo, hi), sorted.  Reals: one interval, or ``points``."""

    domain: str
    runs: tuple[tuple[int, int], ...] = ()
    low: float = 0.0
    high: float = 0.0
    low_open: bool = False
    high_open: bool = False
    points: tuple[float, ...] | None = None

    @property
    def empty(self) -> bool:
        if self.domain == "integers":
            return not self.runs
        if self.points is not None:
            return not self.points
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))


class RangeType(SolverBacked):
    name = "range"
    #: in free-form files the whole answer comes first: `0 ≤ k_1 ≤ 1` must not be cut to its last `1`
    reads_whole_answer = True

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = prepare(text)
        tokens = read_tokens(cleaned, part)
        if isinstance(tokens, ParseFailure):
            return tokens
        symbols = "".join(k for k, _ in tokens)
        try:
            found = self._ranges(tokens, symbols, part)
        except ReferenceValueError as exc:
            return ParseFailure(str(exc))
        if isinstance(found, ParseFailure):
            return found
        if not found:
            return ParseFailure(f"could not read a range in {cleaned[:80]!r}")
        variables = {var for _, var in found if var}
        distinct = list(dict.fromkeys(value for value, _ in found))
        if len(distinct) > 1 or len(variables) > 1:
            return ParseFailure("the answer gives more than one range; a range part takes one")
        value = distinct[0]
        notes: list[str] = []
        alternatives: list[Any] = []
        if len(found) > 1:
            notes.append("the same range is written more than once")
        closed = self._closed_pair(tokens, symbols, part)
        if closed is not None and closed != value:
            notes.append("(a, b) read as an open interval; it may be meant as the pair or the closed range")
            alternatives.append(closed)
        return Parsed(value=value, shown=self.show(value=value, part=part), notes=tuple(notes),
                      alternatives=tuple(alternatives),
                      ambiguity="(a, b) may be an open interval, a pair or the closed range")

    def _ranges(self, tokens: list[tuple[str, str]], symbols: str, part: Part
                ) -> list[tuple[RangeValue, str | None]] | ParseFailure:
        """Every range the answer writes, with its variable: each pattern of ``PATTERN`` it matches, the
        one-sided bounds (``k ≥ 0, k < 2``) joined into one, or else a bare list of numbers."""
        found: list[tuple[RangeValue, str | None]] = []
        sides: list[tuple[str, float, bool, str]] = []  # (lower|upper, bound, open, variable)
        matched_any = False
        for match in PATTERN.finditer(symbols):
            matched_any = True
            piece = tokens[match.start():match.end()]
            var = next((v for k, v in piece if k == "v"), None)
            nums = [number(v) for k, v in piece if k == "n"]
            if match.lastgroup == "one":
                sides.append(side(piece, nums, var))
            else:
                found.append((self._piece_value(match.lastgroup or "", piece, nums, part), var))
        if sides:
            lowers = [s for s in sides if s[0] == "lower"]
            uppers = [s for s in sides if s[0] == "upper"]
            if len(lowers) != 1 or len(uppers) != 1:
                return ParseFailure("a range needs both ends (e.g. 0 ≤ k < 2)")
            found.append((self._interval(lowers[0][1], uppers[0][1], lowers[0][2], uppers[0][2], part),
                          lowers[0][3] or None))
        if not matched_any and re.fullmatch(r"n(?:[,;]n){0,400}", symbols):
            found.append((self._points([number(v) for k, v in tokens if k == "n"], part), None))
        return found

    def _piece_value(self, kind: str, piece: list[tuple[str, str]], nums: list[float], part: Part) -> RangeValue:
        """The range one matched pattern writes: a chain ``0 ≤ k < 2``, an interval ``[0, 2)``, a set, a run
        ``0..1`` or a list ``k = 0, 1``."""
        if kind == "chain":
            ascending = piece[1][0] in "l<"
            lo, hi = (nums[0], nums[1]) if ascending else (nums[1], nums[0])
            lo_open, hi_open = ((piece[1][0] == "<", piece[3][0] == "<") if ascending
                                else (piece[3][0] == ">", piece[1][0] == ">"))
            return self._interval(lo, hi, lo_open, hi_open, part)
        if kind == "interval":
            brackets = [v for k, v in piece if k in "[]()"]
            return self._interval(nums[0], nums[1], brackets[0] == "(", brackets[-1] == ")", part)
        if kind == "set":
            return self._set(piece, part)
        if kind == "dots":
            return self._interval(nums[0], nums[1], False, False, part)
        return self._points(nums, part)  # list

    def _closed_pair(self, tokens: list[tuple[str, str]], symbols: str, part: Part) -> RangeValue | None:
        """Integers: ``(a, b)`` read as the closed range a..b, the other reading of a pair of round brackets."""
        if part.domain != "integers":
            return None
        pair = re.search(r"\((n)[,;](n)\)", symbols)
        if pair is None:
            return None
        lo, hi = number(tokens[pair.start(1)][1]), number(tokens[pair.start(2)][1])
        try:
            return self._interval(lo, hi, False, False, part)
        except ReferenceValueError:
            return None

    # --- building values ---------------------------------------------------------------------------

    @staticmethod
    def _interval(lo: float, hi: float, lo_open: bool, hi_open: bool, part: Part) -> RangeValue:
        if part.domain == "reals":
            return RangeValue(domain="reals", low=lo, high=hi, low_open=lo_open or lo == -INF,
                              high_open=hi_open or hi == INF)
        if math.isinf(lo) or math.isinf(hi):
            raise ReferenceValueError("an integer range needs two finite ends")
        first = math.floor(lo) + 1 if (lo_open and float(lo).is_integer()) else math.ceil(lo)
        last = math.ceil(hi) - 1 if (hi_open and float(hi).is_integer()) else math.floor(hi)
        return RangeValue(domain="integers", runs=((int(first), int(last)),) if first <= last else ())

    def _set(self, piece: list[tuple[str, str]], part: Part) -> RangeValue:
        inner = [(k, v) for k, v in piece if k in ("n", "d")]
        if any(k == "d" for k, _ in inner):
            kinds = "".join(k for k, _ in inner)
            if not re.fullmatch(r"n{1,2}dn", kinds):
                raise ReferenceValueError("write a set with dots as {0, 1, ..., 5}")
            nums = [number(v) for k, v in inner if k == "n"]
            step = nums[1] - nums[0] if len(nums) == 3 else 1
            if step != 1:
                if step <= 0 or (nums[-1] - nums[0]) / step > MAX_SET:
                    raise ReferenceValueError("a set with dots must count up")
                count = int((nums[-1] - nums[0]) // step) + 1
                return self._points([nums[0] + k * step for k in range(count)], part)
            return self._interval(nums[0], nums[-1], False, False, part)
        return self._points([number(v) for k, v in inner], part)

    @staticmethod
    def _points(numbers: list[float], part: Part) -> RangeValue:
        if len(numbers) > MAX_SET:
            raise ReferenceValueError(f"a set of more than {MAX_SET} values; write it as a range")
        if any(math.isinf(n) for n in numbers):
            raise ReferenceValueError("∞ is not a value of a set")
        if part.domain == "reals":
            return RangeValue(domain="reals", points=tuple(sorted(set(numbers))))
        if any(not float(n).is_integer() for n in numbers):
            raise ReferenceValueError(f"the values must be whole numbers: {', '.join(fmt(n) for n in numbers)}")
        return RangeValue(domain="integers", runs=_runs(sorted({int(n) for n in numbers})))

    # --- comparing -----------------------------------------------------------------------------------

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        given: RangeValue = parsed.value
        if given == reference or (given.domain == reference.domain == "reals" and self._same_reals(given, reference, part)):
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        if given.empty:
            return Check(verdict="incorrect", credit=0.0, feedback_id="wrong-range",
                         feedback=f"Your range contains no {'whole numbers' if given.domain == 'integers' else 'values'}.")
        if given.domain == "integers" and reference.domain == "integers":
            if len(given.runs) == 1 and len(reference.runs) == 1:
                (a, b), (c, d) = given.runs[0], reference.runs[0]
                if (a == c and abs(b - d) == 1) or (b == d and abs(a - c) == 1):
                    end = "upper" if a == c else "lower"
                    return Check(verdict="incorrect", credit=0.0, feedback_id="range-off-by-one",
                                 feedback=f"The {end} end is off by one: check whether that end is included "
                                          "(< or ≤).")
        elif given.domain == reference.domain == "reals" and given.points is None and reference.points is None:
            same_low = self._close(given.low, reference.low, part)
            same_high = self._close(given.high, reference.high, part)
            if same_low and same_high:
                return Check(verdict="incorrect", credit=0.0, feedback_id="range-open-closed",
                             feedback="The ends are right, but check which of them are included (≤) or not (<).")
            if (same_low and abs(given.high - reference.high) == 1) or (same_high and abs(given.low - reference.low) == 1):
                return Check(verdict="incorrect", credit=0.0, feedback_id="range-off-by-one",
                             feedback="One end is off by one.")
        return Check(verdict="incorrect", credit=0.0, feedback_id="wrong-range", feedback="Not the right range.")

    @staticmethod
    def _close(a: float, b: float, part: Part) -> bool:
        if math.isinf(a) or math.isinf(b):
            return a == b
        return within(value=a, reference=b, tolerance=part.tolerance).ok

    def _same_reals(self, given: RangeValue, reference: RangeValue, part: Part) -> bool:
        if given.points is not None or reference.points is not None:
            if given.points is None or reference.points is None or len(given.points) != len(reference.points):
                return False
            return all(self._close(a, b, part) for a, b in zip(given.points, reference.points))
        return (self._close(given.low, reference.low, part) and self._close(given.high, reference.high, part)
                and given.low_open == reference.low_open and given.high_open == reference.high_open)

    # --- references ----------------------------------------------------------------------------------

    def coerce(self, *, value: Any, part: Part) -> Any:
        if isinstance(value, RangeValue):
            return value
        if isinstance(value, Mapping):
            keys = set(value)
            if keys == {"min", "max"}:
                lo, hi, lo_open, hi_open = value["min"], value["max"], False, False
            elif {"low", "high"} <= keys <= {"low", "high", "low_open", "high_open"}:
                lo, hi = value["low"], value["high"]
                lo_open, hi_open = value.get("low_open", False), value.get("high_open", False)
                if not isinstance(lo_open, bool) or not isinstance(hi_open, bool):
                    raise ReferenceValueError("low_open and high_open are true or false")
            else:
                raise ReferenceValueError(f"a range reference mapping is {{min: 0, max: 1}} (both ends included) or "
                                          f"{{low: 0, high: 2, high_open: true}}; got keys {', '.join(map(str, keys))}")
            ends = []
            for name, end in (("the lower end", lo), ("the upper end", hi)):
                if part.domain == "integers":
                    ends.append(whole_number(end, what=f"{name} of an integer range"))
                else:
                    try:
                        ends.append(float(end))
                    except (TypeError, ValueError):
                        raise ReferenceValueError(f"{name} must be a number, not {end!r}") from None
            if ends[0] > ends[1]:
                raise ReferenceValueError(f"the lower end {ends[0]:g} is above the upper end {ends[1]:g}")
            result = self._interval(ends[0], ends[1], lo_open, hi_open, part)
        elif isinstance(value, (list, tuple, set, frozenset, range)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
            if isinstance(value, range) and part.domain == "integers":
                if value.step != 1:
                    items = list(value)[:MAX_SET + 1]
                else:
                    return RangeValue(domain="integers", runs=((value.start, value.stop - 1),) if len(value) else ())
            numbers = []
            for k, item in enumerate(items):
                if part.domain == "integers":
                    numbers.append(float(whole_number(item, what=f"value {k + 1} of the range")))
                else:
                    try:
                        numbers.append(float(item))
                    except (TypeError, ValueError):
                        raise ReferenceValueError(f"value {k + 1} of the range must be a number, not {item!r}") from None
            result = self._points(numbers, part)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            result = self._points([float(value)], part)
        else:
            raise ReferenceValueError(f"a range reference is text such as '0 \\le k < 2', {{min: 0, max: 1}}, "
                                      f"{{low: 0, high: 2, high_open: true}} or a list of values; got {value!r}")
        if result.empty:
            raise ReferenceValueError("the reference range is empty")
        return result

    def value_of(self, *, parsed: Parsed) -> Any:
        value: RangeValue = parsed.value
        if value.domain == "integers":
            if len(value.runs) == 1:
                return {"min": value.runs[0][0], "max": value.runs[0][1]}
            return [k for lo, hi in value.runs for k in range(lo, hi + 1)][:MAX_SET]
        if value.points is not None:
            return list(value.points)
        return {"low": value.low, "high": value.high, "low_open": value.low_open, "high_open": value.high_open}

    def show(self, *, value: Any, part: Part) -> str:
        if not isinstance(value, RangeValue):
            value = self.coerce(value=value, part=part)
        if value.domain == "integers":
            if len(value.runs) == 1:
                lo, hi = value.runs[0]
                return f"k = {lo}" if lo == hi else f"{lo} ≤ k ≤ {hi}"
            return "k ∈ {" + ", ".join(str(k) for lo, hi in value.runs for k in range(lo, hi + 1)) + "}"
        if value.points is not None:
            return "x ∈ {" + ", ".join(fmt(p) for p in value.points) + "}"
        if math.isinf(value.low) or math.isinf(value.high):
            ends = [("-∞" if value.low == -INF else fmt(value.low)), ("∞" if value.high == INF else fmt(value.high))]
            return f"{'(' if value.low_open else '['}{ends[0]}; {ends[1]}{')' if value.high_open else ']'}"
        return (f"{fmt(value.low)} {'<' if value.low_open else '≤'} x "
                f"{'<' if value.high_open else '≤'} {fmt(value.high)}")


def _runs(numbers: list[int]) -> tuple[tuple[int, int], ...]:
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return tuple(runs)


register(RangeType())
