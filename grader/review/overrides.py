"""Overrides: decisions people made about parts, kept in a plain ``overrides.yaml`` beside ``problems/`` and
applied by every ``grade`` run, so re-grading never loses one.

One entry per decision::

    overrides:
    - assignment: dl-basics
      part: 2b
      student: alice.chen          # or  group: <the answer group's key>  (every student with that answer)
      answer: 3 \\cdot 3 \\cdot 10 \\cdot 20   # the answer text the decision was made for
      score: 1.5
      comment: Right idea, forgot the bias.
      by: ta.lee
      at: '2026-12-01T10:30:00+00:00'

An entry is **stale** when what it was made for is gone: the student's part no longer reads ``answer``
(compared with whitespace collapsed), the student or part is not in the run, or no student's answer has the
group's key any more. A stale entry is reported (``stale_overrides``) and not applied. A student's own entry
wins over a group entry for the same part. The library API (``load_overrides``, ``check_overrides``,
``apply_overrides``, ``record_override``) is what ``grade``, ``grade override`` and the review app use."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError, field_validator, model_validator

from grader.atomic_files import write_text_atomic
from grader.results import OverrideNote, PartResult, RunResult, StaleOverride, SubmissionResult
from grader.review.groups import group_key, normalised_text, with_groups
from grader.review.stale import StaleWatch, sightings
from grader.strict_model import StrictModel
from grader.yamlio import YamlError, load_yaml_text, yaml_lines

FILE_NAME = "overrides.yaml"
HEADER = ("# Decisions people made about parts; every `grade` run applies them (see grader/review/overrides.py).\n"
          "# One entry per decision; `grade override` adds and updates entries.\n")
#: key order of an entry as written
KEYS = ("assignment", "part", "student", "group", "answer", "score", "comment", "by", "at")
_EPS = 1e-9


class OverridesError(ValueError):
    """overrides.yaml cannot be used; the message names the file, the entry and the fix."""


class Override(StrictModel):
    assignment: str
    part: str
    student: str | None = None
    group: str | None = None
    answer: str | None = None
    score: float
    comment: str = ""
    by: str = ""
    at: str

    @field_validator("assignment", "part", "student", "group", "answer", "comment", "by", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, bool) or isinstance(value, (int, float)):
            return str(value)  # `part: 2`, `student: 12345`
        return value

    @field_validator("score", mode="before")
    @classmethod
    def _score(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("score must be a number of points")
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if not isinstance(value, str):
            raise ValueError("at must be an ISO time, e.g. '2026-12-01T10:30:00+00:00'")
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"at {value!r} is not an ISO time, e.g. '2026-12-01T10:30:00+00:00'") from None
        return value

    @model_validator(mode="after")
    def _one_target(self) -> "Override":
        if (self.student is None) == (self.group is None):
            raise ValueError("give exactly one of student (one student's part) or group (an answer group's key)")
        if self.score < 0:
            raise ValueError(f"score {self.score:g} is negative")
        return self

    @property
    def target(self) -> tuple[str, str, str, str]:
        kind, who = ("student", self.student) if self.student is not None else ("group", self.group or "")
        return self.assignment, self.part, kind, who

    def describe(self) -> str:
        who = f"student {self.student}" if self.student is not None else f"group {self.group!r}"
        return f"{self.assignment} part {self.part}, {who}"


def default_overrides_path(*, problems_dir: Path) -> Path:
    """``<problems>/../overrides.yaml``: the course folder that holds ``problems/``."""
    return Path(os.path.abspath(problems_dir)).parent / FILE_NAME


def load_overrides(path: Path) -> tuple[Override, ...]:
    """Every entry of ``path`` (none when the file does not exist); OverridesError names a bad entry."""
    path = Path(path)
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml_text(text=text)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise OverridesError(f"{path}: {exc}; fix the file (it must be YAML with a list `overrides:`)") from None
    if data is None:
        return ()
    if not isinstance(data, dict) or set(data) - {"overrides"} or not isinstance(data.get("overrides") or [], list):
        raise OverridesError(f"{path}: expected a mapping with one key `overrides:` holding a list of entries")
    lines = yaml_lines(text=text)
    entries = []
    for index, raw in enumerate(data.get("overrides") or []):
        where = f"{path}: entry {index + 1} (line {lines.get(('overrides', index), '?')})"
        if not isinstance(raw, dict):
            raise OverridesError(f"{where}: an entry is a mapping with keys {', '.join(KEYS)}")
        try:
            entries.append(Override.model_validate(raw))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'entry'}: "
                                 f"{err['msg'].removeprefix('Value error, ')}" for err in exc.errors())
            raise OverridesError(f"{where}: {problems}; fix or delete this entry") from None
    seen: dict[tuple[str, str, str, str], int] = {}
    for index, entry in enumerate(entries):
        if entry.target in seen:
            raise OverridesError(f"{path}: entries {seen[entry.target] + 1} and {index + 1} both decide "
                                 f"{entry.describe()}; keep one of them")
        seen[entry.target] = index
    return tuple(entries)


def check_overrides(*, overrides: Sequence[Override], assignment: Any, path: Path | str = FILE_NAME) -> None:
    """The entries of ``assignment`` name its graded parts and stay within their points (OverridesError)."""
    points = {part.id: part.points for part in assignment.graded_parts}
    for index, entry in enumerate(overrides):
        if entry.assignment != assignment.id:
            continue
        where = f"{path}: entry {index + 1} ({entry.describe()})"
        if entry.part not in points:
            raise OverridesError(f"{where}: assignment {assignment.id} has no part {entry.part!r} "
                                 f"(its parts: {', '.join(points)}); fix the part id or delete the entry")
        if entry.score > points[entry.part] + _EPS:
            raise OverridesError(f"{where}: score {entry.score:g} is above the part's {points[entry.part]:g} points; "
                                 f"give a score from 0 to {points[entry.part]:g}")


def apply_overrides(run: RunResult, overrides: Iterable[Override]) -> tuple[RunResult, tuple[StaleOverride, ...]]:
    """The run with every applicable entry of its assignment applied, its groups recomputed and its stale entries
    recorded (``run.stale_overrides``, also returned)."""
    decided, stale = decide_overrides(run, overrides)
    return with_groups(decided), stale


def decide_overrides(run: RunResult, overrides: Iterable[Override]) -> tuple[RunResult, tuple[StaleOverride, ...]]:
    """:func:`apply_overrides` but for the groups (left as they were): a streamed run counts its groups as the
    submissions arrive (grader/review/groups.py GroupTally)."""
    entries = own_entries(run=run, overrides=overrides)
    graded = [s for s in run.submissions if s.status == "graded"]
    decided: dict[tuple[str, str], PartResult] = {}  # (file, part) -> overridden part
    watch = StaleWatch(entries)
    for submission in graded:
        watch.see(file=submission.file, found=sightings(entries=entries, submission=submission))
    # a student's own decision first, so it wins over a group decision for the same part
    for index, entry in sorted(entries, key=lambda item: (item[1].student is None, item[0])):
        if entry.student is not None:
            members = [s for s in graded if s.student == entry.student and entry.part in s.parts
                       and normalised_text(s.parts[entry.part].answer) == normalised_text(entry.answer)]
        else:
            members = [s for s in graded if entry.part in s.parts and group_key(s.parts[entry.part]) == entry.group]
        for submission in members:
            part = _overridden(part=submission.parts[entry.part], entry=entry, index=index)
            if entry.student is not None:  # a later entry for the same student and part wins
                decided[(submission.file, entry.part)] = part
            else:
                decided.setdefault((submission.file, entry.part), part)
    submissions = tuple(_with_parts(submission=s, decided=decided) for s in run.submissions)
    stale = watch.stale()
    result = run.model_copy(update={"submissions": submissions, "stale_overrides": stale})
    return result, stale


def own_entries(*, run: RunResult, overrides: Iterable[Override]) -> list[tuple[int, Override]]:
    """The entries of ``run``'s assignment with their index in the file (an entry naming a part the assignment
    does not have stops the run: check_overrides tells it before anything is graded)."""
    entries = [(index, entry) for index, entry in enumerate(overrides) if entry.assignment == run.assignment]
    for index, entry in sorted(entries, key=lambda item: (item[1].student is None, item[0])):
        if entry.part not in run.part_ids:
            raise OverridesError(f"{FILE_NAME}: entry {index + 1} ({entry.describe()}): assignment {run.assignment} "
                                 f"has no part {entry.part!r}; fix the part id or delete the entry")
    return entries


def _overridden(*, part: PartResult, entry: Override, index: int) -> PartResult:
    if entry.score > part.max + _EPS:
        raise OverridesError(f"{FILE_NAME}: entry {index + 1} ({entry.describe()}): score {entry.score:g} is above "
                             f"the part's {part.max:g} points; give a score from 0 to {part.max:g}")
    return part.model_copy(update={
        "verdict": "overridden", "score": float(entry.score), "auto_verdict": part.verdict, "auto_score": part.score,
        "feedback": entry.comment or "Score set by course staff.",
        "override": OverrideNote(by=entry.by, at=entry.at, comment=entry.comment, group=entry.group),
    })


def _with_parts(*, submission: SubmissionResult, decided: dict[tuple[str, str], PartResult]) -> SubmissionResult:
    if not any((submission.file, pid) in decided for pid in submission.parts):
        return submission
    parts = {pid: decided.get((submission.file, pid), part) for pid, part in submission.parts.items()}
    return submission.model_copy(update={"parts": parts, "score": round(sum(p.score for p in parts.values()), 4)})


# ------------------------------------------------------------------ writing
def dump_overrides(overrides: Iterable[Override]) -> str:
    import yaml

    chunks = []
    for entry in overrides:
        data = {key: getattr(entry, key) for key in KEYS
                if not (key in ("student", "group") and getattr(entry, key) is None)}
        if float(data["score"]).is_integer():
            data["score"] = int(data["score"])
        chunks.append(yaml.safe_dump([data], sort_keys=False, allow_unicode=True, default_flow_style=False,
                                     width=10_000))
    return HEADER + "overrides:\n" + "".join(chunks) if chunks else HEADER + "overrides: []\n"


def now_iso() -> str:
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def record_override(path: Path, entry: Override) -> tuple[Override, bool]:
    """Add ``entry`` to ``path`` (atomically), replacing an earlier decision for the same target; return the
    entry and whether it replaced one."""
    path = Path(path)
    entries = list(load_overrides(path))
    replaced = False
    for index, old in enumerate(entries):
        if old.target == entry.target:
            entries[index], replaced = entry, True
    if not replaced:
        entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path=path, text=dump_overrides(entries))
    return entry, replaced


# ------------------------------------------------------------------ from the last run's results.json
class OverrideLookupError(ValueError):
    """The decision cannot be matched to the last run (no results, no such student, part or group)."""


def results_file(*, reports: Path, assignment: str | None) -> Path:
    """The results.json of the last run in ``reports`` (``reports/<id>/`` with several assignments)."""
    reports = Path(reports)
    if assignment is not None and (reports / assignment / "results.json").is_file():
        return reports / assignment / "results.json"
    if (reports / "results.json").is_file():
        return reports / "results.json"
    found = sorted(p.parent.name for p in reports.glob("*/results.json"))
    if assignment is None and len(found) == 1:
        return reports / found[0] / "results.json"
    if found:
        raise OverrideLookupError(f"{reports} holds the results of {', '.join(found)}: pass --assignment "
                                  + ("with one of them" if assignment is None else f"(no results for {assignment})"))
    raise OverrideLookupError(f"no results.json in {reports}: run `grade` first, or pass --reports DIR")


def override_from_results(*, reports: Path, assignment: str | None, student: str, part: str, score: float,
                          comment: str = "", by: str = "", at: str, group: bool = False) -> Override:
    """The entry deciding ``part`` of ``student`` (or of their answer group) for the answer the last run read."""
    import json

    path = results_file(reports=reports, assignment=assignment)
    data = json.loads(path.read_text(encoding="utf-8"))
    run_id = data.get("assignment", "")
    if assignment is not None and run_id != assignment:
        raise OverrideLookupError(f"{path} holds the results of {run_id}, not {assignment}")
    if part not in data.get("part_ids", []):
        raise OverrideLookupError(f"{run_id} has no part {part!r} (its parts: {', '.join(data.get('part_ids', []))})")
    rows = [s for s in data.get("submissions", []) if s.get("status") == "graded"
            and student in (s.get("student"), s.get("file")) and part in s.get("parts", {})]
    if group:
        if rows:
            key = group_key(rows[0]["parts"][part])
            if key is None:
                raise OverrideLookupError(f"{student} has no answer for {part}, so no answer group; decide for the "
                                          "student alone (without --group)")
        elif any(g.get("key") == student for g in data.get("groups", {}).get(part, [])):
            key = student
        else:
            raise OverrideLookupError(f"no graded student {student!r} and no answer group with that key in part {part}")
        shown = next((g.get("answer") for g in data.get("groups", {}).get(part, []) if g.get("key") == key), key)
        entry = dict(group=key, answer=shown)
        points = max((s["parts"][part].get("max", 0.0) for s in data["submissions"] if part in s.get("parts", {})),
                     default=0.0)
    else:
        if not rows:
            raise OverrideLookupError(f"no graded student {student!r} with part {part} in {path}")
        if len(rows) > 1:
            raise OverrideLookupError(f"{len(rows)} files of student {student!r}: name the file instead")
        answer = rows[0]["parts"][part].get("answer")
        entry = dict(student=rows[0]["student"], answer=answer)
        points = rows[0]["parts"][part].get("max", 0.0)
    if score < 0 or score > points + _EPS:
        raise OverrideLookupError(f"score {score:g} is outside part {part}'s 0 to {points:g} points")
    try:
        return Override(assignment=run_id, part=part, score=score, comment=comment, by=by, at=at, **entry)
    except ValidationError as exc:
        raise OverrideLookupError(str(exc)) from None
