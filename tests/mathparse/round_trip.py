"""The property shared by the parser's token-soup tests: text either fails with MathParseError, or
parses to a tree whose canonical LaTeX parses back to the same tree."""

from __future__ import annotations

from grader.mathparse import MathParseError, Node, parse_math, render_latex


def parse_and_round_trip(text: str) -> Node | None:
    """The parsed tree (None when the text is refused), after checking that its rendering re-parses to it."""
    try:
        node = parse_math(text=text)
    except MathParseError:
        return None
    assert parse_math(text=render_latex(node=node)) == node
    return node
