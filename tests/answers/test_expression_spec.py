"""spec_of: the SymbolicSpec of an expression part, remembered by the part object and by its block's JSON text."""

from __future__ import annotations

from grader.answers import expression
from grader.answers.expression import spec_of
from grader.problems.models import Part


def _part(reference: str, part_id: str = "1a") -> Part:
    return Part.model_validate({"id": part_id, "prompt": "p", "type": "expression",
                                "symbolic": {"symbols": {"x": {"kind": "scalar"}}, "reference": reference}})


def test_the_same_part_has_one_spec() -> None:
    part = _part("x^2")
    assert spec_of(part) is spec_of(part)
    assert str(spec_of(part).reference) == "x^2"


def test_two_parts_with_different_blocks_do_not_share_a_spec() -> None:
    first, second = _part("x^2"), _part("x + 1")
    assert spec_of(first).reference != spec_of(second).reference
    assert str(spec_of(second).reference) == "x + 1" and str(spec_of(first).reference) == "x^2"


def test_two_parts_with_one_block_share_its_spec() -> None:
    assert spec_of(_part("x^3", "1a")) is spec_of(_part("x^3", "2b"))


def test_cache_clear_makes_a_new_spec() -> None:
    part = _part("x - 1")
    before = spec_of(part)
    expression._spec_from_json.cache_clear()
    after = spec_of(part)
    assert after is not before and after == before


def test_many_parts_stay_bounded() -> None:
    parts = [_part(f"x + {k}") for k in range(expression.MAX_PARTS + 20)]
    for k, part in enumerate(parts):
        assert str(spec_of(part).reference) == f"x + {k}"
    assert str(spec_of(parts[0]).reference) == "x + 0"
