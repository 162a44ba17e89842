"""(reference, student answer, expected verdict) tables for the numeric answer types."""

from __future__ import annotations

import numpy as np
import pytest

from grader.answers import ParseFailure, get_answer_type
from grader.problems.models import Part, Tolerance


def grade(type_name: str, reference, text: str, **part_fields):
    part = Part(id="9z", prompt="", type=type_name, solver="test.fixture", **part_fields)
    answer_type = get_answer_type(type_name)
    parsed = answer_type.parse(text=text, part=part, reference=reference)
    if isinstance(parsed, ParseFailure):
        return "unreadable", None
    check = answer_type.check(parsed=parsed, reference=reference, part=part, seed=0)
    return check.verdict, check.feedback_id


INTEGER = [
    (1820, "1820", "correct", None),
    (1820, r"3 \cdot 3 \cdot 10 \cdot 20 + 20", "correct", None),
    (1820, "3*3*10*20 + 20", "correct", None),
    (1820, "$1820$.", "correct", None),
    (1820, "1 820", "correct", None),
    (1820, "1,820", "correct", None),
    (1820, "N = 1820", "correct", None),
    (1820, "1800", "incorrect", "wrong-value"),
    (1820, r"3 \times 3 \times 10 \times 20", "incorrect", "wrong-value"),
    (1820, "1820.5", "incorrect", "not-integer"),
    (5133600, "5 133 600", "correct", None),
    (5133600, "5,133,600", "correct", None),
    (5133600, "5.133.600", "correct", None),
    (5133600, r"5.1336 \cdot 10^6", "correct", None),
    (5133600, "5.1336·10^{6}", "correct", None),
    (5133600, "3·3·10·46·62·20", "correct", None),
    (5133600, r"\left(3 \cdot 3 \cdot 10\right) \cdot 46 \cdot 62 \cdot 20", "correct", None),
    (5133600, "5.13·10^6", "incorrect", "wrong-value"),
    (5133600, "۵۱۳۳۶۰۰", "correct", None),
    (5133600, "10^{10^{10}}", "unreadable", None),
    (5133600, "banana", "unreadable", None),
]


@pytest.mark.parametrize(("reference", "text", "verdict", "feedback_id"), INTEGER)
def test_integer(reference, text, verdict, feedback_id):
    assert grade("integer", reference, text) == (verdict, feedback_id)


SHAPE = [
    ((26, 26), "26", "correct"),
    ((26, 26), r"26 \times 26", "correct"),
    ((26, 26), "26×26", "correct"),
    ((26, 26), "26 x 26", "correct"),
    ((26, 26), "26 х 26", "correct"),  # Cyrillic х
    ((26, 26), "(26, 26)", "correct"),
    ((26, 26), "26 by 26", "correct"),
    ((26, 26), "$n = 26 \\times 26$.", "correct"),
    ((26, 26), "26.5", "incorrect"),
    ((26, 26), "27 x 27", "incorrect"),
    ((26, 26), "24", "incorrect"),
    ((46, 62, 20), "(46, 62, 20)", "correct"),
    ((46, 62, 20), "46 x 62 x 20", "correct"),
    ((46, 62, 20), r"46 \times 62 \times 20", "correct"),
    ((46, 62, 20), "[46,62,20]", "correct"),
    ((46, 62, 20), r"Z, U \in \mathbb{R}^{46 \times 62 \times 20}", "correct"),
    ((46, 62, 20), r"Z \in R^{46 \times 62 \times 10}", "incorrect"),
    ((26, 26), "ℝ^{26×26}", "correct"),
    ((46, 62, 20), "(46, 62, 10)", "incorrect"),
    ((46, 62, 20), "(20, 46, 62)", "incorrect"),
    ((46, 62, 20), "46 x 62", "incorrect"),
]


@pytest.mark.parametrize(("reference", "text", "verdict"), SHAPE)
def test_shape(reference, text, verdict):
    assert grade("shape", reference, text, square_ok=True)[0] == verdict


def test_shape_feedback_names_the_fault():
    assert grade("shape", (46, 62, 20), "(20, 46, 62)") == ("incorrect", "shape-order")
    assert grade("shape", (26, 26), "26.5") == ("incorrect", "not-integer")
    assert grade("shape", (46, 62, 20), "46 x 62") == ("incorrect", "shape-rank")


def test_single_size_is_not_square_unless_part_allows_it():
    assert grade("shape", (26, 26), "26")[0] == "incorrect"


