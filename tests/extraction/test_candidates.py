"""Candidate finding on one part's text: table of (lines, expected top candidates as (source, text))."""

from __future__ import annotations

import pytest

from grader.extraction.candidates import MAX_CANDIDATES, BlockLine, find_candidates


def _lines(*texts):
    return tuple(BlockLine(number=n, text=t) for n, t in enumerate(texts, start=1))


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("so the result is softmax(z_i) \\times (1 - softmax(z_i))",),
         [("last_value", "softmax(z_i) \\times (1 - softmax(z_i))")]),
        (("ReLU keeps gradients alive; sigmoid saturates",), [("block", "ReLU keeps gradients alive; sigmoid saturates")]),
        (("$x = 3$ با", "شد"), [("last_rhs", "3")]),
        (("$$\\frac{\\partial L}{\\partial z} = \\hat{y} - y$$",), [("last_rhs", "\\hat{y} - y")]),
        (("224 \\to 112 \\to 56 \\Rightarrow 26",), [("arrow", "26")]),
        (("$\\lim_{x \\to 0} f = 1$",), [("last_rhs", "1")]),
        (("Answer: $\\frac{m_i}{1-p}$",), [("marker", "\\frac{m_i}{1-p}")]),
        (("$$\\lfloor \x0crac{56 + 2 - 6 - 1}{2} \\rfloor + 1 = 26$$",), [("last_rhs", "26")]),
        (("Ответ:", "", "$(46, 62, 20)$"), [("marker", "(46, 62, 20)")]),
        (("\\boxed{\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}}",),
         [("boxed", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}")]),
        (("x \\leq 5",), [("last_value", "x \\leq 5")]),
        (("پاسخ: ۲۶ \\times ۲۶",), [("marker", "26 \\times 26")]),
    ],
)
def test_top_candidates(texts, expected):
    found = find_candidates(lines=_lines(*texts))
    assert [(c.source, c.text) for c in found[: len(expected)]] == expected


def test_ocr_frac_is_repaired():
    found = find_candidates(lines=_lines("$$ n = rac{a}{b} $$"))
    assert found[0].text == "\\frac{a}{b}"


def test_candidates_are_capped_and_bounded():
    texts = [f"Answer: {n}" for n in range(30)] + ["x = " + "1" * 5000]
    found = find_candidates(lines=_lines(*texts))
    assert len(found) <= MAX_CANDIDATES
    assert all(len(c.text) <= 2000 and len(c.quote) <= 2000 for c in found)


def test_empty_block_has_no_candidates():
    assert find_candidates(lines=_lines("", "   ")) == ()
