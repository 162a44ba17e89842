"""The shipped math font: written once per report set, referenced by every page, allowed by the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.reports.html import write_html_reports
from grader.reports.html.assets import MATH_FONT, MATH_FONT_FAMILY, math_font_bytes
from grader.reports.html.page import document, stylesheet
from tests.reports.test_html import build_assignment, build_run, stems_of

FONTS = Path(__file__).resolve().parents[2] / "grader" / "reports" / "html" / "fonts"


def test_font_is_woff2_with_a_math_table_and_ships_with_its_license():
    data = math_font_bytes()
    assert data[:4] == b"wOF2"
    assert (FONTS / "GUST-FONT-LICENSE.txt").is_file() and (FONTS / "README.md").is_file()
    from fontTools import ttLib as ttlib  # in the dev extra: the font must keep its MATH table
    font = ttlib.TTFont(FONTS / MATH_FONT)
    assert "MATH" in font
    variants = font["MATH"].table.MathVariants
    assert {"parenleft", "bracketleft", "braceleft"} <= set(variants.VertGlyphCoverage.glyphs)


@pytest.fixture(scope="module")
def report_set(tmp_path_factory) -> Path:
    run = build_run()
    out = tmp_path_factory.mktemp("reports")
    write_html_reports(run=run, assignment=build_assignment(), out_dir=out, stems=stems_of(run))
    return out


def _font_face_url(page: str) -> str:
    (url,) = re.findall(r'@font-face \{ font-family: "' + MATH_FONT_FAMILY + r'"; src: url\("([^"]+)"\)', page)
    return url


def test_every_page_points_at_the_one_font_file_of_the_report_set(report_set):
    font = report_set / "assets" / MATH_FONT
    assert font.read_bytes() == math_font_bytes()
    pages = [report_set / "index.html", *sorted((report_set / "students").glob("*.html"))]
    assert len(pages) > 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert (page.parent / _font_face_url(text)).resolve() == font.resolve()
        (csp,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        assert [d.strip() for d in csp.split(";")] == ["default-src 'none'", "style-src 'unsafe-inline'",
                                                       "img-src data:", "font-src 'self'"]


def test_math_asks_for_the_shipped_font_first():
    (families,) = re.findall(r"\bmath \{[^}]*font-family: ([^;]+);", stylesheet())
    assert families.split(",")[0].strip() == f'"{MATH_FONT_FAMILY}"'


def test_a_document_without_the_font_stays_self_contained():
    text = document(title="t", body="<p>x</p>")
    assert "src: url(" not in text and "font-src" not in text and "default-src 'none'" in text


def test_the_review_app_serves_the_font_to_the_pages_it_shows(report_set):
    from grader.review.app.guard import SECURITY_HEADERS
    from grader.review.app.report_files import report_file

    assert report_file(reports_dir=report_set, relative=f"assets/{MATH_FONT}") == (report_set / "assets" / MATH_FONT).resolve()
    assert "font-src 'self'" in SECURITY_HEADERS["content-security-policy"]
