"""House rules of the package's shape (issue 15): no function longer than 60 lines and no module longer than 400,
so that a new decision is a new small function (composed in a visible order) rather than another branch of a long
one. The failure names every offender with its length."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "grader"
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


def _sources() -> list[tuple[str, str]]:
    return [(path.relative_to(PACKAGE.parent).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))]


def test_no_module_is_longer_than_400_lines() -> None:
    long = [f"{name}: {len(text.splitlines())} lines" for name, text in _sources()
            if len(text.splitlines()) > MAX_MODULE_LINES]
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by job):\n" + "\n".join(long)


def test_no_function_is_longer_than_60_lines() -> None:
    long = []
    for name, text in _sources():
        for node in ast.walk(ast.parse(text, filename=name)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them into small ones):\n" + "\n".join(long)


def test_the_walk_sees_the_package() -> None:
    names = {name for name, _ in _sources()}
    assert "grader/grading/part.py" in names and "grader/freeform/segment.py" in names
