"""LaTeX / OCR text -> canonical LaTeX (and node shape), table-driven."""

from __future__ import annotations

import pytest

from grader.mathparse import MathParseError, parse_math, render_latex
from grader.mathparse.nodes import (Call, Delta, Derivative, Div, Index, Indicator, Mul, Piecewise, Pow, Sub, SumOver,
                                    Sym, Transpose)

CANONICAL = [
    (r"\left( \hat y - y \right)", r"\hat{y} - y"),
    (r"\big( a \big) b", "a b"),
    (r"\dfrac{a}{b}", r"\frac{a}{b}"),
    (r"\tfrac{m}{1-p}", r"\frac{m}{1 - p}"),
    ("a/b", r"\frac{a}{b}"),
    (r"a \cdot b", r"a \cdot b"),
    (r"a \times b", r"a \times b"),
    ("a*b", "a * b"),  # `*` keeps its own meaning (element-wise between vectors), so it is shown as written
    (r"a \odot b", r"a \odot b"),
    (r"a \circ b", r"a \odot b"),
    ("2L", "2 L"),
    (r"\hat y_i \hat y_j", r"\hat{y}_{i} \hat{y}_{j}"),
    ("(A+A^T)w", r"\left(A + A^{T}\right) w"),
    ("σ(z)", r"\sigma\left(z\right)"),
    ("ŷ − y", r"\hat{y} - y"),
    ("ŷ_i – ŷ_j", r"\hat{y}_{i} - \hat{y}_{j}"),
    ("y\u0302 - y", r"\hat{y} - y"),
    ("a·b", r"a \cdot b"),
    ("a×b", r"a \times b"),
    ("a⊙b", r"a \odot b"),
    ("a∘b", r"a \odot b"),
    ("δ_{ij}", r"\delta_{ij}"),
    ("wᵀ A w", r"w^{T} A w"),
    (r"\hat y", r"\hat{y}"),
    (r"\hat{y}", r"\hat{y}"),
    (r"\hat{y}_i", r"\hat{y}_{i}"),
    (r"\hat{y_i}", r"\hat{y}_{i}"),
    ("y_hat", r"\hat{y}"),
    ("y_hat_i", r"\hat{y}_{i}"),
    (r"\bar x", r"\bar{x}"),
    ("y_i", "y_{i}"),
    ("y_{i}", "y_{i}"),
    ("z^{(2)}", "z^{(2)}"),
    (r"\sigma'(z)", r"\sigma'\left(z\right)"),
    (r"\sigma^{\prime}(z)", r"\sigma'\left(z\right)"),
    (r"\sigma^\prime(z)", r"\sigma'\left(z\right)"),
    ("A^T", "A^{T}"),
    ("A^{T}", "A^{T}"),
    (r"A^\top", "A^{T}"),
    (r"A^{\top}", "A^{T}"),
    ("w'", "w^{T}"),
    (r"\text{softmax}(z)_i", r"\operatorname{softmax}\left(z\right)_{i}"),
    (r"\operatorname{softmax}(z)", r"\operatorname{softmax}\left(z\right)"),
    (r"\mathrm{diag}(y)", r"\operatorname{diag}\left(y\right)"),
    (r"\operatorname{diag}(\hat y)", r"\operatorname{diag}\left(\hat{y}\right)"),
    (r"\sigma(Wx)", r"\sigma\left(\mathrm{Wx}\right)"),
    ("e^{z_i}", "e^{z_{i}}"),
    (r"\exp(z_i)", r"\exp\left(z_{i}\right)"),
    (r"\sum_k e^{z_k}", r"\sum_{k} e^{z_{k}}"),
    (r"\sum_{k=1}^{C} e^{z_k}", r"\sum_{k=1}^{C} e^{z_{k}}"),
    (r"\delta_{ij}", r"\delta_{ij}"),
    (r"\delta_{i,j}", r"\delta_{ij}"),
    (r"\mathbb{1}[i=j]", r"\mathbb{1}[i = j]"),
    (r"\begin{cases} a & \text{if } i=j \\ b & \text{otherwise} \end{cases}",
     r"\begin{cases} a & i = j \\ b & \text{otherwise} \end{cases}"),
    (r"\begin{cases} a, & i ≠ j \\ b, & i = j \end{cases}", r"\begin{cases} a & i \neq j \\ b & i = j \end{cases}"),
    ("0,5", "0.5"),
    ("0,5 L", "0.5 L"),
    ("m/(1-p)", r"\frac{m}{1 - p}"),
    ("2*L+1", "2 * L + 1"),
    ("y_hat - y", r"\hat{y} - y"),
    ("mask/(1-p)", r"\frac{\mathrm{mask}}{1 - p}"),
    (r"\frac{\partial L}{\partial z} = \hat y - y", r"\hat{y} - y"),
    ("f'(a) = m/(1-p).", r"\frac{m}{1 - p}"),
    (r"J_{ij} = \hat y_i (\delta_{ij} - \hat y_j)", r"\hat{y}_{i} \left(\delta_{ij} - \hat{y}_{j}\right)"),
    (r"\nabla_w f = (A+A^T)w", r"\left(A + A^{T}\right) w"),
    ("RF = 2L+1", "2 L + 1"),
    (r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial \hat y}\frac{\partial \hat y}{\partial z} = \hat y - y",
     r"\hat{y} - y"),
    (r"$\hat y - y$", r"\hat{y} - y"),
    (r"$$2L+1$$", "2 L + 1"),
    (r"\[ 2L + 1 \]", "2 L + 1"),
    (r"a \, b \; c \! d", "a b c d"),
    (r"\mathbf{w}", "w"),
    (r"\boldsymbol{W}x", "W x"),
    (r"\vec{w}", "w"),
    (r"\log \hat y_k", r"\log\left(\hat{y}_{k}\right)"),
    (r"\ln(x)", r"\log\left(x\right)"),
    (r"\max(0, x)", r"\max\left(0, x\right)"),
    (r"\frac12", r"\frac{1}{2}"),
    (r"-\sum_i y_i \log \hat y_i", r"-\sum_{i} y_{i} \log\left(\hat{y}_{i}\right)"),
    (r"\left[ \frac{m}{1-p} \right].", r"\frac{m}{1 - p}"),
    (r"\frac{m_i}{1-p},", r"\frac{m_{i}}{1 - p}"),
    (r"(g \odot y \odot (1 - y)) x^T", r"\left(g \odot y \odot \left(1 - y\right)\right) x^{T}"),
    ("3 + 2(L-1)", r"3 + 2 \left(L - 1\right)"),
    (r"\mathbb{1}_{i=j}", r"\mathbb{1}[i = j]"),
    ("A_{i,j}", "A_{i,j}"),
    (r"\delta_{i j}", r"\delta_{ij}"),
    (r"\left\{ \begin{array}{ll} a & i = j \\ b & i \neq j \end{array} \right.",
     r"\begin{cases} a & i = j \\ b & i \neq j \end{cases}"),
    ("A_{ij}", r"A_{\mathrm{ij}}"),
    ("ŷᵢ − yᵢ", r"\hat{y}_{i} - y_{i}"),
    ("x² + 1", "x^{2} + 1"),
    ("2L + 1 pixels", "2 L + 1"),
    (r"2L+1 \text{ pixels}.", "2 L + 1"),
    (r"\hat y_i(1-\hat y_i) \text{ if } i=j, \; -\hat y_i \hat y_j \text{ if } i \neq j",
     r"\begin{cases} \hat{y}_{i} \left(1 - \hat{y}_{i}\right) & i = j \\ -\hat{y}_{i} \hat{y}_{j} & i \neq j \end{cases}"),
    (r"J_{ij} = \hat y_i(1-\hat y_i) if i = j, -\hat y_i\hat y_j otherwise",
     r"\begin{cases} \hat{y}_{i} \left(1 - \hat{y}_{i}\right) & i = j \\ -\hat{y}_{i} \hat{y}_{j} & \text{otherwise} \end{cases}"),
    ("ŷᵢ(1 − ŷᵢ) if i = j; −ŷᵢŷⱼ if i ≠ j",
     r"\begin{cases} \hat{y}_{i} \left(1 - \hat{y}_{i}\right) & i = j \\ -\hat{y}_{i} \hat{y}_{j} & i \neq j \end{cases}"),
    (r"\frac{\partial L}{\partial z} = \begin{bmatrix} a \\ b \end{bmatrix}^T = (\hat{y} - y)^T",
     r"\left(\hat{y} - y\right)^{T}"),
    (r"\frac{\partial f}{\partial a} \Rightarrow \frac{mask}{1-p}", r"\frac{\mathrm{mask}}{1 - p}"),
]


