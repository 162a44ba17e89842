"""Dotted paths into a problem's parameters and ``{{name}}`` placeholders in its text.

A path names a parameter (``input_size``), a key inside a dict parameter (``conv1.kernel``)
or an entry of a list parameter, counted from 0 (``W1.0.1`` is row 0, column 1).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any

_MISSING = object()

#: anything between double braces; what is inside is checked by :func:`placeholder_problems`
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_INSIDE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*(?:\|\s*([A-Za-z]+)\s*)?$")
#: ``{{W1|latex}}`` writes the value as LaTeX (a vector as a row, a matrix as a bmatrix) for ``$…$`` math
FILTERS = ("latex",)
MINUS = "\u2212"


class PathError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; this one is meant for people
        return str(self.args[0]) if self.args else ""


def get_path(parameters: Mapping[str, Any], path: str) -> Any:
    """The value at ``path``; raises :class:`PathError` naming the first segment that does not exist."""
    value: Any = parameters
    walked: list[str] = []
    for segment in path.split("."):
        if isinstance(value, Mapping) and segment in value:
            value = value[segment]
        elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        else:
            where = ".".join(walked) or "the parameters"
            if isinstance(value, list):
                raise PathError(f"{where} is a list of {len(value)}; {segment!r} is not an index 0..{len(value) - 1}")
            if isinstance(value, Mapping):
                known = ", ".join(str(key) for key in value) or "none"
                raise PathError(f"{where} has no {segment!r} (it has: {known})")
            raise PathError(f"{where} is a single value, it has no {segment!r}")
        walked.append(segment)
    return value


def has_path(parameters: Mapping[str, Any], path: str) -> bool:
    try:
        get_path(parameters, path)
    except PathError:
        return False
    return True


def set_paths(parameters: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``parameters`` with each path set to its value (paths must exist)."""
    out = copy.deepcopy(dict(parameters))
    for path, value in values.items():
        *head, last = path.split(".")
        target: Any = out
        for segment in head:
            target = target[int(segment)] if isinstance(target, list) else target[segment]
        if isinstance(target, list):
            target[int(last)] = copy.deepcopy(value)
        else:
            target[last] = copy.deepcopy(value)
    return out


# --- placeholders -----------------------------------------------------------------------------------------

def placeholders(text: str) -> list[str]:
    """The raw contents of every ``{{…}}`` in ``text``."""
    return [match.group(1) for match in _PLACEHOLDER.finditer(text or "")]


def placeholder_problems(*, text: str, parameters: Mapping[str, Any]) -> list[str]:
    """Why each bad placeholder of ``text`` cannot be filled (empty when all are fine)."""
    found = []
    for inside in dict.fromkeys(placeholders(text)):  # each distinct placeholder once
        match = _INSIDE.match(inside)
        if not match:
            found.append(f"{{{{{inside}}}}} is not a parameter name (write {{{{name}}}}, {{{{conv1.kernel}}}} "
                         "or {{W1|latex}})")
            continue
        path, flag = match.group(1), match.group(2)
        if flag is not None and flag not in FILTERS:
            found.append(f"{{{{{inside}}}}}: unknown filter {flag!r} (known: {', '.join(FILTERS)})")
        try:
            get_path(parameters, path)
        except PathError as exc:
            found.append(f"{{{{{inside}}}}}: unknown parameter {path!r}: {exc}")
    return found


def render_text(*, text: str, parameters: Mapping[str, Any]) -> str:
    """``text`` with every ``{{path}}`` replaced by that parameter's value (checked at load time)."""
    if "{{" not in (text or ""):
        return text

    def fill(match: re.Match[str]) -> str:
        inside = _INSIDE.match(match.group(1))
        if inside is None:
            return match.group(0)
        try:
            value = get_path(parameters, inside.group(1))
        except PathError:
            return match.group(0)
        return format_latex(value) if inside.group(2) == "latex" else format_value(value)

    return _PLACEHOLDER.sub(fill, text)


def _number(value: Any, minus: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            text = str(int(value)) if value != 0 else "0"
        else:
            text = format(value, ".12g")
    else:
        return str(value)
    return minus + text[1:] if text.startswith("-") else text


def format_value(value: Any) -> str:
    """A value as prose writes it: ``224``, ``0.5``, ``(2, −1, 3)``, ``[[0.1, 0.2], [0.15, 0.25]]``."""
    if isinstance(value, list):
        if value and all(isinstance(item, list) for item in value):
            return "[" + ", ".join("[" + ", ".join(_number(x, MINUS) for x in row) + "]" for row in value) + "]"
        return "(" + ", ".join(format_value(item) for item in value) + ")"
    if isinstance(value, Mapping):
        return ", ".join(f"{key} = {format_value(item)}" for key, item in value.items())
    return _number(value, MINUS)


def format_latex(value: Any) -> str:
    """A value as LaTeX: numbers, a vector as a row ``\\begin{pmatrix}…``, a matrix as a bmatrix."""
    if isinstance(value, list):
        if value and all(isinstance(item, list) for item in value):
            rows = r" \\ ".join(" & ".join(_number(x, "-") for x in row) for row in value)
            return rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}"
        return r"\begin{pmatrix} " + " & ".join(_number(x, "-") for x in value) + r" \end{pmatrix}"
    return _number(value, "-")
