"""Functions a worker runs to die in a given way (tests/reliability/test_identity_and_escaping.py)."""

from __future__ import annotations

import os
import signal
import time


def die_by(*, signum: int) -> None:
    os.kill(os.getpid(), signum)
    time.sleep(5)


def sleep_for(*, seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def allocate(*, megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


SIGNALS = {"kill": signal.SIGKILL, "segv": signal.SIGSEGV}
