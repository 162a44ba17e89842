"""The benchmark's measurements: the floor, the stage split in process, and the CLI end to end.

- ``floor``: reading and segmenting only, with the grader's own functions (``read_document`` +
  ``extract_answers`` with the assignment's layout): what no grader of these files can beat; plus raw
  reading and splitting into lines, for scale.
- ``stages``: over a subset, in this process: reading (``read_document``), extraction (the rest of
  ``read_submission``: segmentation, identity, unclaimed text), parsing (the answer type's ``parse`` of each
  part's first candidate), checking (``grade_part`` minus that parse) and writing (``write_reports`` of the
  subset's run). Timed around the grader's public functions; nothing inside the grader is changed.
- ``end_to_end``: ``grade DIR --problems … --out … -j J`` as a subprocess, with the resident memory of its
  whole process tree (the CLI and its workers) sampled every 20 ms.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Floor:
    files: int
    seconds: float
    median_ms: float
    raw_seconds: float
    cpu_seconds: float = 0.0
    cpu_median_ms: float = 0.0


def floor(*, context: Any, files: list[Path]) -> Floor:
    from grader.freeform import extract_answers, read_document
    from grader.freeform.layout import layout_from_part_ids

    layout = _layout(context, layout_from_part_ids)
    start = time.perf_counter()
    for path in files:
        path.read_text(encoding="utf-8").splitlines()
    raw = time.perf_counter() - start
    each, cpu = [], []
    for path in files:
        t0, c0 = time.perf_counter(), time.process_time()
        extract_answers(document=read_document(path=path), layout=layout)
        each.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return Floor(files=len(files), seconds=sum(each), median_ms=1000 * statistics.median(each) if each else 0.0,
                 raw_seconds=raw, cpu_seconds=sum(cpu), cpu_median_ms=1000 * statistics.median(cpu) if cpu else 0.0)


def _layout(context: Any, layout_from_part_ids: Any) -> Any:
    """The layout ``read_submission`` builds: every part, structured types read from the whole answer."""
    from grader.answers import get_answer_type

    assignment = context.assignment
    whole = [p.id for p in assignment.graded_parts if getattr(get_answer_type(p.type), "reads_whole_answer", False)]
    return layout_from_part_ids(part_ids=[p.id for p in assignment.parts], whole_answer=whole)


# ------------------------------------------------------------------ stages
STAGES = ("reading", "extraction", "parsing", "checking", "writing")


@dataclass
class Stages:
    files: int
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    #: the same in CPU seconds of this process: on a shared, loaded machine the steadier figure
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    part_checks: int = 0
    errors: list[str] = field(default_factory=list)
    run: Any = None  # the subset's RunResult (for its agreement with the manifest)

    def add(self, stage: str, start: tuple[float, float], end: tuple[float, float],
            minus: tuple[tuple[float, float], tuple[float, float]] | None = None) -> None:
        """Add end − start (less the span ``minus``, a stage the call repeats) in wall and CPU seconds."""
        for clock, totals in ((0, self.seconds), (1, self.cpu)):
            span = end[clock] - start[clock] - (minus[1][clock] - minus[0][clock] if minus else 0.0)
            totals[stage] += max(0.0, span)


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def stages(*, context: Any, folder: Path, files: list[Path]) -> Stages:
    """The stage split over ``files`` (copied into ``folder`` for the writing stage)."""
    from grader.freeform import read_document
    from grader.submissions import read_submission

    out = Stages(files=len(files))
    for path in files:
        t0 = _now()
        read_document(path=path)
        t1 = _now()
        submission = read_submission(path=path, assignment=context.assignment)
        t2 = _now()
        out.add("reading", t0, t1)
        out.add("extraction", t1, t2, minus=(t0, t1))
        if hasattr(submission, "parts"):
            _time_parts(context=context, submission=submission, out=out)
    _time_writing(context=context, folder=folder, out=out)
    return out


def _time_parts(*, context: Any, submission: Any, out: Stages) -> None:
    from grader.answers import get_answer_type
    from grader.grading.part import grade_part
    from grader.submissions import PartInput

    values: dict[str, Any] = {}
    for part_id in context.order:
        part_input = submission.parts.get(part_id, PartInput())
        part = context.assignment.part(part_id)
        t0 = _now()
        if part_input.candidates:
            get_answer_type(part.type).parse(text=part_input.candidates[0].text, part=part,
                                             reference=context.references.get(part_id))
        t1 = _now()
        outcome = grade_part(context=context, part_id=part_id, part_input=part_input, student_values=values)
        t2 = _now()
        out.add("parsing", t0, t1)
        out.add("checking", t1, t2, minus=(t0, t1))
        out.part_checks += 1
        if outcome.value is not None:
            values[part_id] = outcome.value


def _time_writing(*, context: Any, folder: Path, out: Stages) -> None:
    from grader import RunOptions
    from grader.grading import grade_directory
    from grader.reports.write import write_reports

    try:  # graded whole, in this process (grader.grade would stream the reports while grading: not a stage)
        options = RunOptions(isolate=False)
        out.run = grade_directory(context=context, directory=folder, **options.grading_arguments())
        with tempfile.TemporaryDirectory() as reports:
            t0 = _now()
            write_reports(run=out.run, assignment=context.assignment, out_dir=Path(reports))
            out.add("writing", t0, _now())
    except Exception as exc:  # another helper may change these functions: report, never crash the benchmark
        out.errors.append(f"writing stage: {type(exc).__name__}: {exc}")


# ------------------------------------------------------------------ end to end
@dataclass
class EndToEnd:
    seconds: float
    peak_mb: float
    returncode: int
    command: list[str]
    stderr: str = ""
    cpu_seconds: float = 0.0  # user + system time of the whole process tree


def grade_command(*, folder: Path, problems: Path, assignment: str, out: Path, jobs: int,
                  extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "grader.cli", str(folder), "--problems", str(problems), "--assignment", assignment,
            "--out", str(out), "-j", str(jobs), "--quiet", *extra]


def end_to_end(command: list[str], *, cache_dir: Path | None = None) -> EndToEnd:
    """Run ``command`` and measure it; ``cache_dir``: the verdict cache folder it gets ($GRADER_CACHE_DIR)."""
    import psutil

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    if cache_dir is not None:
        env["GRADER_CACHE_DIR"] = str(cache_dir)
    before = _children_cpu()
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = psutil.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        peak, sampled_cpu = _sample_tree(process)
        seconds = time.perf_counter() - start
        stderr.seek(0)
        text = stderr.read().decode("utf-8", "replace")
    return EndToEnd(seconds=seconds, peak_mb=peak, returncode=process.returncode, command=command, stderr=text[-2000:],
                    cpu_seconds=max(sampled_cpu, _children_cpu() - before))


def _children_cpu() -> float:
    """CPU seconds of every reaped descendant (the CLI reaps its workers, so theirs count too)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _sample_tree(process: Any, every: float = 0.02) -> tuple[float, float]:
    """(peak resident memory in MB, CPU seconds) of ``process`` and all its descendants, sampled until it exits.

    The CPU is each member's last user + system time seen: the grader's bounded workers are children of its
    forkserver, which is not waited for at the end, so their time never reaches this process's rusage."""
    import psutil

    peak, cpu = 0.0, {}
    while process.poll() is None:
        total = 0
        try:
            members = [process, *process.children(recursive=True)]
        except psutil.Error:
            members = []
        for member in members:
            try:
                total += member.memory_info().rss
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak = max(peak, total / 2 ** 20)
        time.sleep(every)
    return peak, sum(cpu.values())


def help_text() -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "grader.cli", "--help"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    return done.stdout + done.stderr

