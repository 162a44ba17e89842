"""Module-level functions the sandbox tests run inside workers (picklable by reference)."""

from __future__ import annotations

import os
import signal
import time


def add(*, a: int, b: int) -> int:
    return a + b


def echo(*, value: object) -> object:
    return value


def sleep_for(*, seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def spin(*, seconds: float) -> int:
    end = time.monotonic() + seconds
    count = 0
    while time.monotonic() < end:
        count += 1
    return count


def allocate(*, megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def allocate_numpy(*, megabytes: int) -> int:
    import numpy as np

    array = np.ones(megabytes * 1024 * 1024 // 8)
    return int(array.size)


def divide(*, a: int, b: int) -> float:
    return a / b


def raise_long_message() -> None:
    raise ValueError("x" * 10_000)


def die_by_signal(*, signum: int) -> None:
    os.kill(os.getpid(), signum)
    time.sleep(5)


def exit_hard(*, code: int) -> None:
    os._exit(code)


def return_unpicklable() -> object:
    return lambda: None


def my_pid() -> int:
    return os.getpid()


def modules_loaded(*, names: list[str]) -> dict[str, bool]:
    import sys

    return {name: name in sys.modules for name in names}


def sigint_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def raise_memory_error() -> None:
    raise MemoryError("simulated")


class _SlowToSend:
    """A reply whose pickling takes a while (a large result would)."""

    def __reduce__(self) -> tuple[type, tuple[int]]:
        time.sleep(0.6)
        return (int, (7,))


def steps_then_slow_reply(*, steps_run: int, seconds: float) -> object:
    """``steps_run`` steps of ``seconds`` each (each within its 1 s), then a reply slow to send."""
    from grader.sandbox import steps

    for _ in range(steps_run):
        steps.step(seconds=1.0)
        time.sleep(seconds)
    return _SlowToSend()


def reply_seconds_then_a_step(*, seconds: float) -> str:
    """This worker's replies after a call of steps may take ``seconds`` from now on; then one step."""
    from grader.sandbox import steps, worker_main

    worker_main.REPLY_SECONDS = seconds
    steps.step(seconds=5.0)
    return "stepped"