TOL4 = Tolerance(policy="absolute", abs=1.5e-4)
Z1 = np.array([0.3275, 0.3475])
VECTOR = [
    (Z1, "(0.3275, 0.3475)", "correct"),
    (Z1, "[0,3275, 0,3475]", "correct"),
    (Z1, "[0,3275; 0,3475]", "correct"),
    (Z1, "[0,3275,0,3475]", "correct"),
    (Z1, r"\begin{bmatrix} 0,3275 & 0,3475 \end{bmatrix}", "correct"),
    (Z1, r"\begin{bmatrix} 0.3275 \\ 0.3475 \end{bmatrix}", "correct"),
    (Z1, r"\left[ 0.3275 \quad 0.3475 \right]", "correct"),
    (Z1, "z_1 = [0.3275, 0.3475]", "correct"),
    (Z1, "(0.3276, 0.3474)", "correct"),
    (Z1, "(0.3275 0.3475)", "correct"),
    (Z1, "(0.3275, 0.3495)", "incorrect"),
    (Z1, "(0.0275, 0.0475)", "incorrect"),
    (Z1, "(0.3275, 0.3475, 0.1)", "incorrect"),
    (np.array([0.125753, -0.033423]), "[0.1258, −0.0334]", "correct"),
    (np.array([0.125753, -0.033423]), "[0.1258 \\quad -0.0334]", "correct"),
    (np.array([4.0, 0.0, 6.0]), "(4, 0, 6)", "correct"),
    (np.array([4.0, 0.0, 6.0]), "(4, 6)", "incorrect"),
]


@pytest.mark.parametrize(("reference", "text", "verdict"), VECTOR)
def test_vector(reference, text, verdict):
    assert grade("vector", reference, text, tolerance=TOL4)[0] == verdict


def test_vector_shape_mismatch_is_its_own_feedback():
    assert grade("vector", Z1, "(0.3275, 0.3475, 0.1)", tolerance=TOL4) == ("incorrect", "shape-mismatch")


W2G = np.array([[0.073082, -0.019424], [0.073693, -0.019586]])
MATRIX = [
    (W2G, r"\begin{bmatrix} 0.0731 & -0.0194 \\ 0.0737 & -0.0196 \end{bmatrix}", "correct"),
    (W2G, r"\begin{pmatrix} 0,0731 & -0,0194 \\ 0,0737 & -0,0196 \end{pmatrix}", "correct"),
    (W2G, "[[0.0731, -0.0194], [0.0737, -0.0196]]", "correct"),
    (W2G, "[0.0731, -0.0194; 0.0737, -0.0196]", "correct"),
    (W2G, "[[0.0731, -0.0194], [0.0737, 0.0196]]", "incorrect"),
    (W2G, "[[0.0731, 0.0737], [-0.0194, -0.0196]]", "incorrect"),
    (W2G, "[0.0731, -0.0194]", "incorrect"),
]


@pytest.mark.parametrize(("reference", "text", "verdict"), MATRIX)
def test_matrix(reference, text, verdict):
    assert grade("matrix", reference, text, tolerance=TOL4)[0] == verdict


def test_matrix_entry_credit_names_wrong_entries():
    part = Part(id="9z", prompt="", type="matrix", solver="x", tolerance=TOL4, entry_credit="proportional")
    matrix = get_answer_type("matrix")
    parsed = matrix.parse(text="[[0.0731, -0.0194], [0.0737, 0.0196]]", part=part, reference=W2G)
    check = matrix.check(parsed=parsed, reference=W2G, part=part, seed=0)
    assert check.verdict == "partial"
    assert check.credit == pytest.approx(0.75)
    assert "entry (2, 2): 0.0196, expected -0.019586" in check.feedback


NUMBER = [
    (0.198446, "0.1984", "correct"),
    (0.198446, "0,1984", "correct"),
    (0.198446, "E = 0.1984", "correct"),
    (0.198446, r"E \approx 0.19845", "correct"),
    (0.198446, "0.1990", "incorrect"),
    (0.198446, "O.1984", "correct"),  # OCR: letter O for zero
    (0.198, "0,198", "correct"),  # a leading 0 never starts a thousands group: 0,198 is a decimal
    (0.198, "-0,198", "incorrect"),
    (198.0, "0,198", "incorrect"),
    (26.0, "26.5", "incorrect"),
]


@pytest.mark.parametrize(("reference", "text", "verdict"), NUMBER)
def test_number(reference, text, verdict):
    assert grade("number", reference, text, tolerance=TOL4)[0] == verdict


@pytest.mark.parametrize(
    ("policy", "reference", "text", "verdict"),
    [
        (Tolerance(policy="relative", rel=0.01), 100.0, "100.9", "correct"),
        (Tolerance(policy="relative", rel=0.01), 100.0, "101.1", "incorrect"),
        (Tolerance(policy="decimals", decimals=2), 0.198446, "0.20", "correct"),
        (Tolerance(policy="decimals", decimals=2), 0.198446, "0.19", "incorrect"),
        (Tolerance(policy="sigfigs", sigfigs=3), 0.198446, "0.198", "correct"),
        (Tolerance(policy="sigfigs", sigfigs=3), 0.198446, "0.199", "incorrect"),
        (Tolerance(policy="rounding", min_decimals=3, abs=1e-6), 0.198446, "0.198", "correct"),
        (Tolerance(policy="rounding", min_decimals=3, abs=1e-6), 0.198446, "0.1984", "correct"),
        (Tolerance(policy="rounding", min_decimals=3, abs=1e-6), 0.198446, "0.1985", "incorrect"),
        (Tolerance(policy="rounding", min_decimals=3, abs=1e-6), 0.198446, "0.2", "incorrect"),
    ],
)
def test_tolerance_policies(policy, reference, text, verdict):
    assert grade("number", reference, text, tolerance=policy)[0] == verdict
