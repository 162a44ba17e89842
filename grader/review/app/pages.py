"""Rendering the review app's pages: jinja2 templates (package data) with autoescaping, the reports' own
stylesheet and math rendering, everything inline (no script, no remote resource)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from grader.number_text import shown_points
from grader.reports.html.assets import ASSETS_DIR, MATH_FONT_FAMILY, math_font_url
from grader.reports.html.fragments import line_span
from grader.reports.html.math_render import code_html, render_answer
from grader.results import Evidence
from grader.verdicts import BADGE_LABELS


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The class page's stylesheet followed by the review page's own rules."""
    base = resources.files("grader.reports.html").joinpath("style.css").read_text(encoding="utf-8")
    own = resources.files("grader.review.app").joinpath("templates", "review.css").read_text(encoding="utf-8")
    return Markup(base + "\n" + own)  # noqa: S704 (our own package files)


def _answer(text: str | None) -> Markup:
    """A student's answer: MathML when it is LaTeX that parses, else escaped code (as on the reports)."""
    return Markup(render_answer(text=(text or "")[:600]).html)  # noqa: S704 (math_render escapes)


def _code(text: str | None, limit: int = 300) -> Markup:
    return Markup(code_html(text=text or "", limit=limit))  # noqa: S704 (code_html escapes)


def _badge(verdict: str) -> Markup:
    from markupsafe import escape

    return Markup('<span class="badge v-{0}">{1}</span>').format(escape(verdict),
                                                                 BADGE_LABELS.get(verdict, verdict))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("grader.review.app", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(points=shown_points, answer=_answer, code=_code, badge=_badge)
    env.globals.update(stylesheet=stylesheet, plural=plural, where_found=where_found,
                       # the report set's math font, served from the reports folder (queue page: /<token>/)
                       math_font_family=MATH_FONT_FAMILY, math_font_url=math_font_url(assets=f"reports/{ASSETS_DIR}"))
    return env


def where_found(evidence: Evidence | None) -> str:
    """'lines 12–14 · free-form text · 80% sure', or '' without evidence."""
    if evidence is None:
        return ""
    bits = [line_span(evidence=evidence) or "", f"source: {evidence.source}", f"confidence {evidence.confidence:.0%}"]
    return " · ".join(b for b in bits if b)


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def page_link(*, token: str, relative: str, part_id: str | None = None) -> str:
    """The app's URL of a reports-folder file (a student's page), at the part's heading when given."""
    url = f"/{token}/reports/" + "/".join(quote(p, safe="") for p in relative.split("/"))
    return url + (f"#part-{quote(part_id, safe='')}" if part_id else "")


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(page_link=page_link, **context)
