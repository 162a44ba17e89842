"""The HTML document around a page's body: head, inlined stylesheet, no external resources."""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

from grader.reports.numbers import shown_points


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("grader.reports.html").joinpath("style.css").read_text(encoding="utf-8")


def document(*, title: str, body: str, lang: str = "en") -> str:
    """A complete, self-contained HTML5 document (CSP forbids scripts and remote loads)."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'img-src data:">\n'
        '<meta name="generator" content="grader">\n'
        f"<title>{html.escape(title, quote=True)}</title>\n"
        f"<style>\n{stylesheet()}</style>\n"
        "</head>\n"
        f"<body>\n{body}</body>\n"
        "</html>\n"
    )


def points(value: float) -> str:
    """Points as people write them: 2, 1.5, 0.67 (see grader.reports.numbers)."""
    return shown_points(value)
