"""Report file stems: a listing's name without its suffix, made safe and unique in order."""

from __future__ import annotations

import pytest

from grader.reports.names import report_stems

STEMS = [
    # (listed file, stem of its reports)
    ("anna.md", "anna"),
    ("anna.tar.gz", "anna.tar"),
    ("week1/anna.md", "week1_anna"),
    ("week.1/anna", "week.1_anna"),
    ("anna.", "anna"),  # a trailing dot is no suffix; the stem loses it when made safe
    (".anna", "anna"),  # nor a leading one
    ("a.b/c.d.e", "a.b_c.d"),
    ("ответ.txt", "ответ"),
    ("پاسخ ۱.md", "پاسخ_۱"),
    ("<script>.md", "script"),
    ("...", "student"),
]


@pytest.mark.parametrize(("file", "stem"), STEMS)
def test_stem_of_a_listed_file(file: str, stem: str) -> None:
    assert report_stems([file]) == {file: stem}


def test_stems_stay_unique_in_the_order_given() -> None:
    assert report_stems(["anna.md", "anna.txt", "Anna.pdf", "anna-2.md"]) == {
        "anna.md": "anna", "anna.txt": "anna-2", "Anna.pdf": "Anna-3", "anna-2.md": "anna-2-2"}
