"""Strict YAML reading: safe types only, no anchors/aliases/duplicate keys, bounded size."""

from grader.yamlio.strict import YamlError, load_yaml_text, yaml_lines

__all__ = ["YamlError", "load_yaml_text", "yaml_lines"]
