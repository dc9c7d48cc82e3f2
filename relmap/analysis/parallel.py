"""Parts of a large analysis computed in a forked second process while the first one does the rest.

Why: at 10,000 activities the Monte Carlo's draws and the re-runs of the
sensitivity and the trajectories take about as long as the structure and the
scenarios together, and none of them needs the scenarios' results: the draws
need only the facts and the allocation's supplier groups
(:func:`relmap.analysis.uncertainty.draw_monte_carlo`), and each re-run is a
pure function of the facts, the graph and (exact re-runs) its metrics.
:func:`start` forks a child as the analysis starts; it runs the job (it
builds the facts, the graph and the re-runs from the same chain with the same
functions as the first process: the same bits) and sends its pickled value
back through a pipe; :meth:`Forked.collect` reads it when the first
process needs it. The re-runs are independent units that both processes
claim one at a time (:class:`Claims`), so both end about together whatever
else each had to do first.

Nothing depends on the child: :func:`start` returns ``None`` — the caller
computes in-process — below :data:`MIN_ACTIVITIES` activities (a fork and a
pipe are not free), on a single core, where ``fork`` is not the platform's
safe way to start a process (macOS and Windows use ``spawn``, which would
import and load everything again), inside a daemonic process (which may not
have children: a worker of ``relmap portfolio``), with ``RELMAP_WORKER=0``, or
when no process can be started. :meth:`Forked.collect` returns ``None`` when
the child failed, died or did not answer in time; the caller then computes
in-process, so results and error messages are those of the sequential path.

The child never outlives its parent nor holds the caller's output (the
mechanisms of the chart worker, :mod:`relmap.render.worker`): its stdout and
stderr point at ``/dev/null``; Linux kills it when the parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``) and a watcher thread ends it once it
has been re-parented; it ignores Ctrl-C (the parent's to handle); and the
parent kills it when it gives up waiting (:meth:`Forked.stop`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = ["MIN_ACTIVITIES", "Claims", "Forked", "can_fork", "dumps", "share", "start"]

#: from this many activities a second process pays for itself (below, the fork's cost is about what it saves;
#: the measurements are in ``bench/RESULTS.md``)
MIN_ACTIVITIES = 100
#: seconds the parent waits for the child at least, and as a multiple of its own time since the fork
#: (the child's share of the work is about the parent's: a child slower than this is stuck or starved)
MIN_WAIT = 60.0
WAIT_FACTOR = 4.0
#: seconds between two looks of the watcher thread at the parent process
WATCH_INTERVAL = 0.2
#: seconds a process waits for the other to hand out the next number (:meth:`Claims.claim`); only a process
#: stopped in the middle of :meth:`Claims.claim` makes the other wait that long
CLAIM_WAIT = 5.0
#: Linux ``prctl`` option: the signal sent to this process when its parent dies
PR_SET_PDEATHSIG = 1
#: bytes from which an array of zeros travels as its shape and type (:func:`dumps`)
ZERO_ARRAY_BYTES = 1 << 20


def available(activities: int) -> bool:
    """Whether a forked child would help here (see the module docstring for each condition)."""
    return activities >= MIN_ACTIVITIES and can_fork()


def can_fork() -> bool:
    """Whether a forked child can run beside this process: the conditions of :func:`available` but the size."""
    if os.environ.get("RELMAP_WORKER", "").strip() == "0":
        return False
    if (os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"):
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False  # pragma: no cover - Linux always has fork
    return not multiprocessing.current_process().daemon


def start(job: Callable[[], object], activities: int) -> Forked | None:
    """A child computing ``job()`` from now on, or ``None`` when it would not help or cannot start."""
    if not available(activities):
        return None
    try:
        return Forked(job)
    except (OSError, ValueError, RuntimeError):  # pragma: no cover - no process could be started
        return None


class Claims:
    """The numbers ``0, 1, 2 …``, each handed out once, to whichever process asks first: how a parent and its
    forked child share a list of independent pieces of work (each computes the pieces it claimed).

    Made before the fork (a counter in shared memory, behind a lock), with the number of pieces ``n`` or without
    it (each process then gives it to :meth:`claim`: both build the same list after the fork). Which process
    computes a piece changes nothing when every piece is a pure function of data both processes hold; the parent
    computes the pieces its child claimed but did not send back (:meth:`Forked.collect` gave ``None``).
    """

    def __init__(self, n: int | None = None) -> None:
        self.n = n
        self._next = multiprocessing.get_context("fork").Value("q", 0)

    def claim(self, n: int | None = None) -> int | None:
        """The next number below ``n`` (default: the one given when made) not handed out yet, or ``None`` when all
        are (or the other process holds the lock for more than :data:`CLAIM_WAIT` seconds: the caller then stops
        claiming)."""
        limit = self.n if n is None else n
        if limit is None:
            raise ValueError("Claims.claim needs the number of pieces")
        lock = self._next.get_lock()
        if not lock.acquire(timeout=CLAIM_WAIT):
            return None  # pragma: no cover - the other process stopped inside claim
        try:
            k = int(self._next.value)
            if k >= limit:
                return None
            self._next.value = k + 1
            return k
        finally:
            lock.release()


class Forked:
    """One forked child running one job; :meth:`collect` gives its value (or ``None``: compute it in-process)."""

    def __init__(self, job: Callable[[], object]) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe(duplex=False)
        self._started = time.monotonic()
        self._process = context.Process(target=_serve, args=(job, theirs, os.getpid(), self._conn.fileno()),
                                        daemon=True, name="relmap-analysis")
        self._process.start()
        theirs.close()

    def receive(self, timeout: float | None = None) -> object | None:
        """The next value the job sent with :func:`share` (the child goes on), or its final value (the child
        is then done); ``None`` when the child failed, died or took longer than ``timeout`` seconds (as
        :meth:`collect`; the child is then stopped)."""
        if timeout is None:
            timeout = max(MIN_WAIT, WAIT_FACTOR * (time.monotonic() - self._started))
        try:
            if self._conn.poll(timeout):
                answer = pickle.loads(self._conn.recv_bytes())
                if isinstance(answer, tuple) and len(answer) == 2 and answer[0] in ("part", "ok"):
                    value: object = answer[1]
                    if answer[0] == "ok":
                        self.stop(now=False)
                    return value
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            pass
        self.stop()
        return None

    def collect(self, timeout: float | None = None) -> object | None:
        """The job's value; ``None`` when the child failed, died or took longer than ``timeout`` seconds
        (default: :data:`MIN_WAIT`, or :data:`WAIT_FACTOR` × the time since the fork when longer)."""
        if timeout is None:
            timeout = max(MIN_WAIT, WAIT_FACTOR * (time.monotonic() - self._started))
        value: object | None = None
        try:
            if self._conn.poll(timeout):
                answer = pickle.loads(self._conn.recv_bytes())
                if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "ok":
                    value = answer[1]
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            value = None
        self.stop(now=value is None)
        return value

    def stop(self, *, now: bool = True) -> None:
        """Close the pipe and end the child (at once when ``now``: nothing is lost, it writes no file)."""
        with contextlib.suppress(OSError):
            self._conn.close()
        if now and self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)
        if self._process.is_alive():  # pragma: no cover - a child that ignores SIGKILL does not exist
            self._process.kill()
            self._process.join(timeout=5)


#: in a forked child: the pipe to its parent (:func:`share`)
_channel: Connection | None = None


def share(value: object) -> None:
    """In a forked child's job: send ``value`` to the parent now (:meth:`Forked.receive`); the job goes on."""
    if _channel is not None:
        _channel.send_bytes(pickle.dumps(("part", value), protocol=pickle.HIGHEST_PROTOCOL))


