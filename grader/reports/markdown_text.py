"""Student-written text in Markdown, escaped as the HTML pages escape it: raw HTML (`<script>`,
`<img onerror=…>`), links and images (`[x](javascript:…)`, `![](http://…)`) and emphasis are shown as text,
never rendered. Four shapes: inline text (a name, an id, a warning), prose the grader wrote around student
text (a check's feedback), a code span (an answer) and a code block (a quote of the file)."""

from __future__ import annotations

import re

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Markdown punctuation that starts emphasis, code, links, tables or escapes; `_` only where it can emphasise
#: (not between two letters or digits: `alice_chen` stays as it is)
_INLINE = re.compile(r"[&<>]|[\\`*\[\]|~]|(?<![^\W_])_|_(?![^\W_])")
#: in prose only what can start raw HTML or an entity (`<` before a letter, `/`, `!`, `?`; `&` before a letter or
#: `#`), an image (`![`) or close a link (`](`, `][`, `]:`): `(< or ≤)` and `x[8]` stay as they are
_PROSE = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])|!\[|\](?=[(\[:])")
_BACKTICKS = re.compile(r"`+")


def _escaped(match: re.Match[str]) -> str:
    found = match.group(0)
    return _ENTITIES.get(found) or "\\" + found


def inline_text(text: str) -> str:
    """One line of student-written text, every Markdown and HTML construct shown as written."""
    return _INLINE.sub(_escaped, " ".join(str(text).split()))


def _prose_escaped(match: re.Match[str]) -> str:
    found = match.group(0)
    return _ENTITIES.get(found) or found.replace("[", "\\[").replace("]", "\\]")


def prose(text: str) -> str:
    """Grader-written feedback that may quote a student (`could not read a shape in '…'`): raw HTML, links and
    images are neutralised; the problem file's own Markdown (emphasis, `$…$`) is kept."""
    return _PROSE.sub(_prose_escaped, text)


def _fence(text: str, *, minimum: int) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(minimum, longest + 1)


def code_span(text: str) -> str:
    """An inline code span holding ``text`` on one line, whatever backticks it holds."""
    text = " ".join(str(text).split())
    fence = _fence(text, minimum=1)
    return f"{fence} {text} {fence}" if len(fence) > 1 or text.startswith("`") or text.endswith("`") \
        else f"{fence}{text}{fence}"


def code_block(text: str, *, info: str = "text") -> list[str]:
    """Lines of a fenced block showing ``text`` literally (its fence is longer than any backtick run in it)."""
    fence = _fence(text, minimum=3)
    return [f"{fence}{info}", *text.split("\n"), fence]
