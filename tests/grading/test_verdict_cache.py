"""Issue 13, item 3: the verdict cache checks each distinct answer once per run and reuses the outcome
for every student who answered the same way; with or without it, the reports are the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from grader.cli import app
from grader.grading.checked import load_context
from grader.grading.jobs import graded_part, install_context, verdict_cache_of
from grader.grading.verdict_cache import verdict_key
from grader.submissions import PartInput
from grader.submissions.inputs import Candidate
from tests.core.grading_harness import REPO, report_bytes

SAMPLES = REPO / "submissions" / "dl-basics"


def _corpus(folder: Path) -> Path:
    """The samples three times; in the free-form copies the answers stand on other lines."""
    folder.mkdir(parents=True)
    for k in range(3):
        for sample in sorted(SAMPLES.iterdir()):
            text = sample.read_text(encoding="utf-8")
            if sample.suffix in (".md", ".txt"):
                text = "\n" * (3 * k) + text
            (folder / f"{sample.stem}-{k}{sample.suffix}").write_text(text, encoding="utf-8")
    return folder


def test_reports_are_the_same_bytes_with_and_without_the_cache(tmp_path):
    subs = _corpus(tmp_path / "subs")
    trees = {}
    for name, flags in (("cached", []), ("uncached", ["--no-cache"])):
        out = tmp_path / name
        result = CliRunner().invoke(app, [str(subs), "--problems", str(REPO / "problems"), "--assignment",
                                          "dl-basics", "--out", str(out), "-j", "2", "-q", *flags])
        assert result.exit_code == 0, result.output
        trees[name] = report_bytes(out)
    assert sorted(trees["cached"]) == sorted(trees["uncached"])
    for rel, data in trees["uncached"].items():
        assert trees["cached"][rel] == data, rel


def test_the_same_answer_on_other_lines_is_checked_once():
    context = load_context(problems_dir=REPO / "problems", assignment_id="dl-basics")
    install_context(context_id="cache-test", context=context)

    def answer(line: int) -> PartInput:
        return PartInput(candidates=(Candidate(text="(46, 62, 20)", source="line", line_start=line, line_end=line,
                                               quote="2c) (46, 62, 20)"),), lines=(line, line + 1))

    first = graded_part(context_id="cache-test", part_id="2c", part_input=answer(4), student_values={}, variant=None)
    again = graded_part(context_id="cache-test", part_id="2c", part_input=answer(40), student_values={}, variant=None)
    fresh = graded_part(context_id="cache-test", part_id="2c", part_input=answer(40), student_values={}, variant=None,
                        cache=False)
    cache = verdict_cache_of("cache-test")
    assert (cache.hits, cache.misses) == (1, 1)
    assert first.result.evidence.line_start == 4
    assert again.result == fresh.result and again.result.evidence.line_start == 40
    assert verdict_key(part_id="2c", variant=None, part_input=answer(4), student_values={}) == \
        (verdict_key(part_id="2c", variant=None, part_input=answer(40), student_values={})[0], 4)
    assert verdict_key(part_id="2c", variant=None, part_input=answer(4), student_values={"2a": 1})[0] != \
        verdict_key(part_id="2c", variant=None, part_input=answer(4), student_values={})[0]


def test_a_rerun_reads_the_verdicts_from_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    from grader.grading.run import grade_directory

    subs = _corpus(tmp_path / "subs")
    context = load_context(problems_dir=REPO / "problems", assignment_id="dl-basics")
    first = grade_directory(context=context, directory=subs, isolate=False)
    stores = list((tmp_path / "cache").glob("verdicts-dl-basics-*.sqlite"))
    assert len(stores) == 1
    checked = []
    import grader.grading.jobs as jobs

    original = jobs._checked_part
    monkeypatch.setattr(jobs, "_checked_part", lambda **kw: checked.append(kw["part_id"]) or original(**kw))
    again = grade_directory(context=context, directory=subs, isolate=False)
    assert checked == []  # every answer came from the file on disk
    assert again.model_dump_json() == first.model_dump_json()
    uncached = grade_directory(context=context, directory=subs, isolate=False, cache=False)
    assert uncached.model_dump_json() == first.model_dump_json() and checked


def test_an_edited_assignment_or_grader_reads_no_old_verdict(tmp_path, monkeypatch):
    from grader.grading import verdict_store

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "problems" / "dl-basics"
    shutil.copytree(REPO / "problems" / "dl-basics", folder)
    assignment = load_context(problems_dir=tmp_path / "problems").assignment
    before = verdict_store.store_path(assignment=assignment)
    manifest = folder / "assignment.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("credit: 1.0", "credit: 0.5"), encoding="utf-8")
    assert verdict_store.store_path(assignment=assignment) != before
    monkeypatch.setattr(verdict_store, "grader_fingerprint", lambda: "another-grader")
    assert "another-grader" in verdict_store.store_path(assignment=assignment).name


def test_the_file_on_disk_is_the_same_for_every_run():
    """Each run is a new process (new hash seeds): the store's name must not depend on it."""
    import subprocess
    import sys

    script = ("from pathlib import Path; from grader.grading.checked import load_context; "
              "from grader.grading.verdict_store import store_path; "
              f"c = load_context(problems_dir=Path({str(REPO / 'problems')!r}), assignment_id='dl-basics'); "
              "print(store_path(assignment=c.loaded))")
    # the two processes run side by side (each spends seconds importing and loading), then each is checked
    processes = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env={"PYTHONPATH": str(REPO), "GRADER_CACHE_DIR": "/nowhere"})
                 for _ in range(2)]
    names = set()
    try:
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            names.add(out)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert len(names) == 1 and names.pop().startswith("/nowhere/verdicts-dl-basics-")


