"""Verdicts: what grading decided about a part, and everything said about each verdict, in one table.

``Verdict`` is what an answer type's check (and grading a part) decides; ``PartVerdict`` adds ``overridden``,
the verdict of a part whose score a person set (results.json keeps the grader's own as ``auto_verdict``);
``SymbolicVerdict`` is the part of ``Verdict`` an expression check reaches (a test keeps it a subset).
``VERDICTS`` holds, per verdict, its words for people, its colour, whether it waits for a person and whether
the student's feedback shows the reference after it; the tables the reports, the review page and the exports
read are derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["correct", "partial", "incorrect", "ecf", "needs_review", "no_answer", "could_not_evaluate"]
#: a part's verdict in the results: an answer type's verdict, or ``overridden`` when a person set the score
#: (``auto_verdict`` keeps what the grader decided; see grader/review/overrides.py)
PartVerdict = Verdict | Literal["overridden"]
#: the verdicts of one symbolic check (grader.symbolic.outcome.SymbolicOutcome)
SymbolicVerdict = Literal["correct", "partial", "incorrect", "needs_review", "could_not_evaluate"]


@dataclass(frozen=True)
class VerdictStyle:
    """How one verdict is written and drawn, and whether it waits for a person."""

    #: Markdown feedback and the LMS exports: with an emoji
    label: str
    #: HTML badges: the same words with symbols every common font has (emoji need a colour-emoji font, which
    #: many machines and headless browsers lack)
    badge: str
    #: short name in the class page's legend and table
    name: str
    #: fill colour in the charts (Okabe–Ito, distinguishable with the common forms of colour blindness)
    colour: str
    #: text colour with enough contrast on ``colour``
    ink: str
    #: the part waits for a person (the review queue, grades.csv's needs_review, the answer groups' counts)
    needs_person: bool = False
    #: the student's feedback shows the reference answer, when the assignment shows references (not after a
    #: right answer, nor before a person has looked at the part)
    shows_reference: bool = True


#: every part verdict, in the order the charts and the class page's table list them
VERDICTS: dict[str, VerdictStyle] = {
    "correct": VerdictStyle(label="✅ correct", badge="✓ correct", name="correct", colour="#009E73", ink="#fff",
                            shows_reference=False),
    "ecf": VerdictStyle(label="✅ correct (error carried forward)", badge="✓ correct (error carried forward)",
                        name="correct (ECF)", colour="#56B4E9", ink="#000", shows_reference=False),
    "partial": VerdictStyle(label="◐ partly correct", badge="◐ partly correct", name="partly correct",
                            colour="#E69F00", ink="#000"),
    "incorrect": VerdictStyle(label="❌ incorrect", badge="✗ incorrect", name="incorrect", colour="#D55E00",
                              ink="#fff"),
    "needs_review": VerdictStyle(label="👀 to be reviewed by a person", badge="? to be reviewed by a person",
                                 name="needs review", colour="#CC79A7", ink="#000", needs_person=True,
                                 shows_reference=False),
    "could_not_evaluate": VerdictStyle(label="⚠ could not evaluate", badge="⚠ could not evaluate",
                                       name="could not evaluate", colour="#F0E442", ink="#000", needs_person=True),
    "no_answer": VerdictStyle(label="— no answer found", badge="— no answer found", name="no answer",
                              colour="#BBBBBB", ink="#000"),
    "overridden": VerdictStyle(label="✍ score set by course staff", badge="✎ score set by course staff",
                               name="set by staff", colour="#0072B2", ink="#fff"),
}

#: verdicts that wait for a person
REVIEW_VERDICTS: tuple[str, ...] = tuple(verdict for verdict, style in VERDICTS.items() if style.needs_person)
#: verdict -> its words for Markdown and the exports / for HTML badges / in the class page's legend
VERDICT_LABELS: dict[str, str] = {verdict: style.label for verdict, style in VERDICTS.items()}
BADGE_LABELS: dict[str, str] = {verdict: style.badge for verdict, style in VERDICTS.items()}
VERDICT_NAMES: dict[str, str] = {verdict: style.name for verdict, style in VERDICTS.items()}
#: verdict -> its fill colour and the text colour on it, in the charts
VERDICT_COLOURS: dict[str, str] = {verdict: style.colour for verdict, style in VERDICTS.items()}
VERDICT_INK: dict[str, str] = {verdict: style.ink for verdict, style in VERDICTS.items()}
