"""Eval-free parsing of homework LaTeX into a typed tree, its NumPy interpreter
and (lazily) its SymPy form.

Public API::

    parse_math(*, text: str) -> Node          # raises MathParseError
    render_latex(*, node: Node) -> str
    evaluate(*, node: Node, env: EvalEnv) -> np.ndarray   # raises EvalError
    validate_tree(*, node, allowed_symbols, allowed_functions=FUNCTIONS) -> ValidationReport
    to_sympy(*, node, shapes) -> sympy.Expr   # grader.mathparse.to_sympy (imports sympy)
"""

from grader.mathparse.errors import MathParseError
from grader.mathparse.nodes import Node
from grader.mathparse.parse import parse_math
from grader.mathparse.render import render_latex

__all__ = ["MathParseError", "Node", "parse_math", "render_latex"]
