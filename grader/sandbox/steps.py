"""Steps of one bounded call, each with its own wall-clock seconds.

A job that runs several checks in one worker call (all the parts of a submission)
announces each with :func:`step`; the parent, which waits for the call, reads the
current step from a small shared array and kills the worker when that step overruns
its own seconds, so one runaway check is stopped as soon as it would have been in a
call of its own.  Outside a worker (``workers=0``) :func:`step` does nothing.

When such a call returns, the worker sends its reply as a last step of its own
(:func:`replying`): the call may have run longer than a call without steps may, and the
parent must not take the moment between its last check and its reply for an overrun. Once
the reply is sent the worker clears it (:func:`reset`): an idle worker runs no step.

The array is ``[sequence, started, seconds, steps]``: the worker bumps ``sequence``
to an odd number, writes, and bumps it back to even (a seqlock), so the parent never
pairs one step's start with another step's seconds.  ``steps`` is negative while the
reply is sent (minus the number of steps the call ran).
"""

from __future__ import annotations

import time
from typing import Any

SLOTS = 4
_clock: Any = None  # this worker's shared array, set by the worker at start


def attach(*, clock: Any) -> None:
    global _clock
    _clock = clock


def _write(started: float, seconds: float, steps: float) -> None:
    clock = _clock
    clock[0] += 1
    clock[1], clock[2], clock[3] = started, seconds, steps
    clock[0] += 1


def bounded() -> bool:
    """Whether this process is a bounded worker (its calls' steps are watched)."""
    return _clock is not None


def step(*, seconds: float) -> None:
    """A new step starts now and may run ``seconds`` of wall-clock time."""
    if _clock is not None:
        _write(time.monotonic(), float(seconds), _clock[3] + 1)


def replying(*, seconds: float) -> None:
    """The call returned and its reply is being sent, which may take ``seconds``: a step of its own when the
    call announced steps, else nothing is running (the call's own seconds still bound it)."""
    if _clock is None:
        return
    ran = _clock[3]
    if ran > 0:
        _write(time.monotonic(), float(seconds), -ran)
    else:
        reset()


def reset() -> None:
    """No step is running (between calls)."""
    if _clock is not None:
        _write(0.0, 0.0, 0.0)


def current_step(*, clock: Any) -> tuple[float, float, int] | None:
    """(monotonic start, seconds, number of steps so far) of the running step, or None when the
    call announced none; read by the parent. The number is negative while the reply is sent (:func:`replying`)."""
    for _ in range(100):
        before = clock[0]
        started, seconds, steps = clock[1], clock[2], clock[3]
        if before == clock[0] and int(before) % 2 == 0:
            return (started, seconds, int(steps)) if steps else None
    return None
