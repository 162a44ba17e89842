"""How the parent waits for a worker's reply (grader/sandbox/pool.py ``_wait_for_reply``), on a clock of its own.

Two moments a real run meets only by chance, made certain here with a fake monotonic clock and a fake pipe:
a reply that arrives as the limit passes (the waiting thread woke late), and the moment between a call's last
step and its reply, in a call that has run longer than a call without steps may.
"""

from __future__ import annotations

import time

import pytest

from grader.sandbox import pool as pool_module
from grader.sandbox import steps
from grader.sandbox.bounds import Bounds


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Pipe:
    """A worker's end as the parent sees it: ``poll(t)`` is True when the reply (due at ``arrives``) is there or
    comes within ``t``; else ``t`` seconds pass, and ``late`` more, as for a thread that wakes late. ``on_wait``
    is called with the time before each wait (the worker's side, announcing its steps)."""

    def __init__(self, clock: Clock, *, arrives: float, late: float = 0.0, on_wait=None) -> None:
        self.clock, self.arrives, self.late, self.on_wait = clock, arrives, late, on_wait
        self.polls: list[float] = []

    def poll(self, timeout: float) -> bool:
        self.polls.append(timeout)
        if self.clock.now >= self.arrives:
            return True
        if self.on_wait is not None:
            self.on_wait(self.clock.now)
        if self.arrives < self.clock.now + timeout:
            self.clock.now = self.arrives
            return True
        self.clock.now += timeout + self.late
        return False


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(pool_module.time, "monotonic", fake)
    return fake


@pytest.fixture
def shared(monkeypatch) -> list[float]:
    array = [0.0] * steps.SLOTS
    monkeypatch.setattr(steps, "_clock", array)
    return array


BOUNDS = Bounds(seconds=1.0, memory_mb=512)


def test_a_reply_that_came_as_the_limit_passed_is_taken(clock):
    # the reply comes as the call's 1 s passes, and the waiting thread wakes 0.3 s late: the call is over
    pipe = Pipe(clock, arrives=clock.now + 1.0, late=0.3)
    assert pool_module._wait_for_reply(conn=pipe, clock=[0.0] * steps.SLOTS, bounds=BOUNDS, total_seconds=None) is None
    assert pipe.polls == [1.0, 0]


def test_no_reply_by_the_limit_is_an_overrun(clock):
    pipe = Pipe(clock, arrives=float("inf"))
    reason = pool_module._wait_for_reply(conn=pipe, clock=[0.0] * steps.SLOTS, bounds=BOUNDS, total_seconds=None)
    assert reason == BOUNDS.time_reason()
    assert clock.now >= 1001.0


def test_a_long_call_sending_its_reply_after_its_last_step_is_not_killed(clock, shared):
    # 30 steps of 0.5 s each (15 s, past the call's 1 s without steps, within its 60 s cap), then the reply
    started = clock.now

    def worker(now: float) -> None:
        ran = now - started
        if ran < 15.0:
            if int(ran / 0.5) + 1 > shared[3]:
                steps.step(seconds=1.0)
        elif shared[3] > 0:
            steps.replying(seconds=10.0)

    pipe = Pipe(clock, arrives=started + 17.0, on_wait=worker)
    steps.step(seconds=1.0)
    assert pool_module._wait_for_reply(conn=pipe, clock=shared, bounds=BOUNDS, total_seconds=60.0) is None
    assert clock.now == started + 17.0


def test_a_reply_that_never_comes_after_the_last_step_is_stopped_with_its_reason(clock, shared):
    steps.step(seconds=1.0)
    steps.step(seconds=1.0)
    steps.replying(seconds=2.0)
    pipe = Pipe(clock, arrives=float("inf"))
    reason = pool_module._wait_for_reply(conn=pipe, clock=shared, bounds=BOUNDS, total_seconds=60.0)
    assert reason == "time limit (2 s) of sending the reply after step 2"


def test_a_call_without_steps_keeps_its_own_seconds_while_replying(clock, shared):
    steps.replying(seconds=10.0)  # announced no step: nothing runs, the call's 1 s bounds it
    assert steps.current_step(clock=shared) is None
    pipe = Pipe(clock, arrives=float("inf"))
    assert pool_module._wait_for_reply(conn=pipe, clock=shared, bounds=BOUNDS, total_seconds=None) == BOUNDS.time_reason()
    assert clock.now == pytest.approx(1001.0)


def test_a_worker_call_longer_than_its_seconds_in_steps_gets_its_slow_reply_through():
    # end to end: 1.5 s of steps (the call's own seconds are 1), then a reply that takes 0.6 s to send
    import sandbox_probes as probes

    from grader.sandbox import WorkerPool

    with WorkerPool(workers=1, bounds=BOUNDS) as pool:
        outcome = pool.run(fn=probes.steps_then_slow_reply, kwargs={"steps_run": 3, "seconds": 0.5}, total_seconds=30)
    assert (outcome.status, outcome.value, outcome.error) == ("ok", 7, None)


def test_the_next_call_of_a_worker_idle_since_a_reply_is_not_read_as_that_reply():
    # a call of steps, then the worker idles longer than its reply may take: the next call starts afresh
    import sandbox_probes as probes

    from grader.sandbox import WorkerPool

    with WorkerPool(workers=1, bounds=BOUNDS) as pool:
        first = pool.run(fn=probes.reply_seconds_then_a_step, kwargs={"seconds": 0.2}, total_seconds=30)
        time.sleep(0.6)
        outcomes = [pool.run(fn=probes.add, kwargs={"a": 1, "b": n}) for n in range(3)]
    assert (first.status, first.value) == ("ok", "stepped")
    assert [(o.status, o.value) for o in outcomes] == [("ok", 1), ("ok", 2), ("ok", 3)]
