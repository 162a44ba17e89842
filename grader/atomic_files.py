"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The data goes to a temporary file in the target's directory (same file
system, so ``os.replace`` is an atomic rename), is flushed and fsynced, and
then replaces the target; the directory is fsynced so the rename survives a
crash.  If anything fails before the rename, the temporary file is removed and
the old target is untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO



def _fsync_directory(*, directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. platforms that cannot open directories; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_atomically(*, path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Replace ``path`` with what ``fill`` writes to a temporary file beside it (fsynced, then os.replace)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
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
    _fsync_directory(directory=directory)


def write_bytes_atomic(*, path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file + fsync + os.replace)."""
    _replace_atomically(path=path, fill=lambda handle: handle.write(data))


def write_text_atomic(*, path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, newlines as given) atomically."""
    write_bytes_atomic(path=path, data=text.encode("utf-8"))


def write_chunks_atomic(*, path: Path, chunks: Iterable[str]) -> None:
    """Replace ``path`` with the UTF-8 text of ``chunks`` joined (newlines as given), atomically, without ever
    holding the whole text: a large report (results.json at 10 000 files) is written as it is produced."""
    def fill(handle: BinaryIO) -> None:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))

    _replace_atomically(path=path, fill=fill)
