"""Inline SVG charts (no scripts, no external resources), deterministic output.

Colours are the Okabe–Ito palette, which stays distinguishable with the common
forms of colour blindness; every segment also carries its number and a legend.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from grader.number_text import fixed
from grader.verdicts import VERDICT_COLOURS, VERDICT_INK, VERDICT_NAMES


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def histogram_bins(*, scores: Sequence[float], max_points: float, bins: int = 10) -> tuple[int, ...]:
    """Counts of scores in ``bins`` equal bins over [0, max_points] (the last bin includes max)."""
    counts = [0] * bins
    top = max_points if max_points > 0 else max(scores, default=1.0) or 1.0
    for score in scores:
        index = int(max(0.0, min(score, top)) / top * bins)
        counts[min(index, bins - 1)] += 1
    return tuple(counts)


def score_histogram_svg(*, scores: Sequence[float], max_points: float, bins: int = 10) -> Markup:
    """Histogram of total scores as an accessible inline SVG."""
    counts = histogram_bins(scores=scores, max_points=max_points, bins=bins)
    width, height, left, bottom, top_pad = 560, 260, 44, 42, 20
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    peak = max(counts, default=0) or 1
    top = max_points if max_points > 0 else 1.0
    bar_w = plot_w / bins
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="hist-title hist-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        '<title id="hist-title">Distribution of total scores</title>',
        f'<desc id="hist-desc">{_esc(_histogram_description(counts, top))}</desc>',
    ]
    ticks = sorted({0, peak} | ({(peak + 1) // 2} if peak > 1 else set()))
    for tick in ticks:
        y = top_pad + plot_h - tick / peak * plot_h
        parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{fixed(y, 1)}" y2="{fixed(y, 1)}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{fixed(y + 4, 1)}" text-anchor="end" class="axis">{tick}</text>')
    for i, count in enumerate(counts):
        x = left + i * bar_w
        bar_h = count / peak * plot_h
        lo, hi = top * i / bins, top * (i + 1) / bins
        label = f"{fixed(lo, 1)}–{fixed(hi, 1)} points: {count} student{'s' if count != 1 else ''}"
        if count:
            parts.append(f'<rect x="{fixed(x + 2, 1)}" y="{fixed(top_pad + plot_h - bar_h, 1)}" '
                         f'width="{fixed(bar_w - 4, 1)}" '
                         f'height="{fixed(bar_h, 1)}" class="bar"><title>{_esc(label)}</title></rect>')
            parts.append(f'<text x="{fixed(x + bar_w / 2, 1)}" y="{fixed(top_pad + plot_h - bar_h - 4, 1)}" '
                         f'text-anchor="middle" class="value">{count}</text>')
    for i in range(bins + 1):
        if i % 2 == 0 or bins <= 5:
            x = left + i * bar_w
            parts.append(f'<text x="{fixed(x, 1)}" y="{height - bottom + 16}" text-anchor="middle" class="axis">'
                         f'{fixed(top * i / bins, 1)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" class="baseline"/>')
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" class="axis-title">'
                 f'total score (out of {fixed(top, 1)})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through _esc


def _histogram_description(counts: Sequence[int], top: float) -> str:
    bins = len(counts)
    described = [f"{fixed(top * i / bins, 1)} to {fixed(top * (i + 1) / bins, 1)}: {count}"
                 for i, count in enumerate(counts) if count]
    return "Number of students per score range. " + ("; ".join(described) if described else "No graded submissions.")


def verdict_bars_svg(*, counts: Mapping[str, Mapping[str, int]], part_ids: Sequence[str]) -> Markup:
    """Stacked horizontal bars: per part, how many submissions got each verdict."""
    verdicts = [v for v in VERDICT_COLOURS if any(counts.get(pid, {}).get(v, 0) for pid in part_ids)]
    row_h, label_w, width, top_pad = 28, 64, 560, 8
    plot_w = width - label_w - 12
    total_max = max((sum(counts.get(pid, {}).values()) for pid in part_ids), default=0) or 1
    legend_rows = (len(verdicts) + 2) // 3
    height = top_pad + row_h * len(part_ids) + 14 + 22 * legend_rows
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="parts-title parts-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        '<title id="parts-title">Verdicts per part</title>',
        f'<desc id="parts-desc">{_esc(_bars_description(counts, part_ids))}</desc>',
    ]
    for row, pid in enumerate(part_ids):
        y = top_pad + row * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.0f}" text-anchor="end" class="axis">'
                     f'{_esc(pid)}</text>')
        x = float(label_w)
        for verdict in verdicts:
            n = counts.get(pid, {}).get(verdict, 0)
            if not n:
                continue
            w = n / total_max * plot_w
            tip = f"{pid}: {n} {VERDICT_NAMES[verdict]}"
            parts.append(f'<rect x="{fixed(x, 1)}" y="{y + 3}" width="{fixed(w, 1)}" height="{row_h - 6}" '
                         f'fill="{VERDICT_COLOURS[verdict]}" stroke="#fff" stroke-width="1">'
                         f'<title>{_esc(tip)}</title></rect>')
            if w >= 16:
                parts.append(f'<text x="{fixed(x + w / 2, 1)}" y="{y + row_h / 2 + 4:.0f}" text-anchor="middle" '
                             f'class="seg" fill="{VERDICT_INK[verdict]}">{n}</text>')
            x += w
    legend_y = top_pad + row_h * len(part_ids) + 14
    for i, verdict in enumerate(verdicts):
        lx = label_w + (i % 3) * 160
        ly = legend_y + (i // 3) * 22
        parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{VERDICT_COLOURS[verdict]}" '
                     f'stroke="#555" stroke-width="0.5"/>')
        parts.append(f'<text x="{lx + 20}" y="{ly + 11}" class="legend">{_esc(VERDICT_NAMES[verdict])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through _esc


def _bars_description(counts: Mapping[str, Mapping[str, int]], part_ids: Sequence[str]) -> str:
    rows = []
    for pid in part_ids:
        found = [f"{n} {VERDICT_NAMES[v]}" for v in VERDICT_COLOURS if (n := counts.get(pid, {}).get(v, 0))]
        rows.append(f"{pid}: " + (", ".join(found) if found else "none"))
    return "Number of submissions per verdict for each part. " + "; ".join(rows)
