"""How verdicts are written for people."""

VERDICT_LABELS = {
    "correct": "✅ correct",
    "ecf": "✅ correct (error carried forward)",
    "partial": "◐ partly correct",
    "incorrect": "❌ incorrect",
    "needs_review": "👀 to be reviewed by a person",
    "no_answer": "— no answer found",
    "could_not_evaluate": "⚠ could not evaluate",
    "overridden": "✍ score set by course staff",
}
