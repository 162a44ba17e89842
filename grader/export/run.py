"""``grade export``: read a run's ``results.json``, match it to a roster, write the LMS file, a side report and,
on request, the feedback files named for the LMS's bulk upload."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from grader.atomic_files import write_text_atomic
from grader.export.base import ExportError, ExportInput, ExportOptions, ExportRow, Exporter
from grader.export.roster import Matching, RosterError, match_roster, read_roster
from grader.reports.names import report_stems
from grader.results import RunResult


@dataclass(frozen=True)
class ExportDone:
    out: Path
    report: Path
    matching: Matching | None
    feedback_files: tuple[Path, ...]


def resolve_reports_dir(*, reports_dir: Path, assignment: str | None) -> Path:
    """The folder holding ``results.json``: REPORTS_DIR itself, its only assignment sub-folder, or ``--assignment``."""
    reports_dir = Path(reports_dir)
    if assignment is not None:
        folder = reports_dir / assignment
        if (folder / "results.json").is_file():
            return folder
        if reports_dir.name == assignment and (reports_dir / "results.json").is_file():
            return reports_dir
        raise ExportError(f"no {folder / 'results.json'} (run `grade` first, or check --assignment)")
    if (reports_dir / "results.json").is_file():
        return reports_dir
    found = sorted(p.parent for p in reports_dir.glob("*/results.json")) if reports_dir.is_dir() else []
    if len(found) == 1:
        return found[0]
    if found:
        raise ExportError(f"{reports_dir} holds several assignments ({', '.join(p.name for p in found)}): "
                          "pick one with --assignment ID")
    raise ExportError(f"no results.json in {reports_dir} (run `grade SUBMISSIONS_DIR` first)")


def load_run(path: Path) -> RunResult:
    """``results.json`` validated through the typed models."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for submission in data.get("submissions", ()):  # written under its serialisation alias
            if isinstance(submission, dict) and "name" in submission:
                submission["student_name"] = submission.pop("name")
        return RunResult.model_validate(data)
    except (OSError, ValueError, AttributeError) as exc:
        detail = str(exc) if not isinstance(exc, ValidationError) else exc.errors()[0]
        raise ExportError(f"{path}: not a valid results.json: {detail}") from None


def export(*, exporter: Exporter, reports_dir: Path, options: ExportOptions | None = None,
           roster_path: Path | None = None, out: Path | None = None, feedback_dir: Path | None = None,
           assignment_name: str | None = None, **option_values) -> ExportDone:
    run = load_run(reports_dir / "results.json")
    if options is None:
        options = ExportOptions(assignment_name=assignment_name or run.title or run.assignment, **option_values)
    roster = matching = None
    if roster_path is not None:
        if not exporter.uses_roster:
            raise ExportError(f"the {exporter.name} export lists our own submissions and takes no --roster")
        try:
            roster = read_roster(path=roster_path, skip=getattr(exporter, "roster_skip", None))
            matching = match_roster(submissions=run.submissions, roster=roster)
        except RosterError as exc:
            raise ExportError(str(exc)) from None
        rows = tuple(ExportRow(submission=matching.submission_of(row), roster_row=row) for row in roster.rows)
    else:
        rows = tuple(ExportRow(submission=sub) for sub in run.submissions)
    data = ExportInput(run=run, options=options, roster=roster, matching=matching, rows=rows)
    text = exporter.render(data)
    out = Path(out) if out is not None else reports_dir / "exports" / f"{exporter.name}{exporter.suffix}"
    out.parent.mkdir(parents=True, exist_ok=True)
    written = _feedback_files(data=data, exporter=exporter, reports_dir=reports_dir,
                              feedback_dir=feedback_dir) if feedback_dir is not None else ()
    write_text_atomic(path=out, text=text)
    report = out.with_name(out.stem + ".report.json")
    write_text_atomic(path=report, text=_side_report(data=data, exporter=exporter, out=out, feedback=written))
    return ExportDone(out=out, report=report, matching=matching, feedback_files=written)


def _feedback_files(*, data: ExportInput, exporter: Exporter, reports_dir: Path, feedback_dir: Path) -> tuple[Path, ...]:
    # the same stems write_reports gave the feedback files
    stems = report_stems(s.file for s in data.run.submissions)
    feedback_dir = Path(feedback_dir)
    feedback_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    written = []
    for row in data.rows:
        if row.submission is None:
            continue
        source = reports_dir / "feedback" / f"{stems[row.submission.file]}.md"
        if not source.is_file():
            raise ExportError(f"{source}: missing (the reports are incomplete; run `grade` again)")
        name = base = exporter.feedback_name(row, data)
        n = 2
        while name.casefold() in used:
            stem, dot, suffix = base.rpartition(".")
            name, n = f"{stem}-{n}{dot}{suffix}", n + 1
        used.add(name.casefold())
        target = feedback_dir / name
        write_text_atomic(path=target, text=source.read_text(encoding="utf-8"))
        written.append(target)
    return tuple(written)


def _side_report(*, data: ExportInput, exporter: Exporter, out: Path, feedback: tuple[Path, ...]) -> str:
    subs = [row.submission for row in data.rows if row.submission is not None]
    report = {
        "format": exporter.name,
        "assignment": data.run.assignment,
        "export": out.name,
        "roster": data.roster.path.name if data.roster is not None else None,
        "missing_as": data.options.missing,
        "rows": len(data.rows),
        "matched": [{"student": m.submission.student, "file": m.submission.file, "roster_line": m.row.line,
                     "roster_name": m.row.display_name, "by": m.how}
                    for m in (data.matching.matches if data.matching else ())],
        "missing": [{"roster_line": row.line, "roster_name": row.display_name, "ids": row.ids}
                    for row in (data.matching.missing if data.matching else ())],
        "unmatched": [{"student": u.submission.student, "file": u.submission.file, "name": u.submission.student_name,
                       "student_number": u.submission.student_number, "reason": u.reason}
                      for u in (data.matching.unmatched if data.matching else ())],
        "unreadable": [{"student": s.student, "file": s.file, "reason": s.reason} for s in subs if s.status != "graded"],
        "needs_review": [{"student": s.student, "file": s.file, "parts": list(s.flagged)} for s in subs if s.flagged],
        "feedback_files": [p.name for p in feedback],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
