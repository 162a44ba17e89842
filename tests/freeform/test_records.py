"""grader.freeform.records builds the extractor's frozen records without their __init__: the same instances."""

from __future__ import annotations

import dataclasses

import pytest

from grader.freeform.extract import PartExtraction
from grader.freeform.candidates import shifted
from grader.freeform.records import fits, moved, record
from grader.freeform.segmentation import PartSegment, Piece
from grader.freeform.units import Unit
from grader.submissions.inputs import Candidate

CANDIDATE = Candidate(text="0.25", source="marker", line_start=3, line_end=4, quote="Answer: 0.25", strength=0.95)
SAMPLES = {
    Piece: {"line": 3, "text": "Answer: 0.25"},
    Unit: {"line_start": 3, "line_end": 4, "text": "Answer: 0.25"},
    Candidate: {"text": "0.25", "source": "marker", "line_start": 3, "line_end": 4, "quote": "Answer: 0.25",
                "values_on_line": None, "strength": 0.95},
    PartSegment: {"part_id": "2b", "pieces": (Piece(line=3, text="x"),), "label_found": "explicit", "flags": ("f",)},
    PartExtraction: {"part_id": "2b", "candidates": (CANDIDATE,), "label_found": "order", "confidence": 0.4,
                     "flags": ("label-guessed-from-order",), "context": "x", "line_start": 3, "line_end": 4},
}


@pytest.mark.parametrize("cls", [Piece, PartSegment, PartExtraction, Candidate, Unit])
def test_the_classes_built_this_way_fit(cls):
    assert fits(cls)


@pytest.mark.parametrize("cls", list(SAMPLES))
def test_record_is_the_instance_init_builds(cls):
    fields = SAMPLES[cls]
    made, built = record(cls, **fields), cls(**fields)
    assert type(made) is cls and made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert vars(made) == vars(built) and list(vars(made)) == list(vars(built))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line_start = 1  # type: ignore[misc]


def test_shifted_is_replace():
    unplaced = dataclasses.replace(CANDIDATE, line_end=None)
    moved_down = shifted((CANDIDATE, unplaced), 5)
    assert moved_down == (dataclasses.replace(CANDIDATE, line_start=8, line_end=9),
                          dataclasses.replace(unplaced, line_start=8))
    assert [list(vars(c)) for c in moved_down] == [list(vars(CANDIDATE))] * 2 and CANDIDATE.line_start == 3


def test_moved_is_replace():
    made, replaced = moved(CANDIDATE, line_start=7, line_end=8), dataclasses.replace(CANDIDATE, line_start=7, line_end=8)
    assert made == replaced and repr(made) == repr(replaced) and vars(made) == vars(replaced)
    assert CANDIDATE.line_start == 3


def test_what_does_not_fit():
    @dataclasses.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value >= 0

    @dataclasses.dataclass
    class Mutable:
        value: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        value: int

    assert not fits(Checked) and not fits(Mutable) and not fits(Slotted) and not fits(int)
