"""Write one problem sheet per student (Markdown and self-contained HTML) plus an index.

Layout of the output folder::

    index.md, index.html        every student, their sheet and their numbers (for staff)
    <student>.md, <student>.html one sheet per roster row, with that student's numbers
    .grader-sheets              marks the folder as ours: a folder without it that holds files is refused

Statements and prompts are filled with the student's values; ``$…$`` in them is LaTeX, rendered
as MathML in HTML exactly as the reports do (no scripts, no network) and kept as-is in Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from grader.atomic_files import write_text_atomic
from grader.number_text import shown_points
from grader.problems.models import Assignment, Part, Problem
from grader.reports.html.fragments import esc
from grader.reports.html.math_render import render_latex
from grader.reports.html.page import document
from grader.reports.names import unique_stems
from grader.sheets.roster import RosterEntry
from grader.variants import apply_variant, shown_variant, student_variant
from grader.variants.paths import format_value

MARKER = ".grader-sheets"
_MATH = re.compile(r"\$([^$]+)\$")
_EXTRA_CSS = """
.sheet .statement { margin: 0.4rem 0 0.8rem; }
.sheet .part .body p { margin: 0; }
.sheet .hand-in { background: #f3f7fc; border-inline-start: 3px solid var(--accent); padding: 0.5rem 0.8rem; border-radius: 0 6px 6px 0; }
.sheet .answer-space { border-top: 1px dashed var(--line); margin-top: 0.6rem; min-height: 2.5rem; }
@media print { .sheet .part { break-inside: avoid; } .skip { display: none; } }
"""


class SheetsError(ValueError):
    pass


@dataclass(frozen=True)
class Sheet:
    entry: RosterEntry
    stem: str
    view: Assignment
    #: problem number -> path -> value (empty when variants are off)
    values: dict[str, dict[str, Any]]


def write_sheets(*, assignment: Assignment, roster: Sequence[RosterEntry], out_dir: Path) -> list[Path]:
    """Write every sheet and the index; returns the paths written."""
    out_dir = Path(out_dir)
    _prepare(out_dir)
    stems = unique_stems({entry.student: entry.student for entry in roster})
    sheets = []
    for entry in roster:
        values = student_variant(assignment=assignment, student=entry.student)
        sheets.append(Sheet(entry=entry, stem=stems[entry.student], view=apply_variant(assignment=assignment, values=values),
                            values=shown_variant(assignment=assignment, values=values)))
    written = []
    for sheet in sheets:
        for suffix, text in ((".md", sheet_markdown(sheet=sheet)), (".html", sheet_html(sheet=sheet))):
            path = out_dir / f"{sheet.stem}{suffix}"
            write_text_atomic(path=path, text=text)
            written.append(path)
    for name, text in (("index.md", index_markdown(assignment=assignment, sheets=sheets)),
                       ("index.html", index_html(assignment=assignment, sheets=sheets))):
        write_text_atomic(path=out_dir / name, text=text)
        written.append(out_dir / name)
    return written


def _prepare(out_dir: Path) -> None:
    """Create the folder, or reuse one of ours (its old sheets are removed); refuse any other folder with files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SheetsError(f"{out_dir} is a file; choose a folder with --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise SheetsError(f"{out_dir} already holds files that grade sheets did not write (submissions?); "
                          "choose an empty or new folder with --out")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.md")) + list(out_dir.glob("*.html")):
        old.unlink()
    (out_dir / MARKER).write_text("folder written by `grade sheets`; its .md and .html files are replaced on each run\n",
                                  encoding="utf-8")


def _who(entry: RosterEntry) -> str:
    return f"{entry.name} ({entry.student})" if entry.name else entry.student


def _points_text(part: Part) -> str:
    if part.optional:
        return "optional, no points"
    return f"{shown_points(part.points)} point{'' if part.points == 1 else 's'}"


def _hand_in(sheet: Sheet) -> str:
    return (f"Your numbers are your own. Hand in your answers with `student: {sheet.entry.student}` in your answer file "
            f"(or name the file `{sheet.stem}.md`), so they are graded against this sheet.")


# --- Markdown ---------------------------------------------------------------------------------------------

def sheet_markdown(*, sheet: Sheet) -> str:
    view = sheet.view
    lines = [f"# {view.title}", "", f"**Student:** {_who(sheet.entry)} · **Assignment:** `{view.id}`", "",
             f"> {_hand_in(sheet)}", ""]
    for problem in view.problems:
        lines += [f"## Problem {problem.number}: {problem.title}", ""]
        if problem.statement.strip():
            lines += [" ".join(problem.statement.split()), ""]
        for part in problem.parts:
            lines += [f"### {part.id} ({_points_text(part)})", "", " ".join(part.prompt.split()), ""]
    return "\n".join(lines).rstrip() + "\n"


def index_markdown(*, assignment: Assignment, sheets: Sequence[Sheet]) -> str:
    lines = [f"# Problem sheets: {assignment.title}", "",
             f"{len(sheets)} student{'s' if len(sheets) != 1 else ''}. "
             + ("Each student has their own numbers." if assignment.variants.enabled
                else "Variants are off (assignment.yaml): every sheet has the default numbers."), "",
             "| Student | Name | Sheet | Numbers |", "|---|---|---|---|"]
    for sheet in sheets:
        link = f"[md]({quote(sheet.stem)}.md) · [html]({quote(sheet.stem)}.html)"
        cell = _values_text(sheet.values).replace("|", "\\|") or "defaults"
        lines.append(f"| {_cell(sheet.entry.student)} | {_cell(sheet.entry.name)} | {link} | {cell} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _values_text(values: dict[str, dict[str, Any]]) -> str:
    return "; ".join(f"{number}: " + ", ".join(f"{path} = {format_value(value)}" for path, value in vals.items())
                     for number, vals in values.items())


# --- HTML -------------------------------------------------------------------------------------------------

def rich_html(text: str) -> str:
    """Prose with ``$…$`` math: text escaped, math as MathML (escaped code when it does not render)."""
    out, last = [], 0
    text = " ".join(text.split())
    for match in _MATH.finditer(text):
        out.append(esc(text[last:match.start()]))
        out.append(render_latex(latex=match.group(1)).html)
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


def sheet_html(*, sheet: Sheet) -> str:
    view = sheet.view
    body = [f'<style>{_EXTRA_CSS}</style>\n<a class="skip" href="#content">Skip to content</a>\n'
            f'<main id="content" class="sheet">\n'
            f'<header class="page"><p class="kicker">Problem sheet · <span class="mono">{esc(view.id)}</span></p>'
            f"<h1>{esc(view.title)}</h1>"
            f'<p><strong>Student:</strong> <span dir="auto">{esc(_who(sheet.entry))}</span></p></header>\n'
            f'<p class="hand-in">{_code_spans(_hand_in(sheet))}</p>\n']
    for problem in view.problems:
        body.append(_problem_html(problem))
    body.append('<footer class="page">Generated by grader. Your numbers differ from your classmates\' '
                "when the course uses per-student variants.</footer>\n</main>\n")
    return document(title=f"{view.title} — {sheet.entry.name or sheet.entry.student}", body="".join(body))


def _code_spans(text: str) -> str:
    pieces = text.split("`")
    return "".join(f"<code>{esc(piece)}</code>" if k % 2 else esc(piece) for k, piece in enumerate(pieces))


def _problem_html(problem: Problem) -> str:
    out = [f'<section aria-labelledby="problem-{problem.number}-h">'
           f'<h2 id="problem-{problem.number}-h">Problem {problem.number}: {esc(problem.title)}</h2>']
    if problem.statement.strip():
        out.append(f'<p class="statement" dir="auto">{rich_html(problem.statement)}</p>')
    for part in problem.parts:
        pid = esc(part.id)
        out.append(f'<article class="part" id="part-{pid}" aria-labelledby="part-{pid}-h">'
                   f'<header><div class="title"><h3 id="part-{pid}-h">{pid}</h3></div>'
                   f'<span class="pts">{esc(_points_text(part))}</span></header>'
                   f'<div class="body"><p class="prompt" dir="auto">{rich_html(part.prompt)}</p>'
                   '<div class="answer-space" aria-hidden="true"></div></div></article>')
    out.append("</section>\n")
    return "".join(out)


def index_html(*, assignment: Assignment, sheets: Sequence[Sheet]) -> str:
    rows = []
    for sheet in sheets:
        href = quote(sheet.stem, safe="")
        numbers = esc(_values_text(sheet.values)) or '<span class="muted">defaults</span>'
        rows.append(f'<tr><th scope="row"><span dir="auto">{esc(sheet.entry.student)}</span></th>'
                    f'<td dir="auto">{esc(sheet.entry.name)}</td>'
                    f'<td><a href="{href}.html">html</a> · <a href="{href}.md">md</a></td><td>{numbers}</td></tr>')
    mode = ("Each student has their own numbers." if assignment.variants.enabled
            else "Variants are off (assignment.yaml): every sheet has the default numbers.")
    body = ('<a class="skip" href="#content">Skip to content</a>\n<main id="content">\n'
            f'<header class="page"><p class="kicker">Problem sheets · <span class="mono">{esc(assignment.id)}</span></p>'
            f"<h1>{esc(assignment.title)}</h1><p class=\"muted\">{len(sheets)} student"
            f"{'s' if len(sheets) != 1 else ''}. {esc(mode)}</p></header>\n"
            '<div class="table-wrap"><table><thead><tr><th scope="col">Student</th><th scope="col">Name</th>'
            '<th scope="col">Sheet</th><th scope="col">Numbers (problem: values)</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>\n</main>\n")
    return document(title=f"Problem sheets: {assignment.title}", body=body)
