"""Every ``from grader… import name`` in the package, the tests and the benchmarks names something that exists,
including the imports inside functions (kept there to keep start-up light), which only fail when that function
runs: a renamed or moved function otherwise breaks a benchmark or a rarely taken path silently."""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("grader", "bench", "tests")


@cache  # both tests read the same scan of ~350 files
def _imports() -> tuple[tuple[str, int, str, str], ...]:
    found = []
    for folder in FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("grader"):
                    for alias in node.names:
                        if alias.name != "*":
                            found.append((path.relative_to(REPO).as_posix(), node.lineno, node.module, alias.name))
    return tuple(found)


def test_every_grader_import_names_something_that_exists() -> None:
    missing = []
    for file, line, module, name in _imports():
        try:
            loaded = importlib.import_module(module)
        except ImportError as exc:
            missing.append(f"{file}:{line}: {module} ({exc})")
            continue
        if not hasattr(loaded, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{file}:{line}: {module} has no {name}")
    assert not missing, "\n".join(missing)


def test_the_scan_sees_imports_inside_functions() -> None:
    inside = [row for row in _imports() if row[0] == "bench/exact_judge.py"]
    assert ("grader.grading.checked", "load_assignment_dir") in {(module, name) for _, _, module, name in inside}
