"""The checked grading context of an assignment, kept on disk between runs.

Checking an assignment (reading its files, deriving and self-checking its references, computing the values of
its catalogued mistakes: grader/grading/checked.py) takes a second or more, and gives the same context for the
same files under the same grader. A run keeps the context it checked in the cache folder (``GRADER_CACHE_DIR``,
else ``~/.cache/grader``), named by the assignment folder's path, the bytes of every file in it and the grader's
own fingerprint (with the versions it computes with); the next run of the same files loads it in milliseconds and
skips the check, which those files passed. An edited problem file, solver or grader is a new name: checked
again, with every error reported as always.

The file is a pickle of our own context, loaded with the allow-list unpickler the workers use for their
arguments (grader/sandbox/safe_arguments.py: our own classes and plain values only), and only when this user
owns it and its folder and nobody else may write either; anything else, or a file that does not load, means
checking again (and writing it anew).
"""

from __future__ import annotations

import hashlib
import os
import pickle  # noqa: S403 - dumps only: loaded with the sandbox's allow-list unpickler
from pathlib import Path

from grader.grading.context import GradingContext
from grader.private_files import own_and_private

_SKIP = ("__pycache__",)


def _folder_key(folder: Path) -> str | None:
    """A hash of the folder's path and of every file below it (hidden files and byte-code caches aside), with
    the grader's fingerprint (its source and the versions it computes with); None when a file cannot be read."""
    from grader.grading.verdict_store import grader_fingerprint

    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{Path(folder).resolve()}\0{grader_fingerprint()}\0".encode())
    try:
        for path in sorted(Path(folder).rglob("*")):
            parts = path.relative_to(folder).parts
            if any(part.startswith(".") or part in _SKIP for part in parts) or not path.is_file():
                continue
            digest.update("/".join(parts).encode("utf-8", "surrogatepass") + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _load(path: Path) -> GradingContext | None:
    from grader.sandbox.safe_arguments import decode_arguments

    try:
        if not own_and_private(path.parent, path):
            return None
        found = decode_arguments(data=path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, unreadable, or from an older layout: check again
        return None
    return found if isinstance(found, GradingContext) else None


def _save(path: Path, context: GradingContext) -> None:
    """Write the snapshot (a new file, renamed into place: a reader never sees half of one); best effort."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(temporary, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(pickle.dumps(context, protocol=5))
        os.replace(temporary, path)
    except Exception:  # noqa: BLE001 - a snapshot that cannot be kept costs the next run its check, nothing more
        temporary.unlink(missing_ok=True)


def snapshot_path(*, folder: Path, assignment_id: str) -> Path | None:
    """Where the checked context of the assignment in ``folder``, as its files are now, is kept."""
    from grader.grading.verdict_store import cache_folder

    key = _folder_key(folder)
    return None if key is None else cache_folder() / f"context-{assignment_id}-{key}.pickle"


def load_context_kept(*, problems_dir: Path, assignment_id: str | None) -> GradingContext:
    """The grading context of ``assignment_id`` in ``problems_dir``: the snapshot of an earlier run of the same
    files, else read and checked (grader.grading.checked.load_context; raises its ProblemFileErrors) and kept
    (``assignment_id`` None, the only one: always read and checked)."""
    from grader.grading.checked import load_context
    from grader.problems.loader import discover_assignments

    folder = None if assignment_id is None else discover_assignments(problems_dir=Path(problems_dir)).get(assignment_id)
    path = None if folder is None or assignment_id is None else snapshot_path(folder=folder,
                                                                                 assignment_id=assignment_id)
    found = None if path is None else _load(path)
    if found is not None and found.assignment.id == assignment_id:
        return found
    context = load_context(problems_dir=problems_dir, assignment_id=assignment_id)
    if path is not None:
        _save(path, context)
    return context