_KEY_SCRIPT = """
import sys
from grader.grading.verdict_cache import verdict_key
from grader.submissions import PartInput
from grader.submissions.inputs import Candidate
import numpy as np
text = sys.intern("(46, 62, 20)") if sys.argv[1] == "interned" else "".join(["(46, 62", ", 20)"])
shared = "2c) " + text
part_input = PartInput(candidates=(Candidate(text=text, source="line", line_start=7, line_end=7, quote=shared),
                                   Candidate(text=shared, source="line", line_start=7, line_end=8, quote=shared)),
                       confidence=0.85, flags=("x", "x"), lines=(7, 9))
values = {"2a": np.array([[1.0, -0.0], [2.5, 3.0]]), "2b": (1, 1.0, True, None, [b"a"]), "1a": {"k": np.float64(2)}}
key, first = verdict_key(part_id="2c", variant="v1", part_input=part_input, student_values=values)
print(key.hex(), first)
"""


def test_the_key_is_the_same_in_every_process():
    """The key is kept on disk: two processes (other hash seeds, the text interned or not, objects shared or not)
    give the same bytes, so a second worker and a later run find each other's outcomes."""
    import os
    import subprocess
    import sys

    keys = set()
    for seed, how in (("1", "interned"), ("2", "built"), ("3", "built")):
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _KEY_SCRIPT, how], capture_output=True, text=True, env=env,
                              timeout=120, check=True)
        keys.add(done.stdout.strip())
    assert len(keys) == 1 and keys.pop().endswith(" 7")


def test_the_key_tells_apart_what_the_check_tells_apart():
    def key(text: str = "20", line: int = 3, **values) -> bytes:
        part_input = PartInput(candidates=(Candidate(text=text, source="line", line_start=line, line_end=line),),
                               lines=(line, line + 2))
        return verdict_key(part_id="2c", variant=None, part_input=part_input, student_values=values)[0]

    assert key(line=3) == key(line=30)
    assert len({key(), key("20.0"), key(a=1), key(a=1.0), key(a=True), key(a=(1,)), key(a=[1]), key(a=-0.0),
                key(a=0.0)}) == 9
    shifted = PartInput(candidates=(Candidate(text="20", source="line", line_start=3, line_end=3),), lines=(3, 6))
    assert verdict_key(part_id="2c", variant=None, part_input=shifted, student_values={})[0] != key()


