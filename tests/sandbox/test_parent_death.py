"""Issue 14, item 4: workers never outlive the run, even when the main process is killed outright
(no cleanup runs then): a worker busy with a runaway check is gone within seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

_SCRIPT = textwrap.dedent(
    """
    import sandbox_probes as probes
    from grader.sandbox import Bounds, WorkerPool

    if __name__ == "__main__":
        with WorkerPool(workers=2, bounds=Bounds(seconds=600)) as pool:
            pool.wait_ready()
            print(*pool.worker_pids(), flush=True)
            pool.run(fn=probes.sleep_for, kwargs={"seconds": 600})
    """
)


def _gone(pid: int, *, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if state == "Z":  # dead, waiting for its (dying) parent to reap it
            return True
        time.sleep(0.05)
    return False


def test_workers_die_with_the_main_process(tmp_path):
    script = tmp_path / "killed_main.py"
    script.write_text(_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2, proc.stderr.read()
        time.sleep(0.5)  # one worker is now inside its 600-second check
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert all(_gone(pid, wait=10) for pid in pids), "a worker outlived the main process"
