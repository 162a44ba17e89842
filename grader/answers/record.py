"""``record``: several named values in one part, e.g. a conv layer's channels "in 10, out 20".

YAML::

    - id: 2f
      prompt: How many input and output channels does the second convolution have?
      type: record
      fields:
        - {name: in, type: integer, labels: [input, in_channels, C_in, входных, Eingang]}
        - {name: out, type: integer, labels: [output, out_channels, C_out, выходных, Ausgang], weight: 2}
        - {name: rate, type: number, tolerance: {policy: absolute, abs: 0.01}}   # optional own tolerance
      answer: {in: 10, out: 20}       # or a list in field order: [10, 20]; or a solver returning a dict

Fields: ``name`` (also a label), ``type`` (``integer``, ``number`` or ``shape``; each value is read and
compared by that registered type), ``labels`` (other words naming it; labels of 6+ letters match as
stems, so ``входных`` also finds ``входной``), ``weight`` (share of the points, default 1),
``tolerance`` (replaces the part's tolerance for this field).

Reference: a mapping keyed by field name (keys that are not fields are ignored, so a solver may
return more), a list in field order, or a string read like a student's answer.

Reading an answer: each field is found by a label next to a value (``in: 10, out: 20``,
``C_in = 10; C_out = 20``, ``the input channel is 10, the output channel is 20``,
``10 входных и 20 выходных каналов``); fields without a label take the remaining values in field
order (``10, 20``, ``(10, 20)``), with a note saying so.  A text with no label and not exactly one
value per field is not read as a record (in free-form files this lets the grader try the whole
answer instead of its last number).  When labels can be paired with values in two disagreeing
ways, the answer carries an alternative reading, which sends it to a person.

Credit: the weights of the right fields over all weights; ``partial`` when some are right.
Feedback ids: ``fields-swapped`` (the right values under the wrong names), ``wrong-fields``
(the feedback names each wrong or missing field).

``show`` writes ``in: 10, out: 20``; ``value_of`` gives ``{"in": 10, "out": 20}`` (``None`` for a
missing field).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.registry import get_answer_type, register
from grader.answers.solver_backed import SolverBacked
from grader.answers.structured import (Cell, check_value_types, coerce_value, delegate_check, delegate_parse,
                                       pair_values, prepare, sub_part)
from grader.problems.models import Part, RecordField


def field_part(part: Part, spec: RecordField) -> Part:
    return sub_part(part, type_name=spec.type, tolerance=spec.tolerance)


class RecordType(SolverBacked):
    name = "record"
    #: in free-form files, the whole answer (not only its last value) should be tried first
    reads_whole_answer = True

    def validate_part(self, *, part: Part) -> list[str]:
        problems = super().validate_part(part=part)
        if not part.fields:
            problems.append("a 'record' part needs 'fields': a list of {name, type, labels} "
                            "(e.g. [{name: in, type: integer}, {name: out, type: integer}])")
        return problems + check_value_types(what="field", items=part.fields)

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        if not part.fields:
            return ParseFailure("the part has no fields")
        cleaned = prepare(text)
        keys = [spec.name for spec in part.fields]
        labels = {spec.name: spec.labels for spec in part.fields}
        shapes = any(spec.type == "shape" for spec in part.fields)
        pairing = pair_values(cleaned, keys=keys, labels=labels, shapes=shapes)
        if not pairing.named and len(pairing.values) != len(keys):
            return ParseFailure(f"found {pairing.tokens} value(s) and no field names for the {len(keys)} fields "
                                f"({', '.join(keys)}) in {cleaned[:80]!r}")
        refs = reference if isinstance(reference, Mapping) else {}
        values, notes = self._read_fields(pairing.values, part, refs)
        if pairing.by_order and pairing.named:
            notes.append(f"{', '.join(pairing.by_order)} read by the order of the values (not named)")
        elif pairing.by_order:
            notes.append("fields read by the order of the values (no field names given)")
        missing = [k for k in keys if values.get(k) is None]
        if missing:
            notes.append(f"no value found for {', '.join(missing)}")
        notes += pairing.notes
        alternatives: list[Any] = []
        if pairing.alternative is not None:
            other, _ = self._read_fields(pairing.alternative, part, refs)
            alternatives.append(other)
        for key in keys:  # a value with two number readings (1,820): the other reading as an alternative
            field_parsed = values.get(key)
            if field_parsed is not None and field_parsed.parsed.alternatives and len(alternatives) < 4:
                alternatives.append({**values, key: Cell(field_parsed.type, Parsed(
                    value=field_parsed.parsed.alternatives[0], shown=""))})
        return Parsed(value=values, shown=self._shown(values, part), notes=tuple(notes),
                      alternatives=tuple(alternatives))

    def _read_fields(self, texts: Mapping[str, str], part: Part, refs: Mapping[str, Any]
                     ) -> tuple[dict[str, Cell | None], list[str]]:
        values: dict[str, Cell | None] = {}
        notes: list[str] = []
        for spec in part.fields:
            raw = texts.get(spec.name)
            if raw is None:
                values[spec.name] = None
                continue
            parsed = delegate_parse(type_name=spec.type, text=raw, part=field_part(part, spec),
                                    reference=refs.get(spec.name))
            if isinstance(parsed, ParseFailure):
                notes.append(f"{spec.name}: {parsed.reason}")
                values[spec.name] = None
            else:
                values[spec.name] = Cell(spec.type, parsed)
        return values, notes

    @staticmethod
    def _shown(values: Mapping[str, Cell | None], part: Part) -> str:
        return ", ".join(f"{spec.name}: {values[spec.name].shown if values.get(spec.name) else '?'}"
                         for spec in part.fields)

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        values: Mapping[str, Cell | None] = parsed.value
        total = sum(spec.weight for spec in part.fields)
        earned = 0.0
        wrong: list[str] = []
        for spec in part.fields:
            given = values.get(spec.name)
            result = delegate_check(cell=given, reference=reference[spec.name],
                                    part=field_part(part, spec), seed=seed)
            expected = get_answer_type(spec.type).show(value=reference[spec.name], part=field_part(part, spec))
            if result is not None and result.verdict == "correct":
                earned += spec.weight
            elif given is None:
                wrong.append(f"{spec.name}: missing (expected {expected})")
            else:
                wrong.append(f"{spec.name}: {given.shown}, expected {expected}")
        if not wrong:
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        credit = earned / total if total else 0.0
        if self._swapped(values, reference, part):
            return Check(verdict="partial" if credit > 0 else "incorrect", credit=credit, feedback_id="fields-swapped",
                         feedback=f"The values are right but under the wrong names: {'; '.join(wrong)}.")
        return Check(verdict="partial" if credit > 0 else "incorrect", credit=credit, feedback_id="wrong-fields",
                     feedback=f"Wrong: {'; '.join(wrong)}.")

    @staticmethod
    def _swapped(values: Mapping[str, Cell | None], reference: Mapping[str, Any], part: Part) -> bool:
        """Every field is filled, and a different assignment of the given values to the fields would be all right."""
        specs = list(part.fields)
        if len(specs) < 2 or len(specs) > 6 or any(values.get(s.name) is None for s in specs):
            return False
        given = [values[s.name] for s in specs]
        for order in itertools.permutations(range(len(specs))):
            if list(order) == list(range(len(specs))):
                continue
            ok = True
            for target, source in zip(specs, order):
                if given[source].type != target.type:
                    ok = False
                    break
                result = delegate_check(cell=given[source], reference=reference[target.name],
                                        part=field_part(part, target), seed=0)
                if result is None or result.verdict != "correct":
                    ok = False
                    break
            if ok:
                return True
        return False

    def coerce(self, *, value: Any, part: Part) -> Any:
        specs = list(part.fields)
        names = [spec.name for spec in specs]
        if isinstance(value, Mapping):
            missing = [name for name in names if name not in value]
            if missing:
                raise ReferenceValueError(f"the record reference has no value for {', '.join(missing)} "
                                          f"(it needs every field: {', '.join(names)}; got keys "
                                          f"{', '.join(map(str, value)) or 'none'})")
            items = [value[name] for name in names]
        elif isinstance(value, (list, tuple)):
            if len(value) != len(names):
                raise ReferenceValueError(f"a record reference given as a list needs {len(names)} values, one per "
                                          f"field in order ({', '.join(names)}); got {len(value)}")
            items = list(value)
        else:
            raise ReferenceValueError(f"a record reference is a mapping such as {{{names[0] if names else 'in'}: 10, "
                                      f"...}} or a list in field order; got {value!r}")
        return {spec.name: coerce_value(type_name=spec.type, value=item, part=field_part(part, spec),
                                        what=f"field {spec.name!r}")
                for spec, item in zip(specs, items)}

    def reference_value(self, *, value: Any, part: Part) -> Any:
        if isinstance(value, str):
            parsed = self.parse(text=value, part=part, reference=None)
            if isinstance(parsed, ParseFailure):
                raise ReferenceValueError(parsed.reason)
            plain = self.value_of(parsed=parsed)
            missing = [k for k, v in plain.items() if v is None]
            if missing:
                raise ReferenceValueError(f"the record reference {value!r} has no value for {', '.join(missing)}")
            value = plain
        return self.coerce(value=value, part=part)

    def value_of(self, *, parsed: Parsed) -> Any:
        out: dict[str, Any] = {}
        for name, given in parsed.value.items():
            out[name] = None if given is None else given.plain()
        return out

    def show(self, *, value: Any, part: Part) -> str:
        return ", ".join(f"{spec.name}: {get_answer_type(spec.type).show(value=value[spec.name], part=field_part(part, spec))}"
                         for spec in part.fields)


register(RecordType())
