"""Registry of exporters by the FORMAT name ``grade export`` takes."""

from __future__ import annotations

from grader.export.base import Exporter

_EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    if not isinstance(exporter, Exporter):
        raise TypeError(f"{exporter!r} does not implement the Exporter interface")
    if exporter.name in _EXPORTERS:
        raise ValueError(f"exporter {exporter.name!r} registered twice")
    _EXPORTERS[exporter.name] = exporter
    return exporter


def _load_builtins() -> None:
    # importing a module registers its exporter
    from grader.export import blackboard, brightspace, canvas, generic_csv, json_export, moodle  # noqa: F401


def get_exporter(name: str) -> Exporter:
    _load_builtins()
    return _EXPORTERS[name]


def known_exporters() -> tuple[Exporter, ...]:
    _load_builtins()
    return tuple(_EXPORTERS[name] for name in sorted(_EXPORTERS))
