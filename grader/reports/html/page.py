"""The HTML document around a page's body (templates/document.html): head, inlined stylesheet."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from markupsafe import Markup



@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The reports' stylesheet (style.css), safe to inline."""
    return Markup(resources.files("grader.reports.html").joinpath("style.css").read_text(encoding="utf-8"))  # noqa: S704 - our own shipped stylesheet


def document(*, title: str, body: str, lang: str = "en", font_url: str | None = None) -> str:
    """A complete HTML5 document around ``body``, which must be HTML already; self-contained unless
    ``font_url`` points it at the shipped math font (see assets.py)."""
    from grader.reports.html.environment import render

    return str(render("document.html", title=title, body=Markup(body), lang=lang, font_url=font_url))  # noqa: S704 - body is HTML by contract (see the docstring)


