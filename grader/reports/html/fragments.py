"""Small HTML pieces shared by the class page and the student pages (all text escaped)."""

from __future__ import annotations

import html

from grader.results import Evidence

#: verdict labels for HTML: same words as grader.reports.labels, with symbols every common font has
#: (emoji need a colour-emoji font, which many machines and headless browsers lack)
BADGE_LABELS = {
    "correct": "✓ correct",
    "ecf": "✓ correct (error carried forward)",
    "partial": "◐ partly correct",
    "incorrect": "✗ incorrect",
    "needs_review": "? to be reviewed by a person",
    "no_answer": "— no answer found",
    "could_not_evaluate": "⚠ could not evaluate",
    "overridden": "✎ score set by course staff",
}

#: longest quote shown from a submission, in lines and characters
MAX_QUOTE_LINES = 12
MAX_QUOTE_CHARS = 1500


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def verdict_badge(*, verdict: str) -> str:
    return f'<span class="badge v-{esc(verdict)}">{esc(BADGE_LABELS.get(verdict, verdict))}</span>'


def line_span(*, evidence: Evidence | None) -> str | None:
    """'line 12' or 'lines 12–14', or None when the evidence has no line numbers."""
    if evidence is None or not evidence.line_start:
        return None
    end = evidence.line_end or evidence.line_start
    return f"line {evidence.line_start}" if end == evidence.line_start else f"lines {evidence.line_start}–{end}"


def quote_block(*, text: str, first_line: int | None) -> str:
    """Quoted submission text, one row per line with its line number when known; RTL-safe."""
    text = text[:MAX_QUOTE_CHARS]
    lines = text.strip("\n").splitlines()[:MAX_QUOTE_LINES] or [""]
    rows = []
    for offset, line in enumerate(lines):
        number = str(first_line + offset) if first_line else ""
        rows.append(f'<div class="line"><span class="ln" aria-hidden="{"false" if number else "true"}">{number}</span>'
                    f'<span class="tx" dir="auto">{esc(line)}</span></div>')
    return f'<blockquote class="quote">{"".join(rows)}</blockquote>'
