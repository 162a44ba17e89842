"""Page layouts of generated free-form submissions, in the style of real OCR'd hand-ins (our own text).

A layout turns a student's answers into a page: headings (``## 1a``), problem words in several languages
(``Задача 2``/``а)``, ``Aufgabe 3``/``a)``, ``سوال ۱``/``الف)``), full part ids (``1a)``, with OCR-broken
``1 b)`` and ``lb)``), a whole page on one line, scanned pages with mangled labels (``Cb)``, ``(e).``) and stray
``$``. ``Answer.text`` is what stands after the label; the layout adds the words around it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
PERSIAN = ("الف", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SKIPPED = ("skipped", "—", "?")


@dataclass(frozen=True)
class Answer:
    part_id: str
    problem: int
    letter: str        # "" for a problem with a single part; "a.1" for a sub-answer of 2a
    text: str | None   # None: unanswered (the label is left out, or followed by a 'skipped' mark)
    latex: bool = False


def math(answer: Answer, rng: random.Random, *, dollars: float = 0.8) -> str:
    text = answer.text or ""
    return f"${text}$" if answer.latex and rng.random() < dollars else text


def by_problem(answers: list[Answer]) -> list[tuple[int, list[Answer]]]:
    blocks: dict[int, list[Answer]] = {}
    for answer in answers:
        blocks.setdefault(answer.problem, []).append(answer)
    return list(blocks.items())


def _skipped_or_none(answer: Answer, rng: random.Random, label: str) -> str | None:
    return f"{label} {rng.choice(SKIPPED)}" if rng.random() < 0.3 else None


# ------------------------------------------------------------------ layouts
def markdown(answers: list[Answer], name: str, rng: random.Random) -> str:
    lines = [f"# Homework 3 — {name}", ""]
    for answer in answers:
        if answer.text is None:
            continue
        lines += [f"## {answer.part_id}", math(answer, rng, dollars=0.9), ""]
    return "\n".join(lines)


def part_ids(answers: list[Answer], name: str, rng: random.Random) -> str:
    """``1a) answer`` lines; an OCR'd page breaks some labels into ``1 b)`` or ``lb)``."""
    lines = [f"{name} - homework 3", ""]
    for answer in answers:
        label = f"{answer.part_id})"
        roll = rng.random()
        if roll < 0.08 and answer.letter and not answer.letter.startswith("a."):
            label = f"{answer.problem} {answer.letter})"
        elif roll < 0.11 and answer.problem == 1 and answer.letter:
            label = f"l{answer.letter})"
        if answer.text is None:
            line = _skipped_or_none(answer, rng, label)
            lines += [line] if line else []
            continue
        lines.append(f"{label} {math(answer, rng, dollars=0.5)}")
    return "\n".join(lines) + "\n"


WORDS = {
    "russian": ("Домашнее задание 3. {name}", "**Задача {n}**", "Ответ:", "Решение по формуле из лекции."),
    "german": ("Übungsblatt 3 — {name}", "Aufgabe {n}", "Antwort:", "Nach der Formel aus der Vorlesung."),
    "english": ("{name}, Homework 3", "Problem {n}", "Answer:", "Using the formula from the lecture."),
}


def worded(answers: list[Answer], name: str, rng: random.Random, language: str) -> str:
    title, heading, answer_word, derivation = WORDS[language]
    lines = [title.format(name=name), ""]
    for number, block in by_problem(answers):
        lines += [heading.format(n=number), ""]
        for answer in block:
            if answer.letter.startswith("a."):
                continue
            label = _letter(answer, language)
            if answer.text is None:
                line = _skipped_or_none(answer, rng, label)
                lines += [line, ""] if line else []
                continue
            if rng.random() < 0.3:
                lines += [f"{label} {derivation}", f"{answer_word} {math(answer, rng)}", ""]
            else:
                lines += [f"{label} {math(answer, rng)}".strip(), ""]
    return "\n".join(lines)


def _letter(answer: Answer, language: str) -> str:
    if not answer.letter:
        return ""
    if language == "russian":
        return CYRILLIC[ord(answer.letter) - ord("a")] + ")"
    return f"({answer.letter})" if language == "english" else answer.letter + ")"


def persian(answers: list[Answer], name: str, rng: random.Random) -> str:
    lines = [f"تمرین سری سوم — {name}", ""]
    for number, block in by_problem(answers):
        lines += [f"سوال {str(number).translate(PERSIAN_DIGITS)}", ""]
        for answer in block:
            if answer.letter.startswith("a.") or answer.text is None:
                continue
            label = PERSIAN[ord(answer.letter) - ord("a")] + ")" if answer.letter else ""
            text = math(answer, rng)
            if not answer.latex and rng.random() < 0.5:
                text = text.translate(PERSIAN_DIGITS)
            lines += [f"{label} پاسخ: {text}".strip(), ""]
    return "\n".join(lines)


def one_line(answers: list[Answer], name: str, rng: random.Random) -> str:
    """A page the OCR returned as a single line: ``1. (a) … (b) … 2. (a) …``."""
    pieces = []
    for number, block in by_problem(answers):
        given = [a for a in block if a.text is not None and not a.letter.startswith("a.")]
        if not given:
            continue
        pieces.append(f"{number}.")
        for answer in given:
            pieces.append(f"({answer.letter}) {math(answer, rng, dollars=0.95)}" if answer.letter
                          else math(answer, rng, dollars=0.95))
    return f"Homework 3   {name}\n\n" + " ".join(pieces) + "\n"


def scan(answers: list[Answer], name: str, rng: random.Random) -> str:
    """A scanned page: ``(b)`` read as ``Cb)``, ``(e).``, a stray ``$`` after an answer, a footer."""
    lines = [f"{name.lower()}      HW3       pg 1", "_" * 40, ""]
    for number, block in by_problem(answers):
        lines += [f"Problem {number}", ""]
        for answer in block:
            if answer.letter.startswith("a.") or answer.text is None:
                continue
            label = f"({answer.letter})" if answer.letter else ""
            roll = rng.random()
            if answer.letter and roll < 0.15:
                label = f"C{answer.letter})"
            elif answer.letter and roll < 0.25:
                label = f"({answer.letter})."
            text = math(answer, rng, dollars=0.6)
            if not text.endswith("$") and rng.random() < 0.1:
                text += " $"
            lines.append(f"{label} {text}".strip())
        lines += ["", "            ~ ~ scan ~ ~", ""]
    return "\n".join(lines)


LAYOUTS = {
    "markdown": (markdown, ".md"),
    "part-ids": (part_ids, ".txt"),
    "russian": (lambda a, n, r: worded(a, n, r, "russian"), ".md"),
    "german": (lambda a, n, r: worded(a, n, r, "german"), ".txt"),
    "english": (lambda a, n, r: worded(a, n, r, "english"), ".md"),
    "persian": (persian, ".md"),
    "one-line": (one_line, ".txt"),
    "scan": (scan, ".txt"),
}
#: how often each layout is drawn (real classes: mostly typed or neatly scanned, some odd pages)
WEIGHTS = {"markdown": 3, "part-ids": 2, "russian": 2, "german": 2, "english": 3, "persian": 2, "one-line": 1,
           "scan": 1}
