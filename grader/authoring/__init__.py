"""Tools for instructors writing assignments: ``grade check``, ``grade new-problem``,
the published JSON Schemas of problem and assignment files."""