def test_new_outcomes_reach_the_file_at_the_end_of_each_job(tmp_path):
    """Outcomes are written once per job, in one transaction: another process's store finds them after the flush,
    and a store that cannot be written never stops grading."""
    from grader.grading.part import PartOutcome
    from grader.grading.verdict_store import VerdictStore
    from grader.results import PartResult

    outcome = PartOutcome(result=PartResult(part_id="2c", score=1.0, max=1.0, verdict="correct"), value=(46, 62, 20))
    writer, reader = VerdictStore(path=tmp_path / "v.sqlite"), VerdictStore(path=tmp_path / "v.sqlite")
    writer.put(b"k" * 20, outcome)
    assert writer.get(b"k" * 20) == outcome and reader.get(b"k" * 20) is None
    writer.flush()
    assert reader.get(b"k" * 20) is None  # the reader's keys are as it saw them at its start, until its job ends
    reader.flush()
    assert reader.get(b"k" * 20) == outcome
    assert VerdictStore(path=tmp_path / "v.sqlite").get(b"k" * 20) == outcome  # a later run
    (tmp_path / "dir.sqlite").mkdir()
    broken = VerdictStore(path=tmp_path / "dir.sqlite")
    broken.put(b"k" * 20, outcome)
    broken.flush()
    assert broken.get(b"k" * 20) is None and broken.broken


def test_a_store_too_big_to_mirror_is_asked_on_every_miss(tmp_path, monkeypatch):
    from grader.grading import verdict_store
    from grader.grading.part import PartOutcome
    from grader.results import PartResult

    monkeypatch.setattr(verdict_store, "MAX_KNOWN", 2)
    outcomes = {bytes([n]) * 20: PartOutcome(result=PartResult(part_id="2c", score=1.0, max=1.0, verdict="correct"),
                                             value=n) for n in range(3)}
    writer = verdict_store.VerdictStore(path=tmp_path / "v.sqlite")
    for key, outcome in outcomes.items():
        writer.put(key, outcome)
    writer.flush()
    assert writer.get(b"\xff" * 20) is None and writer._known is None  # learning the third key gave up the mirror
    assert all(verdict_store.VerdictStore(path=tmp_path / "v.sqlite").get(key) == outcome
               for key, outcome in outcomes.items())


def test_the_answers_used_again_stay_in_memory():
    """The cache in memory drops the least recently used outcome first: an answer many students share, asked for
    again and again, is never sent to the store on disk by a stream of answers seen once."""
    from grader.grading.part import PartOutcome
    from grader.grading.verdict_cache import VerdictCache
    from grader.results import PartResult

    def outcome(n: int) -> PartOutcome:
        return PartOutcome(result=PartResult(part_id="2c", score=1.0, max=1.0, verdict="correct"), value=n)

    cache = VerdictCache(limit=3)
    shared = b"s" * 20
    cache.put(shared, 0, outcome(0))
    for n in range(1, 10):
        assert cache.get(shared, 0) == outcome(0)
        cache.put(bytes([n]) * 20, 0, outcome(n))
    assert len(cache) == 3 and cache.get(shared, 0) == outcome(0) and cache.get(bytes([1]) * 20, 0) is None


def test_the_grader_fingerprint_covers_its_grammar_and_templates_not_its_bytecode(tmp_path):
    """A changed LaTeX grammar changes verdicts and a changed template changes pages, without a .py changing:
    each is a changed grader, and the caches keyed by it start afresh; Python's own __pycache__ is not."""
    import hashlib

    from grader.grading.verdict_store import source_digest

    package = tmp_path / "grader"
    for name, text in (("a.py", "x = 1\n"), ("mathparse/grammar.lark", "start: NUMBER\n"),
                       ("reports/html/templates/page.html", "<p>{{ x }}</p>\n"), ("__pycache__/a.cpython-311.pyc", "b")):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)

    def digest() -> str:
        into = hashlib.blake2b(digest_size=16)
        source_digest(folder=package, into=into)
        return into.hexdigest()

    seen = {digest()}
    (package / "__pycache__" / "a.cpython-311.pyc").write_text("other bytecode")
    assert digest() in seen
    for name in ("mathparse/grammar.lark", "reports/html/templates/page.html", "a.py"):
        (package / name).write_text((package / name).read_text() + "# edited\n")
        seen.add(digest())
    assert len(seen) == 4


