"""``grade check``: load every assignment of a problems folder, report every
error at once, and self-test each part's declared examples through the real
grading path (each correct example must be graded correct, each incorrect one
wrong, with its declared feedback id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.grading.context import GradingContext
from grader.problems.errors import ProblemFileError, ProblemFileErrors
from grader.problems.loader import ASSIGNMENT_FILE, discover_assignments, read_assignment_dir
from grader.problems.models import Assignment, Part
from grader.verdicts import REVIEW_VERDICTS

_RIGHT = ("correct",)


@dataclass(frozen=True)
class AssignmentCheck:
    folder: Path
    assignment_id: str
    problems: int = 0
    parts: int = 0
    examples: int = 0
    errors: tuple[ProblemFileError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CheckReport:
    assignments: tuple[AssignmentCheck, ...]

    @property
    def ok(self) -> bool:
        return bool(self.assignments) and all(item.ok for item in self.assignments)

    @property
    def errors(self) -> tuple[ProblemFileError, ...]:
        return tuple(error for item in self.assignments for error in item.errors)


def assignment_folders(*, problems_dir: Path) -> dict[str, Path]:
    """The folder itself when it is an assignment, else every assignment below it."""
    problems_dir = Path(problems_dir)
    if (problems_dir / ASSIGNMENT_FILE).is_file():
        return {problems_dir.name: problems_dir}
    return discover_assignments(problems_dir=problems_dir)


def check_problems(*, problems_dir: Path) -> CheckReport:
    folders = assignment_folders(problems_dir=problems_dir)
    if not folders:
        missing = ProblemFileError(file=problems_dir, field="(folder)", problem="no assignment found",
                                   fix=f"create {problems_dir}/<assignment-id>/{ASSIGNMENT_FILE} "
                                       "(`grade new-problem` scaffolds one; see docs/authoring.md)")
        return CheckReport(assignments=(AssignmentCheck(folder=Path(problems_dir), assignment_id="?", errors=(missing,)),))
    return CheckReport(assignments=tuple(check_assignment(folder=folder, assignment_id=assignment_id)
                                         for assignment_id, folder in sorted(folders.items())))


def check_assignment(*, folder: Path, assignment_id: str) -> AssignmentCheck:
    from grader.grading.checked import checked_context

    try:
        context = checked_context(assignment=read_assignment_dir(folder=folder))
    except ProblemFileErrors as exc:
        return AssignmentCheck(folder=folder, assignment_id=assignment_id, errors=exc.errors)
    except ProblemFileError as exc:
        return AssignmentCheck(folder=folder, assignment_id=assignment_id, errors=(exc,))
    assignment = context.loaded or context.assignment
    errors, examples = example_errors(assignment=assignment, folder=folder, context=context)
    return AssignmentCheck(folder=folder, assignment_id=assignment.id, problems=len(assignment.problems),
                           parts=len(assignment.parts), examples=examples, errors=tuple(errors))


def example_errors(*, assignment: Assignment, folder: Path, context: GradingContext | None = None
                   ) -> tuple[list[ProblemFileError], int]:
    """Grade every declared example in this process; (errors, number of examples graded).
    ``context``: the assignment's grading context when the check already built it."""
    from grader.grading import build_context
    from grader.grading.part import grade_part
    from grader.submissions.inputs import Candidate, PartInput

    if context is None:
        context = build_context(assignment=assignment)
    errors: list[ProblemFileError] = []
    count = 0
    for problem_index, problem in enumerate(assignment.problems):
        path = folder / assignment.problem_files[problem_index]
        for index, part in enumerate(problem.parts):
            cases = [(text, None, True) for text in part.examples.correct]
            cases += [(example.answer, example.feedback_id, False) for example in part.examples.incorrect]
            for number, (text, feedback_id, right) in enumerate(cases):
                count += 1
                outcome = grade_part(context=context, part_id=part.id, student_values={},
                                     part_input=PartInput(candidates=(Candidate(text=text, source="example"),)))
                result = outcome.result
                problem_text = _example_problem(part=part, result_verdict=result.verdict, result_id=result.feedback_id,
                                                feedback=result.feedback, right=right, feedback_id=feedback_id)
                if problem_text:
                    kind = "correct" if right else "incorrect"
                    errors.append(ProblemFileError(
                        file=path, field=f"parts[{index}] ({part.id}).examples.{kind}[{number if right else number - len(part.examples.correct)}]",
                        problem=f"example {text!r}: {problem_text}",
                        fix="fix the reference, the misconception or the example (an example is graded like a student's answer)"))
    return errors, count


def _example_problem(*, part: Part, result_verdict: str, result_id: str | None, feedback: str, right: bool,
                     feedback_id: str | None) -> str | None:
    if right:
        return None if result_verdict in _RIGHT else f"expected correct, graded {result_verdict} ({feedback})"
    if result_verdict in _RIGHT or result_verdict == "ecf":
        return "expected a wrong answer, graded correct"
    if result_verdict in REVIEW_VERDICTS or result_verdict == "no_answer":
        return f"expected a wrong answer, graded {result_verdict} ({feedback})"
    if feedback_id is not None and result_id != feedback_id:
        return f"expected feedback id {feedback_id!r}, got {result_id!r} ({feedback})"
    return None


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def format_report(report: CheckReport) -> str:
    lines = []
    for item in report.assignments:
        if item.ok:
            lines.append(f"ok  {item.assignment_id} ({item.folder}): {_count(item.problems, 'problem')}, "
                         f"{_count(item.parts, 'part')}, {_count(item.examples, 'example')} graded as declared")
        else:
            lines.append(f"ERR {item.assignment_id} ({item.folder}): {len(item.errors)} error(s)")
            lines.extend("    " + line for error in item.errors for line in error.describe().splitlines())
    return "\n".join(lines)
