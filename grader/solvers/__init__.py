"""NumPy reference solvers.

A part's reference may be computed by a solver from the problem's parameters
(and, for multi-step problems, from the values of earlier steps).  Importing
this package registers the built-in solvers; problem files name them as
``module.function`` (for example ``softmax.softmax``; ``grade solvers`` lists
them).  Assignment folders may add their own (:mod:`grader.solvers.local`).
"""

from grader.solvers.registry import SolverError, get_solver, known_solvers, solver

# Register the built-in solvers (import for side effect).
from grader.solvers import backprop, conv, dropout, softmax  # noqa: F401,E402
from grader.solvers import activations, convolution, layers, pooling, tensors  # noqa: F401,E402

__all__ = ["SolverError", "get_solver", "known_solvers", "solver"]
