"""The extractor's scans written for speed say what the plain loops they replaced said."""

from __future__ import annotations

import random
import sys

from grader.freeform.candidates import _ALNUM
from grader.freeform.extract import _without


def _without_line_by_line(ranges, lines):
    """The ranges, line by line: each range's lines not in ``lines``, runs of consecutive ones joined."""
    out = []
    for start, end in ranges:
        runs: list[list[int]] = []
        for n in range(start, end + 1):
            if n in lines:
                continue
            if runs and runs[-1][1] == n - 1:
                runs[-1][1] = n
            else:
                runs.append([n, n])
        out += [(first, last) for first, last in runs]
    return tuple(out)


def test_without_takes_each_ranges_lines_out():
    rng = random.Random(13)
    for _ in range(500):
        cuts = sorted(rng.sample(range(1, 60), rng.randint(2, 12)))
        ranges = tuple((a, b) for a, b in zip(cuts[::2], cuts[1::2]))
        lines = set(rng.sample(range(0, 62), rng.randint(0, 10)))
        assert _without(ranges, lines) == (_without_line_by_line(ranges, lines) if lines else ranges)


def test_alnum_is_str_isalnum_for_every_character():
    assert all((_ALNUM.search(ch) is not None) == ch.isalnum() for ch in map(chr, range(sys.maxunicode + 1)))
