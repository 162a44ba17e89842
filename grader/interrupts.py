"""Interrupts while reports are written: SIGTERM is handled like Ctrl-C (so clean-up code runs), and a few
steps (the swap of a report set) run with both signals held back until they are done."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = {signal.SIGINT, signal.SIGTERM}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """For the block, SIGTERM raises KeyboardInterrupt in the main thread (elsewhere: nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM that arrive during the block are acted on after it (KeyboardInterrupt then).

    Python runs signal handlers in the main thread whichever thread the signal reached, so the handlers are
    swapped for ones that only take note (a signal mask would be per thread). Outside the main thread nothing
    changes: signals never interrupt other threads' Python code."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: noted.append(signum)) for signum in _HELD}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if noted:
            handler = previous[noted[0]]
            if callable(handler):
                handler(noted[0], None)
            elif handler == signal.SIG_DFL:
                raise KeyboardInterrupt(f"signal {signal.Signals(noted[0]).name}")
