"""Assignment-local solver modules.

An assignment folder may hold ``solvers.py`` and/or ``solvers/*.py``.  These are
trusted instructor content, like the problem files themselves (the same trust
model as PrairieLearn's ``server.py``): they are imported from the problems
folder only, never from a submission.  Each module registers its solvers with
``from grader.solvers import solver`` / ``@solver("name")``; the names are
visible to that assignment only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

from grader.solvers.registry import SolverFn, pop_target, push_target

_LOADED: dict[str, dict[str, SolverFn]] = {}   # resolved folder -> its solvers
_BY_NAME: dict[str, dict[str, SolverFn]] = {}  # the folder as the caller named it -> the same table


class LocalSolverError(Exception):
    """One or more local solver modules could not be imported: ``problems`` holds (file, what went wrong)."""

    def __init__(self, problems: list[tuple[Path, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{file}: {text}" for file, text in problems))


def local_solver_files(*, folder: Path) -> list[Path]:
    folder = Path(folder)
    files = [folder / "solvers.py"] if (folder / "solvers.py").is_file() else []
    if (folder / "solvers").is_dir():
        files += sorted(path for path in (folder / "solvers").glob("*.py") if not path.name.startswith("_"))
    return files


def load_local_solvers(*, folder: Path) -> dict[str, SolverFn]:
    """The solvers the assignment folder's own modules register (loaded once per process and folder)."""
    if str(folder) in _BY_NAME:  # the hot path: grading asks once per part that carries error forward
        return _BY_NAME[str(folder)]
    key = str(Path(folder).resolve())
    if key in _LOADED:
        _BY_NAME[str(folder)] = _LOADED[key]
        return _LOADED[key]
    table: dict[str, SolverFn] = {}
    errors: list[tuple[Path, str]] = []
    for path in local_solver_files(folder=folder):
        module_name = "grader_local_" + hashlib.sha1(str(path.resolve()).encode(), usedforsecurity=False).hexdigest()[:12] + "_" + path.stem
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            errors.append((path, "cannot be imported as a Python module"))
            continue
        module = importlib.util.module_from_spec(spec)
        push_target(table)
        try:
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except Exception as exc:  # trusted code, but a broken file is an authoring error to report
            sys.modules.pop(module_name, None)
            errors.append((path, f"importing it failed: {type(exc).__name__}: {exc}"))
        finally:
            pop_target()
    if errors:
        raise LocalSolverError(errors)
    _LOADED[key] = _BY_NAME[str(folder)] = table
    return table
