"""Whole report sets reused across runs: a run whose every file (its name and bytes), grading and overrides entry
is what an earlier run's was writes exactly what that run wrote, so that run's set is linked into the staging
folder instead of being made again. (The file cache, grader/reports/file_cache.py, spares the grading of each
unchanged file, but the class-level reports are still made from every file's kept rows: ~1 ms a file.)

Kept beside the file cache: a folder per set, named by its key (:meth:`FileCache.set_key`: the run's grading,
every overrides entry, and every file's name and key, in order), holding hard links to the set's files (copies
where links are not allowed) and ``set.json``: what the run reported (its header with the answer groups and
stale entries, its numbers, the student ids several files claim) and every file's path and size. The latest
:data:`KEEP_SETS` sets are kept. A set is kept only when every file of its run had its whole share kept or
reused (a run with a file graded again on every run, such as one that could not be read, is never reused
whole). Never trusted blindly: a file of the set that is gone or changed size is a miss, and a set that cannot
be kept or read is no reason to stop a run (it is made as usual).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.reports.file_cache import link_or_copy
from grader.reports.summary import RunSummary
from grader.results import RunResult

#: sets kept (the latest used or made); each holds links to a whole report set (results.json is ~300 MB at 10 000
#: files: a set outliving the reports it was made for keeps that on disk)
KEEP_SETS = 2
_MANIFEST = "set.json"


@dataclass(frozen=True)
class KeptSet:
    """What a run reported of a set it made (see :class:`~grader.reports.streamed.Reported`), and its files."""

    run: RunResult
    summary: RunSummary
    duplicates: dict[str, tuple[str, ...]]
    files: tuple[str, ...]  # relative to the set's folder, in the order the run wrote them


class SetCache:
    """The kept report sets of one assignment version (``folder``: where they are kept)."""

    def __init__(self, *, folder: Path) -> None:
        self.folder = Path(folder)

    def current(self, *, key: bytes, target: Path) -> KeptSet | None:
        """The set kept under ``key`` when ``target`` (the folder a new set would replace) already is that set:
        the very files kept (the same inodes, not copies), every one the size it was kept at, and nothing else
        but the hidden files at its top, which a new set carries over anyway. Nothing is to be placed or swapped
        then. None when there is no such set, or ``target`` differs from it in any file."""
        kept = os.path.join(self.folder, key.hex())
        try:
            result, sizes = self._checked(kept)
            inodes = _inodes(kept)
            del inodes[_MANIFEST]
            found = {name: inode for name, inode in _inodes(os.fspath(target)).items()
                     if "/" in name or not name.startswith(".") or inode == -1 or inode == -2}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if found != inodes or {name for name, inode in inodes.items() if inode != -2} != sizes.keys():
            return None
        os.utime(kept)  # the latest used: kept longest
        return result

    def _checked(self, kept: str) -> tuple[KeptSet, dict[str, int]]:
        """The kept set in the folder ``kept`` and its files' sizes; ValueError when one of its files is not
        the size it was kept at (OSError when one is gone)."""
        with open(os.path.join(kept, _MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
        sizes = {str(name): int(size) for name, size in manifest["files"]}
        for name, size in sizes.items():
            if os.stat(os.path.join(kept, name)).st_size != size:
                raise ValueError(f"{name} changed since it was kept")
        return _kept_set(manifest, files=tuple(sizes)), sizes

    def place(self, *, key: bytes, out_dir: Path) -> KeptSet | None:
        """The set kept under ``key``, its files linked into ``out_dir``; None (nothing placed) when there is
        none, or one of its files is gone or not the size it was kept at."""
        kept = os.path.join(self.folder, key.hex())  # plain strings: a set is thousands of files
        out = os.fspath(out_dir)
        placed: list[str] = []
        try:
            result, sizes = self._checked(kept)
            _link_files(sizes, source=kept, target=out, placed=placed)
            os.utime(kept)  # the latest used: kept longest
            return result
        except (OSError, ValueError, KeyError, TypeError):
            for target in placed:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            return None

    def keep(self, *, key: bytes, out_dir: Path, files: list[str], run: RunResult, summary: RunSummary,
             duplicates: dict[str, tuple[str, ...]]) -> None:
        """Keep the set just written into ``out_dir`` (``files``: its files, relative to it) under ``key``, with
        what its run reported; the sets used longest ago go."""
        final = self.folder / key.hex()
        if final.exists():
            return
        temp = self.folder / f".{key.hex()}.{os.getpid()}.part"
        try:
            placed: list[str] = []
            _link_files(files, source=os.fspath(out_dir), target=os.fspath(temp), placed=placed)
            sized = [[name, os.stat(path).st_size] for name, path in zip(files, placed)]
            manifest = {"run": run.model_dump(mode="json"), "summary": dataclasses.asdict(summary),
                        "duplicates": duplicates, "files": sized}
            (temp / _MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            os.rename(temp, final)
        except (OSError, ValueError, TypeError):
            shutil.rmtree(temp, ignore_errors=True)
            return
        self._prune()

    def _prune(self) -> None:
        """Drop the sets beyond the latest :data:`KEEP_SETS`, and sets half kept by runs that stopped a day ago."""
        try:
            found = [(path, path.stat().st_mtime) for path in self.folder.iterdir()]
        except OSError:
            return
        sets = sorted(((path, when) for path, when in found if not path.name.startswith(".")),
                      key=lambda item: item[1], reverse=True)
        stopped = [path for path, when in found if path.name.endswith(".part") and when < time.time() - 86_400]
        for old in [path for path, _ in sets[KEEP_SETS:]] + stopped:
            shutil.rmtree(old, ignore_errors=True)


def _link_files(names: Iterable[str], *, source: str, target: str, placed: list[str]) -> None:
    """Each of ``names`` (relative) in ``source`` linked to the same name in ``target`` (its folders made once
    each); ``placed`` gets each path made, so a caller can take them back when a link fails halfway."""
    folders: set[str] = set()
    for name in names:
        path = os.path.join(target, name)
        parent = os.path.dirname(path)
        if parent not in folders:
            os.makedirs(parent, exist_ok=True)
            folders.add(parent)
        link_or_copy(os.path.join(source, name), path)
        placed.append(path)


def _inodes(folder: str) -> dict[str, int]:
    """Every file and folder below ``folder`` (relative name, "/"-separated) -> its inode, from the listings
    alone (no stat per file); a folder gets -2 and anything that is neither file nor folder (a symbolic link)
    -1, which no kept file has."""
    found: dict[str, int] = {}
    pending = [("", folder)]
    while pending:
        prefix, where = pending.pop()
        with os.scandir(where) as listing:
            for entry in listing:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((name + "/", entry.path))
                    found[name] = -2
                else:
                    found[name] = entry.inode() if entry.is_file(follow_symlinks=False) else -1
    return found


def _kept_set(manifest: dict[str, Any], *, files: tuple[str, ...]) -> KeptSet:
    summary = dict(manifest["summary"])
    summary["unreadable"] = tuple(tuple(pair) for pair in summary["unreadable"])
    return KeptSet(run=RunResult.model_validate(manifest["run"]), summary=RunSummary(**summary),
                   duplicates={student: tuple(files) for student, files in manifest["duplicates"].items()},
                   files=files)