def _every_keyed_field_changed(value, other):
    """Copies of the dataclass ``value``, each with one of its keyed fields (``verdict_key`` metadata) replaced by
    ``other(name, old value)``."""
    import dataclasses

    fields = [field.name for field in dataclasses.fields(value) if field.metadata.get("verdict_key", True)]
    return {name: dataclasses.replace(value, **{name: other(name, getattr(value, name))}) for name in fields}


def _another(name, old):
    """A different value of the same kind for a field of a part input or candidate."""
    if name == "candidates":
        return (*old, Candidate(text="21", source="line", line_start=5, line_end=5))
    if name in ("line_start", "line_end"):
        return old + 1
    if name == "lines":
        return (old[0], old[1] + 1)
    if name == "confidence":
        return old - 0.25
    if name in ("flags", "values_on_line"):
        return (*(old or ()), "another")
    return old + "x"


def test_inputs_that_differ_in_any_keyed_field_get_different_keys():
    """The key holds every field of the part input and of each candidate that the check may read (all but those
    marked ``verdict_key: False``): changing any one of them, or the part, the variant or a student value, changes
    the key; moving the whole part to other lines, or changing the ranking's strength, does not."""
    import dataclasses

    import numpy as np

    from grader.grading import verdict_cache

    candidate = Candidate(text="20", source="line", line_start=3, line_end=4, quote="2c) 20", values_on_line=("19",),
                          strength=0.5)
    part_input = PartInput(candidates=(candidate,), confidence=0.75, flags=("x",), lines=(3, 6))
    values = {"2a": np.array([1.0, 2.0]), "2b": 3}

    def key(part_input=part_input, part_id="2c", variant=None, values=values) -> bytes:
        return verdict_key(part_id=part_id, variant=variant, part_input=part_input, student_values=values)[0]

    changed = {f"input.{name}": key(changed) for name, changed in _every_keyed_field_changed(part_input, _another).items()}
    changed.update({f"candidate.{name}": key(dataclasses.replace(part_input, candidates=(other,)))
                    for name, other in _every_keyed_field_changed(candidate, _another).items()})
    changed.update({"part": key(part_id="2d"), "variant": key(variant="v1"), "no values": key(values={}),
                    "a value": key(values={**values, "2b": 4}), "a value's type": key(values={**values, "2b": 3.0}),
                    "an array's shape": key(values={**values, "2a": np.array([[1.0, 2.0]])}),
                    "an array's dtype": key(values={**values, "2a": np.array([1.0, 2.0], dtype=np.float32)}),
                    "another part's value": key(values={"2a": values["2a"], "2x": 3})})
    assert {"input.candidates", "input.confidence", "input.flags", "input.lines", "candidate.text",
            "candidate.source", "candidate.line_start", "candidate.line_end", "candidate.quote",
            "candidate.values_on_line"} <= set(changed)
    assert "candidate.strength" not in changed  # not keyed: the ranking reads it, the check does not
    assert len(set(changed.values()) | {key()}) == len(changed) + 1, changed
    moved = dataclasses.replace(part_input, lines=(30, 33), candidates=(dataclasses.replace(
        candidate, line_start=30, line_end=31, strength=0.9),))
    assert verdict_key(part_id="2c", variant=None, part_input=moved, student_values=values) == (key(), 30)
    assert verdict_cache.PLAIN_LAYOUT  # the usual part input is read field by field (see _plain_relative)


def test_the_usual_and_the_unusual_part_input_never_share_a_key():
    """A part input whose values are not all plain strings and numbers (a NumPy float, an array, a tuple standing
    where a string does) is keyed by its canonical data, tagged apart from the usual one's: values that a careless
    writer would write alike (an array and its bytes, a NumPy float and a float) get different keys."""
    import numpy as np

    def key(**fields) -> bytes:
        candidate = Candidate(**{"text": "20", "source": "line", "line_start": 3, "line_end": 3, **fields})
        return verdict_key(part_id="2c", variant=None, part_input=PartInput(candidates=(candidate,)),
                           student_values={})[0]

    array = np.array([1.0])
    keys = [key(), key(text=array), key(text=array.tobytes()), key(text=np.float64(1.0)), key(text=1.0),
            key(text=("20",)), key(text=["20"]), key(text=np.str_("20")), key(line_start=3.0), key(line_start=True),
            key(line_end=4), key(values_on_line=("1",)), key(values_on_line=["1"])]
    assert len(set(keys)) == len(keys)
    assert key(text=np.float64(1.0)) == key(text=np.float64(1.0))  # the unusual one is still the same every time


