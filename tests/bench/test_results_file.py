"""bench/RESULTS.md is written by two benchmarks: each keeps the other's part (bench/results_file.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.many_files import main
from bench.results_file import MEMORY_HEADING, memory_section, with_memory_section, write_benchmark

MEMORY = f"{MEMORY_HEADING}\n\n- commit: `new`\n\n| files |\n"
OLD = f"{MEMORY_HEADING}\n\n- commit: `old`\n\n| files |\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("# Grading benchmark\n\n## Speed\n\nrows\n",
     f"# Grading benchmark\n\n## Speed\n\nrows\n\n{MEMORY}"),
    (f"# Grading benchmark\n\n## Speed\n\nrows\n\n{OLD}",
     f"# Grading benchmark\n\n## Speed\n\nrows\n\n{MEMORY}"),
    (f"# Grading benchmark\n\n{OLD}\n## Targets\n\nmet\n",
     f"# Grading benchmark\n\n{MEMORY}\n## Targets\n\nmet\n"),
])
def test_the_memory_section_is_replaced_or_added(text: str, expected: str) -> None:
    assert with_memory_section(text, MEMORY) == expected
    assert memory_section(expected) == MEMORY + ("\n" if "## Targets" in expected else "")


def test_the_benchmark_keeps_the_memory_section(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# Grading benchmark\n\nold table\n\n{OLD}", encoding="utf-8")
    write_benchmark(path, "# Grading benchmark\n\nnew table\n")
    assert path.read_text(encoding="utf-8") == f"# Grading benchmark\n\nnew table\n\n{OLD}"
    fresh = tmp_path / "fresh.md"
    write_benchmark(fresh, "# Grading benchmark\n\nnew table\n")
    assert fresh.read_text(encoding="utf-8") == "# Grading benchmark\n\nnew table\n"


def test_many_files_writes_its_section_and_keeps_the_rest(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Grading benchmark\n\n## Speed\n\nthe speed table\n", encoding="utf-8")
    assert main(["--n", "6", "--small", "3", "-j", "1", "--keep", str(tmp_path / "run"), "--write-results",
                 "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Grading benchmark\n\n## Speed\n\nthe speed table\n\n" + MEMORY_HEADING)
    section = memory_section(text)
    assert "- commit: `" in section and "--n 6 --small 3" in section and "| 6 | 1 |" in section
