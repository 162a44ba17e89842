"""The HTML pages come from jinja2 templates: one environment, compiled once, escaping done by jinja2."""

from __future__ import annotations

import ast
import inspect

import jinja2
import pytest
from markupsafe import Markup

from grader.reports.html import class_page, student_page
from grader.reports.html.environment import JoinLines, environment, plural, render


@pytest.mark.parametrize("module", [class_page, student_page])
def test_pages_do_not_escape_by_hand(module):
    tree = ast.parse(inspect.getsource(module))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "html" not in imported and "esc" not in imported
    assert "escape" not in inspect.getsource(module)


def test_one_environment_with_autoescape_and_strict_undefined():
    env = environment()
    assert env is environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    assert env.get_template("class_page.html") is env.get_template("class_page.html")  # compiled once


def test_values_are_escaped_and_missing_values_are_errors():
    env = environment()
    template = env.from_string("<p>{{ x }}</p>")
    assert template.render(x="<b>'&\"") == "<p>&lt;b&gt;&#39;&amp;&#34;</p>"
    with pytest.raises(jinja2.UndefinedError):
        template.render()


@pytest.mark.parametrize(("source", "expected"), [
    ("<ul>\n  <li>{{ a }}</li>\n  <li>b</li>\n</ul>", "<ul><li>A</li><li>b</li></ul>"),
    ("<p>one two</p>{{ '\\n' }}\n<p>three</p>", "<p>one two</p>\n<p>three</p>"),
    ("{% if a %}\n  x {{ a }} y\n{% endif %}", "x A y"),
])
def test_layout_line_breaks_are_dropped_at_compile_time(source, expected):
    env = jinja2.Environment(extensions=[JoinLines], autoescape=True)
    assert env.from_string(source).render(a="A") == expected


@pytest.mark.parametrize(("count", "word", "plural_form", "expected"), [
    (1, "student", None, "1 student"), (0, "student", None, "0 students"), (4, "group", None, "4 groups"),
    (2, "stale entry", "stale entries", "2 stale entries"),
])
def test_plural(count, word, plural_form, expected):
    assert plural(count, word, plural_form) == expected


def test_document_shell_escapes_title_and_keeps_body():
    page = render("document.html", title="<x>", body=Markup("<p>ok</p>"), lang="fa", font_url=None)
    assert "<title>&lt;x&gt;</title>" in page and "<p>ok</p>" in page and '<html lang="fa">' in page
