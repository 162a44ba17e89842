"""A catalogue of the registered solvers, read from their signatures and docstrings.

Docstring convention for every registered solver (Google style, a subset)::

    One-line summary, ending with a period.

    Optional paragraphs: formula, conventions, tie rules.

    Args:
        name: what the argument is, its form in YAML and its default.
            Continuation lines are indented further.
        other: ...

    Returns:
        What comes back (int, tuple, nested list, ...), possibly over several lines.

``Args:`` lists every parameter of the signature, in any order, each exactly once
(it is omitted only for a solver without parameters); ``Returns:`` is always present.
Section headers stand alone on their line at the docstring's base indentation;
argument names are indented one level (4 spaces) below ``Args:``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from grader.solvers.registry import get_solver, known_solvers

_SECTIONS = ("Args:", "Returns:")


@dataclass(frozen=True)
class SolverDoc:
    """What a problem author needs to know about one solver."""

    name: str                           # registered name, ``module.function``
    signature: str                      # e.g. "(*, n, kernel, stride=1, padding=0, dilation=1)", no annotations
    summary: str                        # first line of the docstring ("" when there is none)
    args: tuple[tuple[str, str], ...]   # (argument name, description) in docstring order
    returns: str                        # text of the Returns: section ("" when missing)

    @property
    def module(self) -> str:
        return self.name.split(".", 1)[0]


def parse_docstring(doc: str | None) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """(summary, args, returns) of a docstring written in the convention above."""
    lines = inspect.cleandoc(doc or "").splitlines()
    summary = lines[0].strip() if lines else ""
    args: list[list[str]] = []
    returns: list[str] = []
    section = None
    for line in lines[1:]:
        stripped = line.strip()
        if line == stripped and stripped in _SECTIONS:
            section = stripped
            continue
        if line and line == stripped:  # back at base indentation: prose after the sections
            section = None
            continue
        if not stripped:
            continue
        if section == "Args:":
            indent = len(line) - len(line.lstrip(" "))
            name, colon, text = stripped.partition(":")
            if indent == 4 and colon and name.lstrip("*").isidentifier():
                args.append([name.lstrip("*"), text.strip()])
            elif args:
                args[-1][1] = f"{args[-1][1]} {stripped}".strip()
        elif section == "Returns:":
            returns.append(stripped)
    return summary, tuple((name, text) for name, text in args), " ".join(returns)


def _doc_of(name: str, fn: Callable[..., Any]) -> SolverDoc:
    summary, args, returns = parse_docstring(fn.__doc__)
    return SolverDoc(name=name, signature=_signature(fn), summary=summary, args=args, returns=returns)


def _signature(fn: Callable[..., Any]) -> str:
    """The call signature without annotations: what a problem file's args can name, with defaults."""
    sig = inspect.signature(fn)
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))


def describe_solver(name: str) -> SolverDoc:
    """The documentation of one registered solver (SolverError for an unknown name)."""
    return _doc_of(name, get_solver(name))


def describe_solvers(*, local: Mapping[str, Callable[..., Any]] | None = None) -> tuple[SolverDoc, ...]:
    """The documentation of every built-in solver, sorted by name; or, given an assignment's
    ``local`` table, of its own solvers."""
    if local is not None:
        return tuple(_doc_of(name, local[name]) for name in sorted(local))
    return tuple(describe_solver(name) for name in known_solvers())


def format_catalog(docs: Iterable[SolverDoc]) -> str:
    """Plain-text catalogue, grouped by module: signature, summary, arguments and return value of each solver."""
    lines: list[str] = []
    module = None
    for doc in sorted(docs, key=lambda d: d.name):
        if doc.module != module:
            if lines:
                lines.append("")
            module = doc.module
            lines += [module, "=" * len(module)]
        lines.append(f"{doc.name}{doc.signature}")
        lines.append(f"    {doc.summary or '(no summary)'}")
        for arg, text in doc.args:
            lines.append(f"    - {arg}: {text}")
        lines.append(f"    returns: {doc.returns or '(not documented)'}")
    return "\n".join(lines) + ("\n" if lines else "")