@pytest.mark.parametrize("text, expected", CANONICAL)
def test_canonical_form(text: str, expected: str) -> None:
    assert render_latex(node=parse_math(text=text)) == expected


@pytest.mark.parametrize("text, _expected", CANONICAL)
def test_canonical_form_round_trips(text: str, _expected: str) -> None:
    node = parse_math(text=text)
    assert parse_math(text=render_latex(node=node)) == node


SHAPES = [
    (r"\hat y_i(\delta_{ij} - \hat y_j)", Mul),
    (r"\operatorname{diag}(\hat y) - \hat y \hat y^T", Sub),
    (r"\delta_{ij}", Delta),
    (r"\begin{cases} a & i = j \\ b & i \neq j \end{cases}", Piecewise),
    (r"\sum_k e^{z_k}", SumOver),
    (r"\mathbb{1}[i = j]", Indicator),
    (r"\frac{\partial L}{\partial y}", Derivative),
    ("A^T", Transpose),
    ("e^{z_i}", Pow),
    ("m_i", Index),
    (r"\sigma(z)", Call),
    (r"\frac{a}{b}", Div),
    ("mask", Sym),
]


@pytest.mark.parametrize("text, node_type", SHAPES)
def test_node_type(text: str, node_type: type) -> None:
    assert isinstance(parse_math(text=text), node_type)


