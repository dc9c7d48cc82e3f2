"""Many graphs laid out by one Graphviz process, each answered as soon as it is done.

Why: the deck's value chains measure their nodes (``dot -Tjson0``) in several rounds; each new Graphviz process
loads its plugins and fonts again, about as much CPU as the measuring itself. Graphviz reads graph after graph
from its input and writes each one's output after it, so one process serves every round.

Only what does not depend on the graphs laid out before goes through a stream: node sizes do, but not ``neato``'s
routes (its router keeps state from one graph to the next: the deck's routes came out different from run to
run), which keep a process per batch (:func:`relmap.report.deck_chain.routes`).

Its output to a pipe is buffered, though: a graph's last bytes would wait for the next graph or the end. So each
batch is followed by a flush graph, ``relmap_flush``, whose output (graph attributes only, :data:`FLUSH_BYTES`
of them) is larger than any output buffer: everything before it is then written out. Its JSON object also marks
the end of the batch: a graph Graphviz gave no output for (it failed) is noticed there, not by waiting.

Only the JSON formats are streamed (each graph is one JSON object, read with :meth:`json.JSONDecoder.raw_decode`).
Where pipes cannot be waited on (Windows) or the process fails, the caller runs Graphviz once per batch as before
(:func:`laid_out`); a failed process is not used again.
"""

from __future__ import annotations

import codecs
import json
import os
import selectors
import shutil
import subprocess
import threading
import time
from typing import Any

from .svg import DOT_TIMEOUT, json_graphs, node_sizes, run_dot, too_long

__all__ = ["FLUSH_NAME", "GraphvizStream", "close_streams", "laid_out", "measure_streamed"]