def test_a_hit_on_other_lines_is_the_outcome_moved_as_model_copy_would():
    """The hit's copy is made without pydantic's model_copy (its cost was most of a hit's), and is the same model:
    equal, the same fields set, the same JSON; at the line it was found at, the outcome itself."""
    from grader.grading.part import PartOutcome
    from grader.grading.verdict_cache import VerdictCache
    from grader.results import Evidence, PartResult

    evidence = Evidence(line_start=4, line_end=5, quote="2c) 20", source="line", confidence=0.9)
    outcome = PartOutcome(result=PartResult(part_id="2c", score=1.0, max=1.0, verdict="correct", answer="20",
                                            evidence=evidence), value=20)
    cache = VerdictCache()
    cache.put(b"k" * 20, 4, outcome)
    assert cache.get(b"k" * 20, 4) is outcome
    moved = cache.get(b"k" * 20, 10)
    expected = outcome.result.model_copy(update={"evidence": evidence.model_copy(update={"line_start": 10,
                                                                                         "line_end": 11})})
    assert moved.result == expected and moved.value == 20
    assert moved.result.model_fields_set == expected.model_fields_set
    assert moved.result.evidence.model_fields_set == expected.evidence.model_fields_set
    assert moved.result.model_dump_json() == expected.model_dump_json()
    assert outcome.result.evidence.line_start == 4  # the kept outcome is not changed
    import dataclasses

    # the move copies PartOutcome's fields by name: a new field must be copied there too
    assert [field.name for field in dataclasses.fields(PartOutcome)] == ["result", "value", "agrees"]


def test_a_part_is_keyed_and_graded_with_only_the_values_it_depends_on():
    """Error carried forward reads only the inputs that are not the reference: of the default variant, a part is
    graded (and keyed) with those alone, and its outcome is the one all of the student's values give; the students
    whose 4a is right share 4b's verdict whatever else they wrote, a wrong 4a is still carried forward."""
    import numpy as np

    from grader.grading.part import carried_values, grade_part

    context = load_context(problems_dir=REPO / "problems", assignment_id="dl-basics")

    def graded(part_id: str, text: str, values: dict):
        part_input = PartInput(candidates=(Candidate(text=text, source="line", line_start=3, line_end=3),))
        return grade_part(context=context, part_id=part_id, part_input=part_input, student_values=values)

    def same(one, other) -> bool:
        return one.result == other.result and np.array_equal(one.value, other.value) and one.agrees == other.agrees

    right, near, wrong = (graded("4a", text, {}) for text in ("(0.3275, 0.3475)", "(0.32750, 0.34751)", "(0.5, 0.5)"))
    assert (right.agrees, near.agrees, wrong.agrees) == (True, True, False)
    assert graded("1a", "y", {}).agrees is None  # no part uses 1a's value
    ecf_answer = "(0.6225, 0.6225)"  # the next step from the wrong 4a
    for first in (right, near, wrong):
        values, agrees = {"4a": first.value, "1a": 1.0}, {"4a": first.agrees, "1a": None}
        carried = carried_values(context=context, part_id="4b", values=values, agrees=agrees)
        assert list(carried) == ([] if first.agrees else ["4a"])
        for text in (ecf_answer, "(0.5811, 0.5860)", "(1, 1)"):
            assert same(graded("4b", text, carried), graded("4b", text, {"4a": first.value}))
    assert graded("4b", ecf_answer, {"4a": wrong.value}).result.verdict == "ecf"
    assert list(carried_values(context=context, part_id="4b", values={"4a": right.value}, agrees={})) == ["4a"]
    assert carried_values(context=context, part_id="1a", values={"4a": wrong.value}, agrees={"4a": False}) == {}
