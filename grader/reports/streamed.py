"""Write a report from chunks of text, so a large one (results.json at 10 000 files) is never one string.

Same guarantees as :func:`grader.atomic_files.write_text_atomic`: the chunks go to a temporary file beside the
target, which is fsynced and renamed into place only when every chunk is written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from grader.atomic_files import _fsync_directory

_BUFFER = 1 << 20


def write_chunks_atomic(*, path: Path, chunks: Iterable[str]) -> None:
    """Replace ``path`` with the UTF-8 text of ``chunks`` joined, atomically."""
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=_BUFFER) as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp_name, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(directory=path.parent)