#: the name of the graph that pushes a batch's output out of Graphviz's buffer and ends the batch
FLUSH_NAME = "relmap_flush"
#: bytes of attributes in the flush graph: more than a C library's output buffer (4 KiB to 64 KiB)
FLUSH_BYTES = 72_000
_CHUNK = 8000  # Graphviz refuses a quoted string over 16,384 characters
_FLUSH = (f"digraph {FLUSH_NAME} {{ graph [" + ", ".join(f'pad{i}="{"x" * _CHUNK}"'
                                                          for i in range(FLUSH_BYTES // _CHUNK)) + "]; }\n")


class StreamFailed(Exception):
    """The stream cannot answer (Graphviz ended, or gave no output for a graph): run Graphviz once instead, whose
    error, if any, is the one the user reads."""


class GraphvizStream:
    """One Graphviz process (``engine``, ``-T<fmt>``, a JSON format) that lays out batch after batch."""

    def __init__(self, engine: tuple[str, ...], fmt: str) -> None:
        exe = shutil.which(engine[0])
        if exe is None:
            raise StreamFailed(engine[0])
        self.engine, self.pid = engine, os.getpid()
        self.process = subprocess.Popen([exe, *engine[1:], f"-T{fmt}"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.text = ""
        self._decode = codecs.getincrementaldecoder("utf-8")("replace")
        self._json = json.JSONDecoder()
        self.broken = False
        #: batches sent, and flush graphs read whole (each batch ends with one)
        self.batches = self.flushed = 0

    def run(self, sources: list[str], timeout: float = DOT_TIMEOUT) -> list[Any]:
        """Graphviz's output for each graph of ``sources`` (DOT, one graph each), parsed JSON, in order.

        Raises:
            StreamFailed: Graphviz ended or gave no output for a graph.
            RenderError: it took more than ``timeout`` s (:func:`relmap.render.svg.too_long`).
            The stream is then closed (``broken``).
        """
        if self.broken:
            raise StreamFailed("closed")
        try:
            return self._run(sources, timeout)
        except BaseException:
            self.close(kill=True)
            raise

    def _run(self, sources: list[str], timeout: float) -> list[Any]:
        proc = self.process
        assert proc.stdin is not None and proc.stdout is not None
        data = memoryview(("".join(sources) + _FLUSH).encode("utf-8"))
        self.batches += 1
        found: list[Any] = []
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            os.set_blocking(proc.stdin.fileno(), False)
            sel.register(proc.stdin, selectors.EVENT_WRITE)
            sel.register(proc.stdout, selectors.EVENT_READ)
            sent = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise too_long(timeout)
                for key, _events in sel.select(left):
                    if key.fileobj is proc.stdin:
                        try:
                            sent += os.write(proc.stdin.fileno(), data[sent:sent + 65536])
                        except BlockingIOError:
                            continue
                        except OSError as exc:  # Graphviz ended
                            raise StreamFailed(str(exc)) from None
                        if sent >= len(data):
                            sel.unregister(proc.stdin)
                            if len(found) == len(sources):
                                return found
                    else:
                        chunk = os.read(proc.stdout.fileno(), 1 << 16)
                        if not chunk:
                            raise StreamFailed("ended")
                        new = self._decode.decode(chunk)
                        self.text += new
                        # an object can only have ended where a read ends on a closing brace (Graphviz writes
                        # each graph out whole) or once the flush graph has begun (all before it is out): JSON is
                        # parsed then only, not again at every read
                        if (new.rstrip().endswith("}") or FLUSH_NAME in self.text[-len(new) - 40:]) \
                                and self._objects(found, len(sources)) and sent >= len(data):
                            return found  # (the whole batch written: the next one must not land in its flush)

    def _objects(self, found: list[Any], wanted: int) -> bool:
        """Take the complete JSON objects read so far (flush graphs skipped); True once the batch's ``wanted``
        graphs are in.

        Raises:
            StreamFailed: this batch's flush graph began before every graph of the batch was out (Graphviz gave
                no output for one).
        """
        text, at = self.text, 0
        while len(found) < wanted:
            while at < len(text) and text[at].isspace():
                at += 1
            if at >= len(text):
                break
            try:
                graph, end = self._json.raw_decode(text, at)
            except json.JSONDecodeError:  # not all read yet: is it this batch's flush graph already?
                if text[at] != "{":  # not JSON at all (a foreign program): the one-shot run says so at once
                    raise StreamFailed("not JSON") from None
                if FLUSH_NAME in text[at:at + 200] and self.flushed == self.batches - 1:
                    raise StreamFailed(f"no output for {wanted - len(found)} of {wanted} graphs") from None
                break
            at = end
            if isinstance(graph, dict) and graph.get("name") == FLUSH_NAME:
                self.flushed += 1
                if self.flushed == self.batches and len(found) < wanted:
                    raise StreamFailed(f"no output for {wanted - len(found)} of {wanted} graphs")
                continue
            found.append(graph)
        self.text = text[at:]
        return len(found) == wanted

    def close(self, *, kill: bool = False) -> None:
        """End the process (its input closed; ``kill``: at once)."""
        self.broken = True
        if self.pid != os.getpid():  # a forked child's copy: the process is its parent's
            return
        for pipe in (self.process.stdin, self.process.stdout):  # its output unread: it must not wait to write
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - Graphviz stuck on its last graph
            self.process.kill()
            self.process.wait()


_local = threading.local()
_open: list[GraphvizStream] = []
_lock = threading.Lock()


def _stream(engine: tuple[str, ...], fmt: str) -> GraphvizStream:
    """This thread's stream for ``engine`` and ``fmt`` (a new one after a fork or a failure)."""
    streams: dict[tuple[tuple[str, ...], str], GraphvizStream] = _local.__dict__.setdefault("streams", {})
    stream = streams.get((engine, fmt))
    if stream is None or stream.broken or stream.pid != os.getpid():
        stream = streams[(engine, fmt)] = GraphvizStream(engine, fmt)
        with _lock:
            _open.append(stream)
    return stream


def laid_out(sources: list[str], fmt: str, *, engine: tuple[str, ...] = ("dot",),
             timeout: float = DOT_TIMEOUT) -> list[Any]:
    """Graphviz's ``fmt`` (``json`` or ``json0``) output for each graph of ``sources``, parsed, through this
    thread's :class:`GraphvizStream`; where it cannot serve (Windows, a failure), one run of :func:`run_dot` for
    the batch, with its errors.

    Raises:
        RenderError: Graphviz is missing or failed, or its output is not JSON.
    """
    if os.name == "posix":
        try:
            return _stream(engine, fmt).run(sources, timeout)
        except (StreamFailed, OSError):
            pass  # the one-shot run says what is wrong, if anything still is
    return json_graphs(run_dot("".join(sources), fmt, engine=engine, timeout=timeout), engine[0], fmt)


def measure_streamed(source: str) -> dict[str, tuple[float, float]]:
    """:func:`relmap.render.svg.measure_nodes` through this thread's ``dot -Tjson0`` stream.

    Raises:
        RenderError: Graphviz is missing or failed.
    """
    return node_sizes(laid_out([source], "json0")[0])


def close_streams() -> None:
    """End every stream this process started (those of its threads too)."""
    with _lock:
        streams, _open[:] = list(_open), []
    for stream in streams:
        stream.close()
