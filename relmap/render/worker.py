"""The chart views drawn in a second process while the first one does the rest.

Why: the matrix, reinvestment, people, sensitivity and trajectory views
(and the matrix's PNG for the deck) depend on nothing but the analysis
result. A :class:`ChartWorker` started when the command starts loads the
drawing code and fonts while the file is read and analysed, draws the views
as soon as it receives the result, and hands back the same bytes
:func:`relmap.render.render_view` gives in-process (same code, same settings;
a test compares them). Meanwhile the first process runs Graphviz, writes
``analysis.json`` and the workbook. Since the views are laid out by relmap
(:mod:`relmap.render.canvas`) rather than drawn by matplotlib, the worker
needs a fraction of its former time (no matplotlib import either; figures in
``bench/RESULTS.md``).

Nothing depends on the worker: when it cannot start, dies or fails, the
caller draws in-process whatever :meth:`ChartWorker.collect` did not return,
so the outputs and the error messages are those of the sequential path.

The worker dies with its parent and never holds the caller's output open
(a killed ``relmap`` left its worker alive forever, holding the
pipe a CI job was reading): at start it points its stdout and stderr at
``/dev/null``, closes the parent's ends of the pipes it inherited (else its
own copy keeps them open and a send blocks forever), asks Linux to kill it
when the parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), and, on every
platform, a watcher thread ends it once its parent process is gone
(:func:`relmap.analysis.parallel.detach`, shared with the analysis' second process).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.parallel import detach
from . import VIEWS

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ..analysis.result import AnalysisResult

__all__ = ["CHART_VIEWS", "PICTURE_VIEWS", "ChartWorker", "DrawnView", "start_chart_worker", "views_part"]

#: the views the worker draws: every view but the value chain (Graphviz's, a process of its own already), each a
#: :class:`~relmap.render.canvas.Canvas` drawing
CHART_VIEWS: tuple[str, ...] = tuple(v for v in VIEWS if v != "value-chain")
#: the views the deck shows as pictures, so the only ones drawn in PNG (its value chain is native shapes, its
#: reinvestment, people, sensitivity and trajectory slides native charts)
PICTURE_VIEWS: tuple[str, ...] = ("matrix",)
#: seconds to wait for the drawings before drawing in-process instead (a hung worker must not hang relmap)
COLLECT_TIMEOUT = 600.0


@dataclass(frozen=True)
class DrawnView:
    """One view from the worker: its SVG text and PNG bytes, or why it could not be drawn."""

    svg: str | None
    png: bytes | None
    error: str | None


def start_chart_worker(processes: int | None = None) -> ChartWorker | None:
    """A worker that starts loading the drawing code now, or ``None`` when a second process would not help.

    ``processes`` child processes share the views (default: one per view, at
    most one fewer than the cores). ``None`` on a single core, inside a
    daemonic process (which may not have children), when ``RELMAP_WORKER=0``
    is set, or when no process can be started.
    """
    cores = os.cpu_count() or 1
    if os.environ.get("RELMAP_WORKER", "").strip() == "0" or cores < 2:
        return None
    if multiprocessing.current_process().daemon:
        return None
    count = processes or max(1, min(len(CHART_VIEWS), cores - 1))
    try:
        return ChartWorker(count)
    except (OSError, ValueError, RuntimeError):  # pragma: no cover - no processes on this platform
        return None


class _Child:
    """One child process, the views it draws, and the pipe to it."""

    def __init__(self, context: Any, views: tuple[str, ...], inherited: list[Connection]) -> None:
        self.views = views
        self.conn, theirs = context.Pipe()
        close = [c.fileno() for c in [*inherited, self.conn]] if context.get_start_method() == "fork" else []
        self.process = context.Process(target=_serve, args=(theirs, os.getpid(), close), daemon=True,
                                       name="relmap-charts")
        self.process.start()
        theirs.close()

    def send(self, header: bytes, data: bytes) -> None:
        # the child is gone (collect() says so), or stop() closed the pipe while this thread wrote to it: the
        # connection then finds its handle gone mid-write (a TypeError), which must not print a thread's traceback
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            self.conn.send_bytes(header)
            self.conn.send_bytes(data)

    def receive(self, deadline: float) -> dict[str, DrawnView]:
        try:
            if not self.conn.poll(max(0.0, deadline - time.monotonic())):
                return {}
            answer = self.conn.recv()
        except (OSError, EOFError, ValueError):
            return {}
        return answer if isinstance(answer, dict) else {}

    def close(self, *, now: bool) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if now and self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        if self.process.is_alive():  # pragma: no cover - a child stuck while drawing
            self.process.terminate()
            self.process.join(timeout=5)


class ChartWorker:
    """Child processes that draw :data:`CHART_VIEWS` for one result (see the module docstring)."""

    def __init__(self, processes: int = 1) -> None:
        context = multiprocessing.get_context()  # fork on Linux, spawn on macOS and Windows
        count = max(1, min(processes, len(CHART_VIEWS)))
        self._children: list[_Child] = []
        for i in range(count):  # a forked child closes the parent's ends of the pipes before it
            self._children.append(_Child(context, CHART_VIEWS[i::count], [c.conn for c in self._children]))
        self._request: tuple[Any, ...] | None = None
        self._sent = False

    def draw(self, result: AnalysisResult, *, lang: str, scenario: str | None, theme: str, png: bool) -> None:
        """Send the result; the children draw their views in SVG (and PNG when ``png``: :data:`PICTURE_VIEWS`).
        Once per worker.

        What travels is :func:`views_part` as JSON, written to the pipes by a
        thread: a child reads it only once its drawing code is loaded, and a pipe
        holds 64 KiB, so a direct write would wait for that import.
        """
        if self._request is not None:
            return
        self._request = (lang, scenario, theme, png)
        try:
            lead = result.lead_scenario(scenario)
        except KeyError:  # an unknown scenario: nothing to draw here; the in-process drawing says what is wrong
            return
        header = [pickle.dumps((child.views, lang, lead, theme, png)) for child in self._children]
        data = views_part(result, lead).model_dump_json(by_alias=True).encode("utf-8")
        self._sent = True
        threading.Thread(target=self._send, args=(header, data), name="relmap-charts-send", daemon=True).start()

    def _send(self, headers: list[bytes], data: bytes) -> None:
        for child, header in zip(self._children, headers, strict=True):
            child.send(header, data)

    def wants(self, *, lang: str, scenario: str | None, theme: str, png: bool) -> bool:
        """Whether the drawings sent (or to be sent) are the ones asked for now."""
        return self._request is None or self._request == (lang, scenario, theme, png)

    def collect(self, timeout: float = COLLECT_TIMEOUT) -> dict[str, DrawnView]:
        """The drawn views by name; a view a child could not draw is absent (draw it in-process then)."""
        drawn: dict[str, DrawnView] = {}
        if not self._sent:
            self.stop()
            return drawn
        deadline = time.monotonic() + timeout
        for child in self._children:
            drawn.update(child.receive(deadline))
        for child in self._children:
            child.close(now=False)
        return drawn

    def stop(self) -> None:
        """Stop the children now, whatever they are doing (nothing is lost: they write no file)."""
        for child in self._children:
            child.close(now=True)


def _serve(conn: Connection, parent: int | None = None, inherited: list[int] | None = None) -> None:
    """The worker: load the drawing code and fonts, wait for one result, draw, answer, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it then stops us
    if parent is not None:
        detach(parent, inherited or [], name="relmap-charts-watch")
    try:
        from .raster import warm_up

        warm_up()
        views, lang, scenario, theme, png = pickle.loads(conn.recv_bytes())
        data = conn.recv_bytes()
    except (EOFError, OSError, KeyboardInterrupt):
        return
    except Exception:  # the parent draws in-process and reports the real error
        _send(conn, None)
        return
    try:
        from ..analysis.result import AnalysisResult

        result = AnalysisResult.model_validate_json(data)  # analysis.json reads back to an equal result (tested)
        del data
    except Exception:  # as above
        _send(conn, None)
        return
    _send(conn, _draw(result, views, lang=lang, scenario=scenario, theme=theme, png=png))


