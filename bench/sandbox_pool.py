"""Measure the worker pool: per-call overhead, worker start-up, recovery after a timeout kill.

Run from the repository root: python bench/sandbox_pool.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the probe functions must be importable by name in the worker processes too
sys.path[:0] = [str(REPO), str(REPO / "tests" / "sandbox")]

import sandbox_probes as probes  # noqa: E402

from grader.sandbox import Bounds, WorkerPool  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def measure(*, preload: tuple[str, ...]) -> None:
    label = f"preload={preload or '()'}"
    started = time.perf_counter()
    with WorkerPool(workers=1, bounds=Bounds(seconds=5), preload=preload) as pool:
        (inside,) = pool.wait_ready()
        ready = time.perf_counter() - started
        print(f"[{label}] pool created -> worker ready: {_ms(ready)} (imports inside worker {_ms(inside)})")
        times = []
        for i in range(2000):
            t0 = time.perf_counter()
            pool.run(fn=probes.add, kwargs={"a": i, "b": 1})
            times.append(time.perf_counter() - t0)
        times.sort()
        print(f"[{label}] trivial run(): median {_ms(statistics.median(times))}, "
              f"p95 {_ms(times[int(len(times) * 0.95)])}, max {_ms(times[-1])}")
        recoveries = []
        for _ in range(5):
            outcome = pool.run(fn=probes.spin, kwargs={"seconds": 10}, bounds=Bounds(seconds=0.2))
            assert outcome.status == "time_limit"
            t0 = time.perf_counter()
            assert pool.run(fn=probes.add, kwargs={"a": 1, "b": 1}).value == 2
            recoveries.append(time.perf_counter() - t0)
        print(f"[{label}] time_limit at 0.2 s: outcome.elapsed {_ms(outcome.elapsed)}; "
              f"next call after kill (replacement start + call): median {_ms(statistics.median(recoveries))}, "
              f"max {_ms(max(recoveries))}")


if __name__ == "__main__":
    measure(preload=())
    measure(preload=("numpy",))
    measure(preload=("numpy", "sympy"))
