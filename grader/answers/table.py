"""``table``: rows of values, e.g. the output shape and parameter count of each layer of a small CNN.

YAML::

    - id: 7a
      prompt: Fill in the output shape and the number of parameters of every layer.
      type: table
      columns:
        - {name: output_shape, type: shape, labels: [shape, output, Form, размер]}
        - {name: params, type: integer, labels: [parameters, "#params", Parameter, параметров]}
      rows: [conv1, pool1, conv2, pool2, flatten, fc1]     # optional row labels, in order
      entry_credit: all_or_nothing                         # default: a row counts when all its cells are right
      solver: layers.stack_table                           # or answer: a list of rows
      args: {input: $input, layers: $layers}

Columns: ``name``, ``type`` (``integer``, ``number`` or ``shape``; each cell is read and compared by
that registered type), ``labels`` (header words naming the column), ``tolerance`` (for that column).

Reference: a list of rows, each a mapping keyed by column name (other keys, such as a solver's
``layer`` or ``multiplications``, are ignored) or a list in column order.  With ``rows``, there is
one reference row per row label.

Reading an answer: a Markdown table (``| conv1 | 26×26×10 | 100 |``; a header row naming the
columns in any order, with or without a row-label column; separator rows skipped), a LaTeX
``tabular`` (``conv1 & 26 \\times 26 \\times 10 & 100 \\\\``), or one row per line
(``conv1: 26x26x10, 100 params``, cells found by column labels, else in column order).  Rows are
matched to the reference by their row label when the part has ``rows`` and the answer names them
(``Conv1``, ``conv 1`` and ``conv_1`` all match ``conv1``), else by order (with a note).

Credit: with ``entry_credit: all_or_nothing`` (the default) each row is right when all its cells
are, and the credit is the share of right rows; with ``entry_credit: proportional`` it is the share
of right cells.  A table with any wrong row is ``partial`` (or ``incorrect`` when nothing is right).
Feedback id: ``wrong-rows`` (the feedback names each wrong row and cell, and missing rows).

``show`` writes a Markdown table with a header row; ``value_of`` gives a list of
``{column: value}`` dicts (plus ``row``: the row label when the answer gave one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.mathtext import MAX_ANSWER_CHARS
from grader.answers.registry import get_answer_type, register
from grader.answers.solver_backed import SolverBacked
from grader.answers.structured import (Cell, check_value_types, coerce_value, delegate_check, delegate_parse,
                                       find_labels, pair_values, prepare, sub_part, value_tokens)
from grader.problems.models import Part, TableColumn

MAX_ROWS = 100
_SEPARATOR = re.compile(r"^[\s|:\-+=]*$")
_LATEX_NOISE = re.compile(r"\\(?:hline|toprule|midrule|bottomrule|cline\{[^{}]*\})|\\(?:begin|end)\{tabular\}(?:\{[^{}]*\})?")
#: a row written on its own line: an optional bullet or list number (``-``, ``1)``, ``2.``), the row label, a colon
_LINE_LABEL = re.compile(r"\s*(?:[-*•]\s*|\d{1,2}[.)]\s+)?\**\s*([^\W\d_][\w .\-]{0,30}?)\s*\**\s*[:：–—]\s*")


@dataclass(frozen=True)
class TableRow:
    label: str | None
    cells: Mapping[str, Cell | None]


def column_part(part: Part, column: TableColumn) -> Part:
    return sub_part(part, type_name=column.type, tolerance=column.tolerance)


def _key(label: str) -> str:
    return re.sub(r"[\s_\-.*]+", "", label.lower())


class TableType(SolverBacked):
    name = "table"
    #: in free-form files, the whole answer (not only its last value) should be tried first
    reads_whole_answer = True

    def validate_part(self, *, part: Part) -> list[str]:
        problems = super().validate_part(part=part)
        if not part.columns:
            problems.append("a 'table' part needs 'columns': a list of {name, type, labels} "
                            "(e.g. [{name: output_shape, type: shape}, {name: params, type: integer}])")
        keys = [_key(row) for row in part.rows]
        for row in sorted({r for r, k in zip(part.rows, keys) if keys.count(k) > 1}):
            problems.append(f"the row label {row!r} is used twice (row labels are compared without case and spaces)")
        return problems + check_value_types(what="column", items=part.columns)

    # --- reading ---------------------------------------------------------------------------------------

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        if not part.columns:
            return ParseFailure("the part has no columns")
        lines = [line for line in text[:MAX_ANSWER_CHARS].splitlines() if line.strip()][:MAX_ROWS + 5]
        tabular = any("|" in line for line in lines) or any("&" in line for line in lines)
        rows, notes = (self._grid(lines, part) if tabular else self._lines(lines, part))
        if not rows:
            return ParseFailure("could not read any table row")
        blank = [row.label or str(k + 1) for k, row in enumerate(rows) if all(c is None for c in row.cells.values())]
        if blank:  # a row we saw but could not read is not a wrong row: a person reads it
            return ParseFailure(f"could not read any cell of row {', '.join(blank[:5])}")
        return Parsed(value=tuple(rows), shown=self._shown(rows, part), notes=tuple(notes),
                      alternatives=self._other_readings(rows),
                      ambiguity="a cell's number format is ambiguous (comma as decimal or thousands separator)")

    @staticmethod
    def _other_readings(rows: list[TableRow]) -> tuple[Any, ...]:
        """A cell with two number readings (``1,820``): the table with its other reading, for the ambiguity check."""
        for k, row in enumerate(rows):
            for name, cell in row.cells.items():
                if cell is not None and cell.parsed.alternatives:
                    other = Cell(cell.type, Parsed(value=cell.parsed.alternatives[0], shown=""))
                    changed = TableRow(label=row.label, cells={**row.cells, name: other})
                    return (tuple(rows[:k] + [changed] + rows[k + 1:]),)
        return ()

    def _grid(self, lines: list[str], part: Part) -> tuple[list[TableRow], list[str]]:
        labels = {c.name: c.labels for c in part.columns}
        shapes = any(c.type == "shape" for c in part.columns)
        grid: list[list[str]] = []
        for line in lines:
            line = _LATEX_NOISE.sub(" ", line)
            if _SEPARATOR.match(line):
                continue
            if "|" in line:
                cells = line.strip().strip("|").split("|")
            else:
                cells = re.sub(r"\\\\\s*$", "", line.strip()).split("&")
            cells = [prepare(c).strip("* ") for c in cells]
            if any(cells):
                grid.append(cells)
        if not grid:
            return [], []
        columns: dict[int, str] = {}
        label_index: int | None = None
        header = grid[0]
        if not any(value_tokens(cell, shapes=shapes) for cell in header):
            for k, cell in enumerate(header):
                hits = find_labels(cell, labels)
                if hits and hits[0].key not in columns.values():
                    columns[k] = hits[0].key
                elif label_index is None:
                    label_index = k
            grid = grid[1:]
        notes: list[str] = []
        if not columns:
            width = max(len(row) for row in grid) if grid else 0
            offset = 1 if width == len(part.columns) + 1 else 0
            label_index = 0 if offset else None
            columns = {k + offset: c.name for k, c in enumerate(part.columns)}
            if grid:
                notes.append("no header row naming the columns: cells read in column order")
        rows = []
        for cells in grid[:MAX_ROWS]:
            label = cells[label_index] if label_index is not None and label_index < len(cells) else None
            texts = {name: cells[k] for k, name in columns.items() if k < len(cells) and cells[k]}
            rows.append(TableRow(label=label or None, cells=self._cells(texts, part)))
        return rows, notes

    def _lines(self, lines: list[str], part: Part) -> tuple[list[TableRow], list[str]]:
        names = [c.name for c in part.columns]
        labels = {c.name: c.labels for c in part.columns}
        shapes = any(c.type == "shape" for c in part.columns)
        known = {_key(r): r for r in part.rows}
        rows: list[TableRow] = []
        notes: list[str] = []
        for raw in lines[:MAX_ROWS]:
            line = prepare(raw)
            label = None
            match = _LINE_LABEL.match(line)
            if match and not value_tokens(match.group(1), shapes=shapes):
                label, line = match.group(1).strip(), line[match.end():]
            else:
                first = line.split(" ", 1)
                if first and _key(first[0].strip(":")) in known:
                    label, line = first[0].strip(":"), (first[1] if len(first) > 1 else "")
            pairing = pair_values(line, keys=names, labels=labels, shapes=shapes)
            if not pairing.values:
                if label and _key(label) in known and line.strip():  # a row written, but nothing in it could be read
                    rows.append(TableRow(label=label, cells={name: None for name in names}))
                continue
            if pairing.by_order and pairing.named:
                notes.append(f"row {label or len(rows) + 1}: {', '.join(pairing.by_order)} read by order")
            notes += pairing.notes
            rows.append(TableRow(label=label, cells=self._cells(pairing.values, part)))
        return rows, notes

    def _cells(self, texts: Mapping[str, str], part: Part) -> dict[str, Cell | None]:
        out: dict[str, Cell | None] = {}
        for column in part.columns:
            raw = texts.get(column.name)
            parsed = None if raw is None else delegate_parse(type_name=column.type, text=raw,
                                                             part=column_part(part, column), reference=None)
            out[column.name] = Cell(column.type, parsed) if isinstance(parsed, Parsed) else None
        return out

    @staticmethod
    def _shown(rows: list[TableRow], part: Part) -> str:
        return "; ".join((f"{row.label}: " if row.label else "") +
                         ", ".join(row.cells[c.name].shown if row.cells.get(c.name) else "?" for c in part.columns)
                         for row in rows)

    # --- comparing -------------------------------------------------------------------------------------

    def _align(self, rows: tuple[TableRow, ...], count: int, part: Part) -> tuple[list[TableRow | None], list[str]]:
        notes: list[str] = []
        if part.rows and len(part.rows) == count:
            wanted = [_key(r) for r in part.rows]
            by_label = {}
            for row in rows:
                if row.label and _key(row.label) in wanted and _key(row.label) not in by_label:
                    by_label[_key(row.label)] = row
            if by_label:
                aligned: list[TableRow | None] = [by_label.get(k) for k in wanted]
                rest = [row for row in rows if row not in by_label.values() and
                        not (row.label and _key(row.label) in wanted)]
                for k in range(count):
                    if aligned[k] is None and rest:
                        aligned[k] = rest.pop(0)
                        notes.append(f"row {part.rows[k]} taken by order (its label was not found)")
                return aligned, notes
            notes.append("no row label matched the layer names: rows compared in order")
        aligned = list(rows[:count]) + [None] * max(0, count - len(rows))
        if len(rows) > count:
            notes.append(f"{len(rows) - count} extra row(s) ignored")
        return aligned, notes

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        aligned, notes = self._align(parsed.value, len(reference), part)
        right_rows = right_cells = 0
        wrong: list[str] = []
        for k, (row, ref) in enumerate(zip(aligned, reference)):
            name = part.rows[k] if part.rows and k < len(part.rows) else f"row {k + 1}"
            if row is None:
                wrong.append(f"{name}: missing")
                continue
            bad = []
            for column in part.columns:
                cell = row.cells.get(column.name)
                view = column_part(part, column)
                result = delegate_check(cell=cell, reference=ref[column.name], part=view, seed=seed)
                if result is not None and result.verdict == "correct":
                    right_cells += 1
                    continue
                expected = get_answer_type(column.type).show(value=ref[column.name], part=view)
                bad.append(f"{column.name} {cell.shown if cell else 'missing'}, expected {expected}")
            if bad:
                wrong.append(f"{name}: {', '.join(bad)}")
            else:
                right_rows += 1
        if not wrong:
            return Check(verdict="correct", credit=1.0, feedback="Correct.", notes=tuple(notes))
        total_cells = len(reference) * len(part.columns)
        credit = (right_cells / total_cells if part.entry_credit == "proportional"
                  else right_rows / len(reference))
        shown = "; ".join(wrong[:8]) + (f"; and {len(wrong) - 8} more" if len(wrong) > 8 else "")
        return Check(verdict="partial" if credit > 0 else "incorrect", credit=credit, feedback_id="wrong-rows",
                     feedback=f"{right_rows} of {len(reference)} rows right. Wrong: {shown}.", notes=tuple(notes))

    # --- references ------------------------------------------------------------------------------------

    def coerce(self, *, value: Any, part: Part) -> Any:
        names = [c.name for c in part.columns]
        if isinstance(value, Mapping) or not isinstance(value, (list, tuple)) or not value:
            raise ReferenceValueError(f"a table reference is a non-empty list of rows, each a mapping keyed by column "
                                      f"name ({', '.join(names)}) or a list in column order; got {value!r}"[:300])
        if len(value) > MAX_ROWS:
            raise ReferenceValueError(f"a table has at most {MAX_ROWS} rows, got {len(value)}")
        if part.rows and len(value) != len(part.rows):
            raise ReferenceValueError(f"the part names {len(part.rows)} rows ({', '.join(part.rows)}) but the "
                                      f"reference has {len(value)}")
        out = []
        for k, row in enumerate(value):
            name = part.rows[k] if part.rows else f"row {k + 1}"
            if isinstance(row, Mapping):
                missing = [n for n in names if n not in row]
                if missing:
                    raise ReferenceValueError(f"{name} of the table reference has no {', '.join(missing)} "
                                              f"(keys: {', '.join(map(str, row))})")
                items = [row[n] for n in names]
            elif isinstance(row, (list, tuple)) and len(row) == len(names):
                items = list(row)
            else:
                raise ReferenceValueError(f"{name} of the table reference must be a mapping keyed by column name or "
                                          f"a list of {len(names)} values in column order; got {row!r}"[:300])
            out.append({c.name: coerce_value(type_name=c.type, value=item, part=column_part(part, c),
                                             what=f"{name}, column {c.name!r}")
                        for c, item in zip(part.columns, items)})
        return tuple(out)

    def reference_value(self, *, value: Any, part: Part) -> Any:
        if isinstance(value, str):
            parsed = self.parse(text=value, part=part, reference=None)
            if isinstance(parsed, ParseFailure):
                raise ReferenceValueError(parsed.reason)
            count = len(part.rows) or len(parsed.value)
            aligned, _ = self._align(parsed.value, count, part)
            rows = []
            for k, row in enumerate(aligned):
                if row is None or any(row.cells.get(c.name) is None for c in part.columns):
                    raise ReferenceValueError(f"row {k + 1} of the table reference is missing or incomplete")
                rows.append({c.name: row.cells[c.name].plain() for c in part.columns})
            value = rows
        return self.coerce(value=value, part=part)

    def value_of(self, *, parsed: Parsed) -> Any:
        out = []
        for row in parsed.value:
            plain = {name: (cell.plain() if cell is not None else None) for name, cell in row.cells.items()}
            if row.label:
                plain["row"] = row.label
            out.append(plain)
        return out

    def show(self, *, value: Any, part: Part) -> str:
        labels = bool(part.rows)
        head = (["row"] if labels else []) + [c.name for c in part.columns]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for k, row in enumerate(value):
            cells = [get_answer_type(c.type).show(value=row[c.name], part=column_part(part, c)) for c in part.columns]
            lines.append("| " + " | ".join(([part.rows[k]] if labels else []) + cells) + " |")
        return "\n".join(lines)


register(TableType())
