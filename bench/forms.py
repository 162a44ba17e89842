"""Answer forms of one part, as students write them: the benchmark generator's vocabulary.

Every form carries the verdict it must get (``correct``, ``incorrect``, or ``review`` for free text, which a
person always reads), so a generated corpus is labelled by construction, independently of the grader.

- ``pool_forms``: the common forms of a part, which many students share: the reference in several notations
  (decimal, comma decimal, LaTeX, matrices as pmatrix/bmatrix/nested lists, shapes as ``(a, b)``/``a×b``/
  ``[a,b]``, integers with thousand separators or as the product that gives them), the value of each
  catalogued mistake, the assignment's own examples and a generic slip;
- ``unique_form``: a form no other student writes: numbers rounded differently within the tolerance (or
  outside it, for a wrong answer), integers as other arithmetic, expressions and exact values multiplied out
  by a factor (``\\frac{k(…)}{k}``), which is how a cache keyed on the answer is made to miss.

References come from the loaded assignment (``GradingContext.references`` and each part's ``examples`` and
``misconceptions``); nothing about dl-basics is written here.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

CORRECT, INCORRECT, REVIEW = "correct", "incorrect", "review"


@dataclass(frozen=True)
class Form:
    text: str
    kind: str           # what the form is: "correct:comma", "mistake:params-without-bias", "slip", …
    expected: str       # CORRECT, INCORRECT or REVIEW
    latex: bool = False  # LaTeX a student would put between $…$


# ------------------------------------------------------------------ numbers
def decimals_for(part: Any, value: Any) -> int:
    """The decimals a student gives: what the tolerance asks for, none for exact whole values."""
    tol = part.tolerance.abs if part.tolerance is not None and part.tolerance.abs else None
    array = np.atleast_1d(np.asarray(value, dtype=float))
    if tol is None or tol < 1e-5:
        return 0 if np.allclose(array, np.round(array)) else 4
    return max(0, math.ceil(-math.log10(tol / 1.5)))


def num(x: float, d: int, comma: bool = False) -> str:
    text = f"{x:.{d}f}" if d else f"{round(x):d}"
    text = "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    return text.replace(".", ",") if comma else text


def vector_notations(values: list[float], d: int) -> list[tuple[str, str, bool]]:
    plain = [num(v, d) for v in values]
    comma = [num(v, d, comma=True) for v in values]
    return [
        ("paren", "(" + ", ".join(plain) + ")", False),
        ("brackets", "[" + ", ".join(plain) + "]", False),
        ("comma-decimal", "(" + "; ".join(comma) + ")", False),
        ("pmatrix", r"\begin{pmatrix} " + r" \\ ".join(plain) + r" \end{pmatrix}", True),
        ("transposed", "(" + ", ".join(plain) + ")^T", True),
    ]


def matrix_notations(rows: list[list[float]], d: int) -> list[tuple[str, str, bool]]:
    plain = [[num(v, d) for v in row] for row in rows]
    comma = [[num(v, d, comma=True) for v in row] for row in rows]

    def env(name: str, cells: list[list[str]]) -> str:
        return rf"\begin{{{name}}} " + r" \\ ".join(" & ".join(r) for r in cells) + rf" \end{{{name}}}"

    return [
        ("bmatrix", env("bmatrix", plain), True),
        ("pmatrix-comma", env("pmatrix", comma), True),
        ("nested-list", "[" + ", ".join("[" + ", ".join(r) + "]" for r in plain) + "]", False),
        ("rows", "; ".join(" ".join(r) for r in plain), False),
    ]


def integer_notations(value: int) -> list[tuple[str, str, bool]]:
    forms = [("plain", str(value), False)]
    if abs(value) >= 10_000:
        grouped = f"{value:,}"
        forms += [("thin-space", grouped.replace(",", " "), False), ("dots", grouped.replace(",", "."), False),
                  ("latex-commas", grouped.replace(",", "{,}"), True), ("commas", grouped, False)]
    return forms


def shape_notations(dims: tuple[int, ...], square_ok: bool) -> list[tuple[str, str, bool]]:
    text = [str(d) for d in dims]
    forms = [("tuple", "(" + ", ".join(text) + ")", False), ("times", r" \times ".join(text), True),
             ("cross", "×".join(text), False), ("list", "[" + ",".join(text) + "]", False),
             ("x", " x ".join(text), False)]
    if square_ok and len(set(dims)) == 1:
        forms.append(("side", text[0], False))
    return forms


def value_notations(type_name: str, value: Any, part: Any) -> list[tuple[str, str, bool]]:
    """The notations of one value of a numeric type, as (name, text, is LaTeX)."""
    if type_name == "integer":
        return integer_notations(int(value))
    if type_name == "shape":
        return shape_notations(tuple(int(v) for v in value), part.square_ok)
    d = decimals_for(part, value)
    if type_name == "number":
        return [("decimal", num(float(value), d), False), ("comma-decimal", num(float(value), d, comma=True), False)]
    array = np.asarray(value, dtype=float)
    if type_name == "vector":
        return vector_notations(array.ravel().tolist(), d)
    if type_name == "matrix":
        return matrix_notations(array.tolist(), d)
    return []


# ------------------------------------------------------------------ pools
NUMERIC = ("number", "integer", "vector", "matrix", "shape")


def pool_forms(*, part: Any, reference: Any, mistakes: tuple, symbolic_mistakes: tuple[str, ...] = ()) -> list[Form]:
    """The common forms of a part: every notation of the reference, each catalogued mistake, the examples."""
    if part.type == "text":
        return [Form(text, f"text:{i}", REVIEW) for i, text in enumerate(TEXT_ANSWERS)]
    if part.type == "expression":
        return expression_pool(part=part, symbolic_mistakes=symbolic_mistakes)
    if part.type not in NUMERIC or reference is None:
        return []
    forms = [Form(text, f"correct:{name}", CORRECT, latex) for name, text, latex in
             value_notations(part.type, reference, part)]
    forms += [Form(text, "correct:example", CORRECT, "\\" in text) for text in part.examples.correct]
    # OCR writes the product's \cdot as a middle dot, and students type * for it
    forms += [Form(text.replace(r" \cdot ", mark), f"correct:example{name}", CORRECT, False)
              for text in part.examples.correct if r"\cdot" in text for mark, name in (("·", "-dot"), (" * ", "-star"))]
    for mistake, value in mistakes:
        if mistake.credit == 0:
            forms += [Form(text, f"mistake:{mistake.id}", INCORRECT, latex) for name, text, latex in
                      value_notations(part.type, value, part)[:2]]
    forms += [Form(_example_text(e), "incorrect:example", INCORRECT, "\\" in _example_text(e))
              for e in part.examples.incorrect]
    slip = slipped(part=part, reference=reference)
    forms += [Form(text, "slip", INCORRECT, latex) for _, text, latex in value_notations(part.type, slip, part)[:2]]
    return _distinct(forms)


def _example_text(example: Any) -> str:
    return example if isinstance(example, str) else example.answer


def _distinct(forms: list[Form]) -> list[Form]:
    seen: dict[str, Form] = {}
    for form in forms:
        seen.setdefault(" ".join(form.text.split()), form)
    return list(seen.values())


def slipped(*, part: Any, reference: Any) -> Any:
    """A wrong value an arithmetic slip gives: every entry off by far more than the tolerance."""
    if part.type == "integer":
        return int(reference) + max(1, abs(int(reference)) // 10)
    if part.type == "shape":
        return tuple(int(v) + 1 for v in reference)
    # the factor depends on the part, so two parts with the same reference (∂E/∂z2 and ∂E/∂b2) slip to
    # different values: the same wrong value in both would rightly be credited by error carried forward
    factor = 1.3 + (zlib.crc32(part.id.encode()) % 7) / 10
    array = np.asarray(reference, dtype=float)
    return array * factor + np.sign(array + 1e-12) * 0.05


def expression_pool(*, part: Any, symbolic_mistakes: tuple[str, ...]) -> list[Form]:
    spec = part.symbolic or {}
    correct = [part.reference_latex, spec.get("reference"), *part.examples.correct]
    forms = [Form(str(t), f"correct:{i}", CORRECT, True) for i, t in enumerate(correct) if t]
    forms += [Form(_hat_braces(f.text), "correct:braces", CORRECT, True) for f in forms[:1] if "\\hat y" in f.text]
    forms += [Form(m["expr"], f"mistake:{m['id']}", INCORRECT, True) for m in spec.get("misconceptions", ())
              if not m.get("credit")]
    forms += [Form(_example_text(e), "incorrect:example", INCORRECT, True) for e in part.examples.incorrect]
    return _distinct(forms)


def _hat_braces(text: str) -> str:
    return text.replace("\\hat y", "\\hat{y}")


TEXT_ANSWERS = (
    "ReLU has derivative 1 for positive inputs, so the gradient passes through active units unchanged; the "
    "sigmoid's derivative is at most 1/4 and almost 0 when it saturates, so the product over many layers vanishes.",
    "Die Ableitung von ReLU ist 1 für positive Eingaben; beim Sigmoid ist sie höchstens 0,25 und das Produkt "
    "über viele Schichten geht gegen 0.",
    "Производная ReLU равна 1 при положительном входе, а производная сигмоиды не больше 1/4, поэтому "
    "произведение по слоям быстро стремится к нулю.",
    "مشتق ReLU برای ورودی مثبت ۱ است ولی مشتق sigmoid حداکثر ۰٫۲۵ است و در شبکه عمیق حاصل ضرب به صفر می رسد.",
    "Because ReLU is cheaper to compute.",
)


# ------------------------------------------------------------------ unique forms
def unique_form(*, part: Any, base: Form, reference: Any, rng: random.Random, serial: int) -> Form:
    """A form of the same verdict as ``base`` that no other student writes (``serial`` makes it unique)."""
    k = 1000 + serial
    if part.type == "text":
        return Form(f"{base.text} (In a net of {k} layers this matters even more.)", "unique:text", base.expected)
    if part.type == "expression":
        return Form(rf"\frac{{{k} \left({base.text}\right)}}{{{k}}}", f"unique:{base.kind}", base.expected, True)
    if part.type == "integer":  # the sum as the student left it
        value = int(reference) if base.expected == CORRECT else slipped(part=part, reference=reference) + serial % 7
        return Form(f"{value + serial + 1} - {serial + 1}", f"unique:{base.expected}", base.expected)
    if part.type == "shape":
        dims = reference if base.expected == CORRECT else slipped(part=part, reference=reference)
        sizes = r" \times ".join(str(int(v)) for v in dims)
        return Form(rf"Z_{{{k}}} \in \mathbb{{R}}^{{{sizes}}}",
                    f"unique:{base.expected}", base.expected, True)
    return _unique_numeric(part=part, base=base, reference=reference, rng=rng, k=k)


def _unique_numeric(*, part: Any, base: Form, reference: Any, rng: random.Random, k: int) -> Form:
    array = np.asarray(reference, dtype=float)
    target = array if base.expected == CORRECT else np.asarray(slipped(part=part, reference=reference))
    tol = part.tolerance.abs if part.tolerance is not None and part.tolerance.abs else 0.0
    if tol < 1e-5:  # exact values: written as a fraction the student did not simplify
        cells = [rf"\frac{{{num(v * k, 0)}}}{{{k}}}" for v in target.ravel()]
        return _cells_form(part, target, cells, f"unique:{base.expected}:fraction", base.expected)
    d = decimals_for(part, array) + 2
    jitter = np.array([rng.uniform(-tol / 3, tol / 3) for _ in range(target.size)]).reshape(target.shape)
    cells = [num(v, d) for v in (target + jitter).ravel()]
    return _cells_form(part, target, cells, f"unique:{base.expected}:digits", base.expected)


def _cells_form(part: Any, target: np.ndarray, cells: list[str], kind: str, expected: str) -> Form:
    if part.type == "number":
        return Form(cells[0], kind, expected, "\\" in cells[0])
    if part.type == "vector":
        return Form("(" + ", ".join(cells) + ")", kind, expected, "\\" in cells[0])
    cols = target.shape[1]
    rows = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    return Form(r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{bmatrix}", kind,
                expected, True)
