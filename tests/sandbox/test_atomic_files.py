"""Atomic writes: new content or old content, never a half-written file or a stray temp file."""

from __future__ import annotations

import os
import stat

import pytest

import grader.atomic_files as atomic_files
from grader.atomic_files import write_bytes_atomic, write_text_atomic


@pytest.mark.parametrize(
    "text",
    ["", "plain", "Ä ö ü ß — 𝑥² ≤ 3\n", "line1\r\nline2\n", "x" * 200_000],
)
def test_text_round_trip(tmp_path, text):
    target = tmp_path / "out.md"
    write_text_atomic(path=target, text=text)
    assert target.read_bytes() == text.encode("utf-8")
    assert os.listdir(tmp_path) == ["out.md"]


def test_replaces_existing_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_bytes_atomic(path=target, data=b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["grades.csv"]


def test_new_file_gets_umask_permissions_not_mkstemp_0600(tmp_path):
    target = tmp_path / "new.txt"
    old_umask = os.umask(0o022)
    try:
        write_text_atomic(path=target, text="x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


class _Boom(RuntimeError):
    pass


@pytest.mark.parametrize("failure", ["fsync", "replace", "interrupt"])
def test_failure_mid_write_keeps_old_file_and_removes_temp(tmp_path, monkeypatch, failure):
    target = tmp_path / "feedback.md"
    target.write_text("old complete content")
    seen_partial: list[bytes] = []

    real_fsync = os.fsync

    def failing_fsync(fd):
        # the data has been partly written to the temp file at this point
        temp_files = [p for p in tmp_path.iterdir() if p.name != "feedback.md"]
        seen_partial.extend(p.read_bytes() for p in temp_files)
        if failure == "fsync":
            raise _Boom("disk failed during fsync")
        if failure == "interrupt":
            raise KeyboardInterrupt
        return real_fsync(fd)

    def failing_replace(src, dst):
        raise _Boom("rename failed")

    monkeypatch.setattr(atomic_files.os, "fsync", failing_fsync)
    if failure == "replace":
        monkeypatch.setattr(atomic_files.os, "replace", failing_replace)
    expected = _Boom if failure != "interrupt" else KeyboardInterrupt
    with pytest.raises(expected):
        write_text_atomic(path=target, text="new content that never lands")
    assert seen_partial and seen_partial[0] == b"new content that never lands"
    assert target.read_text() == "old complete content"
    assert os.listdir(tmp_path) == ["feedback.md"]


def test_partial_write_failure(tmp_path, monkeypatch):
    """The write itself fails after some bytes: old file intact, temp file gone."""
    target = tmp_path / "report.json"
    target.write_bytes(b'{"old": true}')
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self._handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

        def write(self, data):
            self._handle.write(data[: len(data) // 2])
            self._handle.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_files.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space"):
        write_bytes_atomic(path=target, data=b'{"new": true, "much": "longer"}')
    assert target.read_bytes() == b'{"old": true}'
    assert os.listdir(tmp_path) == ["report.json"]


def test_missing_directory_raises_and_creates_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_text_atomic(path=tmp_path / "missing" / "x.txt", text="x")
    assert os.listdir(tmp_path) == []
