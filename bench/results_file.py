"""bench/RESULTS.md holds the tables of two benchmarks: ``bench/run.py`` writes the file, ``bench/many_files.py``
writes one section of it (``## Memory at …``), each with the commit it measured. Each keeps the other's part
when it writes its own, so one run never drops the other's last figures."""

from __future__ import annotations

from pathlib import Path

#: the heading that starts the section bench/many_files.py owns (up to the next ``## `` heading or the end)
MEMORY_HEADING = "## Memory at any class size"


def _split(text: str, heading: str) -> tuple[str, str, str]:
    """(before, the section starting with ``heading`` up to the next level-2 heading, after); the section is
    empty when the text has none."""
    start = text.find("\n" + heading)
    if start < 0:
        return text, "", ""
    start += 1
    end = text.find("\n## ", start + len(heading))
    end = len(text) if end < 0 else end + 1
    return text[:start], text[start:end], text[end:]


def memory_section(text: str) -> str:
    """The section bench/many_files.py wrote in ``text`` ('' when there is none)."""
    return _split(text, MEMORY_HEADING)[1]


def with_memory_section(text: str, section: str) -> str:
    """``text`` with its memory section replaced by ``section`` (added at the end when it had none)."""
    before, found, after = _split(text, MEMORY_HEADING)
    section = section.rstrip("\n") + "\n"
    if not found:
        return before.rstrip("\n") + "\n\n" + section
    return before + section + ("\n" + after if after else "")


def write_benchmark(path: Path, text: str) -> None:
    """bench/run.py's text as the file, keeping the memory section the file held."""
    kept = memory_section(path.read_text(encoding="utf-8")) if path.exists() else ""
    path.write_text(with_memory_section(text, kept) if kept else text, encoding="utf-8")


def write_memory(path: Path, section: str) -> None:
    """bench/many_files.py's section written into the file, the rest of it as it was."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Grading benchmark\n"
    path.write_text(with_memory_section(text, section), encoding="utf-8")
