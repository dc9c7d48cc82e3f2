"""Reports and deliverables: ``analysis.json``, ``report.md``, ``report.html``, the diagrams, ``deck.pptx``,
``activities.xlsx`` — and ``relmap import`` / ``relmap diff`` behind the command line.

:func:`write_outputs` is what ``relmap analyze FILE -o DIR`` calls. Every file
goes through :func:`relmap.fsutil.write_atomic` (a reader never sees half a
file, the input is never overwritten); an existing folder is updated in place.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.result import AnalysisResult
from ..errors import RenderError, UsageError
from ..fsutil import write_atomic
from ..i18n import _, language
from ..model import ValueChain
from ..render.worker import MATPLOTLIB_VIEWS, ChartWorker
from .content import VIEW_FILES

__all__ = ["Diagrams", "draw_diagrams", "write_outputs"]

#: the order of the files in :func:`write_outputs`'s answer (SPEC §4), whatever order they were written in
_ORDER = {name: i for i, name in enumerate(
    ("analysis.json", *VIEW_FILES.values(), "report.md", "report.html", "deck.pptx", "activities.xlsx"))}


@dataclass
class Diagrams:
    """The drawn views: SVG text and PNG bytes by view, and why a view is missing."""

    svg: dict[str, str] = field(default_factory=dict)
    png: dict[str, bytes] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def draw_diagrams(result: AnalysisResult, *, lang: str = "en", scenario: str | None = None,
                  theme: str = "light", png: bool = True, worker: ChartWorker | None = None) -> Diagrams:
    """Draw every view of :data:`relmap.render.VIEWS` (SVG, and PNG for the deck when ``png``).

    A view that fails is recorded in ``missing`` with the reason; the others are still drawn.
    With a ``worker`` (:func:`relmap.render.worker.start_chart_worker`), the matplotlib views are
    drawn in its process while Graphviz draws the value chain here; the bytes are the same.
    """
    drawing = _Drawing(result, lang=lang, scenario=scenario, theme=theme, png=png, worker=worker)
    drawing.start()
    return drawing.finish()


class _Drawing:
    """The views of one result, drawn in two steps so other work can run in between.

    :meth:`start` hands the matplotlib views to the worker (if any), draws the
    value chain's SVG and starts Graphviz on its PNG in a thread (Graphviz is a
    process of its own); :meth:`finish` collects everything, drawing here
    whatever the worker could not.
    """

    def __init__(self, result: AnalysisResult, *, lang: str, scenario: str | None, theme: str, png: bool,
                 worker: ChartWorker | None) -> None:
        self.result, self.lang, self.scenario, self.theme, self.png = result, lang, scenario, theme, png
        self.worker = worker if worker is not None and worker.wants(lang=lang, scenario=scenario, theme=theme,
                                                                     png=png) else None
        self.out = Diagrams()
        self._pending: dict[str, Future[bytes]] = {}
        self._pool: ThreadPoolExecutor | None = None

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
            if view in MATPLOTLIB_VIEWS:
                if self.worker is None:
                    self._in_process(view)
            elif self._svg(view) and self.png:  # Graphviz: its PNG in a thread while this process goes on
                self._pool = self._pool or ThreadPoolExecutor(max_workers=1, thread_name_prefix="relmap-dot")
                # the thread gets this context: the language is a context variable
                self._pending[view] = self._pool.submit(contextvars.copy_context().run, self._render, view, "png")

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
        if self._svg(view) and self.png:
            self._png(view, lambda: self._render(view, "png"))

    def abandon(self) -> None:
        """Stop waiting: the worker is stopped, Graphviz's thread is left to end on its own."""
        if self.worker is not None:
            self.worker.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def finish(self) -> Diagrams:
        for view, future in self._pending.items():
            self._png(view, future.result)
        if self._pool is not None:
            self._pool.shutdown()
        if self.worker is not None:
            drawn = self.worker.collect()
            for view in MATPLOTLIB_VIEWS:
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
        return ordered


def _load_chain(source: Path | None) -> ValueChain | None:
    if source is None or not Path(source).is_file():
        return None
    from ..validate import load

    return load(source)


