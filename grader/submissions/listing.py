"""Every entry of a submissions folder, each exactly once, as a file to read or an entry that cannot be.

The submissions folder is read-only to us and its contents are hostile: nothing here opens a file for reading
(a FIFO would block), a symbolic link is followed only to a regular file inside the folder, and a link to a
folder is never followed (no loops, no entry listed twice). What cannot be read gets a reason, so the run
gives it a row instead of dropping it. Hidden entries (a name starting with ``.``) are skipped, as always.

Names are shown as they are when they are valid UTF-8; bytes that are not (and ``\\``, and control characters)
are shown escaped (``\\xNN``, ``\\\\``), a valid UTF-8 text from which the name can be rebuilt:
:func:`shown_name` and :func:`original_name` are inverses.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

OUTSIDE_LINK = "link to a file outside the submissions folder, not read"
LINK_TO_FOLDER = "link to a folder, not followed"
BROKEN_LINK = "broken link (its target does not exist), not read"
LINK_LOOP = "link loop (the link leads back to itself), not read"
UNLISTABLE_FOLDER = "folder could not be listed"
UNREADABLE_FILE = "file could not be opened"
SPECIAL = {stat.S_IFIFO: "a named pipe (FIFO), not a file; not read",
           stat.S_IFSOCK: "a socket, not a file; not read",
           stat.S_IFCHR: "a character device, not a file; not read",
           stat.S_IFBLK: "a block device, not a file; not read"}


@dataclass(frozen=True, slots=True)
class ReadableFile:
    """A regular file (or a link to one inside the folder) to grade. A run lists every entry before grading
    and keeps the listing: its path is kept as text (a Path object is about four times the size)."""

    where: str  # its path (os.fspath)
    #: its path below the submissions folder, as shown in the reports (see :func:`shown_name`)
    shown: str

    @property
    def path(self) -> Path:
        return Path(self.where)


@dataclass(frozen=True, slots=True)
class UnreadableEntry:
    """An entry that gets a row but is not read, and why."""

    where: str  # its path (os.fspath)
    shown: str
    reason: str

    @property
    def path(self) -> Path:
        return Path(self.where)


Entry = ReadableFile | UnreadableEntry


def shown_name(name: str) -> str:
    """``name`` (from the file system: undecodable bytes are lone surrogates) as valid, printable UTF-8."""
    if "\\" not in name and name.isprintable():  # nothing to escape (surrogates and controls are not printable)
        return name
    out = []
    for char in name:
        point = ord(char)
        if 0xDC80 <= point <= 0xDCFF:
            out.append(f"\\x{point - 0xDC00:02x}")
        elif char == "\\":
            out.append("\\\\")
        elif point < 0x20 or point == 0x7F or 0xD800 <= point <= 0xDFFF:
            out.append(f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}")
        else:
            out.append(char)
    return "".join(out)


def original_name(shown: str) -> str:
    """The file-system name (surrogate-escaped) that :func:`shown_name` turned into ``shown``."""
    out, i = [], 0
    while i < len(shown):
        if shown[i] == "\\" and shown[i + 1:i + 2] == "\\":
            out.append("\\")
            i += 2
        elif shown[i] == "\\" and shown[i + 1:i + 2] in ("x", "u"):
            width = 2 if shown[i + 1] == "x" else 4
            point = int(shown[i + 2:i + 2 + width], 16)
            out.append(chr(0xDC00 + point) if width == 2 and point >= 0x80 else chr(point))
            i += 2 + width
        else:
            out.append(shown[i])
            i += 1
    return "".join(out)


def list_submissions(*, directory: Path) -> list[Entry]:
    """Every non-hidden entry below ``directory``, sorted by shown path; folders are walked, not listed."""
    root = Path(os.path.realpath(directory))
    entries: list[Entry] = []
    _walk(folder=os.fspath(Path(directory)), rel=(), root=root, into=entries)
    return sorted(entries, key=lambda entry: entry.shown)


def _walk(*, folder: str, rel: tuple[str, ...], root: Path, into: list[Entry]) -> None:
    # plain strings, not paths: a class is tens of thousands of files
    try:
        with os.scandir(folder) as listing:
            children = sorted((shown_name(child.name), child.name) for child in listing)
    except OSError as exc:
        if not rel:
            raise  # the submissions folder itself: a usage error, not a row
        into.append(UnreadableEntry(where=folder, shown="/".join(map(shown_name, rel)) + "/",
                                    reason=f"{UNLISTABLE_FOLDER}: {_why(exc)}"))
        return
    prefix = "".join(shown_name(part) + "/" for part in rel)
    for shown_child, name in children:
        if name.startswith("."):
            continue
        path, parts = os.path.join(folder, name), (*rel, name)
        shown = prefix + shown_child
        entry = _classify(path=path, shown=shown, root=root)
        if entry is None:
            _walk(folder=path, rel=parts, root=root, into=into)
        else:
            into.append(entry)


def _classify(*, path: str, shown: str, root: Path) -> Entry | None:
    """The entry for ``path``; None for a real folder (to walk)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return UnreadableEntry(where=path, shown=shown, reason=f"{UNREADABLE_FILE}: {_why(exc)}")
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return _classify_link(path=path, shown=shown, root=root)
    return _regular(path=path, shown=shown, mode=mode)


def _classify_link(*, path: str, shown: str, root: Path) -> Entry:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return UnreadableEntry(where=path, shown=shown, reason=BROKEN_LINK)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return UnreadableEntry(where=path, shown=shown, reason=LINK_LOOP)
        return UnreadableEntry(where=path, shown=shown, reason=f"{UNREADABLE_FILE}: {_why(exc)}")
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(root) or target == root:
        return UnreadableEntry(where=path, shown=shown, reason=OUTSIDE_LINK)
    if stat.S_ISDIR(mode):
        return UnreadableEntry(where=path, shown=shown, reason=LINK_TO_FOLDER)
    return _regular(path=path, shown=shown, mode=mode)


def _regular(*, path: str, shown: str, mode: int) -> Entry:
    special = SPECIAL.get(stat.S_IFMT(mode))
    if special is not None or not stat.S_ISREG(mode):
        return UnreadableEntry(where=path, shown=shown, reason=special or "not a regular file; not read")
    try:  # can it be opened? (O_NONBLOCK: never wait on a file that turned into a FIFO since lstat)
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as exc:
        return UnreadableEntry(where=path, shown=shown, reason=f"{UNREADABLE_FILE}: {_why(exc)}")
    return ReadableFile(where=path, shown=shown)


def _why(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
