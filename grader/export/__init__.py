"""LMS exports (``grade export FORMAT``): Canvas, Moodle, Blackboard, Brightspace, and our own CSV and JSON.

Each format is an :class:`~grader.export.base.Exporter` registered by name in :mod:`grader.export.registry`;
rosters and matching are in :mod:`grader.export.roster`, spreadsheet-safe cells in :mod:`grader.export.cells`."""

from grader.export.base import ExportError, ExportInput, ExportOptions, ExportRow, Exporter
from grader.export.registry import get_exporter, known_exporters, register
from grader.export.roster import RosterError, match_roster, read_roster

__all__ = ["ExportError", "ExportInput", "ExportOptions", "ExportRow", "Exporter", "RosterError", "get_exporter",
           "known_exporters", "match_roster", "read_roster", "register"]
