"""The schema of a derived reference: an expression part's ``symbolic.reference`` given as a mapping.

    reference: {derivative: 'm \\odot a / (1 - p)', wrt: a}
    reference: {gradient: '-\\sum_i y_i \\log \\hat y_i', wrt: z, assuming: ['\\sum_i y_i = 1']}

Checked here when the file is read (the keys, the definition parses, ``wrt`` is a declared symbol the
definition uses, each assumption is one equation); SymPy derives the reference when the assignment is
checked (grader.grading.derived), which reports what SymPy cannot derive.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.mathparse import MathParseError, parse_math
from grader.mathparse.nodes import Index, Node, Sym, walk
from grader.problems.errors import ProblemFileError
from grader.problems.models import Part, Problem

KINDS = ("derivative", "gradient")
KEYS = KINDS + ("wrt", "assuming")
_EXAMPLE = "reference: {gradient: 'w^T A w', wrt: w}"


def is_derived(part: Part) -> bool:
    """Whether the part's reference is a mapping SymPy derives."""
    return part.type == "expression" and isinstance((part.symbolic or {}).get("reference"), dict)


def derived_reference_errors(*, problem: Problem, path: Path,
                             line: Callable[[Path, tuple[Any, ...]], int | None]) -> list[ProblemFileError]:
    """Every schema error of the problem's derived references, each naming the file, the field and the fix."""
    errors: list[ProblemFileError] = []
    for index, part in enumerate(problem.parts):
        if not is_derived(part):
            continue

        def report(key: str, text: str, fix: str, index: int = index, part: Part = part) -> None:
            loc = ("parts", index, "symbolic", "reference") + ((key.split("[")[0],) if key else ())
            errors.append(ProblemFileError(file=path, field=f"parts[{index}] ({part.id}).symbolic.reference"
                                           + (f".{key}" if key else ""), problem=text, fix=fix, line=line(path, loc)))

        _check_one(part, report)
    return errors


def _check_one(part: Part, report: Callable[..., None]) -> None:
    symbolic = part.symbolic or {}
    mapping = symbolic["reference"]
    for key in mapping:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            report(str(key), f"unknown key {key!r}", (f"did you mean {close[0]!r}? " if close else "")
                   + f"a derived reference has the keys {', '.join(KEYS)}")
    kinds = [k for k in KINDS if k in mapping]
    if len(kinds) != 1:
        report("", f"give exactly one of 'derivative' or 'gradient' (got {', '.join(kinds) or 'none'})",
               f"e.g. {_EXAMPLE}")
        return
    kind = kinds[0]
    tree = _parsed(mapping[kind], kind, report)
    symbols = symbolic.get("symbols") if isinstance(symbolic.get("symbols"), dict) else {}
    wrt = mapping.get("wrt")
    if wrt is None:
        report("wrt", "missing: what the derivative is taken with respect to",
               f"add wrt: <a declared symbol>, e.g. {_EXAMPLE}")
    elif not isinstance(wrt, str) or wrt not in symbols:
        report("wrt", f"{wrt!r} is not a symbol of the part", f"name one of the declared symbols: "
               f"{', '.join(sorted(n for n, d in symbols.items() if _kind(d) != 'index')) or '(none declared)'}")
    elif _kind(symbols[wrt]) == "index" or (isinstance(symbols[wrt], dict) and symbols[wrt].get("value")):
        report("wrt", f"{wrt!r} is an index or has a value, so nothing can be differentiated by it",
               "name a declared vector, matrix or scalar without a value")
    elif tree is not None and wrt not in _used(tree, symbols):
        report("wrt", f"the {kind} does not use {wrt!r} (nor does any value it uses)",
               f"write the definition in terms of {wrt}, or name the symbol it depends on")
    _check_assumptions(mapping.get("assuming"), report)


def _kind(decl: Any) -> Any:
    return decl.get("kind") if isinstance(decl, dict) else None


def _parsed(text: Any, field: str, report: Callable[..., None]) -> Node | None:
    if not isinstance(text, str) or not text.strip():
        report(field, "expected the expression to differentiate, as LaTeX text", f"e.g. {_EXAMPLE}")
        return None
    try:
        return parse_math(text=text)
    except MathParseError as exc:
        report(field, f"cannot parse {text!r}: {exc.message}", "write it in the grader's math language "
               "(docs/symbolic.md)")
        return None


def _used(tree: Node, symbols: dict[str, Any]) -> set[str]:
    """Declared names the tree uses, by name or a one-word alias, and those their values use in turn."""
    words = {name: name for name in symbols}
    for name, decl in symbols.items():
        for alias in (decl.get("aliases") or ()) if isinstance(decl, dict) else ():
            words.setdefault(str(alias).strip(), name)
    found: set[str] = set()
    stack = [tree]
    while stack:
        for n in walk(stack.pop()):
            base = n.base if isinstance(n, Index) and isinstance(n.base, Sym) else n
            name = words.get(base.name) if isinstance(base, Sym) else None
            if name is None or name in found:
                continue
            found.add(name)
            value = symbols[name].get("value") if isinstance(symbols[name], dict) else None
            if isinstance(value, str):
                try:
                    stack.append(parse_math(text=value))
                except MathParseError:
                    pass  # the symbolic block's own check reports it
    return found


def _check_assumptions(assuming: Any, report: Callable[..., None]) -> None:
    if assuming is None:
        return
    if not isinstance(assuming, list) or not all(isinstance(a, str) for a in assuming):
        report("assuming", "expected a list of equations", "write assuming: ['\\sum_i y_i = 1']")
        return
    for k, text in enumerate(assuming):
        sides = text.split("=")
        if len(sides) != 2:
            report(f"assuming[{k}]", f"{text!r} is not one equation lhs = rhs",
                   "write each assumption as one equation, e.g. '\\sum_i y_i = 1'")
            continue
        for side in sides:
            _parsed(side, f"assuming[{k}]", report)
