"""The diagrams of a result for the reports: every view in SVG (and PNG for the deck's pictures), in two steps.

:func:`draw_diagrams` draws them at once; :func:`relmap.report.write_outputs`
uses :class:`Drawing` to start them, write what needs no drawing, then
collect them — the chart views from a chart worker
(:mod:`relmap.render.worker`) when there is one, Graphviz's PNG from a thread.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ..analysis.result import AnalysisResult
from ..errors import RenderError
from ..i18n import _
from ..render.worker import CHART_VIEWS, PICTURE_VIEWS, ChartWorker
from .blocks import VIEW_FILES

__all__ = ["Diagrams", "Drawing", "draw_diagrams"]


@dataclass
class Diagrams:
    """The drawn views: SVG text and PNG bytes by view, and why a view is missing."""

    svg: dict[str, str] = field(default_factory=dict)
    png: dict[str, bytes] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def draw_diagrams(result: AnalysisResult, *, lang: str = "en", scenario: str | None = None,
                  theme: str = "light", png: bool = True, worker: ChartWorker | None = None) -> Diagrams:
    """Draw every view of :data:`relmap.render.VIEWS` (SVG, and PNG for the deck when ``png``: the views it shows
    as pictures, :data:`relmap.render.worker.PICTURE_VIEWS`).

    A view that fails is recorded in ``missing`` with the reason; the others are still drawn.
    With a ``worker`` (:func:`relmap.render.worker.start_chart_worker`), the chart views are
    drawn in its process while Graphviz draws the value chain here; the bytes are the same.
    """
    drawing = Drawing(result, lang=lang, scenario=scenario, theme=theme, png=png, worker=worker)
    drawing.start()
    return drawing.finish()


class Drawing:
    """The views of one result, drawn in two steps so other work can run in between.

    :meth:`start` hands the chart views to the worker (if any) and starts
    Graphviz on the value chain's SVG, then its PNG, in a thread (Graphviz is a
    process of its own: this process does not wait for it); :meth:`finish` collects everything, drawing here
    whatever the worker could not, and gives the same diagrams when called
    again (the deck asks for them midway, the files after).
    """

    def __init__(self, result: AnalysisResult, *, lang: str, scenario: str | None, theme: str, png: bool,
                 worker: ChartWorker | None) -> None:
        self.result, self.lang, self.scenario, self.theme, self.png = result, lang, scenario, theme, png
        self.worker = worker if worker is not None and worker.wants(lang=lang, scenario=scenario, theme=theme,
                                                                     png=png) else None
        self.out = Diagrams()
        self._pending: dict[str, Future[None]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._done: Diagrams | None = None

    def _render(self, view: str, fmt: str) -> bytes:
        from ..render import render_view

        return render_view(self.result, view, fmt=fmt, scenario=self.scenario, theme=self.theme, lang=self.lang)

    def start(self) -> None:
        try:
            from ..render import VIEWS
        except ImportError as exc:  # pragma: no cover - the renderer ships with relmap
            self.out.missing = {v: _("the renderer is not available: {error}").format(error=exc) for v in VIEW_FILES}
            return
        if self.worker is not None:
            self.worker.draw(self.result, lang=self.lang, scenario=self.scenario, theme=self.theme, png=self.png)
        for view in VIEWS:
            if view in CHART_VIEWS:
                if self.worker is None:
                    self._in_process(view)
            else:  # Graphviz: the SVG and its PNG in a thread while this process goes on
                self._pool = self._pool or ThreadPoolExecutor(max_workers=1, thread_name_prefix="relmap-dot")
                # the thread gets this context: the language is a context variable
                self._pending[view] = self._pool.submit(contextvars.copy_context().run, self._graphviz, view)

    def _graphviz(self, view: str) -> None:
        """A view Graphviz draws: its SVG, then its PNG when the deck wants one."""
        if self._svg(view) and self.png and view in PICTURE_VIEWS:
            self._png(view, lambda: self._render(view, "png"))

    def _svg(self, view: str) -> bool:
        """Draw the view's SVG here; False (and the reason in ``missing``) when it cannot be drawn."""
        try:
            self.out.svg[view] = self._render(view, "svg").decode("utf-8")
        except RenderError as exc:
            self.out.missing[view] = str(exc)
            return False
        return True

    def _png(self, view: str, produce: Callable[[], bytes]) -> None:
        """Keep the view's PNG; when it fails, the view is missing altogether (SVG included)."""
        try:
            self.out.png[view] = produce()
        except RenderError as exc:
            self.out.svg.pop(view, None)
            self.out.missing[view] = str(exc)

    def _in_process(self, view: str) -> None:
        if self._svg(view) and self.png and view in PICTURE_VIEWS:
            self._png(view, lambda: self._deck_png(view))

    def _deck_png(self, view: str) -> bytes:
        from ..render.charts import deck_pngs

        with deck_pngs():  # the PNG is a deck picture's: 2,000 px are enough
            return self._render(view, "png")

    def abandon(self) -> None:
        """Stop waiting: the worker is stopped, Graphviz's thread is left to end on its own (nothing to do once
        :meth:`finish` has collected the drawings)."""
        if self._done is not None:
            return
        if self.worker is not None:
            self.worker.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def finish(self) -> Diagrams:
        if self._done is not None:
            return self._done
        for future in self._pending.values():
            future.result()
        if self._pool is not None:
            self._pool.shutdown()
        if self.worker is not None:
            drawn = self.worker.collect()
            for view in CHART_VIEWS:
                got = drawn.get(view)
                if got is None:  # the worker failed: draw here (and raise here what it could not say)
                    self._in_process(view)
                elif got.error is not None:
                    self.out.missing[view] = got.error
                elif got.svg is not None:
                    self.out.svg[view] = got.svg
                    if got.png is not None:
                        self.out.png[view] = got.png
        ordered = Diagrams()
        for view in VIEW_FILES:  # the order of the views, whoever drew them
            if view in self.out.svg:
                ordered.svg[view] = self.out.svg[view]
            if view in self.out.png:
                ordered.png[view] = self.out.png[view]
            if view in self.out.missing:
                ordered.missing[view] = self.out.missing[view]
        self._done = ordered
        return ordered
