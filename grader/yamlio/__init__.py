"""Strict YAML reading: safe types only, no anchors/aliases, bounded size."""

from grader.yamlio.strict import YamlError, load_yaml_text

__all__ = ["YamlError", "load_yaml_text"]
