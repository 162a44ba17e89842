"""A YAML loader that refuses tags, anchors and aliases.

``yaml.safe_load`` already refuses Python object tags, but it expands aliases,
so a few hundred bytes of "billion laughs" can build gigabytes in memory.  Our
files never need aliases, so we refuse them outright.
"""

from __future__ import annotations

from typing import Any

import yaml


class YamlError(ValueError):
    """The text is not YAML we accept; ``line`` is 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(message if line is None else f"line {line}: {message}")


class _StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError("YAML aliases (*name) are not allowed", line=event.start_mark.line + 1)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlError("YAML anchors (&name) are not allowed", line=event.start_mark.line + 1)
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ("!", "?") and not tag.startswith("tag:yaml.org,2002:"):
            raise YamlError(f"YAML tag {tag!r} is not allowed", line=event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class reports unhashable keys
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlError(f"duplicate key {key!r} (first at line {seen[key]}); a YAML mapping keeps only the "
                                "last value, so one of them would be silently lost", line=line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def yaml_lines(*, text: str) -> dict[tuple[object, ...], int]:
    """1-based line of every mapping value and list item, by its path (``("parts", 2, "tolerance")``).

    For pointing an instructor at the line of a field that failed validation; call it on text that
    :func:`load_yaml_text` accepted."""
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    lines: dict[tuple[object, ...], int] = {}
    stack: list[tuple[tuple[object, ...], Any]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                lines[(*path, key)] = key_node.start_mark.line + 1
                stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*path, k), item) for k, item in enumerate(node.value))
    return lines


def load_yaml_text(*, text: str, max_chars: int = 5_000_000) -> Any:
    """Parse YAML text with safe types only; raises YamlError on anything else."""
    if len(text) > max_chars:
        raise YamlError(f"YAML text is larger than {max_chars} characters")
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(str(problem), line=line) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep") from None
    finally:
        loader.dispose()
