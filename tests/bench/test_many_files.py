"""The many-files benchmark (bench/many_files.py): its corpus is deterministic and it reports every file a row."""

from __future__ import annotations

from pathlib import Path

from bench.many_files import main, render, write_corpus

REPO = Path(__file__).resolve().parents[2]


def test_the_corpus_is_deterministic_and_small(tmp_path: Path) -> None:
    write_corpus(folder=tmp_path / "a", n=20, seed=2)
    write_corpus(folder=tmp_path / "b", n=20, seed=2)
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert len(first) == 20 and max(len(text) for text in first.values()) < 400


def test_a_small_run_grades_every_file_and_prints_the_table(tmp_path: Path, capsys) -> None:
    assert main(["--n", "24", "--small", "8", "-j", "1", "--keep", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "| 24 | 1 |" in table and "24 / 24" in table and "8 / 8" in table and "MB per 1 000 files" in table


def test_a_missing_row_is_reported() -> None:
    table = render(table=[(5, {"seconds": 1.0, "peak_mb": 90.0, "returncode": 0, "rows": (4, 5)})], jobs=2)
    assert "4 / 5" in table
