"""The one jinja2 environment of the HTML reports: templates compiled once, values escaped by jinja2.

Templates live in ``grader/reports/html/templates/``. Their line breaks and the indentation around
them are for the reader only: a line break in a template's literal text, with the spaces and tabs
around it, is dropped when the template is compiled (:class:`JoinLines`), so the pages carry no
layout whitespace and rendering costs nothing extra. A newline the page needs is written
``{{ "\\n" }}``; a space at a line end is written inside the line, never as trailing whitespace.

Every ``{{ value }}`` is escaped (``autoescape=True``); HTML this package produces itself (MathML
from :mod:`math_render`, the SVG charts, the stylesheet) is a :class:`markupsafe.Markup` made where
it is produced, and only that is written unescaped. A missing value is an error (``StrictUndefined``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

_LAYOUT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


class JoinLines(Extension):
    """Drop line breaks (and the indentation around them) from templates' literal text at compile time."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for token in stream:
            if token.type == "data":
                text = _LAYOUT_BREAK.sub("", token.value)
                if text:
                    yield Token(token.lineno, "data", text)
            else:
                yield token


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """'1 student', '3 students' (``plural_form`` for irregular words: 'entry', 'entries')."""
    return f"{count} {word if count == 1 else (plural_form or word + 's')}"


class _KeptTemplates(FileSystemBytecodeCache):
    """Compiled templates in a folder; one that cannot be read or written is compiled again, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates() -> BytecodeCache | None:
    """The templates compiled by an earlier run, kept in the cache folder (a folder this user alone may write:
    grader/private_files.py), so that a run and each of its workers skip compiling them; None: compile. One folder
    per grader fingerprint (its source and Jinja's version): a template compiles differently when our extension
    or Jinja changes."""
    from grader.grading.verdict_store import cache_folder, grader_fingerprint
    from grader.private_files import own_and_private

    folder = cache_folder() / f"templates-{grader_fingerprint()}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _KeptTemplates(str(folder)) if own_and_private(folder.parent, folder) else None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment, built on first use; its template cache keeps every compiled template."""
    from grader.reports.html.assets import MATH_FONT_FAMILY
    from grader.reports.html.page import stylesheet
    from grader.verdicts import BADGE_LABELS

    env = Environment(
        loader=PackageLoader("grader.reports.html", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[JoinLines],
        keep_trailing_newline=False,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["plural"] = plural
    env.globals.update(badge_labels=BADGE_LABELS, stylesheet=stylesheet(), math_font_family=MATH_FONT_FAMILY)
    return env


def render(name: str, /, **context: object) -> Markup:
    """Render template ``name`` with ``context``; the result is safe HTML."""
    return Markup(environment().get_template(name).render(**context))  # noqa: S704 - the templates autoescape
