"""Problem sheets with each student's own numbers (``grade sheets``)."""

from grader.sheets.roster import RosterEntry, RosterError, read_roster
from grader.sheets.write import SheetsError, write_sheets

__all__ = ["RosterEntry", "RosterError", "SheetsError", "read_roster", "write_sheets"]
