"""The exact judge's budget: steps, deterministic, and a CPU-time deadline as a backstop (grader.mathparse.exact)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from grader.mathparse.errors import ExactError

MAX_STEPS = 60_000
TIME_BOUND = "the exact evaluation ran past its time budget"  # the message of the CPU-time backstop
CLOCK_EVERY = 16       # steps between two readings of the clock (a reading costs as much as a few steps)


@dataclass
class ExactBudget:
    """Steps left and the deadline in CPU time of this process (time.process_time(): other processes on a loaded
    machine do not move it) shared by every evaluation of one check."""

    steps: int = MAX_STEPS
    deadline: float = math.inf
    _unclocked: int = field(default=CLOCK_EVERY, repr=False, compare=False)   # steps since the clock was read

    def spend(self, cost: int = 1) -> None:
        """Deterministic work first (the verdict must not depend on the machine's load), the clock as a backstop:
        read at the first step, then once CLOCK_EVERY steps have been spent since it last was (at once for a larger
        spend, such as an expansion's), so a check overruns its deadline by fewer than CLOCK_EVERY single steps."""
        self.steps -= cost
        if self.steps < 0:
            raise ExactError("bound", "the exact evaluation needs too many steps")
        self._unclocked += cost
        if self._unclocked >= CLOCK_EVERY and self.deadline != math.inf:
            self._unclocked = 0
            if time.process_time() > self.deadline:
                raise ExactError("bound", TIME_BOUND)