def views_part(result: AnalysisResult, scenario: str) -> AnalysisResult:
    """What the chart views read of a result: every activity with only ``scenario``'s row, only that scenario.

    Why: at 10,000 activities the whole result is ~180 MB of objects in the
    child; without the other scenarios' rows and allocations it is a fifth
    smaller, and its JSON half the size. The views draw one scenario (the
    matrix none), so they give the same bytes from this part as from the whole.
    """
    activities = [act.model_copy(update={"by_scenario": {k: v for k, v in act.by_scenario.items() if k == scenario}})
                  for act in result.activities]
    roles = [role.model_copy(update={"by_scenario": {k: v for k, v in role.by_scenario.items() if k == scenario}})
             for role in result.roles]
    return result.model_copy(update={"activities": activities, "roles": roles,
                                     "scenarios": {scenario: result.scenarios[scenario]}})


def _draw(result: AnalysisResult, views: tuple[str, ...], *, lang: str, scenario: str | None, theme: str,
          png: bool) -> dict[str, DrawnView] | None:
    """The ``views``; ``None`` on an unexpected error (the parent then draws in-process and reports it)."""
    from ..errors import RenderError
    from . import render_view
    from .charts import deck_pngs

    drawn: dict[str, DrawnView] = {}
    try:
        for view in views:
            try:
                svg = render_view(result, view, fmt="svg", scenario=scenario, theme=theme, lang=lang)
                image = None
                if png and view in PICTURE_VIEWS:
                    with deck_pngs():  # as the in-process drawing (relmap.report.drawing)
                        image = render_view(result, view, fmt="png", scenario=scenario, theme=theme, lang=lang)
                drawn[view] = DrawnView(svg.decode("utf-8"), image, None)
            except RenderError as exc:
                drawn[view] = DrawnView(None, None, str(exc))
    except Exception:  # see the docstring
        return None
    return drawn


def _send(conn: Connection, answer: object) -> None:
    try:
        conn.send(answer)
    except (OSError, ValueError):  # pragma: no cover - the parent has gone
        pass
    finally:
        conn.close()
