"""parse_math: bounded, eval-free parsing of LaTeX math into a typed tree."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from grader.mathparse.errors import MathParseError
from grader.mathparse.nodes import Node, walk
from grader.mathparse.normalise import MAX_DEPTH, normalise_with_offsets

MAX_NODES = 600


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    grammar = resources.files("grader.mathparse").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False)


def _tree_depth(node: Node) -> int:
    from grader.mathparse.nodes import children

    best = 0
    stack = [(node, 1)]
    while stack:
        current, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in children(current))
    return best


@lru_cache(maxsize=2048)
def _parse_normalised(text: str) -> Node:
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

    from grader.mathparse.build import TreeBuilder

    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        raise MathParseError(f"unexpected character {text[exc.pos_in_stream]!r}", exc.pos_in_stream) from None
    except UnexpectedToken as exc:
        where = getattr(exc.token, "start_pos", None)
        tok = str(exc.token) if exc.token.type != "$END" else ""
        raise MathParseError(f"unexpected {tok!r}" if tok else "expression ends too early",
                             where if isinstance(where, int) and tok else len(text)) from None
    except UnexpectedEOF:
        raise MathParseError("expression ends too early", len(text)) from None
    except (LarkError, RecursionError) as exc:
        raise MathParseError(f"could not parse: {type(exc).__name__}") from None
    try:
        node = TreeBuilder().transform(tree)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, MathParseError):
            raise inner from None
        raise MathParseError(f"could not build the expression: {type(inner).__name__}") from None
    except RecursionError:
        raise MathParseError("expression nested too deeply") from None
    if sum(1 for _ in walk(node)) > MAX_NODES:
        raise MathParseError(f"expression has more than {MAX_NODES} parts")
    if _tree_depth(node) > 2 * MAX_DEPTH:
        raise MathParseError("expression nested too deeply")
    return node


def _located(exc: MathParseError, origin: list[int]) -> MathParseError:
    """The error with its normalised-text position mapped back to the caller's text."""
    if exc.offset is None:
        return exc
    offset = origin[min(max(exc.offset, 0), len(origin) - 1)]
    return MathParseError(f"{exc.message} at position {offset}", offset)


def parse_math(*, text: str) -> Node:
    """Parse student or instructor LaTeX into a Node; raises MathParseError (never anything else);
    its ``offset`` points into ``text``."""
    return _remembered(text) if isinstance(text, str) else _parse_text(text)


def _parse_text(text: str) -> Node:
    try:
        normalised, origin = normalise_with_offsets(text=text)
        try:
            return _parse_normalised(normalised)
        except MathParseError as exc:
            raise _located(exc, origin) from None
    except MathParseError:
        raise
    except RecursionError:
        raise MathParseError("expression nested too deeply") from None
    except Exception as exc:  # defensive: the public contract is MathParseError only
        raise MathParseError(f"could not parse: {type(exc).__name__}") from None


#: parse_math of a text read before (an answer is parsed when it is read and again when it is checked); a
#: failure is not remembered: it is raised again each time
_remembered = lru_cache(maxsize=2048)(_parse_text)
