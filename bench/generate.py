"""Write N synthetic free-form submissions for an assignment, deterministic from a seed, with a manifest.

    python bench/generate.py --assignment dl-basics --n 10000 --seed 1 --unique 0.05 --out DIR
                             [--manifest FILE] [--problems problems] [--unanswered 0.08]

Each part's answer is drawn from realistic forms (``bench/forms.py``: the reference in several notations,
each catalogued mistake, the assignment's examples, a generic slip, free text in several languages), left
out with probability ``--unanswered``, and written on a page of one of several layouts (``bench/layouts.py``:
headings, Russian/German/Persian problem words and labels, Persian digits, a whole page on one line, OCR'd
scans with mangled labels and stray ``$``). ``--unique`` is the share of answered parts whose answer string
no other student writes (``forms.unique_form``); the rest come from each part's small pool of common forms,
so with 0.05 about 95 % of (part, answer) strings repeat across students.

The manifest (JSON, default ``DIR.manifest.json`` beside the folder, never inside it) says, per file, the
layout and per part the form drawn, its answer text and the verdict it must get (``correct``, ``incorrect``,
``review`` for free text, ``no_answer``). ``bench/run.py`` compares the grader with it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import forms as F  # noqa: E402
from bench.layouts import LAYOUTS, WEIGHTS, Answer  # noqa: E402

NO_ANSWER = "no_answer"
FIRST = ("Alice", "Boris", "Carla", "Darius", "Emma", "Farid", "Greta", "Hana", "Ivan", "Jonas", "Leyla", "Mehmet",
         "Nora", "Olga", "Pavel", "Reza", "Sara", "Tomasz", "Yuki", "Zeynep")
LAST = ("Chen", "Ivanov", "Rossi", "Karimi", "Schulz", "Okafor", "Nowak", "Tanaka", "Petrova", "Becker", "Rostami",
        "Yilmaz", "Asante", "Mueller", "Sato", "Nair")
#: how often the correct forms are drawn against the wrong ones (per part, among answered parts)
CORRECT_SHARE = 0.7


@dataclass
class PartPlan:
    """What the generator knows of one part: its pool of common forms and how to make a unique one."""

    part: Any
    reference: Any
    correct: list[F.Form]
    wrong: list[F.Form]
    serial: int = 0


def load(*, problems: Path, assignment: str) -> Any:
    from grader.grading import build_context
    from grader.grading.checked import load_assignment_dir

    return build_context(assignment=load_assignment_dir(folder=Path(problems) / assignment))


def part_plans(context: Any) -> list[PartPlan]:
    plans = []
    for part in context.assignment.parts:
        reference = context.references.get(part.id)
        pool = F.pool_forms(part=part, reference=reference, mistakes=context.misconceptions.get(part.id, ()))
        if part.optional:  # an intermediate sub-answer: students who give it give it right
            pool = [f for f in pool if f.expected == F.CORRECT][:1]
        if not pool:
            continue
        correct = [f for f in pool if f.expected != F.INCORRECT]
        plans.append(PartPlan(part=part, reference=reference, correct=correct,
                              wrong=[f for f in pool if f.expected == F.INCORRECT]))
    return plans


def draw(plan: PartPlan, rng: random.Random, *, unique: float, unanswered: float) -> F.Form | None:
    if plan.part.optional:
        return plan.correct[0] if rng.random() < 0.3 else None
    if rng.random() < unanswered:
        return None
    side = plan.correct if (not plan.wrong or rng.random() < CORRECT_SHARE) else plan.wrong
    base = rng.choice(side)
    if rng.random() < unique:
        plan.serial += 1
        return F.unique_form(part=plan.part, base=base, reference=plan.reference, rng=rng, serial=plan.serial)
    return base


def _where(part_id: str) -> tuple[int, str]:
    number = int("".join(ch for ch in part_id.split(".")[0] if ch.isdigit()))
    return number, part_id[len(str(number)):]


def one_submission(plans: list[PartPlan], rng: random.Random, *, unique: float, unanswered: float
                   ) -> tuple[str, list[Answer], dict[str, dict[str, str]]]:
    layout = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    answers, parts = [], {}
    for plan in plans:
        form = draw(plan, rng, unique=unique, unanswered=unanswered)
        number, letter = _where(plan.part.id)
        answers.append(Answer(part_id=plan.part.id, problem=number, letter=letter,
                              text=None if form is None else form.text, latex=bool(form and form.latex)))
        dropped = form is not None and letter.startswith("a.") and layout not in ("markdown", "part-ids")
        parts[plan.part.id] = ({"form": "unanswered", "answer": "", "expected": NO_ANSWER}
                               if form is None or dropped else
                               {"form": form.kind, "answer": form.text, "expected": form.expected})
    return layout, answers, parts


def generate(*, context: Any, n: int, seed: int, unique: float, out: Path, unanswered: float = 0.08
             ) -> dict[str, Any]:
    """Write ``n`` files into ``out`` and return the manifest (see the module docstring)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plans = part_plans(context)
    files: dict[str, Any] = {}
    for index in range(n):
        layout, answers, parts = one_submission(plans, rng, unique=unique, unanswered=unanswered)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        write, suffix = LAYOUTS[layout]
        file = f"s{index:06d}_{name.split()[0].lower()}{suffix}"
        (out / file).write_text(write(answers, name, rng), encoding="utf-8")
        files[file] = {"layout": layout, "parts": parts}
    return {"assignment": context.assignment.id, "seed": seed, "n": n, "unique": unique,
            "unanswered": unanswered, "files": files}


def unique_share(manifest: dict[str, Any]) -> float:
    """The share of answered (part, answer) occurrences whose answer string no other file has."""
    counts: dict[tuple[str, str], int] = {}
    for entry in manifest["files"].values():
        for part_id, part in entry["parts"].items():
            if part["expected"] != NO_ANSWER:
                key = (part_id, " ".join(part["answer"].split()))
                counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    return sum(1 for c in counts.values() if c == 1) / total if total else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="dl-basics")
    parser.add_argument("--problems", type=Path, default=REPO / "problems")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique", type=float, default=0.05)
    parser.add_argument("--unanswered", type=float, default=0.08)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--manifest", type=Path, default=None)
    args = parser.parse_args(argv)
    context = load(problems=args.problems, assignment=args.assignment)
    manifest = generate(context=context, n=args.n, seed=args.seed, unique=args.unique, out=args.out,
                        unanswered=args.unanswered)
    path = args.manifest or args.out.with_name(args.out.name + ".manifest.json")
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    print(f"{args.n} files in {args.out}; manifest {path}; unique answer share {unique_share(manifest):.3f}")


if __name__ == "__main__":
    main()
