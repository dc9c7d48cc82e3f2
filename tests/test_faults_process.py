"""Issue #17: the process and its environment — the chart worker dies with relmap, environment errors are exit 1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from quick import first_quick

ROOT = Path(__file__).resolve().parent.parent
HOTEL = ROOT / "examples" / "hotel-group" / "company.yaml"
RELMAP = [sys.executable, "-m", "relmap"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the worker")
@pytest.mark.parametrize("sig", first_quick([signal.SIGKILL, signal.SIGTERM], 1))
def test_worker_dies_with_its_parent_and_releases_the_output(sig: int, tmp_path: Path) -> None:
    """Kill relmap (only relmap) while the worker runs: the worker is gone and stdout/stderr reach EOF."""
    env = {**os.environ, "RELMAP_WORKER": "1"}
    proc = subprocess.Popen([*RELMAP, "analyze", str(HOTEL), "-o", str(tmp_path / "out")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.02)
    if not workers:
        proc.communicate(timeout=120)
        pytest.skip("no worker was started (single core?)")
    os.kill(proc.pid, sig)
    proc.communicate(timeout=20)  # EOF on both pipes: nobody holds them any more (a TimeoutExpired fails)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "the chart worker outlived relmap"


def test_worker_does_not_write_to_the_callers_output() -> None:
    """The worker's stdout and stderr are /dev/null: whatever it prints never reaches the caller."""
    code = ("import os, sys\nfrom relmap.analysis.parallel import detach\n"
            "r, w = os.pipe()\npid = os.fork()\n"
            "if pid == 0:\n    detach(os.getppid(), [], name='watch')\n    print('LEAK'); sys.stdout.flush()\n"
            "    os.write(2, b'LEAK2')\n    os._exit(0)\n"
            "os.waitpid(pid, 0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "LEAK" not in done.stdout + done.stderr