def test_details_of_the_tree() -> None:
    node = parse_math(text=r"\text{softmax}(z)_i")
    assert node == Index(Call("softmax", (Sym("z"),)), (Sym("i"),))
    prod = parse_math(text=r"a \odot b")
    assert isinstance(prod, Mul) and prod.how == "odot"
    assert parse_math(text="a b").how == "implicit"  # type: ignore[union-attr]
    assert parse_math(text=r"\sigma'(x)") == Call("sigma", (Sym("x"),), 1)
    assert parse_math(text=r"\log x") == Call("log", (Sym("x"),))
    assert parse_math(text=r"\sum_{k=1}^{C} z_k").lo is not None  # type: ignore[union-attr]


NOT_MATH = [
    "",
    "   ",
    "i ≠ j",
    "__import__('os').system('touch /tmp/pwned')",
    "eval('1+1')",
    "lambda: 0",
    "().__class__.__bases__",
    "exec(\"print(1)\")",
    "open('/etc/passwd').read()",
    r"\input{/etc/passwd}",
    r"\begin{bmatrix} 1 & 2 \end{bmatrix}",
    "a +",
    "(a",
    "1" * 31,
    "{" * 100_000,
    "(" * 61 + "a" + ")" * 61,
    "a+" * 1500 + "a",
]


@pytest.mark.parametrize("text", NOT_MATH)
def test_refused_or_unreadable(text: str) -> None:
    with pytest.raises(MathParseError):
        parse_math(text=text)


def test_injection_is_never_executed(tmp_path) -> None:
    target = tmp_path / "pwned"
    for text in [f"__import__('os').system('touch {target}')", f"open('{target}', 'w')",
                 f"(lambda: __import__('os').system('touch {target}'))()"]:
        try:
            parse_math(text=text)
        except MathParseError:
            pass
    assert not target.exists()


def test_deep_nesting_is_refused_fast() -> None:
    import time

    start = time.process_time()
    for text in ["{" * 100_000, "{" * 5000 + "x" + "}" * 5000, "(" * 19_000, r"\frac{" * 3000]:
        with pytest.raises(MathParseError):
            parse_math(text=text)
    assert time.process_time() - start < 0.5


def test_thirty_digits_ok_thirty_one_refused() -> None:
    assert parse_math(text="1" * 30)
    with pytest.raises(MathParseError):
        parse_math(text="9" * 31)
