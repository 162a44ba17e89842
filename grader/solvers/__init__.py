"""NumPy reference solvers.

Every numeric reference answer of a problem is computed by a solver registered
here, from the problem's parameters (and, for multi-step problems, from the
values of earlier steps), never typed into a problem file by hand.

Importing this package registers the built-in solvers; problem files name them
as ``module.function`` (for example ``softmax.softmax``).
"""

from grader.solvers.registry import SolverError, get_solver, known_solvers, solver

# Register the built-in solvers (import for side effect).
from grader.solvers import backprop, conv, dropout, softmax  # noqa: F401,E402
from grader.solvers import activations, convolution, layers, pooling, tensors  # noqa: F401,E402

__all__ = ["SolverError", "get_solver", "known_solvers", "solver"]
