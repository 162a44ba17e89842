from __future__ import annotations

from pathlib import Path

import pytest

from grader.extraction import layout_from_part_ids

FIXTURES = Path(__file__).parent / "fixtures"
DL_BASICS = (
    "1a 1b 1c 1d 2a 2b 2c 2d 2e 3a 3b 3c 4a 4b 4c 4d 4e 4f 4g 4h 4i 4j 4k 4l 4m 4n 5a 5b 6".split()
)


@pytest.fixture()
def layout():
    return layout_from_part_ids(part_ids=DL_BASICS)