def write_outputs(result: AnalysisResult, out_dir: str | Path, *, source: Path | None = None, lang: str = "en",
                  scenario: str | None = None, theme: str = "light", deck: bool = True, xlsx: bool = True,
                  template: Path | None = None, chain: ValueChain | None = None,
                  worker: ChartWorker | None = None) -> list[Path]:
    """Write every deliverable of an analysis into ``out_dir``; return the paths written, in order.

    Files: ``analysis.json``, the three diagrams (``value-chain.svg``, ``matrix.svg``,
    ``reinvestment.svg``), ``report.md``, ``report.html``, ``deck.pptx`` (unless
    ``deck=False``) and ``activities.xlsx`` (unless ``xlsx=False``).

    Args:
        result: the analysis.
        out_dir: created if needed; files in it are replaced one by one, atomically.
        source: the input file: never overwritten; read again for an exact ``activities.xlsx``.
        lang: language of the reports (``en``/``fr``); ``analysis.json`` is language-free.
        scenario: the scenario the reports lead with (default: the first).
        theme: diagram theme.
        deck, xlsx: write ``deck.pptx`` / ``activities.xlsx``.
        template: a firm's ``.pptx`` whose masters and layouts the deck uses.
        chain: the validated input, when the caller has it (else it is read from ``source``).
        worker: draws the matplotlib views in a second process meanwhile
            (:func:`relmap.render.worker.start_chart_worker`; same bytes, less waiting).

    Raises:
        RenderError: after writing everything else, when a diagram could not be drawn
            (``report.html`` then says which and why; a stale diagram file of that view is removed).
        UsageError: unknown scenario, or a path that would overwrite the input.
    """
    if scenario is not None and scenario not in result.scenarios:
        raise UsageError(_("unknown scenario '{id}': choose one of {ids}").format(
            id=scenario, ids=", ".join(result.scenarios)))
    out = Path(out_dir)
    protect = (Path(source),) if source is not None else ()
    written: list[Path] = []

    def put(name: str, data: str | bytes) -> None:
        written.append(write_atomic(out / name, data, protect=protect))

    drawing = _Drawing(result, lang=lang, scenario=scenario, theme=theme, png=deck, worker=worker)
    drawing.start()  # the matplotlib views go to the worker, Graphviz runs: meanwhile, what needs no drawing
    try:
        put("analysis.json", result.to_json())
        if xlsx:
            from .xlsx import build_workbook

            put("activities.xlsx", build_workbook(result, chain=chain or _load_chain(source), scenario=scenario,
                                                  lang=lang))
        _prepare_reports(result, lang=lang, scenario=scenario, deck=deck)
    except BaseException:
        drawing.abandon()  # a write failed (disk full, Ctrl-C…): do not wait for the drawings
        raise
    diagrams = drawing.finish()
    for view, name in VIEW_FILES.items():
        if view in diagrams.svg:
            put(name, diagrams.svg[view])
        elif (out / name).is_file() and not any((out / name).resolve() == p.resolve() for p in protect):
            (out / name).unlink()
    _write_reports(result, put, diagrams, lang=lang, scenario=scenario)
    if deck:
        from .pptx import build_deck

        put("deck.pptx", build_deck(result, svgs=diagrams.svg, pngs=diagrams.png, lang=lang, scenario=scenario,
                                    template=template, missing=diagrams.missing))
    written.sort(key=lambda path: _ORDER.get(path.name, len(_ORDER)))
    if diagrams.missing:
        with language(lang):
            details = "; ".join(f"{view}: {why}" for view, why in sorted(diagrams.missing.items()))
            raise RenderError(_("some diagrams could not be drawn (every other file was written): {details}")
                              .format(details=details))
    return written


def _prepare_reports(result: AnalysisResult, *, lang: str, scenario: str | None, deck: bool) -> None:
    """What the reports need and the drawings do not, done while the chart worker draws.

    The report content (kept beside the result, :func:`relmap.report.content.build_content`),
    the compiled HTML template, and python-pptx's modules when a deck is asked for.
    """
    from .content import build_content
    from .html import template

    with language(lang):
        build_content(result, scenario)
    template()
    if deck:
        from .pptx import warm_up

        warm_up()


def _write_reports(result: AnalysisResult, put: object, diagrams: Diagrams, *, lang: str,
                   scenario: str | None) -> None:
    from .html import render_html
    from .markdown import render_markdown

    assert callable(put)
    put("report.md", render_markdown(result, lang=lang, scenario=scenario, missing=diagrams.missing))
    put("report.html", render_html(result, diagrams.svg, lang=lang, scenario=scenario, missing=diagrams.missing))
