"""Student identity from a free-form header (grader/freeform/identity.py)."""

from __future__ import annotations

import pytest

from grader.freeform.identity import MAX_SCAN_LINES, find_identity


@pytest.mark.parametrize(("lines", "name", "number"), [
    (["Homework 2   Lin Chen   2039725444"], "Lin Chen", "2039725444"),
    (["Name: Anna Volkova, ID 12345678"], "Anna Volkova", "12345678"),
    (["Студент: Иванов И.И., группа 5"], "Иванов И.И.", None),
    (["نام: مریم رستمی  شماره دانشجویی: ۹۸۱۲۳۴۵۶"], "مریم رستمی", "98123456"),
    (["Übungsblatt 2 - Deep Learning          Jonas Becker   Matr.-Nr. 4417093"], "Jonas Becker", "4417093"),
    (["# HW 4 — CNN basics", "Ben Carter"], "Ben Carter", None),
    (["Домашнее задание 4. Волкова Анна, группа 3"], "Волкова Анна", None),
    (["sam okafor       HW2  prob 4 (backprop)        pg 1"], "sam okafor", None),
    (["Homework 2 (dl-basics) -- T. Nowak -- 2038815220"], "T. Nowak", "2038815220"),
    (["Name: Anna Volkova", "Student ID: s1234567"], "Anna Volkova", "s1234567"),
])
def test_header_gives_name_and_number(lines, name, number):
    found = find_identity(lines=lines, exclude_words=frozenset({"CNN", "basics", "Deep", "learning"}))
    assert found is not None and (found.name, found.student_number) == (name, number)
    assert found.quote and 1 <= found.line <= len(lines)


@pytest.mark.parametrize("lines", [
    ["In this homework we compute the softmax derivative."],
    ["The answer is 12345678 for John Smith"],
    ["John Smith"],  # a bare name with no header around it
    ["# Problem 1", "(a) Anna Volkova said 12 is the answer"],
    ["Homework 3 — Deep Learning"],  # words of the assignment's title are not a name
    ["Homework 3 — Anna Volkova — Boris Ivanov"],  # two names on a title line: no guess
    ["تمرین چهارم شبکه های کانولوشنی"],  # a title with no separator
])
def test_no_name_guessed_from_prose_or_titles(lines):
    assert find_identity(lines=lines, exclude_words=frozenset({"Deep", "Learning"})) is None


def test_only_the_first_lines_are_read():
    lines = [""] * MAX_SCAN_LINES + ["Name: Anna Volkova, ID 12345678"]
    assert find_identity(lines=lines) is None
    assert find_identity(lines=["x = 1"] * 3 + ["Name: Anna Volkova"]).name == "Anna Volkova"


def test_long_lines_are_cut():
    line = "Name: Anna Volkova, ID 12345678" + " 1 + 1" * 100_000
    assert find_identity(lines=[line]).name == "Anna Volkova"
