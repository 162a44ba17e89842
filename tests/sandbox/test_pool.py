"""WorkerPool: time/memory limits by killing workers, crashes, concurrency, clean shutdown."""

from __future__ import annotations

import os
import pickle  # noqa: S403 - the test pickles payloads for the sandbox workers
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sandbox_probes as probes

from grader.sandbox import ArgumentNotAllowedError, Bounds, CallOutcome, WorkerPool, run_bounded
from grader.sandbox.safe_arguments import decode_arguments, encode_arguments

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _pid_gone(pid: int, *, wait: float = 2.0) -> bool:
    """True once /proc/<pid> is gone (not running, not a zombie)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(workers=1, bounds=Bounds(seconds=5, memory_mb=512)) as shared:
        yield shared


# -- ok values --------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    ["", "x² + 1", 0, -7, 2**100, 1.5, float("inf"), True, None, [1, [2, "a"]], (1, 2), {"a": {"b": [1.0]}}, b"\x00\xff"],
)
def test_plain_values_round_trip(pool, value):
    outcome = pool.run(fn=probes.echo, kwargs={"value": value})
    assert outcome == CallOutcome(status="ok", value=value, error=None, elapsed=outcome.elapsed)
    assert outcome.ok and outcome.elapsed >= 0


# -- time limit -------------------------------------------------------------
@pytest.mark.parametrize("fn", [probes.sleep_for, probes.spin])
def test_time_limit_kills_worker_and_pool_keeps_working(pool, fn):
    before = pool.run(fn=probes.my_pid, kwargs={}).value
    started = time.perf_counter()
    outcome = pool.run(fn=fn, kwargs={"seconds": 30}, bounds=Bounds(seconds=0.5, memory_mb=512))
    took = time.perf_counter() - started
    assert outcome.status == "time_limit"
    assert outcome.error == "time limit (0.5 s)"
    assert outcome.value is None
    assert took < 0.5 + 0.5
    assert _pid_gone(before), "timed-out worker must be killed and reaped"
    after = pool.run(fn=probes.add, kwargs={"a": 2, "b": 3})
    assert after.status == "ok" and after.value == 5
    assert pool.run(fn=probes.my_pid, kwargs={}).value != before


# -- memory limit -----------------------------------------------------------
@pytest.mark.parametrize("fn", [probes.allocate, probes.allocate_numpy])
def test_memory_limit(pool, fn):
    outcome = pool.run(fn=fn, kwargs={"megabytes": 4096}, bounds=Bounds(seconds=5, memory_mb=256))
    assert outcome.status == "memory_limit"
    assert outcome.error.startswith("memory limit (256 MB)")
    # the worker survives a MemoryError and a moderate allocation still works
    assert pool.run(fn=probes.allocate, kwargs={"megabytes": 50}).value == 50 * 1024 * 1024


def test_per_call_memory_bound_is_restored_afterwards(pool):
    small = Bounds(seconds=5, memory_mb=256)
    assert pool.run(fn=probes.allocate, kwargs={"megabytes": 300}, bounds=small).status == "memory_limit"
    # the pool default (512 MB) applies again to the next call on the same worker
    assert pool.run(fn=probes.allocate, kwargs={"megabytes": 300}).status == "ok"


# -- crashes ----------------------------------------------------------------
def test_exception_becomes_crashed_and_worker_stays(pool):
    pid = pool.run(fn=probes.my_pid, kwargs={}).value
    outcome = pool.run(fn=probes.divide, kwargs={"a": 1, "b": 0})
    assert outcome.status == "crashed"
    assert outcome.error == "crashed: ZeroDivisionError: division by zero"
    assert pool.run(fn=probes.divide, kwargs={"a": 1, "b": 4}).value == 0.25
    assert pool.run(fn=probes.my_pid, kwargs={}).value == pid


def test_error_message_is_bounded(pool):
    outcome = pool.run(fn=probes.raise_long_message, kwargs={})
    assert outcome.status == "crashed"
    assert outcome.error.startswith("crashed: ValueError: xxx")
    assert len(outcome.error) <= 300


@pytest.mark.parametrize(
    ("fn", "kwargs", "status", "error_part"),
    [
        (probes.die_by_signal, {"signum": int(signal.SIGSEGV)}, "crashed", "SIGSEGV"),
        (probes.die_by_signal, {"signum": int(signal.SIGKILL)}, "crashed", "SIGKILL, which the grader did not send"),
        (probes.exit_hard, {"code": 3}, "crashed", "code 3"),
        (probes.return_unpicklable, {}, "crashed", "could not be sent back"),
    ],
)
def test_worker_death_is_reported_and_replaced(pool, fn, kwargs, status, error_part):
    outcome = pool.run(fn=fn, kwargs=kwargs)
    assert outcome.status == status
    assert error_part in outcome.error
    assert pool.run(fn=probes.add, kwargs={"a": 1, "b": 1}).value == 2


def test_worker_ignores_sigint(pool):
    assert pool.run(fn=probes.sigint_ignored, kwargs={}).value is True


# -- argument checks --------------------------------------------------------
def test_rejects_disallowed_kwargs_and_local_functions(pool):
    with pytest.raises(ArgumentNotAllowedError):
        pool.run(fn=probes.echo, kwargs={"value": object()})
    with pytest.raises(ArgumentNotAllowedError):
        pool.run(fn=probes.echo, kwargs={"value": os.system})
    with pytest.raises(ArgumentNotAllowedError):
        pool.run(fn=probes.echo, kwargs={"value": lambda: 1})
    with pytest.raises(TypeError):
        pool.run(fn=lambda: 1, kwargs={})
    with pytest.raises(TypeError):
        pool.run(fn=probes.echo, kwargs=[("value", 1)])


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ({"a": [1, 2.0, "s", None, True, b"b"]}, True),
        ({"a": (1, (2, (3,))), "s": {1, 2}, "f": frozenset({"x"}), "c": 1 + 2j}, True),
        ({"a": Fraction(1, 3), "d": Decimal("0.1"), "p": Path("/tmp/x")}, True),
        ({"a": Bounds(seconds=2)}, True),  # a class from our own package
        ({"a": np.arange(6.0).reshape(2, 3), "s": np.float64(0.5), "i": np.int64(3)}, True),
        ({"a": object()}, False),
        ({"a": os.system}, False),  # a function, not a class
        ({"a": probes.echo}, False),  # function from outside grader.*
        ({"a": ValueError("x")}, False),
        ({"a": np.array([object()], dtype=object)}, False),
    ],
)
def test_argument_allow_list_table(value, allowed):
    if allowed:
        decoded = decode_arguments(data=encode_arguments(value=value))
        assert decoded.keys() == value.keys()
        for key in value:
            if isinstance(value[key], np.ndarray):
                assert np.array_equal(decoded[key], value[key])
            else:
                assert decoded[key] == value[key]
    else:
        with pytest.raises(ArgumentNotAllowedError):
            encode_arguments(value=value)


def test_our_objects_travel_to_the_worker(pool):
    bounds = Bounds(seconds=3, memory_mb=700)
    assert pool.run(fn=probes.echo, kwargs={"value": bounds}).value == bounds


def test_worker_side_decoder_refuses_functions_even_from_our_package():
    import grader.sandbox.pool as pool_module

    with pytest.raises(ArgumentNotAllowedError):
        decode_arguments(data=pickle.dumps(pool_module._run_in_process))
    with pytest.raises(ArgumentNotAllowedError):
        decode_arguments(data=pickle.dumps(os.system))
    with pytest.raises(ArgumentNotAllowedError):
        decode_arguments(data=b"cos\nsystem\n(S'true'\ntR.")  # classic protocol-0 exploit


def test_the_decoder_remembers_only_what_it_allowed():
    """find_class keeps the classes it resolved (each payload names the same few again): a refused global is never
    kept, and is refused again after the allowed ones were decoded."""
    from grader.sandbox import safe_arguments
    from grader.submissions import PartInput

    assert decode_arguments(data=encode_arguments(value=PartInput())) == PartInput()
    assert safe_arguments._allowed[("grader.submissions.inputs", "PartInput")] is PartInput
    for _ in range(2):
        with pytest.raises(ArgumentNotAllowedError):
            decode_arguments(data=pickle.dumps(os.system))
    assert all(where in safe_arguments.ALLOWED_GLOBALS or isinstance(found, type)
               for where, found in safe_arguments._allowed.items())
    assert ("posix", "system") not in safe_arguments._allowed


def test_too_deep_kwargs_rejected():
    value: list = []
    for _ in range(100_000):
        value = [value]
    with pytest.raises(ArgumentNotAllowedError):
        encode_arguments(value={"a": value})


# -- concurrency ------------------------------------------------------------
def test_two_workers_ten_jobs_results_in_call_order():
    with WorkerPool(workers=2, bounds=Bounds(seconds=5, memory_mb=512)) as two:
        jobs = [{"a": i, "b": 100 * i} for i in range(10)]
        with ThreadPoolExecutor(max_workers=2) as executor:
            outcomes = list(executor.map(lambda kw: two.run(fn=probes.add, kwargs=kw), jobs))
        assert [o.value for o in outcomes] == [101 * i for i in range(10)]
        assert all(o.status == "ok" for o in outcomes)


def test_two_workers_run_in_parallel_and_a_timeout_does_not_block_others():
    with WorkerPool(workers=2, bounds=Bounds(seconds=5, memory_mb=512)) as two:
        two.wait_ready()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as executor:
            hung = executor.submit(two.run, fn=probes.sleep_for, kwargs={"seconds": 30}, bounds=Bounds(seconds=1.0))
            quick = [executor.submit(two.run, fn=probes.sleep_for, kwargs={"seconds": 0.1}) for _ in range(4)]
            assert [f.result().value for f in quick] == ["woke"] * 4
            assert time.perf_counter() - started < 0.9, "other jobs must not wait for the hung one"
            assert hung.result().status == "time_limit"
        assert time.perf_counter() - started < 1.5


# -- shutdown ---------------------------------------------------------------
def test_no_processes_left_after_close():
    with WorkerPool(workers=2) as two:
        two.wait_ready()
        pids = two.worker_pids()
        assert len(pids) == 2 and all(os.path.exists(f"/proc/{pid}") for pid in pids)
        two.run(fn=probes.add, kwargs={"a": 1, "b": 2})
    assert all(_pid_gone(pid) for pid in pids)
    with pytest.raises(RuntimeError):
        two.run(fn=probes.add, kwargs={"a": 1, "b": 2})


def test_close_while_a_call_runs_returns_crashed_quickly():
    two = WorkerPool(workers=1)
    two.wait_ready()
    pid = two.worker_pids()[0]
    result: list[CallOutcome] = []
    runner = threading.Thread(target=lambda: result.append(two.run(fn=probes.sleep_for, kwargs={"seconds": 30})))
    runner.start()
    time.sleep(0.2)
    two.close()
    runner.join(timeout=3)
    assert not runner.is_alive()
    assert result[0].status == "crashed"
    assert _pid_gone(pid)


_INTERRUPT_SCRIPT = textwrap.dedent(
    """
    import multiprocessing.forkserver as forkserver
    import sys
    import sandbox_probes as probes
    from grader.sandbox import Bounds, WorkerPool

    if __name__ == "__main__":
        with WorkerPool(workers=2, bounds=Bounds(seconds=60)) as pool:
            pool.wait_ready()
            print(*pool.worker_pids(), forkserver._forkserver._forkserver_pid, flush=True)
            pool.run(fn=probes.sleep_for, kwargs={"seconds": 60})
    """
)


def test_keyboard_interrupt_in_parent_leaves_no_processes(tmp_path):
    script = tmp_path / "interrupt_me.py"
    script.write_text(_INTERRUPT_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 3, proc.stderr.read()
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "KeyboardInterrupt" in err
    assert all(_pid_gone(pid, wait=5) for pid in pids), "workers and forkserver must be gone"


# -- in-process mode, shared pool, preload -------------------------------------
@pytest.mark.parametrize(
    ("fn", "kwargs", "status", "value"),
    [
        (probes.add, {"a": 1, "b": 2}, "ok", 3),
        (probes.divide, {"a": 1, "b": 0}, "crashed", None),
        (probes.raise_memory_error, {}, "memory_limit", None),
    ],
)
def test_workers_zero_runs_in_process(fn, kwargs, status, value):
    with WorkerPool(workers=0) as inline:
        assert inline.worker_pids() == []
        outcome = inline.run(fn=fn, kwargs=kwargs)
    assert (outcome.status, outcome.value) == (status, value)


def test_run_bounded_uses_a_shared_pool():
    assert run_bounded(fn=probes.add, kwargs={"a": 4, "b": 5}, bounds=Bounds(seconds=5)).value == 9
    outcome = run_bounded(fn=probes.sleep_for, kwargs={"seconds": 10}, bounds=Bounds(seconds=0.3))
    assert outcome.status == "time_limit"
    assert run_bounded(fn=probes.my_pid, kwargs={}).value != os.getpid()


def test_preload_imports_modules_in_each_worker():
    with WorkerPool(workers=1, preload=("numpy",)) as warm, WorkerPool(workers=1) as cold:
        assert warm.run(fn=probes.modules_loaded, kwargs={"names": ["numpy"]}).value == {"numpy": True}
        assert cold.run(fn=probes.modules_loaded, kwargs={"names": ["numpy"]}).value == {"numpy": False}


def test_preload_failure_is_reported_not_raised():
    with WorkerPool(workers=1, preload=("no_such_module_xyz",)) as broken:
        outcome = broken.run(fn=probes.add, kwargs={"a": 1, "b": 2})
    assert outcome.status == "crashed"
    assert "no_such_module_xyz" in outcome.error


def test_bounds_validation():
    with pytest.raises(ValueError):
        Bounds(seconds=0)
    with pytest.raises(ValueError):
        Bounds(memory_mb=0)


def test_trivial_call_overhead_is_small(pool):
    pool.run(fn=probes.add, kwargs={"a": 0, "b": 0})
    times = []
    for i in range(200):
        started = time.perf_counter()
        pool.run(fn=probes.add, kwargs={"a": i, "b": 1})
        times.append(time.perf_counter() - started)
    times.sort()
    assert times[len(times) // 2] < 0.005  # target < 1 ms; loose bound against CI noise
