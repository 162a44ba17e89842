"""find_candidates is memoised per part text (lines counted from the part's first line): the cached answer
must be the one computed afresh, wherever the part stands, and long texts must stay out of the caches."""

from __future__ import annotations

from grader.freeform import candidates as C
from grader.freeform.segment import Piece

PARTS = (
    ("Answer: $0.25$",),
    ("Решение по формуле из лекции.", "Ответ: $(\\frac{2}{3}, \\frac{0}{3})$"),
    ("$$", "\\frac{\\partial L}{\\partial z} = \\hat y - y", "$$", "so the gradient is $\\hat y - y$"),
    ("for i = j: $\\hat y_i (1 - \\hat y_i)$", "for i \\neq j: $-\\hat y_i \\hat y_j$"),
    ("skipped",),
)


def _pieces(texts: tuple[str, ...], first: int, gap: int = 1) -> tuple[Piece, ...]:
    return tuple(Piece(line=first + gap * k, text=text) for k, text in enumerate(texts))


def test_cached_candidates_are_the_fresh_ones_at_any_offset() -> None:
    for texts in PARTS:
        for first, gap in ((1, 1), (7, 1), (40, 3), (7, 1)):
            for single_ok in (True, False):
                for whole in (True, False):
                    pieces = _pieces(texts, first, gap)
                    cached = C.find_candidates(pieces=pieces, single_ok=single_ok, whole=whole)
                    fresh = C._find_candidates(pieces=pieces, single_ok=single_ok, whole=whole)
                    assert cached == fresh


def test_facts_are_a_copy() -> None:
    pieces = _pieces(PARTS[0], 3)
    _, facts = C.find_candidates(pieces=pieces, single_ok=True)
    facts["conflict"] = "changed"
    assert C.find_candidates(pieces=pieces, single_ok=True)[1]["conflict"] is False


def test_long_parts_are_not_cached() -> None:
    before = C._part_candidates.cache_info().currsize
    long = ("Answer: " + "1 + " * 400 + "1",)
    assert len(long[0]) > C.MAX_CACHED_TEXT
    C.find_candidates(pieces=_pieces(long, 1), single_ok=True)
    assert C._part_candidates.cache_info().currsize == before


def test_cached_part_reads_are_the_fresh_ones_at_any_offset() -> None:
    from grader.freeform import extract as X
    from grader.freeform.segmentation import PartSegment

    for texts in PARTS:
        for first, gap in ((1, 1), (7, 1), (40, 3), (7, 1)):
            for found in ("explicit", "order"):
                for flags in ((), ("parts-numbered",), ("unread-label-in-block", "label-repeated")):
                    for whole in (True, False):
                        segment = PartSegment(part_id="2b", pieces=_pieces(texts, first, gap), label_found=found,
                                              flags=flags)
                        cached = X._read_segment(segment=segment, whole=whole)
                        fresh = X._read_part(pieces=segment.pieces, segment=segment, whole=whole)
                        assert cached == fresh
