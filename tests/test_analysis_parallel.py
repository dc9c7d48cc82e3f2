"""The forked second process of large analyses (relmap/analysis/parallel.py): same bytes; a failure loses nothing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import relmap
from relmap.analysis import analyze, parallel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="the forked child runs on Linux with two cores or more")


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> relmap.ValueChain:
    """A 240-activity synthetic chain: above the re-runs' exact limit (200), so the sensitivity may go to the child;
    ranges, so the Monte Carlo draws do too."""
    path = synth.write(240, tmp_path_factory.mktemp("parallel") / "company.yaml", seed=3)
    return relmap.load(path)


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ACTIVITIES", 10)
    monkeypatch.delenv("RELMAP_WORKER", raising=False)


def _seen(monkeypatch: pytest.MonkeyPatch, replace: Any = None) -> list[object]:
    """Spy on :meth:`parallel.Forked.collect`: the values it gave (or ``replace``'s, when given)."""
    seen: list[object] = []
    original = parallel.Forked.collect

    def collect(self: parallel.Forked, timeout: float | None = None) -> object | None:
        value = original(self, timeout) if replace is None else replace(self)
        seen.append(value)
        return value

    monkeypatch.setattr(parallel.Forked, "collect", collect)
    return seen


@linux_only
def test_child_gives_the_bytes_of_the_sequential_analysis(chain: relmap.ValueChain, low_threshold: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With the child (draws, and re-runs shared with the parent) analysis.json is byte-identical to in-process."""
    seen = _seen(monkeypatch)
    with_child = analyze(chain, draws=300).to_json()
    assert len(seen) == 1 and isinstance(seen[0], dict) and set(seen[0]) == {"drawn", "units"}
    monkeypatch.setenv("RELMAP_WORKER", "0")
    alone = analyze(chain, draws=300).to_json()
    assert len(seen) == 1  # no child this time
    assert with_child == alone
    assert '"sensitivity": [' in alone and '"p10"' in alone


@linux_only
@pytest.mark.parametrize("how", ["dies", "raises"])
def test_failed_child_falls_back_to_in_process(chain: relmap.ValueChain, low_threshold: None,
                                               monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A child that dies or fails mid-job changes nothing: the parent computes in-process."""
    import relmap.analysis as engine

    monkeypatch.setenv("RELMAP_WORKER", "0")
    expected = analyze(chain, draws=200).to_json()
    monkeypatch.delenv("RELMAP_WORKER")
    parent, real = os.getpid(), engine._draws

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:  # only in the child
            if how == "dies":
                os._exit(7)
            raise RuntimeError("broken")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_draws", flaky)
    seen = _seen(monkeypatch)
    assert analyze(chain, draws=200).to_json() == expected
    assert seen == [None]


def test_small_chains_and_opt_out_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below MIN_ACTIVITIES, or with RELMAP_WORKER=0, no process is started (a fork is not free)."""
    monkeypatch.delenv("RELMAP_WORKER", raising=False)
    assert 30 < parallel.MIN_ACTIVITIES <= 300
    assert parallel.start(lambda: 1, parallel.MIN_ACTIVITIES - 1) is None
    monkeypatch.setenv("RELMAP_WORKER", "0")
    assert parallel.start(lambda: 1, 10 * parallel.MIN_ACTIVITIES) is None


def test_no_fork_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is not the way to start a process (macOS, Windows), the analysis stays in one process."""
    monkeypatch.delenv("RELMAP_WORKER", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.start(lambda: 1, 10 * parallel.MIN_ACTIVITIES) is None


@linux_only
def test_job_value_error_death_and_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """The job's value comes back; an exception, a dead child or a hung one give None, and the child is gone."""
    monkeypatch.delenv("RELMAP_WORKER", raising=False)
    n = parallel.MIN_ACTIVITIES
    ok = parallel.start(lambda: {"x": [1.5, 2.25]}, n)
    assert ok is not None and ok.collect() == {"x": [1.5, 2.25]}

    def boom() -> object:
        raise RuntimeError("boom")

    failed = parallel.start(boom, n)
    assert failed is not None and failed.collect() is None
    dead = parallel.start(lambda: os._exit(3), n)
    assert dead is not None and dead.collect() is None
    hung = parallel.start(lambda: time.sleep(60), n)
    assert hung is not None
    started = time.monotonic()
    assert hung.collect(timeout=0.5) is None
    assert time.monotonic() - started < 10
    assert not hung._process.is_alive()


def test_zero_arrays_travel_as_their_shape() -> None:
    """:func:`parallel.dumps`: a large array of zero bytes comes back equal, C-ordered, the same dtype and shape,
    from a pickle of a few bytes; an array with a -0.0 (non-zero bytes), a Fortran-ordered one, a small one and
    every other value travel as plain pickle does."""
    import pickle

    import numpy as np

    big = parallel.ZERO_ARRAY_BYTES // 8 * 3
    zeros = np.zeros((3, big // 3))
    signed = np.zeros(big)
    signed[-1] = -0.0
    fortran = np.asfortranarray(np.zeros((big // 3, 3)))
    ints = np.zeros((big, 2), dtype=np.int32)
    value = {"drawn": [zeros, signed, fortran, ints, np.zeros(10)], "units": {0: 1.5, 3: "x"}}
    data = parallel.dumps(value)
    assert len(data) < 3 * big * 8 + 1000  # zeros and ints were not written out; signed and fortran were
    back = pickle.loads(data)
    assert back["units"] == value["units"]
    for got, want in zip(back["drawn"], value["drawn"], strict=True):
        assert got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes()
        assert got.flags.c_contiguous == want.flags.c_contiguous
    assert len(parallel.dumps(zeros)) < 200
    assert len(parallel.dumps(signed)) > signed.nbytes
    assert len(parallel.dumps(fortran)) > fortran.nbytes


@linux_only
def test_child_dies_with_its_parent(tmp_path: Path) -> None:
    """A parent killed while its child works leaves no child behind (PR_SET_PDEATHSIG, watcher thread)."""
    import subprocess

    pid_file = tmp_path / "child.pid"
    code = (
        "import os, sys, time\n"
        "from relmap.analysis import parallel\n"
        "parallel.MIN_ACTIVITIES = 1\n"
        f"f = parallel.start(lambda: (open({str(pid_file)!r}, 'w').write(str(os.getpid())), time.sleep(60)), 5)\n"
        "assert f is not None\n"
        "time.sleep(60)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RELMAP_WORKER"}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(pid_file.read_text())
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by init, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.slow  # a 60-activity file with roles analysed twice, once through the second process
@linux_only
def test_with_roles_the_child_shares_the_exact_re_runs(tmp_path: Path, low_threshold: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With roles the re-runs are exact (they read the graph metrics): the child makes the draws, computes the
    metrics itself and shares the re-runs; same bytes as in one process."""
    chain = relmap.load(synth.write(60, tmp_path / "company.yaml", seed=4, roles=8))
    seen = _seen(monkeypatch)
    with_child = analyze(chain, draws=200).to_json()
    assert len(seen) == 1 and isinstance(seen[0], dict) and set(seen[0]) == {"drawn", "units"}
    monkeypatch.setenv("RELMAP_WORKER", "0")
    assert analyze(chain, draws=200).to_json() == with_child


@linux_only
def test_an_error_in_the_parent_stops_the_child(chain: relmap.ValueChain, low_threshold: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The analysis fails after the fork: the child is ended, not left waiting on its pipe."""
    import relmap.analysis as engine

    started: list[parallel.Forked] = []
    real_start = parallel.start

    def start(job: Any, activities: int) -> parallel.Forked | None:
        forked = real_start(job, activities)
        if forked is not None:
            started.append(forked)
        return forked

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("broken scenario")

    monkeypatch.setattr(parallel, "start", start)
    monkeypatch.setattr(engine, "_scenario", broken)
    with pytest.raises(RuntimeError, match="broken scenario"):
        analyze(chain, draws=200)
    assert len(started) == 1 and not started[0]._process.is_alive()
