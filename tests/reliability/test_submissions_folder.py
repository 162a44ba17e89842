"""The submissions folder is read-only to us, and every entry in it gets exactly one row (issue 14, item 2).

The corpus is built in a temporary folder: links out of the folder, dangling links, loops, a link to a folder,
a FIFO (never opened: it would block), a socket, an unreadable file and sub-folder (simulated: the tests run as
root, for whom chmod 000 stops nothing), and a name that is not valid UTF-8."""

from __future__ import annotations

import errno
import json
import os
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from grader.cli import app
from grader.grading import build_context, grade_directory
from grader.grading.checked import load_assignment_dir
from grader.submissions import listing
from grader.submissions.listing import UnreadableEntry, list_submissions, original_name, shown_name
from tests.core.grading_harness import DL_BASICS, REPO

SECRET = "TOP-SECRET-CONTENT 2b) 1820"


def _corpus(root: Path) -> Path:
    subs = root / "subs"
    (subs / "nested").mkdir(parents=True)
    (root / "secret.md").write_text(SECRET + "\n", encoding="utf-8")
    (subs / "good.md").write_text("2b) 1820\n", encoding="utf-8")
    (subs / "nested" / "deep.md").write_text("2b) 1800\n", encoding="utf-8")
    os.symlink(root / "secret.md", subs / "outside.md")
    os.symlink(subs / "good.md", subs / "inside.md")
    os.symlink(subs / "missing.md", subs / "dangling.md")
    os.symlink(subs / "loop-b.md", subs / "loop-a.md")
    os.symlink(subs / "loop-a.md", subs / "loop-b.md")
    os.symlink(subs / "nested", subs / "folder-link")
    os.symlink(subs, subs / "nested" / "up")
    os.mkfifo(subs / "pipe.md")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(subs / "sock.md"))
    sock.close()
    (subs / os.fsdecode(b"caf\xe9-latin1.md")).write_text("2b) 1820\n", encoding="utf-8")
    (subs / ".hidden.md").write_text("2b) 1\n", encoding="utf-8")
    return subs


EXPECTED = {
    "caf\\xe9-latin1.md": None,
    "dangling.md": listing.BROKEN_LINK,
    "folder-link": listing.LINK_TO_FOLDER,
    "good.md": None,
    "inside.md": None,
    "loop-a.md": listing.LINK_LOOP,
    "loop-b.md": listing.LINK_LOOP,
    "nested/deep.md": None,
    "nested/up": listing.OUTSIDE_LINK,  # the submissions folder itself is not a file inside it
    "outside.md": listing.OUTSIDE_LINK,
    "pipe.md": listing.SPECIAL[0o010000],
    "sock.md": listing.SPECIAL[0o140000],
}


def test_every_entry_is_listed_once_with_its_reason(tmp_path: Path) -> None:
    entries = list_submissions(directory=_corpus(tmp_path))
    assert {e.shown: (e.reason if isinstance(e, UnreadableEntry) else None) for e in entries} == EXPECTED
    assert len(entries) == len(EXPECTED)


def test_grading_the_corpus_gives_every_entry_one_row_and_reads_nothing_outside(tmp_path: Path) -> None:
    subs = _corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment", "dl-basics",
                                      "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    raw = (out / "results.json").read_bytes()
    data = json.loads(raw.decode("utf-8"))
    rows = {s["file"]: s for s in data["submissions"]}
    assert sorted(rows) == sorted(EXPECTED)
    for name, reason in EXPECTED.items():
        if reason is None:
            assert rows[name]["status"] == "graded", rows[name]
        else:
            assert rows[name]["status"] == "unreadable" and reason in rows[name]["reason"]
    assert rows["caf\\xe9-latin1.md"]["parts"]["2b"]["verdict"] == "correct"
    assert rows["caf\\xe9-latin1.md"]["student"] == "caf\\xe9-latin1"
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"TOP-SECRET" not in everything
    for path in out.rglob("*"):
        os.fsencode(path.name).decode("utf-8")  # every report file name is valid UTF-8
    assert (out / "grades.csv").is_file()


def test_unreadable_files_and_folders_get_a_row(tmp_path: Path, monkeypatch) -> None:
    subs = tmp_path / "subs"
    (subs / "locked").mkdir(parents=True)
    (subs / "locked" / "inside.md").write_text("2b) 1820\n", encoding="utf-8")
    (subs / "secret.md").write_text("2b) 1820\n", encoding="utf-8")
    (subs / "fine.md").write_text("2b) 1820\n", encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def refusing_open(path, *args, **kwargs):
        if os.fspath(path).endswith("secret.md"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    def refusing_scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.setattr(os, "scandir", refusing_scandir)
    run = grade_directory(context=build_context(assignment=load_assignment_dir(folder=DL_BASICS)), directory=subs,
                          isolate=False)
    rows = {s.file: s for s in run.submissions}
    assert sorted(rows) == ["fine.md", "locked/", "secret.md"]
    assert rows["fine.md"].status == "graded"
    assert rows["locked/"].status == "unreadable" and "could not be listed: permission denied" in rows["locked/"].reason
    assert rows["secret.md"].status == "unreadable" and "could not be opened: permission denied" in rows["secret.md"].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_chmod_000_for_real(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "secret.md").write_text("2b) 1820\n", encoding="utf-8")
    os.chmod(subs / "secret.md", 0)
    try:
        (entry,) = list_submissions(directory=subs)
        assert isinstance(entry, UnreadableEntry)
    finally:
        os.chmod(subs / "secret.md", 0o600)


@pytest.mark.parametrize("name", ["plain.md", "caf\udce9.md", "back\\slash\\x41.md", "new\nline.md", "tab\t.md",
                                  "ünï©ødé.md", "\udcff\udcfe", "\\\\x"])
def test_shown_names_are_valid_utf8_and_reversible(name: str) -> None:
    shown = shown_name(name)
    shown.encode("utf-8")
    assert shown.isprintable()
    assert original_name(shown) == name


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)
       | st.text(alphabet=st.sampled_from("ab\\x.\udc80\udcff\n\u00a0é"), max_size=20))
def test_every_name_is_shown_as_utf8_and_can_be_turned_back(name: str) -> None:
    """Names with nothing to escape are returned as they are (the fast path), every other one escaped: either
    way the shown name is UTF-8 and gives the file-system name back."""
    shown = shown_name(name)
    shown.encode("utf-8")
    assert original_name(shown) == name
    assert (shown == name) == ("\\" not in name and all(shown_name(char) == char for char in name))