def _serve(job: Callable[[], object], conn: Connection, parent: int, inherited: int) -> None:
    """The child: detach, run the job, send ``("ok", value)`` (or ``("error", text)``), exit."""
    global _channel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it then stops us
    detach(parent, [inherited], name="relmap-analysis-watch")
    _channel = conn
    try:
        answer: tuple[str, Any] = ("ok", job())
        data = dumps(answer)
    except Exception as exc:  # the parent computes in-process and reports the real error
        data = pickle.dumps(("error", repr(exc)))
    with contextlib.suppress(OSError, ValueError):
        conn.send_bytes(data)
        conn.close()


class _Pickler(pickle.Pickler):
    """A pickler that writes a large numpy array whose bytes are all zero as ``numpy.zeros(shape, dtype)``."""

    def reducer_override(self, obj: Any) -> Any:
        if (type(obj) is np.ndarray and obj.nbytes >= ZERO_ARRAY_BYTES and obj.flags.c_contiguous
                and not obj.dtype.hasobject and not obj.view(np.uint8).any()):
            return np.zeros, (obj.shape, obj.dtype)
        return NotImplemented


def dumps(value: object) -> bytes:
    """``pickle.dumps(value)`` (highest protocol), except that a C-ordered numpy array of at least
    :data:`ZERO_ARRAY_BYTES` whose every byte is zero is written as the call ``numpy.zeros(shape, dtype)``: the
    same array (C order, the same bits) once loaded, without its bytes going through the pipe. Why: the Monte
    Carlo's draws hold a groups × draws array of zeros when nothing reads it (80 MB at 10,000 activities with
    roles), which the child would otherwise write and the parent read back."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def detach(parent: int, inherited: list[int], *, name: str) -> None:
    """In a forked child: die with ``parent``; hold neither the ``inherited`` pipe ends nor the caller's output.

    Stdout and stderr point at ``/dev/null``; on Linux the kernel kills this
    process when ``parent`` dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); on
    every platform a watcher thread called ``name`` ends it once ``parent`` is
    gone. Used by this module's child and by the chart worker (``render/worker.py``).
    """
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (1, 2):
            os.dup2(null, fd)
        os.close(null)
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        # the running program's symbols hold libc's (ctypes.util.find_library would start ldconfig in each child)
        libc = ctypes.CDLL(None, use_errno=True)
        if not hasattr(libc, "prctl"):  # pragma: no cover - a libc loaded apart from the program
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)
    threading.Thread(target=_watch_parent, args=(parent,), name=name, daemon=True).start()


def _watch_parent(parent: int) -> None:
    """End this process as soon as ``parent`` is no longer its parent (it died: we were re-parented)."""
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(0)
