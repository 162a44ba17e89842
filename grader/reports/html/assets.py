"""Files the pages of a report set share, written once per report set (not inlined into every page).

Today that is the math font (fonts/README.md says where it comes from): about 390 KB, which would
be 3.9 GB over 10 000 inlined student pages. Pages point at it with a relative URL.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from grader.atomic_files import write_bytes_atomic

#: folder of the shared files inside a report set, and the math font's file name in it
ASSETS_DIR = "assets"
MATH_FONT = "latinmodern-math.woff2"
#: the font family the stylesheet asks for first (style.css) and the pages' @font-face defines
MATH_FONT_FAMILY = "Latin Modern Math"


@lru_cache(maxsize=1)
def math_font_bytes() -> bytes:
    """The shipped math font (WOFF2 with an OpenType MATH table)."""
    return resources.files("grader.reports.html").joinpath("fonts", MATH_FONT).read_bytes()


def math_font_url(*, assets: str) -> str:
    """URL of the math font for a page whose relative URL to the assets folder is ``assets``."""
    return f"{assets.rstrip('/')}/{MATH_FONT}"


def write_assets(*, out_dir: Path) -> list[Path]:
    """Write ``out_dir/assets/`` (the math font); return the paths written."""
    path = Path(out_dir) / ASSETS_DIR / MATH_FONT
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path=path, data=math_font_bytes())
    return [path]
